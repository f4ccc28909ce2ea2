"""Hierarchical softmax over a binary tree (``BinaryHierarchicalSoftmax``)."""
import heapq

import numpy

from kusari import _core
from kusari import backend
from kusari import link
from kusari import variable
from kusari._core import FunctionNode
from kusari.initializers import uniform
from kusari.utils import type_check

LEAF = -1
NOT_LEAF = -1
FINISH_SAMPLING = -2


class TreeParser:
    """Assigns ids to the internal nodes of a tuple tree (pre-order) and collects,
    for each leaf word, the internal nodes on its path and the branch codes (``1``:
    left, ``-1``: right)."""

    def __init__(self):
        self.next_id = 0

    def size(self):
        """Number of internal nodes."""
        return self.next_id

    def get_paths(self):
        return self.paths

    def get_codes(self):
        return self.codes

    def get_parent2child(self):
        return self.parent2child

    def get_node2word(self):
        return self.node2word

    def parse(self, tree):
        """Parse ``tree`` (nested 2-tuples whose leaves are int word ids)."""
        self.next_id = 0
        self.paths, self.codes = {}, {}
        self.parent2child, self.node2word = {}, {}
        # iterative pre-order walk: (node, path, code)
        stack = [(tree, [], [])]
        order = []
        while stack:
            node, path, code = stack.pop()
            if isinstance(node, tuple):
                if len(node) != 2:
                    raise ValueError('BinaryHierarchicalSoftmax: all internal nodes '
                                     'must have two child nodes, got %r' % (node,))
                nid = self.next_id
                self.next_id += 1
                order.append((nid, node))
                left, right = node
                stack.append((right, path + [nid], code + [-1.0]))
                stack.append((left, path + [nid], code + [1.0]))
            else:
                self.paths[node] = numpy.array(path, numpy.int32)
                self.codes[node] = numpy.array(code, numpy.float32)
        ids = {id(node): nid for nid, node in order}
        for nid, (left, right) in order:
            self.parent2child[nid] = tuple(ids[id(c)] if isinstance(c, tuple) else LEAF
                                           for c in (left, right))
            self.node2word[nid] = tuple(NOT_LEAF if isinstance(c, tuple) else c
                                        for c in (left, right))


class _TreeTables:
    """The parsed tree as arrays: per-word padded paths and codes, and the child
    tables used for sampling (a plain object, so links holding it can be copied)."""

    def __init__(self, tree):
        parser = TreeParser()
        parser.parse(tree)
        paths = parser.get_paths()
        codes = parser.get_codes()
        if not all(isinstance(w, (int, numpy.integer)) and w >= 0 for w in paths):
            raise ValueError('BinaryHierarchicalSoftmax: the leaves of the tree must be '
                             'non-negative int word ids')
        self.n_vocab = max(paths.keys()) + 1
        n_node = parser.size()
        self.parser_size = n_node
        max_len = max(len(p) for p in paths.values())
        self.path_mat = numpy.zeros((self.n_vocab, max(max_len, 1)), numpy.int32)
        self.code_mat = numpy.zeros((self.n_vocab, max(max_len, 1)), numpy.float32)
        self.is_word = numpy.zeros(self.n_vocab, bool)
        for w, p in paths.items():
            self.path_mat[w, :len(p)] = p
            self.code_mat[w, :len(p)] = codes[w]
            self.is_word[w] = True
        p2c, n2w = parser.get_parent2child(), parser.get_node2word()
        self.parent2child = numpy.array([p2c[i] for i in range(n_node)], 'i').reshape(
            n_node, 2)
        self.node2word = numpy.array([n2w[i] for i in range(n_node)], 'i').reshape(
            n_node, 2)


class BinaryHierarchicalSoftmaxFunction(FunctionNode):
    """Hierarchical softmax loss over a binary tree (summed over the batch).

    Inputs: ``x`` ``(B, D)``, ``t`` ``(B,)`` int words, ``W`` ``(n_node, D)``.
    Output: the scalar ``sum_b sum_{(e, c) in path(t_b)} softplus(-c W_e^T x_b)``.
    Differentiable once with respect to ``x`` and ``W`` (as in Chainer).

    Args:
        tree: a binary tree of nested 2-tuples, e.g. ``((1, 2), 3)`` (or the parsed
            tables of one).
    """

    def __init__(self, tree):
        tables = tree if isinstance(tree, _TreeTables) else _TreeTables(tree)
        self.tables = tables
        self.n_vocab = tables.n_vocab
        self.parser_size = tables.parser_size
        self.path_mat = tables.path_mat
        self.code_mat = tables.code_mat
        self.is_word = tables.is_word
        self.parent2child = tables.parent2child
        self.node2word = tables.node2word

    @property
    def label(self):
        return 'BinaryHierarchicalSoftmaxFunction'

    def check_type_forward(self, in_types):
        type_check._argname(in_types, ('x', 't', 'W'))
        x_type, t_type, w_type = in_types
        type_check.expect(
            x_type.dtype.kind == 'f',
            x_type.ndim == 2,
            t_type.dtype.kind == 'i',
            t_type.ndim == 1,
            x_type.shape[0] == t_type.shape[0],
            w_type.dtype == x_type.dtype,
            w_type.ndim == 2,
            w_type.shape[0] == self.parser_size,
            w_type.shape[1] == x_type.shape[1],
        )

    def _gather(self, xp, t, W, x):
        nodes = xp.asarray(self.path_mat)[t]                  # (B, P)
        codes = xp.asarray(self.code_mat)[t].astype(x.dtype)  # (B, P); 0 = padding
        w = W[nodes]                                          # (B, P, D)
        wxy = (w * x[:, None, :]).sum(axis=2) * codes
        return nodes, codes, w, wxy

    def forward(self, inputs):
        x, t, W = inputs
        xp = backend.get_array_module(x)
        tc = backend.CpuDevice().send(t)
        if tc.size and (tc.min() < 0 or tc.max() >= self.n_vocab
                        or not self.is_word[tc].all()):
            raise ValueError('BinaryHierarchicalSoftmax: each label t must be a word '
                             'of the tree (in [0, %d))' % self.n_vocab)
        self.retain_inputs((0, 1, 2))
        _, codes, _, wxy = self._gather(xp, t, W, x)
        # softplus(-wxy) on the path; padding (code 0) contributes nothing
        ls = xp.logaddexp(xp.zeros_like(wxy), -wxy) * (codes != 0)
        return xp.asarray(ls.sum(), x.dtype),

    def _unit_grads(self):
        x = self.inputs[0].data
        t = self.inputs[1].data
        W = self.inputs[2].data
        xp = backend.get_array_module(x)
        nodes, codes, w, wxy = self._gather(xp, t, W, x)
        g = -codes / (1 + xp.exp(wxy))                        # (B, P)
        gx = (g[:, :, None] * w).sum(axis=1)
        gw = g[:, :, None] * x[:, None, :]
        gW = xp.zeros_like(W)
        if xp is numpy:
            numpy.add.at(gW, nodes.ravel(), gw.reshape(-1, W.shape[1]))
        else:
            import cupyx
            cupyx.scatter_add(gW, nodes.ravel(), gw.reshape(-1, W.shape[1]))
        return gx.astype(x.dtype), gW.astype(W.dtype)

    def backward_array(self, indexes, grad_outputs):
        gy, = grad_outputs
        gx, gW = self._unit_grads()
        return gx * gy, None, gW * gy

    def backward(self, indexes, grad_outputs):
        gy, = grad_outputs
        gx, gW = self._unit_grads()
        bx = _core.broadcast_to(_core.reshape(gy, (1, 1)), gx.shape)
        bw = _core.broadcast_to(_core.reshape(gy, (1, 1)), gW.shape)
        return bx * gx, None, bw * gW


class BinaryHierarchicalSoftmax(link.Link):
    """Hierarchical softmax layer over a binary tree (Morin and Bengio, 2005).

    The probability of a word is the product, over the internal nodes ``e_i`` on its
    path from the root, of ``sigmoid(b_i x^T W_{e_i})`` with ``b_i = 1`` for a left
    branch and ``-1`` for a right one; the loss is the negative log-probability
    summed over the batch.

    Args:
        in_size (int): dimension of the input vectors.
        tree: a binary tree of nested 2-tuples with int word ids at the leaves, e.g.
            from :meth:`create_huffman_tree`.
        dtype: parameter dtype (``None``: ``kusari.config.dtype``).

    Attributes:
        W (~kusari.Parameter): ``(n_internal_nodes, in_size)`` weights, initialized
            uniformly in ``[-1, 1)``.

    >>> import numpy, kusari.links as L
    >>> tree = L.BinaryHierarchicalSoftmax.create_huffman_tree({0: 8, 1: 5, 2: 6, 3: 4})
    >>> tree
    ((3, 1), (2, 0))
    >>> hsm = L.BinaryHierarchicalSoftmax(3, tree)
    >>> hsm.W.shape
    (3, 3)
    >>> hsm.W.array[...] = 0
    >>> print(round(float(hsm(numpy.ones((1, 3), numpy.float32), numpy.array([0])).array), 4))
    1.3863
    """

    def __init__(self, in_size, tree, dtype=None):
        super().__init__()
        self._func = _TreeTables(tree)
        self.tree = tree
        import kusari
        dtype = kusari.get_dtype(dtype)
        with self.init_scope():
            self.W = variable.Parameter(uniform.Uniform(1, dtype),
                                        (self._func.parser_size, in_size))

    @staticmethod
    def create_huffman_tree(word_counts):
        """Build a binary Huffman tree from ``{word: count}``.

        The two least frequent entries merge first (ties broken by insertion order);
        e.g. ``{0: 8, 1: 5, 2: 6, 3: 4}`` gives ``((3, 1), (2, 0))``.

        Args:
            word_counts (dict): word id -> count (int or float).

        Returns:
            tuple: the tree (a bare word id when there is a single word).
        """
        if len(word_counts) == 0:
            raise ValueError('BinaryHierarchicalSoftmax.create_huffman_tree: empty '
                             'vocabulary')
        q = [(c, uid, w) for uid, (w, c) in enumerate(word_counts.items())]
        heapq.heapify(q)
        while len(q) >= 2:
            c1, id1, w1 = heapq.heappop(q)
            c2, id2, w2 = heapq.heappop(q)
            heapq.heappush(q, (c1 + c2, min(id1, id2), (w1, w2)))
        return q[0][2]

    def sample(self, x):
        """Draw one word per input by walking down the tree.

        At each internal node ``e`` the walk goes left with probability
        ``sigmoid(x^T W_e)`` (the model's own distribution).

        Args:
            x (~kusari.Variable or array): ``(B, in_size)`` inputs.

        Returns:
            array: ``(B,)`` int32 word ids.
        """
        xa = x.array if isinstance(x, variable.Variable) else x
        xp = backend.get_array_module(xa)
        p2c = xp.asarray(self._func.parent2child)
        n2w = xp.asarray(self._func.node2word)
        B = xa.shape[0]
        node = xp.zeros(B, xp.int32)
        out = xp.full(B, -1, xp.int32)
        active = xp.ones(B, bool)
        W = self.W.array
        for _ in range(self._func.parser_size):
            score = (W[node] * xa).sum(axis=1)
            p_left = 1 / (1 + xp.exp(-score))
            go_right = (xp.random.uniform(0, 1, B) >= p_left).astype(xp.int32)
            word = n2w[node, go_right]
            nxt = p2c[node, go_right]
            done = active & (nxt == LEAF)
            out = xp.where(done, word, out).astype(xp.int32)
            active = active & ~done
            if not bool(active.any()):
                break
            node = xp.where(active, nxt, 0).astype(xp.int32)
        return out

    def forward(self, x, t):
        """The loss: negative log-likelihood of ``t`` summed over the batch.

        Args:
            x (~kusari.Variable or array): ``(B, in_size)`` inputs.
            t (~kusari.Variable or array): ``(B,)`` int words of the tree.

        Returns:
            ~kusari.Variable: a scalar.
        """
        return BinaryHierarchicalSoftmaxFunction(self._func).apply((x, t, self.W))[0]
