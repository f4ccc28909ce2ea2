"""The common part of hstack, vstack and dstack (private): promote, check, concat."""
from kusari import _core
from kusari.functions.array import _util
from kusari.functions.array.concat import Concat


def join(func, xs, promote, axis_of):
    """Reshape every input with ``promote(shape)`` and concatenate along
    ``axis_of(ndim)`` (the promoted ndim), checking the inputs first.

    Raises InvalidType naming ``func`` when the dtypes, ndims or shapes disagree.
    """
    xs = list(xs)
    if not xs:
        _util.invalid(func, 'len(xs) > 0', 'len(xs) == 0')
    arrays = [_util.as_array(x) for x in xs]
    for a in arrays:
        if not _core.is_array(a):
            raise TypeError('%s: expected Variables or arrays, got %s'
                            % (func, type(a).__name__))
    a0 = arrays[0]
    shapes = [promote(a.shape) for a in arrays]
    axis = axis_of(len(shapes[0]))
    for i, a in enumerate(arrays[1:], 1):
        if a.dtype != a0.dtype:
            _util.invalid(func, 'xs[0].dtype == xs[%d].dtype' % i,
                          '%s != %s' % (a0.dtype, a.dtype))
        if a.ndim != a0.ndim:
            _util.invalid(func, 'xs[0].ndim == xs[%d].ndim' % i,
                          '%d != %d' % (a0.ndim, a.ndim))
        s0, si = shapes[0], shapes[i]
        if s0[:axis] + s0[axis + 1:] != si[:axis] + si[axis + 1:]:
            _util.invalid(func, 'xs[0].shape == xs[%d].shape except along the joined '
                          'axis' % i, '%s, %s' % (a0.shape, a.shape))
    vs = [x if tuple(a.shape) == s else _core.reshape(x, s)
          for x, a, s in zip(xs, arrays, shapes)]
    return Concat(axis).apply(tuple(vs))[0]
