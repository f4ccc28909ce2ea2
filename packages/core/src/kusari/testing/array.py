"""Array comparison for tests: :func:`assert_allclose`."""
import io

import numpy


def _to_numpy(a):
    """Return ``a`` as a NumPy array (Variables, CuPy arrays, scalars, sequences)."""
    # A Variable (or anything else exposing its data as ``.array``) is unwrapped.
    # ndarray subclasses also have no ``array`` attribute, so this is safe for them.
    if not isinstance(a, numpy.ndarray) and hasattr(a, 'array') and \
            hasattr(a, 'creator_node'):
        a = a.array
        if a is None:
            raise TypeError('assert_allclose: the Variable holds no array '
                            '(uninitialized parameter?)')
    mod = type(a).__module__ or ''
    if mod.split('.')[0] == 'cupy':
        a = a.get()
    return numpy.asarray(a)


def _locate_worst(x, y, atol, rtol):
    """Return ``(index, x, y, |x - y|, rtol * |y|)`` (broadcast) for the worst element.

    The worst element is the one where ``|x - y| - (atol + rtol * |y|)`` is largest
    (NaN-vs-number counts as infinitely bad; NaN-vs-NaN and equal infinities as equal).
    Returns ``None`` when x and y do not broadcast together or are empty.
    """
    try:
        xx, yy = numpy.broadcast_arrays(numpy.atleast_1d(x), numpy.atleast_1d(y))
    except ValueError:
        return None
    if xx.size == 0:
        return None
    with numpy.errstate(invalid='ignore', over='ignore'):
        if xx.dtype.kind in 'biu' and yy.dtype.kind in 'biu':
            xf = xx.astype(numpy.float64)
            yf = yy.astype(numpy.float64)
        else:
            xf, yf = xx, yy
        err = numpy.abs(xf - yf).astype(numpy.float64)
        tol_rtol = rtol * numpy.abs(yf).astype(numpy.float64)
        violation = err - (atol + tol_rtol)
        same = (xf == yf) | (numpy.isnan(xf) & numpy.isnan(yf))
        violation = numpy.where(same, -numpy.inf, violation)
        violation = numpy.where(numpy.isnan(violation), numpy.inf, violation)
    i = numpy.unravel_index(int(numpy.argmax(violation)), violation.shape)
    return i, xx, yy, err, tol_rtol


def assert_allclose(x, y, atol=1e-5, rtol=1e-4, verbose=True):
    """Assert that every element of ``x`` is close to the corresponding one of ``y``.

    The check is ``|x - y| <= atol + rtol * |y|`` elementwise (NumPy's
    :func:`numpy.testing.assert_allclose`; shapes broadcast, NaNs compare equal).
    Inputs may be :class:`kusari.Variable` objects (their ``array`` is compared),
    NumPy or CuPy arrays, scalars or nested sequences, in any mix.

    On failure the :class:`AssertionError` message shows NumPy's report plus the
    shapes and dtypes, the index ``i`` of the worst element, ``x[i]``, ``y[i]``,
    the absolute and relative errors there and the tolerances, and (with
    ``verbose``) the full arrays.

    Args:
        x: Left-hand side (usually the computed value).
        y: Right-hand side (usually the expected value).
        atol (float): Absolute tolerance.
        rtol (float): Relative tolerance (relative to ``|y|``).
        verbose (bool): If ``True``, the arrays are included in the message.

    Raises:
        AssertionError: if some element differs too much.
    """
    x = _to_numpy(x)
    y = _to_numpy(y)
    try:
        numpy.testing.assert_allclose(x, y, atol=atol, rtol=rtol, verbose=verbose)
    except AssertionError as e:
        f = io.StringIO()
        f.write(str(e).strip('\n') + '\n\n')
        f.write('assert_allclose failed:\n')
        f.write('  shape: {} {}\n'.format(x.shape, y.shape))
        f.write('  dtype: {} {}\n'.format(x.dtype, y.dtype))
        worst = _locate_worst(x, y, atol, rtol)
        if worst is not None:
            i, xx, yy, err, tol_rtol = worst
            if x.shape == y.shape and x.ndim == 0:
                i_disp = ()
            else:
                i_disp = tuple(int(k) for k in i)
            yi = yy[i]
            with numpy.errstate(divide='ignore', invalid='ignore'):
                rel = 'inf' if yi == 0 else float(err[i]) / float(numpy.abs(yi))
            f.write('  i: {}\n'.format(i_disp))
            f.write('  x[i]: {}\n'.format(xx[i]))
            f.write('  y[i]: {}\n'.format(yi))
            f.write('  relative error[i]: {}\n'.format(rel))
            f.write('  absolute error[i]: {}\n'.format(err[i]))
            f.write('  relative tolerance * |y[i]|: {}\n'.format(tol_rtol[i]))
            f.write('  absolute tolerance: {}\n'.format(atol))
            f.write('  additional tolerance: {}\n'.format(
                float(err[i]) - float(atol + tol_rtol[i])))
        if verbose:
            opts = numpy.get_printoptions()
            try:
                numpy.set_printoptions(threshold=10000)
                f.write('x: ' + numpy.array2string(x, prefix='x: ') + '\n')
                f.write('y: ' + numpy.array2string(y, prefix='y: ') + '\n')
            finally:
                numpy.set_printoptions(**opts)
        raise AssertionError(f.getvalue()) from None


def _as_noncontiguous_array(array):
    """A non-C-contiguous copy of ``array`` (every other element of a buffer twice
    as large); arrays of at most one element, ``None`` and nested tuples/lists
    are handled as in Chainer's tests."""
    if isinstance(array, (list, tuple)):
        return type(array)([_as_noncontiguous_array(a) for a in array])
    if array is None or array.size <= 1:
        return array
    from kusari import backend
    xp = backend.get_array_module(array)
    slices = (slice(None, None, -2),) * array.ndim
    with backend.using_device(backend.get_device_from_array(array)):
        buf = xp.empty(tuple(2 * s for s in array.shape), dtype=array.dtype)
        buf[slices] = array
        out = buf[slices]
    assert not out.flags.c_contiguous
    return out
