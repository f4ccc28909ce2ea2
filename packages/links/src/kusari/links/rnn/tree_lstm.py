"""TreeLSTM links: Child-Sum (``L.ChildSumTreeLSTM``) and N-ary (``L.NaryTreeLSTM``)."""
import kusari.functions as F
from kusari import link
from kusari.links.connection.linear import Linear


class ChildSumTreeLSTM(link.Chain):
    """Child-Sum TreeLSTM unit (Tai et al., 2015).

    For children ``(c_k, h_k)`` and input ``x``::

        h_sum = sum_k h_k
        a, i, o = split(W_x(x) + W_h_aio(h_sum))        # 3 * out_size
        f_k = W_x_f(x) + W_h_f(h_k)                      # one forget gate per child
        c, h = tree_lstm(c_1, ..., c_n, concat(a, i, o, f_1, ..., f_n))

    Args:
        in_size (int or None): input size (``None``: on first call).
        out_size (int): size of the states.

    Attributes:
        W_x (Linear): ``in_size -> 4 * out_size`` (``a, i, o, f``).
        W_h_aio (Linear): ``out_size -> 3 * out_size``, no bias.
        W_h_f (Linear): ``out_size -> out_size``, no bias.

    >>> import numpy, kusari.links as L
    >>> l = L.ChildSumTreeLSTM(3, 2)
    >>> c1 = h1 = numpy.zeros((1, 2), numpy.float32)
    >>> c, h = l(c1, c1, h1, h1, numpy.ones((1, 3), numpy.float32))
    >>> c.shape, h.shape
    ((1, 2), (1, 2))
    """

    def __init__(self, in_size, out_size):
        super().__init__()
        with self.init_scope():
            self.W_x = Linear(in_size, 4 * out_size)
            self.W_h_aio = Linear(out_size, 3 * out_size, nobias=True)
            self.W_h_f = Linear(out_size, out_size, nobias=True)
        self.in_size = in_size
        self.state_size = out_size

    def forward(self, *cshsx):
        """Apply the unit.

        Args:
            cshsx: ``c_1, ..., c_n, h_1, ..., h_n, x``: the children's cell states and
                outputs (each ``(B, out_size)``; ``None`` means zeros) and the input
                ``(B, in_size)`` (``None`` means zeros).

        Returns:
            tuple of two Variables: the new cell state ``c`` and output ``h``.
        """
        if len(cshsx) % 2 == 0:
            raise ValueError('ChildSumTreeLSTM: expected c_1..c_n, h_1..h_n, x; got %d '
                             'arguments' % len(cshsx))
        n = len(cshsx) // 2
        cs, hs, x = cshsx[:n], cshsx[n:2 * n], cshsx[-1]
        x = _input_or_zeros(self, cs, hs, x)
        s = self.state_size
        W_x_in = self.W_x(x)
        W_x_aio_in, W_x_f_in = W_x_in[:, :3 * s], W_x_in[:, 3 * s:]
        if n == 0:
            a, i, o = W_x_aio_in[:, :s], W_x_aio_in[:, s:2 * s], W_x_aio_in[:, 2 * s:]
            c = F.sigmoid(i) * F.tanh(a)
            h = F.sigmoid(o) * F.tanh(c)
            return c, h
        shape = (x.shape[0], s)
        hs = _pad_zero_nodes(self.xp, hs, shape, x.dtype)
        cs = _pad_zero_nodes(self.xp, cs, shape, x.dtype)
        h_sum = hs[0]
        for h in hs[1:]:
            h_sum = h_sum + h
        aio_in = self.W_h_aio(h_sum) + W_x_aio_in
        f_ins = [self.W_h_f(h) + W_x_f_in for h in hs]
        tree_lstm_in = F.concat([aio_in] + f_ins, axis=1)
        return F.tree_lstm(*(cs + [tree_lstm_in]))


def _pad_zero_nodes(xp, vs, shape, dtype):
    return [xp.zeros(shape, dtype) if v is None else v for v in vs]


def _input_or_zeros(link_, cs, hs, x):
    """``x``, or zeros of shape ``(batch, in_size)`` when ``x`` is None."""
    if x is not None:
        return x
    base = [v for v in list(cs) + list(hs) if v is not None]
    if not base:
        raise ValueError('%s: all inputs (cs, hs, x) are None' % type(link_).__name__)
    if link_.in_size is None:
        raise ValueError('%s: x is None and in_size is unknown' % type(link_).__name__)
    return link_.xp.zeros((base[0].shape[0], link_.in_size), base[0].dtype)


class NaryTreeLSTM(link.Chain):
    """N-ary TreeLSTM unit (Tai et al., 2015) with a fixed number of children.

    Each child ``k`` has its own recurrent weights ``W_h{k}`` (``out_size ->
    (3 + n_ary) * out_size``, no bias); the input goes through ``W_x``
    (``in_size -> (3 + n_ary) * out_size``)::

        c, h = tree_lstm(c_1, ..., c_n, W_x(x) + sum_k W_h{k}(h_k))

    Args:
        in_size (int or None): input size.
        out_size (int): size of the states.
        n_ary (int): number of children (>= 1).

    >>> import numpy, kusari.links as L
    >>> l = L.NaryTreeLSTM(3, 2, n_ary=2)
    >>> l.W_h1.W.shape
    (10, 2)
    """

    def __init__(self, in_size, out_size, n_ary=2):
        if n_ary < 1:
            raise ValueError('NaryTreeLSTM: n_ary must be >= 1, got %r' % (n_ary,))
        super().__init__()
        with self.init_scope():
            self.W_x = Linear(in_size, (3 + n_ary) * out_size)
            for i in range(1, n_ary + 1):
                setattr(self, 'W_h{}'.format(i),
                        Linear(out_size, (3 + n_ary) * out_size, nobias=True))
        self.in_size = in_size
        self.state_size = out_size
        self.n_ary = n_ary

    def forward(self, *cshsx):
        """Apply the unit.

        Args:
            cshsx: ``c_1, ..., c_n, h_1, ..., h_n, x`` with ``n == n_ary``; a missing
                child's ``c`` and ``h`` may be ``None`` (zero state).

        Returns:
            tuple of two Variables: the new cell state ``c`` and output ``h``.
        """
        if len(cshsx) != self.n_ary * 2 + 1:
            raise ValueError('NaryTreeLSTM: expected %d arguments (c_1..c_%d, h_1..h_%d, '
                             'x), got %d' % (2 * self.n_ary + 1, self.n_ary, self.n_ary,
                                             len(cshsx)))
        n = self.n_ary
        cs, hs, x = list(cshsx[:n]), cshsx[n:2 * n], cshsx[-1]
        x = _input_or_zeros(self, cs, hs, x)
        tree_lstm_in = self.W_x(x)
        for i, h in enumerate(hs, start=1):
            if h is not None:
                tree_lstm_in = tree_lstm_in + getattr(self, 'W_h{}'.format(i))(h)
        cs = _pad_zero_nodes(self.xp, cs, (x.shape[0], self.state_size), x.dtype)
        return F.tree_lstm(*(cs + [tree_lstm_in]))
