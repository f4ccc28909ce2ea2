"""Backend configurations for tests: :class:`BackendConfig`, :func:`inject_backend_tests`.

As in ``chainer.testing.backend``.  kusari computes on NumPy and (optionally) CuPy:
a CPU configuration runs; a CUDA one needs CuPy and a device (``attr.gpu`` skips it
otherwise); ChainerX and iDeep configurations are marked ``chainerx`` / ``ideep``
and always skipped, because kusari has neither.
"""
import functools

from kusari.testing import _case_generation
from kusari.testing import attr

_PROPS = (
    ('use_chainerx', False),
    ('chainerx_device', None),
    ('use_cuda', False),
    ('cuda_device', None),
    ('use_cudnn', 'never'),
    ('cudnn_deterministic', False),
    ('autotune', False),
    ('cudnn_fast_batch_normalization', False),
    ('use_ideep', 'never'),
)


class BackendConfig:
    """One backend to run a test on, and the configuration it implies.

    Args:
        params (dict): Any of ``use_chainerx``, ``chainerx_device``,
            ``use_cuda``, ``cuda_device`` (0 when ``use_cuda``), ``use_cudnn``,
            ``cudnn_deterministic``, ``autotune``,
            ``cudnn_fast_batch_normalization``, ``use_ideep``; the others keep
            their defaults (the CPU).

    ``with config:`` sets those configuration values and makes :attr:`device`
    current; :meth:`get_array` sends NumPy arrays to the device.

    >>> config = BackendConfig({})
    >>> config.device
    <CpuDevice @numpy>
    >>> config.get_func_str().split('__')[:3]
    ['use_chainerx_false', 'chainerx_device_None', 'use_cuda_false']
    """

    _props = list(_PROPS)
    _device = None

    def __init__(self, params):
        if not isinstance(params, dict):
            raise TypeError('BackendConfig: params must be a dict, not {}'.format(
                type(params).__name__))
        self._contexts = []
        for k, v in _PROPS:
            setattr(self, k, v)
        for k, v in params.items():
            if k not in dict(_PROPS):
                raise ValueError('BackendConfig: parameter {} is not defined '
                                 '(expected one of {})'.format(
                                     k, ', '.join(k for k, _ in _PROPS)))
            setattr(self, k, v)
        if self.use_chainerx and not isinstance(self.chainerx_device, str):
            raise AssertionError("BackendConfig: 'chainerx_device' must be a string "
                                 "such as 'native:0' when use_chainerx is set")
        if self.use_cuda and self.cuda_device is None:
            self.cuda_device = 0

    @property
    def device(self):
        """The :class:`~kusari.backend.Device` of this configuration."""
        if self._device is None:
            from kusari import backend
            if self.use_cuda:
                self._device = backend.GpuDevice.from_device_id(self.cuda_device)
            elif self.use_chainerx:
                raise RuntimeError('BackendConfig: ChainerX is not available in '
                                   'kusari ({!r})'.format(self.chainerx_device))
            else:
                # iDeep configurations compute on NumPy (kusari has no iDeep).
                self._device = backend.CpuDevice()
        return self._device

    @property
    def xp(self):
        """The array module of :attr:`device` (``numpy`` or ``cupy``)."""
        return self.device.xp

    def __enter__(self):
        from kusari import backend
        from kusari import configuration
        contexts = [
            configuration.using_config('use_cudnn', self.use_cudnn),
            configuration.using_config('cudnn_deterministic',
                                       self.cudnn_deterministic),
            configuration.using_config('autotune', self.autotune),
            configuration.using_config('use_ideep', self.use_ideep),
            backend.using_device(self.device),
        ]
        for c in contexts:
            c.__enter__()
        self._contexts.append(contexts)
        return self

    def __exit__(self, typ, value, traceback):
        for c in reversed(self._contexts.pop()):
            c.__exit__(typ, value, traceback)

    def __repr__(self):
        return '<BackendConfig {}>'.format(' '.join(
            '{}={!r}'.format(k, getattr(self, k)) for k, _ in _PROPS))

    def get_func_str(self):
        """A string for test names: ``use_chainerx_false__..._use_ideep_never``."""
        parts = []
        for k, _ in _PROPS:
            v = getattr(self, k)
            v = 'true' if v is True else 'false' if v is False else str(v)
            parts.append('{}_{}'.format(k, v))
        return '__'.join(parts)

    def get_pytest_marks(self):
        """The ``attr`` decorators a test on this backend needs."""
        marks = []
        if self.use_chainerx:
            marks.append(attr.chainerx)
            backend_name, _, index = self.chainerx_device.partition(':')
            if backend_name == 'cuda':
                marks.append(attr.gpu)
                if int(index or 0) >= 1:
                    marks.append(attr.multi_gpu(int(index) + 1))
        elif self.use_cuda:
            marks.append(attr.gpu)
            if self.use_cudnn != 'never':
                marks.append(attr.cudnn)
            if self.cuda_device >= 1:
                marks.append(attr.multi_gpu(self.cuda_device + 1))
        elif self.use_ideep != 'never':
            marks.append(attr.ideep)
        return marks

    def get_array(self, np_array):
        """Send an array (or a tuple/list of them) to :attr:`device`."""
        return self.device.send(np_array)


def _generator(method_names, params):
    def generate(base):
        if method_names is not None:
            # The base class keeps the methods that are not injected.
            def keep_others(method):
                return None if method.__name__ in method_names else method
            yield base.__name__, {}, keep_others
        for param in params:
            config = BackendConfig(param)
            marks = config.get_pytest_marks()

            def wrap(method, config=config, marks=marks):
                if method_names is not None and method.__name__ not in method_names:
                    return None

                @functools.wraps(method)
                def test(self, *args, **kwargs):
                    return method(self, config, *args, **kwargs)
                for mark in marks:
                    test = mark(test)
                return test
            yield '{}_{}'.format(base.__name__, config.get_func_str()), {}, wrap
    return generate


def inject_backend_tests(method_names, params):
    """Class decorator: run test methods once per backend configuration.

    Each ``test_*`` method (or only those in ``method_names``) is called with a
    :class:`BackendConfig` as its first argument after ``self``; one class
    ``Base_<config.get_func_str()>`` is generated per dict of ``params``.  It
    composes with :func:`~kusari.testing.parameterize` in either order.

    Args:
        method_names (list of str or None): Methods to inject (``None``: all).
        params (list of dict): :class:`BackendConfig` parameters, e.g.
            ``[{}, {'use_cuda': True}]``.
    """
    if not (method_names is None or isinstance(method_names, list)):
        raise TypeError('inject_backend_tests: method_names must be None or a list, '
                        'not {}'.format(type(method_names).__name__))
    if not isinstance(params, list) or not all(isinstance(d, dict) for d in params):
        raise TypeError('inject_backend_tests: params must be a list of dicts')
    for p in params:
        BackendConfig(p)      # reject unknown keys before any class is generated
    return _case_generation.make_decorator(_generator(method_names, params),
                                           'inject_backend_tests')
