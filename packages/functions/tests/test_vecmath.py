"""The SIMD float32 loops of ``_vecmath.h`` (exp, tanh, sigmoid) against float64 NumPy,
on both the AVX2 copy (when the CPU has it) and the baseline copy (forced in a
subprocess with ``KUSARI_DISABLE_AVX2=1``)."""
import importlib
import os
import subprocess
import sys

import numpy
import pytest

V = importlib.import_module('kusari.functions._vecmath_loops')

SPECIAL = [0.0, -0.0, 1e-30, -1e-30, 1e-3, -1e-3, 0.0624, 0.0626, 50.0, -50.0,
           88.0, 88.72, 88.73, 89.0, -87.0, -88.0, -100.0, -103.9, -104.0, -110.0,
           numpy.inf, -numpy.inf, numpy.finfo(numpy.float32).max,
           -numpy.finfo(numpy.float32).max]


def _inputs():
    x = numpy.concatenate([numpy.linspace(-110, 90, 40001), numpy.linspace(-12, 12, 20001),
                           numpy.linspace(-0.1, 0.1, 2001), SPECIAL])
    return x.astype(numpy.float32)


def _check_all():
    x = _inputs()
    x64 = x.astype(numpy.float64)
    with numpy.errstate(over='ignore', under='ignore'):
        refs = {'exp': numpy.exp(x64), 'tanh': numpy.tanh(x64),
                'sigmoid': 1 / (1 + numpy.exp(-x64))}
    for name, fn in (('exp', V.exp_f32), ('tanh', V.tanh_f32), ('sigmoid', V.sigmoid_f32)):
        y = numpy.full_like(x, numpy.nan)
        fn(x, y)
        r = refs[name]
        with numpy.errstate(over='ignore'):
            ref32 = r.astype(numpy.float32)
        # normal float32 results to a few ulp, overflow to inf; subnormal results may
        # flush to 0
        tiny = numpy.finfo(numpy.float32).tiny
        finite = numpy.isfinite(ref32)
        normal = finite & (numpy.abs(ref32) >= tiny)
        numpy.testing.assert_allclose(y[normal], r[normal], rtol=4e-7, atol=0,
                                      err_msg=name)
        numpy.testing.assert_array_equal(y[~finite], ref32[~finite], err_msg=name)
        assert numpy.all(numpy.abs(y[finite & ~normal]) < tiny), name
        nan = numpy.empty(3, numpy.float32)
        fn(numpy.array([numpy.nan, 1, numpy.nan], numpy.float32), nan)
        assert numpy.isnan(nan[0]) and numpy.isnan(nan[2]) and not numpy.isnan(nan[1]), name
        # every size (SIMD bodies and remainders)
        for n in range(0, 20):
            z = numpy.linspace(-3, 3, n).astype(numpy.float32)
            out = numpy.empty_like(z)
            fn(z, out)
            numpy.testing.assert_allclose(out, refs_small(name, z), rtol=4e-7)
    exp_inf = numpy.empty(4, numpy.float32)
    V.exp_f32(numpy.array([numpy.inf, -numpy.inf, 88.73, -104.0], numpy.float32), exp_inf)
    assert exp_inf[0] == numpy.inf and exp_inf[1] == 0 and exp_inf[2] == numpy.inf
    assert exp_inf[3] == 0


def refs_small(name, z):
    z = z.astype(numpy.float64)
    if name == 'exp':
        return numpy.exp(z)
    if name == 'tanh':
        return numpy.tanh(z)
    return 1 / (1 + numpy.exp(-z))


def test_loops_match_numpy():
    _check_all()


def test_baseline_copy_matches_numpy():
    # the copy used on CPUs without AVX2 (and the switch that forces it)
    env = dict(os.environ, KUSARI_DISABLE_AVX2='1')
    code = ('import sys; sys.path[:0] = %r\n'
            'import importlib\n'
            't = importlib.import_module("test_vecmath")\n'
            'assert not t.V.avx2_active()\n'
            't._check_all()\n' % ([os.path.dirname(__file__)] + sys.path,))
    r = subprocess.run([sys.executable, '-c', code], env=env, capture_output=True,
                       text=True, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr


def test_size_mismatch_is_an_error():
    x = numpy.zeros(4, numpy.float32)
    for fn in (V.exp_f32, V.tanh_f32, V.sigmoid_f32):
        with pytest.raises(ValueError, match='differ in size'):
            fn(x, x[:3])
