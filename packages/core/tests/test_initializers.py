"""Tests of kusari.initializer and kusari.initializers."""
import math

import numpy
import pytest

import kusari
from kusari import initializer
from kusari import initializers as I

FLOATS = [numpy.float16, numpy.float32, numpy.float64]


@pytest.fixture(autouse=True)
def _seed():
    numpy.random.seed(0)


# -- get_fans / Initializer -------------------------------------------------------------


def test_get_fans_matrix():
    assert initializer.get_fans((3, 4)) == (4, 3)


def test_get_fans_convolution():
    fan_in, fan_out = initializer.get_fans((8, 3, 5, 2))
    assert (fan_in, fan_out) == (3 * 10, 8 * 10)
    assert type(fan_in) is int and type(fan_out) is int


def test_get_fans_errors():
    with pytest.raises(ValueError, match='tuple'):
        initializer.get_fans([3, 4])
    with pytest.raises(ValueError, match='at least 2'):
        initializer.get_fans((3,))


def test_initializer_base():
    init = initializer.Initializer(numpy.float16)
    assert init.dtype == numpy.float16
    assert initializer.Initializer().dtype is None
    with pytest.raises(NotImplementedError):
        init(numpy.empty(3, numpy.float16))


# -- constants --------------------------------------------------------------------------


@pytest.mark.parametrize('dtype', FLOATS)
def test_constant_scalar(dtype):
    a = numpy.empty((2, 3), dtype)
    I.Constant(2.5)(a)
    assert a.dtype == dtype
    numpy.testing.assert_array_equal(a, numpy.full((2, 3), 2.5, dtype))


def test_constant_array_broadcasts():
    a = numpy.empty((2, 3), numpy.float32)
    I.Constant(numpy.array([1.0, 2.0, 3.0]))(a)
    numpy.testing.assert_array_equal(a, [[1, 2, 3], [1, 2, 3]])


def test_constant_bad_broadcast():
    a = numpy.empty((2, 3), numpy.float32)
    with pytest.raises(ValueError, match='Constant'):
        I.Constant(numpy.ones(4))(a)


def test_constant_rejects_non_scalar():
    with pytest.raises(ValueError, match='fill_value'):
        I.Constant([1, 2])


@pytest.mark.parametrize('dtype', FLOATS)
@pytest.mark.parametrize('cls, value', [(I.Zero, 0.0), (I.One, 1.0)])
def test_zero_one(cls, value, dtype):
    a = numpy.full((3, 2), 7, dtype)
    cls()(a)
    assert (a == value).all()


@pytest.mark.parametrize('dtype', FLOATS)
def test_nan(dtype):
    a = numpy.zeros(5, dtype)
    I.NaN()(a)
    assert numpy.isnan(a).all()


def test_dtype_mismatch_names_initializer():
    a = numpy.empty((2, 2), numpy.float32)
    with pytest.raises(ValueError, match='Zero.*float32.*float64'):
        I.Zero(dtype=numpy.float64)(a)
    with pytest.raises(ValueError, match='HeNormal'):
        I.HeNormal(dtype='f8')(a)


@pytest.mark.parametrize('dtype', FLOATS)
def test_identity(dtype):
    a = numpy.empty((4, 4), dtype)
    I.Identity(scale=3.0)(a)
    numpy.testing.assert_array_equal(a, 3.0 * numpy.eye(4, dtype=dtype))


@pytest.mark.parametrize('shape', [(3,), (3, 4), (2, 2, 2)])
def test_identity_requires_square_matrix(shape):
    with pytest.raises(ValueError, match='Identity.*square'):
        I.Identity()(numpy.empty(shape, numpy.float32))


# -- random distributions -----------------------------------------------------------------

SHAPE = (200, 50, 3, 3)   # fan_in = 450, fan_out = 1800; 90000 samples
FAN_IN, FAN_OUT = 50 * 9, 200 * 9


def _check_normal(a, std):
    a = a.astype(numpy.float64)
    assert abs(a.mean()) < 0.05 * std
    assert a.std() == pytest.approx(std, rel=0.03)


def _check_uniform(a, half_width):
    a = a.astype(numpy.float64)
    assert a.max() <= half_width * (1 + 1e-3)
    assert a.min() >= -half_width * (1 + 1e-3)
    assert a.max() > 0.99 * half_width and a.min() < -0.99 * half_width
    assert abs(a.mean()) < 0.05 * half_width
    assert a.std() == pytest.approx(half_width / math.sqrt(3), rel=0.03)


@pytest.mark.parametrize('dtype', FLOATS)
def test_normal(dtype):
    a = numpy.empty(SHAPE, dtype)
    I.Normal(scale=0.3)(a)
    assert a.dtype == dtype
    _check_normal(a, 0.3)


def test_normal_default_scale():
    assert I.Normal().scale == 0.05
    a = numpy.empty(SHAPE, numpy.float32)
    I.Normal()(a)
    _check_normal(a, 0.05)


@pytest.mark.parametrize('dtype', FLOATS)
@pytest.mark.parametrize('cls, std', [
    (I.LeCunNormal, math.sqrt(1.0 / FAN_IN)),
    (I.GlorotNormal, math.sqrt(2.0 / (FAN_IN + FAN_OUT))),
    (I.HeNormal, math.sqrt(2.0 / FAN_IN)),
])
def test_scaled_normals(cls, std, dtype):
    a = numpy.empty(SHAPE, dtype)
    cls()(a)
    _check_normal(a, std)
    cls(scale=2.0)(a)
    _check_normal(a, 2.0 * std)


def test_he_normal_fan_out():
    a = numpy.empty(SHAPE, numpy.float32)
    I.HeNormal(fan_option='fan_out')(a)
    _check_normal(a, math.sqrt(2.0 / FAN_OUT))


def test_he_normal_bad_fan_option():
    with pytest.raises(ValueError, match="HeNormal.*fan_in"):
        I.HeNormal(fan_option='fan_avg')


@pytest.mark.parametrize('dtype', FLOATS)
def test_uniform(dtype):
    a = numpy.empty(SHAPE, dtype)
    I.Uniform(scale=0.5)(a)
    assert a.dtype == dtype
    _check_uniform(a, 0.5)


def test_uniform_default_scale():
    assert I.Uniform().scale == 0.05


@pytest.mark.parametrize('dtype', FLOATS)
@pytest.mark.parametrize('cls, half_width', [
    (I.LeCunUniform, math.sqrt(3.0 / FAN_IN)),
    (I.GlorotUniform, math.sqrt(6.0 / (FAN_IN + FAN_OUT))),
    (I.HeUniform, math.sqrt(6.0 / FAN_IN)),
])
def test_scaled_uniforms(cls, half_width, dtype):
    a = numpy.empty(SHAPE, dtype)
    cls()(a)
    _check_uniform(a, half_width)
    cls(scale=0.5)(a)
    _check_uniform(a, 0.5 * half_width)


def test_fan_based_initializer_needs_two_axes():
    with pytest.raises(ValueError, match='at least 2'):
        I.GlorotUniform()(numpy.empty(5, numpy.float32))


def test_global_rng_semantics():
    a = numpy.empty((10, 10), numpy.float32)
    b = numpy.empty((10, 10), numpy.float32)
    numpy.random.seed(7)
    I.HeNormal()(a)
    numpy.random.seed(7)
    expected = numpy.random.normal(0.0, math.sqrt(2.0 / 10), (10, 10)).astype(numpy.float32)
    numpy.random.seed(7)
    I.HeNormal()(b)
    numpy.testing.assert_array_equal(a, b)
    numpy.testing.assert_array_equal(a, expected)


@pytest.mark.parametrize('make_rng', [
    lambda: numpy.random.RandomState(3),
    lambda: numpy.random.default_rng(3),
])
@pytest.mark.parametrize('cls', [I.Normal, I.GlorotNormal, I.Uniform, I.HeUniform,
                                 I.Orthogonal])
def test_rng_argument(cls, make_rng):
    a = numpy.empty((6, 5), numpy.float32)
    b = numpy.empty((6, 5), numpy.float32)
    cls(rng=make_rng())(a)
    numpy.random.seed(123)
    cls(rng=make_rng())(b)
    numpy.testing.assert_array_equal(a, b)
    c = numpy.empty((6, 5), numpy.float32)
    cls(rng=numpy.random.RandomState(4))(c)
    assert not numpy.array_equal(a, c)


# -- orthogonal -----------------------------------------------------------------------------


@pytest.mark.parametrize('dtype', FLOATS)
@pytest.mark.parametrize('shape', [(5, 5), (3, 7), (7, 3), (4, 2, 3, 3), (20, 2, 2)])
def test_orthogonal(shape, dtype):
    a = numpy.empty(shape, dtype)
    I.Orthogonal()(a)
    assert a.dtype == dtype and a.shape == shape
    w = a.reshape(shape[0], -1).astype(numpy.float64)
    out_dim, in_dim = w.shape
    gram = w @ w.T if out_dim <= in_dim else w.T @ w
    tol = 5e-3 if dtype == numpy.float16 else 1e-5
    numpy.testing.assert_allclose(gram, 1.1 ** 2 * numpy.eye(min(w.shape)), atol=tol)


def test_orthogonal_scale_and_default():
    assert I.Orthogonal().scale == 1.1
    a = numpy.empty((4, 6), numpy.float64)
    I.Orthogonal(scale=2.0)(a)
    numpy.testing.assert_allclose(a @ a.T, 4.0 * numpy.eye(4), atol=1e-10)


def test_orthogonal_is_random():
    a = numpy.empty((4, 4))
    b = numpy.empty((4, 4))
    I.Orthogonal()(a)
    I.Orthogonal()(b)
    assert not numpy.allclose(a, b)


def test_orthogonal_modes():
    I.Orthogonal(mode='projection')(numpy.empty((3, 5)))
    I.Orthogonal(mode='embedding')(numpy.empty((5, 3)))
    I.Orthogonal(mode='basis')(numpy.empty((4, 2, 2)))
    with pytest.raises(ValueError, match='Orthogonal.*embedding'):
        I.Orthogonal(mode='embedding')(numpy.empty((3, 5)))
    with pytest.raises(ValueError, match='Orthogonal.*projection'):
        I.Orthogonal(mode='projection')(numpy.empty((5, 3)))
    with pytest.raises(ValueError, match='Orthogonal.*basis'):
        I.Orthogonal(mode='basis')(numpy.empty((5, 3)))
    with pytest.raises(ValueError, match='invalid mode'):
        I.Orthogonal(mode='square')


def test_orthogonal_scalar_and_empty():
    a = numpy.empty((), numpy.float32)
    I.Orthogonal()(a)
    assert abs(float(a)) == pytest.approx(1.1)
    with pytest.raises(ValueError, match='non-empty'):
        I.Orthogonal()(numpy.empty((0, 3), numpy.float32))


# -- generate_array / _get_initializer -------------------------------------------------------


def test_generate_array_default_dtype_is_config_dtype():
    a = I.generate_array(I.Zero(), (2, 3), numpy)
    assert isinstance(a, numpy.ndarray)
    assert a.shape == (2, 3) and a.dtype == numpy.float32
    with kusari.using_config('dtype', numpy.float16):
        assert I.generate_array(I.Zero(), (2,), numpy).dtype == numpy.float16


@pytest.mark.parametrize('dtype', FLOATS)
def test_generate_array_dtype(dtype):
    a = I.generate_array(I.HeUniform(), (3, 4), numpy, dtype=dtype)
    assert a.dtype == dtype and a.shape == (3, 4)
    b = I.generate_array(I.One(dtype), 5, numpy)
    assert b.dtype == dtype and b.shape == (5,)
    assert (b == 1).all()


def test_generate_array_dtype_mismatch():
    with pytest.raises(ValueError, match='dtype mismatch'):
        I.generate_array(I.One(numpy.float64), (2,), numpy, dtype=numpy.float32)


def test_generate_array_device():
    a = I.generate_array(I.One(), (2,), numpy, device='@numpy')
    assert isinstance(a, numpy.ndarray)
    a = I.generate_array(I.One(), (2,), numpy, device=kusari.get_device(numpy))
    assert isinstance(a, numpy.ndarray)


def test_generate_array_plain_callable():
    def fill(array):
        array[...] = 4
    a = I.generate_array(fill, (2, 2), numpy)
    assert a.dtype == numpy.float32
    assert (a == 4).all()


def test_generate_array_from_array():
    src = numpy.arange(3, dtype=numpy.float64)
    a = I.generate_array(src, (2, 3), numpy)
    assert a.dtype == numpy.float64
    numpy.testing.assert_array_equal(a, [src, src])
    b = I.generate_array(src, (3,), numpy, dtype=numpy.float16)
    assert b.dtype == numpy.float16 and b is not src


def test_get_initializer():
    assert isinstance(I._get_initializer(None), I.LeCunNormal)
    c = I._get_initializer(2.0)
    assert isinstance(c, I.Constant) and c.fill_value == 2.0
    arr = numpy.arange(3.0)
    c = I._get_initializer(arr)
    assert isinstance(c, I.Constant) and c.fill_value is arr
    init = I.GlorotUniform()
    assert I._get_initializer(init) is init

    def fn(array):
        pass
    assert I._get_initializer(fn) is fn
    with pytest.raises(TypeError, match='initializer'):
        I._get_initializer('zeros')


def test_initializers_have_docstrings():
    for name in I.__all__:
        assert getattr(I, name).__doc__, name
