"""Configuration, backends, the missing-distribution hint, old-style Function, type_check."""
import io
import os
import subprocess
import sys
import threading

import numpy
import pytest

import kusari
from kusari import Variable
from kusari.utils import type_check


# ---- configuration -----------------------------------------------------------------

def test_defaults():
    assert kusari.config.train is True
    assert kusari.config.enable_backprop is True
    assert kusari.config.type_check is True
    assert kusari.config.debug is False
    assert kusari.config.dtype == numpy.float32
    assert kusari.config.use_cudnn == 'auto'


def test_using_config_restores_and_nests():
    with kusari.using_config('train', False):
        assert kusari.config.train is False
        with kusari.using_config('train', True):
            assert kusari.config.train is True
        assert kusari.config.train is False
    assert kusari.config.train is True
    with kusari.using_config('my_flag', 3):
        assert kusari.config.my_flag == 3
    with pytest.raises(AttributeError):
        kusari.config.my_flag


def test_config_is_thread_local_and_falls_back_to_global():
    seen = {}
    kusari.config.train = False
    try:
        def worker():
            seen['train'] = kusari.config.train   # global default, not main's value
            kusari.config.train = False
            seen['set'] = kusari.config.train
        t = threading.Thread(target=worker)
        t.start()
        t.join()
        assert seen == {'train': True, 'set': False}
        kusari.global_config.user_value = 5
        assert kusari.config.user_value == 5
    finally:
        del kusari.config.train
        del kusari.global_config.user_value
    assert kusari.config.train is True


def test_config_show_and_helpers():
    buf = io.StringIO()
    kusari.config.show(buf)
    assert 'enable_backprop' in buf.getvalue() and 'train' in buf.getvalue()
    assert kusari.get_dtype() == numpy.float32
    assert kusari.get_dtype(numpy.float16) == numpy.float16
    kusari.set_debug(True)
    try:
        assert kusari.is_debug()
        y = Variable(numpy.ones(2)) * 2.0
        assert y.creator.stack is not None
    finally:
        kusari.set_debug(False)


def test_type_check_switch_skips_user_checks():
    class Checked(kusari.FunctionNode):
        def check_type_forward(self, in_types):
            type_check._argname(in_types, ('x',))
            type_check.expect(in_types[0].dtype.kind == 'f')

        def forward(self, inputs):
            return inputs[0] * 2,

    x = numpy.ones(2, numpy.int32)
    with pytest.raises(type_check.InvalidType) as e:
        Checked().apply((x,))
    msg = str(e.value)
    assert 'Checked' in msg and 'Expect: x.dtype.kind == ' in msg and "Actual: i != f" in msg
    with kusari.using_config('type_check', False):
        Checked().apply((x,))


# ---- type_check --------------------------------------------------------------------

def test_type_check_messages_like_chainer():
    x = numpy.zeros((4, 3), numpy.float32)
    w = numpy.zeros((2, 5), numpy.float32)
    types = type_check.get_types((x, w), 'in_types', False)
    type_check.argname(types, ('x', 'W'))
    x_type, w_type = types
    with pytest.raises(type_check.InvalidType) as e:
        type_check.expect(x_type.ndim == 2, x_type.shape[1] == w_type.shape[1])
    assert str(e.value) == 'Expect: x.shape[1] == W.shape[1]\nActual: 3 != 5'
    with pytest.raises(type_check.InvalidType) as e:
        type_check.expect(type_check.prod(x_type.shape[1:]) >= 10)
    assert 'Actual: 3 < 10' in str(e.value)
    type_check.expect(x_type.dtype == numpy.float32, types.size() == 2,
                      x_type.shape[0] * 2 == 8)
    with pytest.raises(type_check.InvalidType):
        type_check.argname(types, ('x',))
    assert type_check.eval(x_type.shape[0] + 1) == 5
    with pytest.raises(type_check.InvalidType):
        type_check.same_types(x, numpy.zeros(2, numpy.float32).tolist())
    assert issubclass(type_check.InvalidType, TypeError)


# ---- backends ----------------------------------------------------------------------

def test_backend_devices_on_cpu():
    from kusari import backend
    cpu = backend.get_device('@numpy')
    assert cpu == backend.CpuDevice() and cpu.xp is numpy and str(cpu) == '@numpy'
    assert backend.get_device(numpy) == cpu and backend.get_device(-1) == cpu
    a = numpy.ones(2)
    assert cpu.send(a) is a
    assert backend.get_array_module(a, Variable(a)) is numpy
    assert backend.get_device_from_array(a) == cpu
    with pytest.raises(ValueError, match='device specifier'):
        backend.get_device('@tpu')
    with pytest.raises(TypeError):
        backend.get_device(object())
    assert backend.to_cpu([a, None]) == [a, None]
    dst = numpy.zeros(2)
    backend.copyto(dst, a)
    numpy.testing.assert_array_equal(dst, a)


def test_cuda_module_is_lazy_and_registers_kernels():
    from kusari.backends import cuda
    n = len(cuda.KERNELS)
    k = cuda.elementwise('T x', 'T y', 'y = x * 2', 'kusari_test_double')
    assert len(cuda.KERNELS) == n + 1
    src = cuda.KERNELS[-1]
    assert src.kind == 'elementwise' and src.name == 'kusari_test_double'
    assert src.fields['operation'] == 'y = x * 2'
    assert src.module == __name__
    cuda.KERNELS.pop()
    if cuda.cupy is None:
        with pytest.raises(RuntimeError, match='CuPy'):
            k(numpy.ones(2))
        assert cuda.available is False


def test_importing_kusari_does_not_import_cupy():
    code = 'import sys, kusari; print("cupy" in sys.modules)'
    out = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True,
                         env=dict(os.environ))
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == 'False'


# ---- a missing distribution ----------------------------------------------------------

def test_missing_subpackage_names_the_distribution(monkeypatch):
    from kusari import _missing
    monkeypatch.setitem(_missing.PROVIDERS, 'kusari.not_here', 'kusari-not-here')
    with pytest.raises(ModuleNotFoundError, match="pip install ./packages/not-here"):
        _missing._MissingDistributionFinder().find_spec('kusari.not_here')
    assert _missing._MissingDistributionFinder().find_spec('kusari.nothing') is None


def test_finder_leaves_installed_subpackages_to_the_real_finders():
    # pytest's importlib mode asks every meta-path finder in turn, with its own path
    from kusari import _missing
    installed = [n for n in _missing.PROVIDERS if _missing._installed(n)]
    for name in installed:
        assert _missing._MissingDistributionFinder().find_spec(name, ['/x']) is None
    # kusari.backends is core's own: never the finder's business
    assert _missing._MissingDistributionFinder().find_spec('kusari.backends') is None


def test_core_alone_gives_the_hint_end_to_end(tmp_path):
    core_src = os.path.dirname(os.path.dirname(kusari.__file__))
    if any(os.path.isdir(os.path.join(d, 'links')) for d in kusari.__path__):
        pytest.skip('kusari-links is installed beside core')
    code = 'import kusari.links'
    env = dict(os.environ, PYTHONPATH=core_src)
    out = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True,
                         env=env, cwd=str(tmp_path))
    assert out.returncode != 0
    assert "pip install ./packages/links" in out.stderr


# ---- old-style Function ---------------------------------------------------------------

class Square(kusari.Function):
    def forward_cpu(self, inputs):
        x, = inputs
        return x * x,

    def backward_cpu(self, inputs, grad_outputs):
        x, = inputs
        gy, = grad_outputs
        return 2 * x * gy,


class MulAdd(kusari.Function):
    """Two outputs, old style, retaining only what it needs."""

    def forward(self, inputs):
        a, b = inputs
        self.retain_inputs((0, 1))
        return a * b, a + b

    def backward(self, inputs, grad_outputs):
        a, b = inputs
        g0, g1 = grad_outputs
        return g0 * b + g1, g0 * a + g1


def test_old_style_function():
    x = Variable(numpy.array([1.0, 2.0, 3.0]))
    f = Square()
    y = f(x)
    assert y.creator is f
    assert isinstance(y.creator_node, kusari.function.FunctionAdapter)
    assert f.label == 'Square'
    y.grad = numpy.ones(3)
    y.backward()
    numpy.testing.assert_allclose(x.grad, [2, 4, 6])
    numpy.testing.assert_allclose(f.output_data[0], [1, 4, 9])


def test_old_style_multi_output_missing_grad_is_zero():
    a = Variable(numpy.array([2.0]))
    b = Variable(numpy.array([3.0]))
    p, s = MulAdd()(a, b)
    p.grad = numpy.ones(1)
    p.backward()          # s got no gradient: the function sees zeros for it
    numpy.testing.assert_allclose(a.grad, [3.0])
    numpy.testing.assert_allclose(b.grad, [2.0])
    kusari.gradient_check.check_backward(lambda u, v: MulAdd()(u, v),
                                         (numpy.array([2.0]), numpy.array([3.0])),
                                         (numpy.ones(1), numpy.ones(1)))


def test_type_check_out_of_range_index_fails_like_chainer():
    x = numpy.zeros((4,), numpy.float32)
    types = type_check.get_types((x,), 'in_types', False)
    type_check.argname(types, ('x',))
    x_type, = types
    with pytest.raises(type_check.InvalidType) as e:
        type_check.expect(x_type.ndim >= 2, x_type.shape[1] == 3)
    assert 'Expect: x.ndim >= 2' in str(e.value) and 'Actual: 1 < 2' in str(e.value)
    with pytest.raises(type_check.InvalidType) as e:
        type_check.expect(x_type.shape[1] + 1 == 3)
    assert 'x.shape[1] + 1 == 3' in str(e.value)


# ---- the other distributions as attributes of kusari (PEP 562) --------------------------

def test_import_kusari_loads_no_other_distribution():
    code = ('import sys, kusari; '
            'print(sorted(m for m in sys.modules if m in kusari._missing.PROVIDERS))')
    out = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == '[]'


@pytest.mark.parametrize('spelling', ['kusari.functions', 'from kusari import functions',
                                      'kusari.serializers.save_npz'])
def test_missing_distribution_as_attribute_names_it(spelling):
    core_src = os.path.dirname(os.path.dirname(kusari.__file__))
    if any(os.path.isdir(os.path.join(d, 'functions')) for d in kusari.__path__):
        pytest.skip('other kusari distributions are installed beside core')
    code = 'import kusari\n' + (spelling if spelling.startswith('from') else 'print(%s)' % spelling)
    out = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True,
                         env=dict(os.environ, PYTHONPATH=core_src))
    assert out.returncode != 0
    assert 'ModuleNotFoundError' in out.stderr
    dist = 'serializers' if 'serializers' in spelling else 'functions'
    assert "distribution 'kusari-%s'" % dist in out.stderr
    assert 'pip install ./packages/%s' % dist in out.stderr


def test_unknown_attribute_is_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'no_such_name'"):
        kusari.no_such_name
    assert 'functions' in dir(kusari)


def test_debug_mode_context_manager():
    assert not kusari.is_debug()
    with kusari.DebugMode(True):
        assert kusari.is_debug()
        with kusari.DebugMode(False):
            assert not kusari.is_debug()
        assert kusari.is_debug()
    assert not kusari.is_debug()
    with pytest.raises(TypeError, match='DebugMode'):
        kusari.DebugMode(1)


def test_initializer_and_runtime_info():
    import io
    assert kusari.Initializer is kusari.initializer.Initializer
    buf = io.StringIO()
    kusari.print_runtime_info(buf)
    text = buf.getvalue()
    assert 'kusari: %s' % kusari.__version__ in text
    assert 'NumPy: %s' % numpy.__version__ in text
    assert 'CuPy:' in text


# ---- Chainer's dtype rules of the arithmetic operators, the one-element backward ----------

def test_mul_div_pow_abs_reject_integer_variables():
    x = Variable(numpy.arange(3, dtype=numpy.int32))
    for op, name in [(lambda: x * x, '_ * _'), (lambda: x / x, '_ / _'),
                     (lambda: x ** x, '_ ** _'), (lambda: abs(x), '|_|')]:
        with pytest.raises(type_check.InvalidType, match=r'kind == f') as e:
            op()
        assert name in str(e.value)
    # as in Chainer: addition, subtraction and the scalar product keep integers
    numpy.testing.assert_array_equal((x + x).array, [0, 2, 4])
    numpy.testing.assert_array_equal((x - x).array, [0, 0, 0])
    numpy.testing.assert_array_equal((x * 2).array, [0, 2, 4])
    # float operands still take every path (fast loop, NumPy fallback for float16)
    for dtype in (numpy.float16, numpy.float32, numpy.float64):
        f = Variable(numpy.arange(3, dtype=dtype))
        numpy.testing.assert_array_equal((f * f).array, numpy.arange(3, dtype=dtype) ** 2)


def test_one_element_backward_warning_points_at_the_callers_line(tmp_path):
    script = tmp_path / 'user_script.py'
    script.write_text('import numpy, kusari\n'
                      'x = kusari.Variable(numpy.ones((1,), numpy.float32))\n'
                      'y = x * x\n'
                      'y.backward()\n')
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    # shown with Python's default filters, attributed to line 4 of the user's file
    assert 'user_script.py:4: DeprecationWarning' in out.stderr, out.stderr
    assert 'as a scalar' in out.stderr
