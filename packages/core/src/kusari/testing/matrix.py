"""Random matrices with given singular values: :func:`generate_matrix`."""
import numpy


def _broadcast_to(array, shape):
    return numpy.broadcast_to(array, shape)


def generate_matrix(shape, dtype=float, **kwargs):
    r"""generate_matrix(shape, dtype=float, *, singular_values)

    A random matrix (or stack of matrices) with the given singular values, for
    tests whose inputs must be well- (or badly-) conditioned.

    Args:
        shape (tuple of int): ``(B..., M, N)``, at least two axes.
        dtype: A floating or complex dtype.
        singular_values (array-like): Non-negative, broadcastable to
            ``(B..., min(M, N))``.

    Returns:
        numpy.ndarray: The matrix.

    >>> import numpy
    >>> a = generate_matrix((3, 3), singular_values=[3., 2., 1.])
    >>> numpy.allclose(numpy.linalg.svd(a, compute_uv=False), [3., 2., 1.])
    True
    """
    unknown = set(kwargs) - {'singular_values'}
    if unknown:
        raise TypeError('generate_matrix() got unexpected keyword argument(s) '
                        '{}'.format(', '.join(sorted(unknown))))
    singular_values = kwargs.get('singular_values')
    if len(shape) <= 1:
        raise ValueError('generate_matrix: shape {} is invalid for matrices: too '
                         'few axes'.format(shape))
    dtype = numpy.dtype(dtype)
    if dtype.kind not in 'fc':
        raise TypeError('generate_matrix: dtype {} is not supported (expected a '
                        'floating or complex dtype)'.format(dtype))
    if singular_values is None:
        raise TypeError('generate_matrix: singular_values is not given')
    singular_values = numpy.asarray(singular_values)
    if not numpy.isrealobj(singular_values):
        raise TypeError('generate_matrix: singular_values is not real')
    if (singular_values < 0).any():
        raise ValueError('generate_matrix: negative singular value is given')
    k = min(shape[-2:])
    target = tuple(shape[:-2]) + (k,)
    if 0 in shape:
        _broadcast_to(singular_values, target)    # still reject a shape mismatch
        return numpy.empty(shape, dtype=dtype)
    # Orthonormal factors of a random matrix, recombined with the wanted values.
    a = numpy.random.randn(*shape)
    if dtype.kind == 'c':
        a = a + 1j * numpy.random.randn(*shape)
    u, s, vh = numpy.linalg.svd(a, full_matrices=False)
    sv = _broadcast_to(singular_values, s.shape)
    return numpy.einsum('...ik,...k,...kj->...ij', u, sv, vh).astype(dtype)
