"""Every array function on CuPy arrays: forward agrees with the NumPy path and the
gradients pass check_backward / check_double_backward (skipped without a GPU)."""
import numpy
import pytest

import kusari.functions as F
from kusari import gradient_check


def _u(*shape):
    return numpy.random.uniform(-1, 1, shape).astype(numpy.float32)


def _perm(n):
    return numpy.random.permutation(n).astype(numpy.int32)


CASES = {
    'as_strided': (lambda x: F.as_strided(x, (3, 2), (2, -1), 1), lambda: (_u(2, 3),)),
    'broadcast': (lambda a, b: F.broadcast(a, b), lambda: (_u(3, 1), _u(4))),
    'broadcast_to': (lambda x: F.broadcast_to(x, (2, 3)), lambda: (_u(3),)),
    'cast': (lambda x: F.cast(x, numpy.float64), lambda: (_u(2, 3),)),
    'concat': (lambda a, b: F.concat((a, b), 0), lambda: (_u(2, 3), _u(1, 3))),
    'depth2space': (lambda x: F.depth2space(x, 2), lambda: (_u(1, 8, 2, 3),)),
    'diagonal': (lambda x: F.diagonal(x, 1, 2, 0), lambda: (_u(3, 2, 4),)),
    'dstack': (lambda a, b: F.dstack((a, b)), lambda: (_u(2, 3), _u(2, 3))),
    'expand_dims': (lambda x: F.expand_dims(x, 1), lambda: (_u(2, 3),)),
    'flatten': (F.flatten, lambda: (_u(2, 3),)),
    'flip': (lambda x: F.flip(x, 1), lambda: (_u(2, 3),)),
    'fliplr': (F.fliplr, lambda: (_u(2, 3),)),
    'flipud': (F.flipud, lambda: (_u(2, 3),)),
    'get_item': (lambda x: F.get_item(x, (Ellipsis, [0, 2, 2])), lambda: (_u(2, 3),)),
    'hstack': (lambda a, b: F.hstack((a, b)), lambda: (_u(2, 1), _u(2, 3))),
    'im2col': (lambda x: F.im2col(x, 3, 2, 1, True), lambda: (_u(1, 2, 5, 4),)),
    'moveaxis': (lambda x: F.moveaxis(x, 0, -1), lambda: (_u(2, 3, 4),)),
    'pad_constant': (lambda x: F.pad(x, 1, 'constant'), lambda: (_u(2, 3),)),
    'pad_reflect': (lambda x: F.pad(x, 2, 'reflect'), lambda: (_u(3, 3),)),
    'pad_sequence': (lambda a, b: F.pad_sequence((a, b)), lambda: (_u(3, 2), _u(1, 2))),
    'permutate': (lambda x, i: F.permutate(x, i, 1, True), lambda: (_u(2, 3), _perm(3))),
    'repeat': (lambda x: F.repeat(x, (1, 0, 2), 1), lambda: (_u(2, 3),)),
    'reshape': (lambda x: F.reshape(x, (3, -1)), lambda: (_u(2, 3),)),
    'resize_bilinear': (lambda x: F.resize_images(x, (5, 3), align_corners=False),
                        lambda: (_u(1, 2, 3, 4),)),
    'resize_nearest': (lambda x: F.resize_images(x, (5, 3), mode='nearest'),
                       lambda: (_u(1, 2, 3, 4),)),
    'rollaxis': (lambda x: F.rollaxis(x, 2, 1), lambda: (_u(2, 3, 4),)),
    'scatter_add': (lambda a, b: F.scatter_add(a, [0, 0, 1], b),
                    lambda: (_u(2, 3), _u(3, 3))),
    'select_item': (F.select_item,
                    lambda: (_u(3, 4), numpy.array([0, 3, 1], numpy.int32))),
    'separate': (lambda x: F.separate(x, 1), lambda: (_u(2, 3),)),
    'space2depth': (lambda x: F.space2depth(x, 2), lambda: (_u(1, 2, 4, 6),)),
    'split_axis': (lambda x: F.split_axis(x, [1], 1), lambda: (_u(2, 3),)),
    'squeeze': (F.squeeze, lambda: (_u(1, 3, 1),)),
    'stack': (lambda a, b: F.stack((a, b), 1), lambda: (_u(2, 3), _u(2, 3))),
    'swapaxes': (lambda x: F.swapaxes(x, 0, 2), lambda: (_u(2, 3, 4),)),
    'tile': (lambda x: F.tile(x, (2, 1, 2)), lambda: (_u(2, 3),)),
    'transpose': (lambda x: F.transpose(x, (1, 0)), lambda: (_u(2, 3),)),
    'transpose_sequence': (lambda a, b: F.transpose_sequence((a, b)),
                           lambda: (_u(3, 2), _u(1, 2))),
    'vstack': (lambda a, b: F.vstack((a, b)), lambda: (_u(3), _u(3))),
    'where': (lambda c, a, b: F.where(c, a, b),
              lambda: (numpy.random.uniform(size=(2, 3)) > 0.5, _u(2, 3), _u(2, 3))),
}


def _as_tuple(ys):
    return ys if isinstance(ys, tuple) else (ys,)


@pytest.mark.gpu
@pytest.mark.parametrize('name', sorted(CASES))
def test_gpu_matches_cpu(name):
    import cupy
    func, make = CASES[name]
    xs = make()
    ys_cpu = _as_tuple(func(*xs))
    xs_gpu = tuple(cupy.asarray(x) for x in xs)
    ys_gpu = _as_tuple(func(*xs_gpu))
    assert len(ys_cpu) == len(ys_gpu)
    for yc, yg in zip(ys_cpu, ys_gpu):
        assert isinstance(yg.array, cupy.ndarray)
        numpy.testing.assert_allclose(yg.array.get(), yc.array, atol=1e-6, rtol=1e-6)
    gys = tuple(cupy.asarray(numpy.random.uniform(-1, 1, y.shape).astype(y.dtype))
                for y in ys_cpu)
    ggxs = tuple(cupy.asarray(_u(*x.shape)) for x in xs if x.dtype.kind == 'f')
    gradient_check.check_backward(func, xs_gpu, gys, dtype=numpy.float64,
                                  atol=1e-4, rtol=1e-3)
    if name != 'cast':
        gradient_check.check_double_backward(func, xs_gpu, gys, ggxs,
                                             dtype=numpy.float64, atol=1e-4, rtol=1e-3)


def test_cases_cover_all_functions():
    # the spatial transformer has its GPU test in test_spatial_transformer.py
    names = set(F.array.__all__) - {'copy', 'sum_to', 'spatial_transformer_grid',
                                     'spatial_transformer_sampler'}
    covered = {n.split('_')[0] if n.startswith(('pad_', 'resize_')) and
               n not in ('pad_sequence',) else n for n in CASES}
    covered |= {'pad', 'resize_images'}
    assert names <= covered, names - covered
