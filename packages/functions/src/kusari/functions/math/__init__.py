"""kusari.functions: the math family.

Reductions (sum, mean, max, prod, logsumexp, cumulative sums and products), linear
algebra (matmul, tensordot, einsum, det, inv, cholesky), special functions (erf, gamma
family, zeta, normal distribution), Fourier transforms, and the elementwise functions
(absolute, exp, log, sin, ...; a separate group of modules, imported when present).
"""
from kusari.functions.math.average import average, mean  # noqa: F401
from kusari.functions.math.batch_l2_norm_squared import batch_l2_norm_squared  # noqa: F401
from kusari.functions.math.bias_scale import bias, scale  # noqa: F401
from kusari.functions.math.cosine_similarity import cosine_similarity  # noqa: F401
from kusari.functions.math.cumulative import cumprod, cumsum  # noqa: F401
from kusari.functions.math.einsum import einsum  # noqa: F401
from kusari.functions.math.fft import fft, ifft  # noqa: F401
from kusari.functions.math.linalg import (  # noqa: F401
    batch_det,
    batch_inv,
    cholesky,
    det,
    inv,
)
from kusari.functions.math.linear_interpolate import linear_interpolate  # noqa: F401
from kusari.functions.math.logsumexp import logsumexp  # noqa: F401
from kusari.functions.math.matmul import batch_matmul, matmul  # noqa: F401
from kusari.functions.math.minmax import argmax, argmin, max, min  # noqa: F401
from kusari.functions.math.pairwise_distance import pairwise_distance  # noqa: F401
from kusari.functions.math.prod import prod  # noqa: F401
from kusari.functions.math.special import (  # noqa: F401
    digamma,
    erf,
    erfc,
    erfcinv,
    erfcx,
    erfinv,
    lgamma,
    log_ndtr,
    ndtr,
    ndtri,
    polygamma,
    zeta,
)
from kusari.functions.math.sparse_matmul import sparse_matmul  # noqa: F401
from kusari.functions.math.sum import sum, sum_to  # noqa: F401
from kusari.functions.math.tensordot import tensordot  # noqa: F401

__all__ = [
    'argmax', 'argmin', 'average', 'batch_det', 'batch_inv', 'batch_l2_norm_squared',
    'batch_matmul', 'bias', 'cholesky', 'cumprod', 'cumsum', 'det', 'digamma', 'einsum',
    'erf', 'erfc', 'erfcinv', 'erfcx', 'erfinv', 'fft', 'ifft', 'inv', 'lgamma',
    'linear_interpolate', 'log_ndtr', 'logsumexp', 'matmul', 'max', 'mean', 'min',
    'ndtr', 'ndtri', 'polygamma', 'prod', 'scale', 'sparse_matmul', 'sum', 'sum_to',
    'tensordot', 'zeta',
]
__all__ += ['cosine_similarity', 'pairwise_distance']


# The elementwise functions live in modules of their own (written separately); import
# whichever are present and re-export their public names.
def _import_elementwise():
    import importlib
    names = []
    for mod in ('basic_elementwise', 'exponential', 'trigonometric', 'hyperbolic',
                'rounding', 'minmax_elementwise'):
        try:
            m = importlib.import_module('kusari.functions.math.' + mod)
        except ImportError as e:
            if getattr(e, 'name', None) != 'kusari.functions.math.' + mod:
                # present but broken (an unbuilt extension, say): say so, go on
                import warnings
                warnings.warn('kusari.functions.math: could not import %s (%s)'
                              % (mod, e), ImportWarning)
            continue
        public = getattr(m, '__all__', None)
        if public is None:
            public = [n for n in vars(m) if not n.startswith('_') and
                      callable(vars(m)[n]) and getattr(vars(m)[n], '__module__', None)
                      == m.__name__ and n[:1].islower()]
        for n in public:
            if n not in globals() or n not in __all__:
                globals()[n] = getattr(m, n)
                names.append(n)
    return names


__all__ += [n for n in _import_elementwise() if n not in __all__]

from kusari.functions import _layout  # noqa: E402

# Chainer's modules of the family whose code lives in the modules above
_layout.chainer_layout(globals(), modules=(
    'identity',
    'sqrt',
    'square',
    'squared_difference',
    'fmod',
    'floor',
    'ceil',
    'fix',
    'sign',
    'maximum',
    'minimum',
    'clip',
    'erf',
    'erfc',
    'erfinv',
    'erfcinv',
    'erfcx',
    'lgamma',
    'digamma',
    'polygamma',
    'zeta',
    'ndtr',
    'ndtri',
    'log_ndtr',
    'inv',
    'det',
    'cholesky',
    'bias',
    'scale',
    'cumsum',
    'cumprod',
    'exponential_m1',
    'logarithm_1p',
    'arctanh',
    'basic_math',
))
