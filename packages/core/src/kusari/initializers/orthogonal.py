"""The orthogonal initializer (Saxe et al.)."""
import math

import numpy

from kusari import initializer
from kusari.initializers import _util

# mode -> (require in_dim <= out_dim, require in_dim >= out_dim)
_MODES = {
    'auto': (False, False),
    'projection': (False, True),
    'embedding': (True, False),
    'basis': (True, True),
}


def _to_numpy(a):
    if _util.is_cupy_array(a):
        return a.get()
    return numpy.asarray(a)


class Orthogonal(initializer.Initializer):
    """Initializes an array with a scaled (semi-)orthogonal matrix.

    The array of shape ``(out_dim, d1, d2, ...)`` is viewed as a matrix of shape
    ``(out_dim, in_dim)`` with ``in_dim = d1 * d2 * ...``.  A matrix of that shape
    with independent standard normal entries is drawn (in float64, with NumPy's RNG
    even for CuPy arrays) and QR-decomposed (its transpose when
    ``in_dim > out_dim``); the signs of Q's columns are fixed so that R has a
    non-negative diagonal, which makes the result uniformly distributed over the
    (semi-)orthogonal matrices.  The array is set to ``scale`` times that matrix:

    * ``out_dim <= in_dim``: the rows are orthogonal, ``W W^T = scale^2 I``;
    * ``out_dim >= in_dim``: the columns are orthogonal, ``W^T W = scale^2 I``.

    A 0-dimensional array is set to ``scale`` or ``-scale`` with equal probability.

    Reference: Saxe et al., https://arxiv.org/abs/1312.6120

    Args:
        scale (float): Multiplier of the orthogonal matrix.
        dtype: Data type specifier (see :class:`~kusari.initializer.Initializer`).
        mode (str): Constraint on the shape: ``'auto'`` (any shape),
            ``'projection'`` (requires ``in_dim >= out_dim``), ``'embedding'``
            (requires ``in_dim <= out_dim``) or ``'basis'`` (requires
            ``in_dim == out_dim``).
        rng: Random number generator with ``normal(size=...)`` (and ``randint`` or
            ``integers`` for 0-dim arrays), or ``None`` for ``numpy.random``.

    Attributes:
        scale (float): Multiplier of the orthogonal matrix.
        dtype: Data type specifier.
        mode (str): Shape constraint.
        rng: The random number generator, or ``None``.

    """

    def __init__(self, scale=1.1, dtype=None, mode='auto', *, rng=None):
        if mode not in _MODES:
            raise ValueError(
                'Orthogonal: invalid mode {!r}; choose from {}'.format(
                    mode, ', '.join(repr(m) for m in _MODES)))
        self.scale = scale
        self.mode = mode
        self.rng = rng
        self._checks = _MODES[mode]
        super().__init__(dtype)

    def __call__(self, array):
        """Fill ``array`` (shape ``(out_dim, ...)``) with a scaled orthogonal matrix."""
        self._check_dtype(array)
        rng = self.rng
        if array.ndim == 0:
            if rng is None:
                bit = numpy.random.randint(2)
            else:
                draw = getattr(rng, 'integers', None) or rng.randint
                bit = draw(2)
            _util.copy_into(array, self.scale * (2 * int(bit) - 1))
            return
        if array.size == 0:
            raise ValueError(
                'Orthogonal: the array to initialize must be non-empty, but it has '
                'shape {}'.format(array.shape))
        out_dim = array.shape[0]
        in_dim = math.prod(array.shape[1:])
        need_embedding, need_projection = self._checks
        if (in_dim > out_dim and need_embedding) or (
                in_dim < out_dim and need_projection):
            raise ValueError(
                'Orthogonal: cannot make an orthogonal {}: shape {} is interpreted '
                'as {}-dim input and {}-dim output'.format(
                    self.mode, array.shape, in_dim, out_dim))
        if rng is None:
            a = numpy.random.normal(size=(out_dim, in_dim))
        else:
            a = _to_numpy(rng.normal(size=(out_dim, in_dim))).astype(
                numpy.float64, copy=False)
        transpose = in_dim > out_dim
        if transpose:
            a = a.T
        q, r = numpy.linalg.qr(a)
        q *= numpy.copysign(self.scale, numpy.diag(r))
        if transpose:
            q = q.T
        _util.copy_into(array, q.reshape(array.shape))
