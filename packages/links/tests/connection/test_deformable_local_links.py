import numpy
import pytest

import kusari.functions as F
import kusari.links as L
from kusari import gradient_check


def test_deformable_convolution_2d_params_and_forward():
    rng = numpy.random.RandomState(0)
    l = L.DeformableConvolution2D(2, 3, (2, 3), stride=1, pad=(1, 0),
                                  deform_initialW=rng.uniform(-1, 1, (3, 2, 2, 3)))
    names = sorted(n for n, _ in l.namedparams())
    assert names == ['/deform_conv/W', '/deform_conv/b', '/offset_conv/W', '/offset_conv/b']
    assert l.offset_conv.W.shape == (12, 2, 2, 3)
    assert l.deform_conv.b.shape == (3,)
    # small offsets and a non-zero bias; compare with the functions themselves
    l.offset_conv.W.array[...] = rng.uniform(-.1, .1, l.offset_conv.W.shape)
    l.deform_conv.b.array[...] = rng.uniform(-1, 1, 3)
    x = rng.uniform(-1, 1, (2, 2, 4, 5)).astype(numpy.float32)
    y = l(x)
    offset = F.convolution_2d(x, l.offset_conv.W, l.offset_conv.b, 1, (1, 0))
    ref = F.deformable_convolution_2d_sampler(x, offset, l.deform_conv.W, l.deform_conv.b,
                                              1, (1, 0))
    assert y.shape == (2, 3, 5, 3)
    numpy.testing.assert_allclose(y.array, ref.array, rtol=1e-6)
    y.grad = numpy.ones_like(y.array)
    y.backward()
    for _, p in l.namedparams():
        assert p.grad is not None and p.grad.shape == p.shape


def test_deformable_convolution_2d_lazy_and_nobias():
    l = L.DeformableConvolution2D(3, 2, deform_nobias=True, offset_nobias=True)
    assert l.deform_conv.b is None and l.offset_conv.b is None
    y = l(numpy.ones((1, 4, 3, 3), numpy.float32))
    assert l.deform_conv.W.shape == (3, 4, 2, 2)
    # deform W is zero-initialized (as in Chainer)
    numpy.testing.assert_array_equal(y.array, 0)


def test_deformable_sampler_gradient():
    rng = numpy.random.RandomState(1)
    l = L.DeformableConvolution2D(1, 2, 2, deform_initialW=rng.uniform(-1, 1, (2, 1, 2, 2)),
                                  offset_initialW=rng.uniform(-.05, .05, (8, 1, 2, 2)),
                                  offset_initial_bias=rng.uniform(0.2, 0.8, 8))
    x = rng.uniform(-1, 1, (1, 1, 3, 3))
    for p in l.params():
        p.array = p.array.astype(numpy.float64)
    gy = rng.uniform(-1, 1, (1, 2, 2, 2))
    gradient_check.check_backward(l, x, gy, params=tuple(l.params()), eps=1e-4,
                                  atol=1e-4, rtol=1e-3)


def test_local_convolution_2d():
    rng = numpy.random.RandomState(0)
    l = L.LocalConvolution2D(2, 3, in_size=(4, 5), ksize=(2, 3), stride=(2, 1))
    assert l.W.shape == (3, 2, 3, 2, 2, 3) and l.b.shape == (3, 2, 3)
    assert sorted(n for n, _ in l.namedparams()) == ['/W', '/b']
    numpy.testing.assert_array_equal(l.b.array, 0)
    x = rng.uniform(-1, 1, (2, 2, 4, 5)).astype(numpy.float32)
    y = l(x)
    numpy.testing.assert_allclose(
        y.array, F.local_convolution_2d(x, l.W, l.b, (2, 1)).array)
    lazy = L.LocalConvolution2D(None, 3, ksize=2, nobias=True)
    assert lazy.b is None and lazy.W.array is None
    assert lazy(x).shape == (2, 3, 3, 4) and lazy.W.shape == (3, 3, 4, 2, 2, 2)
    l64 = L.LocalConvolution2D(1, 2, in_size=3, ksize=2)
    for p in l64.params():
        p.array = p.array.astype(numpy.float64)
    xs = rng.uniform(-1, 1, (2, 1, 3, 3))
    gradient_check.check_backward(l64, xs, rng.uniform(-1, 1, (2, 2, 2, 2)),
                                  params=(l64.W, l64.b))
    with pytest.raises(ValueError, match='LocalConvolution2D'):
        L.LocalConvolution2D(1, 2, in_size=1, ksize=2)


@pytest.mark.parametrize('xd, wd', [(numpy.float16, numpy.float32),
                                    (numpy.float64, numpy.float32),
                                    (numpy.float32, numpy.float64)])
@pytest.mark.parametrize('nobias', [True, False])
def test_local_convolution_2d_weight_of_another_dtype(xd, wd, nobias):
    import kusari.initializers as I
    link = L.LocalConvolution2D(3, 2, in_size=4, ksize=3, stride=1, nobias=nobias,
                                initialW=I.Normal(1, wd), initial_bias=I.Normal(1, xd))
    rng = numpy.random.RandomState(0)
    x = rng.uniform(-1, 1, (2, 3, 4, 4)).astype(xd)
    y = link(x)
    assert y.dtype == xd and link.W.dtype == wd
    W = link.W.array.astype(numpy.float64)
    # reference: per output position, the patch times its own filter
    ref = numpy.zeros((2, 2, 2, 2))
    for i in range(2):
        for j in range(2):
            ref[:, :, i, j] = numpy.einsum('nckl,ockl->no',
                                           x.astype(numpy.float64)[:, :, i:i + 3, j:j + 3],
                                           W[:, i, j])
    if not nobias:
        ref += link.b.array.astype(numpy.float64)[None]
    tol = 5e-2 if numpy.float16 in (xd, wd) else 1e-5
    numpy.testing.assert_allclose(y.array, ref, atol=tol, rtol=tol)
    gy = rng.uniform(-1, 1, y.shape).astype(xd)
    params = (link.W,) if nobias else (link.W, link.b)
    opts = {'atol': 3e-2, 'rtol': 5e-2} if tol == 5e-2 else {}
    gradient_check.check_backward(link, x, gy, params, eps=2 ** -3, **opts)


def test_bad_constructor_arguments_are_also_assertion_errors():
    # Chainer's links check these with assert: code catching AssertionError still
    # works, and the exceptions stay ValueError/TypeError with a message
    with pytest.raises(AssertionError, match='Bilinear'):
        L.Bilinear(2, 3, 4, initialW=numpy.zeros((3, 3, 4), numpy.float32))
    with pytest.raises(ValueError, match='Bilinear'):
        L.Bilinear(2, 3, 4, initial_bias=(numpy.zeros((3, 4), numpy.float32),
                                          numpy.zeros((3, 4), numpy.float32),
                                          numpy.zeros(4, numpy.float32)))
    with pytest.raises(AssertionError, match='InceptionBN'):
        L.InceptionBN(3, 2, 2, 2, 2, 2, 'max', proj_pool=None)
    link = L.Scale(1, (2,))
    x = numpy.zeros((3, 2, 3), numpy.float32)
    with pytest.raises(AssertionError, match='Scale'):
        link(x, numpy.zeros(2, numpy.float32))
    with pytest.raises(TypeError, match='Scale'):
        L.Scale(1, None)(x)


def test_bias_argument_count_is_also_an_assertion_error():
    x = numpy.zeros((3, 2, 3), numpy.float32)
    with pytest.raises(AssertionError, match='Bias'):
        L.Bias(1, (2,))(x, numpy.zeros(2, numpy.float32))
    with pytest.raises(TypeError, match='Bias'):
        L.Bias(1, None)(x)
