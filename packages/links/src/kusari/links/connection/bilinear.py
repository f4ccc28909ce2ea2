"""Bilinear layer."""
import kusari.functions as F
from kusari import initializers
from kusari import link
from kusari import variable
from kusari.initializers import _util as _array_util
from kusari.links import _util


class Bilinear(link.Link):
    """Bilinear layer: ``y_l = e1_j e2_k W_jkl + e1_j V1_jl + e2_k V2_kl + b_l``.

    Wraps :func:`kusari.functions.bilinear`.

    Args:
        left_size (int): Dimension ``J`` of the left input ``e1``.
        right_size (int): Dimension ``K`` of the right input ``e2``.
        out_size (int): Dimension ``L`` of the output.
        nobias (bool): If ``True``, ``V1``, ``V2`` and ``b`` are omitted.
        initialW: Initializer of ``W`` of shape ``(J, K, L)``; ``None`` means
            :class:`~kusari.initializers.LeCunNormal`.
        initial_bias (tuple or None): ``(initialV1, initialV2, initialb)``, the
            initializers of ``V1`` ``(J, L)``, ``V2`` ``(K, L)`` and ``b`` ``(L,)``;
            ``None`` means LeCunNormal for ``V1`` and ``V2`` and zero for ``b``.

    >>> import numpy, kusari.links as L
    >>> l = L.Bilinear(2, 3, 4)
    >>> l.W.shape, l.V1.shape, l.V2.shape, l.b.shape
    ((2, 3, 4), (2, 4), (3, 4), (4,))
    """

    def __init__(self, left_size, right_size, out_size, nobias=False,
                 initialW=None, initial_bias=None):
        super().__init__()
        self.in_sizes = (left_size, right_size)
        self.nobias = nobias
        shape = (left_size, right_size, out_size)
        with self.init_scope():
            if _array_util.is_array(initialW) and initialW.shape != shape:
                raise _util.InvalidArgument(
                    'Bilinear: initialW must have shape {}, but got {}'.format(
                        shape, initialW.shape))
            self.W = variable.Parameter(initializers._get_initializer(initialW), shape)
            if not nobias:
                shapes = ((left_size, out_size), (right_size, out_size), (out_size,))
                if isinstance(initial_bias, tuple):
                    if len(initial_bias) != 3:
                        raise ValueError(
                            'Bilinear: initial_bias must be a tuple of 3 '
                            'initializers (V1, V2, b), but has length {}'.format(
                                len(initial_bias)))
                    inits = []
                    for name, init, s in zip(('V1', 'V2', 'b'), initial_bias, shapes):
                        if _array_util.is_array(init) and init.shape != s:
                            raise _util.InvalidArgument(
                                'Bilinear: the initial {} must have shape {}, but got '
                                '{}'.format(name, s, init.shape))
                        inits.append(initializers._get_initializer(init))
                elif initial_bias is None:
                    inits = [initializers._get_initializer(None),
                             initializers._get_initializer(None),
                             initializers._get_initializer(0)]
                else:
                    raise ValueError('Bilinear: initial_bias must be tuple or None')
                self.V1 = variable.Parameter(inits[0], shapes[0])
                self.V2 = variable.Parameter(inits[1], shapes[1])
                self.b = variable.Parameter(inits[2], shapes[2])

    def forward(self, e1, e2):
        """Apply the bilinear function.

        Args:
            e1 (~kusari.Variable or array): Left input, ``(N, J)``.
            e2 (~kusari.Variable or array): Right input, ``(N, K)``.

        Returns:
            ~kusari.Variable: Output, ``(N, L)``.

        """
        left, right = self.in_sizes
        s1 = _util.check_min_ndim('Bilinear', e1, 2, 'e1')
        s2 = _util.check_min_ndim('Bilinear', e2, 2, 'e2')
        n1 = 1
        for d in s1[1:]:
            n1 *= d
        n2 = 1
        for d in s2[1:]:
            n2 *= d
        if n1 != left or n2 != right or s1[0] != s2[0]:
            raise _util.invalid(
                'Bilinear', 'e1: (N, {}), e2: (N, {})'.format(left, right),
                'e1.shape == {}, e2.shape == {}'.format(s1, s2))
        if self.nobias:
            return F.bilinear(e1, e2, self.W)
        return F.bilinear(e1, e2, self.W, self.V1, self.V2, self.b)

    def zero_grads(self):
        """Fill the gradients with zeros (kept for backward compatibility)."""
        self.zerograds()
