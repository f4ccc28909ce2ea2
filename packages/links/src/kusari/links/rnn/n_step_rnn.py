"""Stacked RNNs over lists of variable-length sequences (NStepRNN* links)."""
import numpy

import kusari
import kusari.functions as F
from kusari import _core
from kusari import initializers
from kusari import link
from kusari import variable
from kusari.initializers import normal
from kusari.utils import argument


def argsort_list_descent(lst):
    """Indices sorting the sequences of ``lst`` by decreasing length (int32)."""
    return numpy.argsort([-len(x) for x in lst], kind='stable').astype(numpy.int32)


def permutate_list(lst, indices, inv):
    """Permute a list: ``ret[i] = lst[indices[i]]`` (``ret[indices[i]] = lst[i]`` if ``inv``)."""
    ret = [None] * len(lst)
    if inv:
        for i, ind in enumerate(indices):
            ret[ind] = lst[i]
    else:
        for i, ind in enumerate(indices):
            ret[i] = lst[ind]
    return ret


class NStepRNNBase(link.ChainList):
    """Base of the stacked (bi)directional RNN links over sequences.

    The link is a :class:`~kusari.ChainList` of ``n_layers * direction`` plain
    :class:`~kusari.Link` children (child ``direction * layer + d``), each holding
    the parameters ``w0 .. w{n_weights-1}`` and ``b0 .. b{n_weights-1}`` as
    :func:`kusari.functions.n_step_rnn` (and the LSTM/GRU variants) expect.  The
    first half of the weights acts on the layer input: ``(out_size, in_size)`` in
    the first layer and ``(out_size, out_size * direction)`` above; the second half
    on the hidden state: ``(out_size, out_size)``.  Weights are drawn from
    ``Normal(sqrt(1 / fan_in))``; biases are zero.

    Args:
        n_layers (int): Number of layers.
        in_size (int): Dimension of the input vectors.
        out_size (int): Dimension of the hidden states.
        dropout (float): Dropout ratio on the inputs of each layer.
        initialW: Initializer of all weights (keyword only; ``None``: the
            default above).
        initial_bias: Initializer of all biases (keyword only; ``None``: zero).

    Attributes:
        ws (list of lists of ~kusari.Parameter): The weights per child.
        bs (list of lists of ~kusari.Parameter): The biases per child.
    """

    n_weights = 2
    use_bi_direction = False

    def __init__(self, n_layers, in_size, out_size, dropout, *, initialW=None,
                 initial_bias=None, **kwargs):
        if kwargs:
            argument.check_unexpected_kwargs(
                kwargs,
                use_cudnn='use_cudnn argument is not supported anymore. '
                'Use kusari.using_config',
                use_bi_direction='use_bi_direction is not supported anymore',
                activation='activation is not supported anymore')
            argument.assert_kwargs_empty(kwargs)
        direction = 2 if self.use_bi_direction else 1
        if initial_bias is None:
            initial_bias = 0
        weights = []
        for i in range(n_layers):
            for _ in range(direction):
                weight = link.Link()
                with weight.init_scope():
                    for j in range(self.n_weights):
                        if j >= self.n_weights // 2:
                            w_in = out_size
                        elif i == 0:
                            w_in = in_size
                        else:
                            w_in = out_size * direction
                        if initialW is None:
                            w_init = normal.Normal(numpy.sqrt(1. / w_in))
                        else:
                            w_init = initializers._get_initializer(initialW)
                        setattr(weight, 'w%d' % j,
                                variable.Parameter(w_init, (out_size, w_in)))
                        setattr(weight, 'b%d' % j, variable.Parameter(
                            initializers._get_initializer(initial_bias), (out_size,)))
                weights.append(weight)
        super().__init__(*weights)
        self._set_ws_bs()
        self.n_layers = n_layers
        self.dropout = dropout
        self.out_size = out_size
        self.direction = direction

    def _set_ws_bs(self):
        self.ws = [[getattr(layer, 'w%d' % i) for i in range(self.n_weights)]
                   for layer in self]
        self.bs = [[getattr(layer, 'b%d' % i) for i in range(self.n_weights)]
                   for layer in self]

    def copy(self, mode='share'):
        ret = super().copy(mode)
        ret._set_ws_bs()
        return ret

    def init_hx(self, xs):
        """Zero initial states ``(n_layers * direction, len(xs), out_size)``."""
        shape = (self.n_layers * self.direction, len(xs), self.out_size)
        with kusari.backend.using_device(self.device):
            return variable.Variable(self.xp.zeros(shape, dtype=xs[0].dtype))

    def rnn(self, *args):
        """Call the underlying n-step function (defined by subclasses)."""
        raise NotImplementedError

    @property
    def n_cells(self):
        """Number of state arrays (1 for RNN/GRU, 2 for LSTM)."""
        raise NotImplementedError

    def _check_inputs(self, hs, xs):
        name = type(self).__name__
        if not isinstance(xs, (list, tuple)):
            raise TypeError('{}: xs must be a list of sequences, but got {}'.format(
                name, type(xs).__name__))
        if len(xs) == 0:
            raise ValueError('{}: xs must not be empty'.format(name))
        in_size = self.ws[0][0].shape[1]
        for i, x in enumerate(xs):
            if x.ndim != 2 or x.shape[1] != in_size:
                raise kusari.utils.type_check.InvalidType(
                    'xs[i].shape == (L_i, {})'.format(in_size),
                    'xs[{}].shape == {}'.format(i, x.shape),
                    '{}: invalid input\nExpect: xs[i].shape == (L_i, {})\n'
                    'Actual: xs[{}].shape == {}'.format(name, in_size, i, x.shape))
        expect = (self.n_layers * self.direction, len(xs), self.out_size)
        for h in hs:
            if h is not None and tuple(h.shape) != expect:
                raise kusari.utils.type_check.InvalidType(
                    'hx.shape == {}'.format(expect), 'hx.shape == {}'.format(h.shape),
                    '{}: invalid initial state\nExpect: shape == {}\n'
                    'Actual: shape == {}'.format(name, expect, tuple(h.shape)))

    def forward(self, hx, xs, **kwargs):
        """forward(self, hx, xs)

        Compute the states of all layers and the outputs of the last one.

        Args:
            hx (~kusari.Variable or None): Initial hidden states,
                ``(n_layers * direction, B, out_size)``; ``None`` means zeros.
            xs (list of ~kusari.Variable): ``B`` input sequences, ``xs[i]`` of
                shape ``(L_i, in_size)``, in any order of lengths.

        Returns:
            tuple: ``(hy, ys)``: the final hidden states (shape of ``hx``) and the
            list of outputs, ``ys[i]`` of shape ``(L_i, out_size * direction)``.

        """
        (hy,), ys = self._call([hx], xs, **kwargs)
        return hy, ys

    def _call(self, hs, xs, **kwargs):
        if kwargs:
            argument.check_unexpected_kwargs(
                kwargs, train='train argument is not supported anymore. '
                'Use kusari.using_config')
            argument.assert_kwargs_empty(kwargs)
        self._check_inputs(hs, xs)
        indices = argsort_list_descent(xs)
        inverse = numpy.argsort(indices).astype(numpy.int32)
        xs = permutate_list(xs, indices, inv=False)
        hxs = []
        for hx in hs:
            if hx is None:
                hx = self.init_hx(xs)
            else:
                hx = _core.get_item(hx, (slice(None), indices))
            hxs.append(hx)
        trans_x = F.transpose_sequence(xs)
        args = [self.n_layers, self.dropout] + hxs + [self.ws, self.bs, trans_x]
        result = self.rnn(*args)
        hys = [_core.get_item(h, (slice(None), inverse)) for h in result[:-1]]
        ys = F.transpose_sequence(result[-1])
        ys = permutate_list(ys, indices, inv=True)
        return hys, ys


class NStepRNNTanh(NStepRNNBase):
    """Stacked unidirectional RNN with tanh (:func:`kusari.functions.n_step_rnn`).

    Args: see :class:`NStepRNNBase`; children hold ``w0, w1, b0, b1``.

    >>> import kusari.links as L
    >>> l = L.NStepRNNTanh(2, 3, 4, 0.0)
    >>> l[0].w0.shape, l[1].w0.shape, l[1].w1.shape
    ((4, 3), (4, 4), (4, 4))
    """

    n_weights = 2
    use_bi_direction = False

    def rnn(self, *args):
        """Call :func:`kusari.functions.n_step_rnn` with ``activation='tanh'``."""
        return F.n_step_rnn(*args, activation='tanh')

    @property
    def n_cells(self):
        """1."""
        return 1


class NStepRNNReLU(NStepRNNBase):
    """Stacked unidirectional RNN with ReLU (:func:`kusari.functions.n_step_rnn`).

    >>> import kusari.links as L
    >>> len(L.NStepRNNReLU(2, 3, 4, 0.0))
    2
    """

    n_weights = 2
    use_bi_direction = False

    def rnn(self, *args):
        """Call :func:`kusari.functions.n_step_rnn` with ``activation='relu'``."""
        return F.n_step_rnn(*args, activation='relu')

    @property
    def n_cells(self):
        """1."""
        return 1


class NStepBiRNNTanh(NStepRNNBase):
    """Stacked bidirectional RNN with tanh (:func:`kusari.functions.n_step_birnn`).

    >>> import kusari.links as L
    >>> l = L.NStepBiRNNTanh(2, 3, 4, 0.0)
    >>> len(l), l[2].w0.shape
    (4, (4, 8))
    """

    n_weights = 2
    use_bi_direction = True

    def rnn(self, *args):
        """Call :func:`kusari.functions.n_step_birnn` with ``activation='tanh'``."""
        return F.n_step_birnn(*args, activation='tanh')

    @property
    def n_cells(self):
        """1."""
        return 1


class NStepBiRNNReLU(NStepRNNBase):
    """Stacked bidirectional RNN with ReLU (:func:`kusari.functions.n_step_birnn`).

    >>> import kusari.links as L
    >>> len(L.NStepBiRNNReLU(1, 3, 4, 0.0))
    2
    """

    n_weights = 2
    use_bi_direction = True

    def rnn(self, *args):
        """Call :func:`kusari.functions.n_step_birnn` with ``activation='relu'``."""
        return F.n_step_birnn(*args, activation='relu')

    @property
    def n_cells(self):
        """1."""
        return 1
