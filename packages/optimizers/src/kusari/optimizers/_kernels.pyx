# cython: language_level=3
"""Fused in-place CPU update kernels of the optimizers in :mod:`kusari.optimizers`.

Every kernel updates a parameter and its state arrays in one pass over the elements,
without temporaries, and is called once per parameter and step: for the small
parameters of small models the cost of the call itself dominates, so the entry points
take the ndarrays themselves and check them with NumPy's C API (no memoryview
acquisition, no reshape).

Protocol: a kernel returns ``True`` after updating its arrays.  It returns ``False``,
touching nothing, when the arrays are not all

* exact :class:`numpy.ndarray` objects (no subclasses, no CuPy arrays),
* of one dtype, ``float32`` or ``float64`` in native byte order,
* of the parameter's shape,
* C-contiguous and aligned,
* writeable, except the gradient (only read);

the caller then takes another path (the float32 copies of a float16 parameter, NumPy
operations, or the error messages of the update rule's checks).
:func:`rejection` tells which array a kernel refuses and why.  All checks run before
any element is written.  Scalar hyperparameters that cannot be converted to a C
``double`` raise :class:`TypeError` (before any check).

Scalar hyperparameters are passed as Python floats and converted to the array dtype,
so the arithmetic is done in the parameter's precision, as NumPy does it for
``array op python_float`` (except a few steps of SMORMS3: see there).  Loops over at
least :data:`NOGIL_MIN_SIZE` elements release the GIL (for fewer, releasing and
re-acquiring it costs more than the loop).
"""
cimport cython
cimport numpy as cnp
from libc.math cimport sqrt, sqrtf
from libc.string cimport memcmp

cnp.import_array()


ctypedef fused floating:
    float
    double


#: Loops over at least this many elements release the GIL.
NOGIL_MIN_SIZE = 1 << 14
cdef Py_ssize_t _NOGIL_MIN_SIZE = NOGIL_MIN_SIZE

# Why a kernel refuses an array (0: accepted).
cdef enum:
    _NOT_NDARRAY = 1
    _NOT_FLOAT = 2
    _DTYPE_MISMATCH = 3
    _SHAPE_MISMATCH = 4
    _NOT_CONTIGUOUS = 5
    _READ_ONLY = 6

cdef int _BEHAVED = cnp.NPY_ARRAY_C_CONTIGUOUS | cnp.NPY_ARRAY_ALIGNED


cdef inline int _check_layout(cnp.ndarray a, bint writeable) noexcept:
    cdef int flags = cnp.PyArray_FLAGS(a)
    if flags & _BEHAVED != _BEHAVED:
        return _NOT_CONTIGUOUS
    if writeable and not flags & cnp.NPY_ARRAY_WRITEABLE:
        return _READ_ONLY
    return 0


cdef inline int _check_param(object param) noexcept:
    """0 if ``param`` can be updated by a kernel, else why not."""
    if not cnp.PyArray_CheckExact(param):
        return _NOT_NDARRAY
    cdef cnp.ndarray p = <cnp.ndarray>param
    cdef int type_num = cnp.PyArray_TYPE(p)
    if ((type_num != cnp.NPY_FLOAT and type_num != cnp.NPY_DOUBLE)
            or not cnp.PyArray_ISNOTSWAPPED(p)):
        return _NOT_FLOAT
    return _check_layout(p, True)


cdef inline int _check_like(object param, object array, bint writeable) noexcept:
    """0 if ``array`` goes with ``param`` (accepted by ``_check_param``), else why not."""
    if not cnp.PyArray_CheckExact(array):
        return _NOT_NDARRAY
    cdef cnp.ndarray p = <cnp.ndarray>param
    cdef cnp.ndarray a = <cnp.ndarray>array
    if cnp.PyArray_TYPE(a) != cnp.PyArray_TYPE(p) or not cnp.PyArray_ISNOTSWAPPED(a):
        return _DTYPE_MISMATCH
    cdef int ndim = cnp.PyArray_NDIM(p)
    if cnp.PyArray_NDIM(a) != ndim or memcmp(
            cnp.PyArray_DIMS(a), cnp.PyArray_DIMS(p), ndim * sizeof(cnp.npy_intp)) != 0:
        return _SHAPE_MISMATCH
    return _check_layout(a, writeable)


cdef inline void* _data(object array) noexcept:
    return cnp.PyArray_DATA(<cnp.ndarray>array)


cdef struct _Operands:
    # The arrays of one kernel call, added by ``_operands`` and ``_state`` as they pass
    # the checks; passed by value to the ``_<name>`` functions.
    bint f32  # float32 arrays, else float64
    Py_ssize_t n  # their size
    void* param
    const void* grad
    int n_states
    void* state[3]  # the state arrays in argument order (NULL: not added)


cdef inline bint _operands(_Operands* o, object param, object grad) noexcept:
    """Start ``o`` with ``param`` and ``grad`` if the kernels accept them.

    Makes the first checks of :func:`rejection`; the states follow with ``_state``, in
    the order of the arguments.  False when an array is refused (``o`` is then not to be
    used).
    """
    if _check_param(param) or _check_like(param, grad, False):
        return False
    o.f32 = cnp.PyArray_TYPE(<cnp.ndarray>param) == cnp.NPY_FLOAT
    o.n = cnp.PyArray_SIZE(<cnp.ndarray>param)
    o.param = _data(param)
    o.grad = _data(grad)
    o.n_states = 0
    o.state[0] = o.state[1] = o.state[2] = NULL
    return True


cdef inline bint _state(_Operands* o, object param, object state) noexcept:
    """Add the next state array to ``o`` if the kernels accept it; else False."""
    if _check_like(param, state, True):
        return False
    o.state[o.n_states] = _data(state)
    o.n_states += 1
    return True


def rejection(param, grad, *states):
    """Why the kernels refuse these arrays, or ``None`` if they accept them.

    Applies the checks that every kernel makes (see the module docstring) and
    describes the first failing one; for diagnostics and tests (the kernels
    themselves just return ``False``).

    Args:
        param: The parameter array (updated in place by a kernel).
        grad: Its gradient (only read).
        states: The state arrays (updated in place).

    Returns:
        str or None: e.g. ``'state 0 has dtype <f8, expected <f4 (the dtype of
        param)'``; ``None`` when a kernel would run on these arrays.
    """
    code = _check_param(param)
    if code:
        return _describe(code, 'param', param, None)
    for i, array in enumerate((grad,) + states):
        code = _check_like(param, array, i != 0)
        if code:
            return _describe(code, 'grad' if i == 0 else 'state %d' % (i - 1), array,
                             param)
    return None


cdef str _describe(int code, str label, object array, object param):
    if code == _NOT_NDARRAY:
        return '%s is a %s, expected a numpy.ndarray' % (label, type(array).__name__)
    if code == _NOT_FLOAT:
        return '%s has dtype %s, expected float32 or float64 in native byte order' % (
            label, array.dtype.str)
    if code == _DTYPE_MISMATCH:
        return '%s has dtype %s, expected %s (the dtype of param)' % (
            label, array.dtype.str, param.dtype.str)
    if code == _SHAPE_MISMATCH:
        return '%s has shape %s, expected %s (the shape of param)' % (
            label, array.shape, param.shape)
    if code == _NOT_CONTIGUOUS:
        return '%s is not C-contiguous and aligned' % label
    return '%s is read-only' % label


cdef inline floating _sqrt(floating x) noexcept nogil:
    if floating is float:
        return sqrtf(x)
    else:
        return sqrt(x)


cdef inline floating _min(floating a, floating b) noexcept nogil:
    return a if a < b else b


cdef inline floating _max(floating a, floating b) noexcept nogil:
    return a if a > b else b


# Each kernel has three parts: ``_<name>_t``, the loop over one float type;
# ``_<name>``, which runs the float or double loop on the arrays of an ``_Operands``;
# and the entry point ``<name>``, which checks the arrays (``_operands``, ``_state``)
# and runs the loop, without the GIL for large arrays.  ``_<name>`` is called in two
# places, with and without ``with nogil``: Cython's ``with nogil(condition)`` takes
# only compile-time conditions, and with one call between a hand-made release and
# re-acquisition of the GIL, GCC inlines ``_<name>`` into the entry point, where it no
# longer vectorizes the Adam loop (4x slower on 4096 elements).

# ---------------------------------------------------------------------------- sgd

cdef void _sgd_t(floating* param, const floating* grad, Py_ssize_t n,
                 double lr) noexcept nogil:
    cdef floating lr_ = <floating>lr
    cdef Py_ssize_t i
    for i in range(n):
        param[i] -= lr_ * grad[i]


cdef void _sgd(_Operands o, double lr) noexcept nogil:
    if o.f32:
        _sgd_t(<float*>o.param, <const float*>o.grad, o.n, lr)
    else:
        _sgd_t(<double*>o.param, <const double*>o.grad, o.n, lr)


def sgd(param, grad, double lr):
    """``param -= lr * grad``.

    Returns:
        bool: ``True`` if updated; ``False`` (nothing touched) if the arrays are not
        for the kernels (see the module docstring and :func:`rejection`).
    """
    cdef _Operands o
    if not _operands(&o, param, grad):
        return False
    if o.n < _NOGIL_MIN_SIZE:
        _sgd(o, lr)
    else:
        with nogil:
            _sgd(o, lr)
    return True


# ------------------------------------------------------------------- momentum_sgd

cdef void _momentum_sgd_t(floating* param, const floating* grad, floating* v,
                          Py_ssize_t n, double lr, double momentum) noexcept nogil:
    cdef floating lr_ = <floating>lr, mom = <floating>momentum, vi
    cdef Py_ssize_t i
    for i in range(n):
        vi = v[i] * mom - lr_ * grad[i]
        v[i] = vi
        param[i] += vi


cdef void _momentum_sgd(_Operands o, double lr, double momentum) noexcept nogil:
    if o.f32:
        _momentum_sgd_t(<float*>o.param, <const float*>o.grad, <float*>o.state[0], o.n,
                        lr, momentum)
    else:
        _momentum_sgd_t(<double*>o.param, <const double*>o.grad, <double*>o.state[0],
                        o.n, lr, momentum)


def momentum_sgd(param, grad, v, double lr, double momentum):
    """``v = momentum * v - lr * grad; param += v``.

    Returns:
        bool: ``True`` if updated, ``False`` if the arrays are not for the kernels.
    """
    cdef _Operands o
    if not (_operands(&o, param, grad) and _state(&o, param, v)):
        return False
    if o.n < _NOGIL_MIN_SIZE:
        _momentum_sgd(o, lr, momentum)
    else:
        with nogil:
            _momentum_sgd(o, lr, momentum)
    return True


# --------------------------------------------------------- corrected_momentum_sgd

cdef void _corrected_momentum_sgd_t(floating* param, const floating* grad, floating* v,
                                    Py_ssize_t n, double lr,
                                    double momentum) noexcept nogil:
    cdef floating lr_ = <floating>lr, mom = <floating>momentum, vi
    cdef Py_ssize_t i
    for i in range(n):
        vi = v[i] * mom - grad[i]
        v[i] = vi
        param[i] += lr_ * vi


cdef void _corrected_momentum_sgd(_Operands o, double lr,
                                  double momentum) noexcept nogil:
    if o.f32:
        _corrected_momentum_sgd_t(<float*>o.param, <const float*>o.grad,
                                  <float*>o.state[0], o.n, lr, momentum)
    else:
        _corrected_momentum_sgd_t(<double*>o.param, <const double*>o.grad,
                                  <double*>o.state[0], o.n, lr, momentum)


def corrected_momentum_sgd(param, grad, v, double lr, double momentum):
    """``v = momentum * v - grad; param += lr * v``.

    Returns:
        bool: ``True`` if updated, ``False`` if the arrays are not for the kernels.
    """
    cdef _Operands o
    if not (_operands(&o, param, grad) and _state(&o, param, v)):
        return False
    if o.n < _NOGIL_MIN_SIZE:
        _corrected_momentum_sgd(o, lr, momentum)
    else:
        with nogil:
            _corrected_momentum_sgd(o, lr, momentum)
    return True


# -------------------------------------------------------------------- nesterov_ag

cdef void _nesterov_ag_t(floating* param, const floating* grad, floating* v,
                         Py_ssize_t n, double lr, double momentum) noexcept nogil:
    cdef floating lr_ = <floating>lr, mom = <floating>momentum
    cdef floating mom2 = <floating>(momentum * momentum)
    cdef floating glr = <floating>((1.0 + momentum) * lr)
    cdef floating vi, gi
    cdef Py_ssize_t i
    for i in range(n):
        gi = grad[i]
        vi = v[i] * mom - lr_ * gi
        v[i] = vi
        param[i] += mom2 * vi - glr * gi


cdef void _nesterov_ag(_Operands o, double lr, double momentum) noexcept nogil:
    if o.f32:
        _nesterov_ag_t(<float*>o.param, <const float*>o.grad, <float*>o.state[0], o.n,
                       lr, momentum)
    else:
        _nesterov_ag_t(<double*>o.param, <const double*>o.grad, <double*>o.state[0],
                       o.n, lr, momentum)


def nesterov_ag(param, grad, v, double lr, double momentum):
    """``v = momentum * v - lr * grad; param += momentum**2 * v - (1 + momentum) * lr * grad``.

    Returns:
        bool: ``True`` if updated, ``False`` if the arrays are not for the kernels.
    """
    cdef _Operands o
    if not (_operands(&o, param, grad) and _state(&o, param, v)):
        return False
    if o.n < _NOGIL_MIN_SIZE:
        _nesterov_ag(o, lr, momentum)
    else:
        with nogil:
            _nesterov_ag(o, lr, momentum)
    return True


# ----------------------------------------------------------------------- ada_grad

@cython.cdivision(True)
cdef void _ada_grad_t(floating* param, const floating* grad, floating* h, Py_ssize_t n,
                      double lr, double eps) noexcept nogil:
    cdef floating lr_ = <floating>lr, eps_ = <floating>eps, gi, hi
    cdef Py_ssize_t i
    for i in range(n):
        gi = grad[i]
        hi = h[i] + gi * gi
        h[i] = hi
        param[i] -= lr_ * gi / (_sqrt(hi) + eps_)


cdef void _ada_grad(_Operands o, double lr, double eps) noexcept nogil:
    if o.f32:
        _ada_grad_t(<float*>o.param, <const float*>o.grad, <float*>o.state[0], o.n, lr,
                    eps)
    else:
        _ada_grad_t(<double*>o.param, <const double*>o.grad, <double*>o.state[0], o.n,
                    lr, eps)


def ada_grad(param, grad, h, double lr, double eps):
    """``h += grad**2; param -= lr * grad / (sqrt(h) + eps)``.

    Returns:
        bool: ``True`` if updated, ``False`` if the arrays are not for the kernels.
    """
    cdef _Operands o
    if not (_operands(&o, param, grad) and _state(&o, param, h)):
        return False
    if o.n < _NOGIL_MIN_SIZE:
        _ada_grad(o, lr, eps)
    else:
        with nogil:
            _ada_grad(o, lr, eps)
    return True


# ---------------------------------------------------------------------- ada_delta

@cython.cdivision(True)
cdef void _ada_delta_t(floating* param, const floating* grad, floating* msg,
                       floating* msdx, Py_ssize_t n, double rho,
                       double eps) noexcept nogil:
    cdef floating rho_ = <floating>rho, omr = <floating>(1.0 - rho), eps_ = <floating>eps
    cdef floating gi, mg, dx
    cdef Py_ssize_t i
    for i in range(n):
        gi = grad[i]
        mg = msg[i] * rho_ + omr * gi * gi
        msg[i] = mg
        dx = _sqrt((msdx[i] + eps_) / (mg + eps_)) * gi
        msdx[i] = msdx[i] * rho_ + omr * dx * dx
        param[i] -= dx


cdef void _ada_delta(_Operands o, double rho, double eps) noexcept nogil:
    if o.f32:
        _ada_delta_t(<float*>o.param, <const float*>o.grad, <float*>o.state[0],
                     <float*>o.state[1], o.n, rho, eps)
    else:
        _ada_delta_t(<double*>o.param, <const double*>o.grad, <double*>o.state[0],
                     <double*>o.state[1], o.n, rho, eps)


def ada_delta(param, grad, msg, msdx, double rho, double eps):
    """Zeiler's ADADELTA step (see :class:`kusari.optimizers.AdaDelta`).

    Returns:
        bool: ``True`` if updated, ``False`` if the arrays are not for the kernels.
    """
    cdef _Operands o
    if not (_operands(&o, param, grad) and _state(&o, param, msg)
            and _state(&o, param, msdx)):
        return False
    if o.n < _NOGIL_MIN_SIZE:
        _ada_delta(o, rho, eps)
    else:
        with nogil:
            _ada_delta(o, rho, eps)
    return True


# ------------------------------------------------------------------------ rmsprop

@cython.cdivision(True)
cdef void _rmsprop_t(floating* param, const floating* grad, floating* ms, Py_ssize_t n,
                     double lr, double alpha, double eps,
                     bint eps_inside_sqrt) noexcept nogil:
    cdef floating lr_ = <floating>lr, a = <floating>alpha, oma = <floating>(1.0 - alpha)
    cdef floating eps_ = <floating>eps, gi, msi
    cdef Py_ssize_t i
    if eps_inside_sqrt:
        for i in range(n):
            gi = grad[i]
            msi = ms[i] * a + oma * gi * gi
            ms[i] = msi
            param[i] -= lr_ * gi / _sqrt(msi + eps_)
    else:
        for i in range(n):
            gi = grad[i]
            msi = ms[i] * a + oma * gi * gi
            ms[i] = msi
            param[i] -= lr_ * gi / (_sqrt(msi) + eps_)


cdef void _rmsprop(_Operands o, double lr, double alpha, double eps,
                   bint eps_inside_sqrt) noexcept nogil:
    if o.f32:
        _rmsprop_t(<float*>o.param, <const float*>o.grad, <float*>o.state[0], o.n, lr,
                   alpha, eps, eps_inside_sqrt)
    else:
        _rmsprop_t(<double*>o.param, <const double*>o.grad, <double*>o.state[0], o.n,
                   lr, alpha, eps, eps_inside_sqrt)


def rmsprop(param, grad, ms, double lr, double alpha, double eps, bint eps_inside_sqrt):
    """``ms = alpha * ms + (1 - alpha) * grad**2; param -= lr * grad / denom``.

    ``denom`` is ``sqrt(ms + eps)`` when ``eps_inside_sqrt``, else ``sqrt(ms) + eps``.

    Returns:
        bool: ``True`` if updated, ``False`` if the arrays are not for the kernels.
    """
    cdef _Operands o
    if not (_operands(&o, param, grad) and _state(&o, param, ms)):
        return False
    if o.n < _NOGIL_MIN_SIZE:
        _rmsprop(o, lr, alpha, eps, eps_inside_sqrt)
    else:
        with nogil:
            _rmsprop(o, lr, alpha, eps, eps_inside_sqrt)
    return True


# ----------------------------------------------------------------- rmsprop_graves

@cython.cdivision(True)
cdef void _rmsprop_graves_t(floating* param, const floating* grad, floating* n_,
                            floating* g, floating* delta, Py_ssize_t n, double lr,
                            double alpha, double momentum, double eps) noexcept nogil:
    cdef floating lr_ = <floating>lr, a = <floating>alpha, oma = <floating>(1.0 - alpha)
    cdef floating mom = <floating>momentum, eps_ = <floating>eps
    cdef floating gi, ni, mi, di
    cdef Py_ssize_t i
    for i in range(n):
        gi = grad[i]
        ni = n_[i] * a + oma * gi * gi
        mi = g[i] * a + oma * gi
        n_[i] = ni
        g[i] = mi
        di = delta[i] * mom - lr_ * gi / _sqrt(ni - mi * mi + eps_)
        delta[i] = di
        param[i] += di


cdef void _rmsprop_graves(_Operands o, double lr, double alpha, double momentum,
                          double eps) noexcept nogil:
    if o.f32:
        _rmsprop_graves_t(<float*>o.param, <const float*>o.grad, <float*>o.state[0],
                          <float*>o.state[1], <float*>o.state[2], o.n, lr, alpha,
                          momentum, eps)
    else:
        _rmsprop_graves_t(<double*>o.param, <const double*>o.grad, <double*>o.state[0],
                          <double*>o.state[1], <double*>o.state[2], o.n, lr, alpha,
                          momentum, eps)


def rmsprop_graves(param, grad, n_, g, delta, double lr, double alpha,
                   double momentum, double eps):
    """Graves's RMSprop step (see :class:`kusari.optimizers.RMSpropGraves`).

    Returns:
        bool: ``True`` if updated, ``False`` if the arrays are not for the kernels.
    """
    cdef _Operands o
    if not (_operands(&o, param, grad) and _state(&o, param, n_)
            and _state(&o, param, g) and _state(&o, param, delta)):
        return False
    if o.n < _NOGIL_MIN_SIZE:
        _rmsprop_graves(o, lr, alpha, momentum, eps)
    else:
        with nogil:
            _rmsprop_graves(o, lr, alpha, momentum, eps)
    return True


# --------------------------------------------------------------------------- adam

@cython.cdivision(True)
cdef void _adam_t(floating* param, const floating* grad, floating* m, floating* v,
                  floating* vhat, Py_ssize_t n, double alpha_t, double beta1,
                  double beta2, double eps, double eta, double weight_decay_rate,
                  bint amsgrad, bint adabound, double lower,
                  double upper) noexcept nogil:
    cdef floating at = <floating>alpha_t, omb1 = <floating>(1.0 - beta1)
    cdef floating omb2 = <floating>(1.0 - beta2), eps_ = <floating>eps, eta_ = <floating>eta
    cdef floating wd = <floating>weight_decay_rate
    cdef floating lo = <floating>lower, up = <floating>upper
    cdef floating gi, mi, vi, step
    cdef Py_ssize_t i
    for i in range(n):
        gi = grad[i]
        mi = m[i]
        mi = mi + omb1 * (gi - mi)
        m[i] = mi
        vi = v[i]
        vi = vi + omb2 * (gi * gi - vi)
        v[i] = vi
        if amsgrad:
            vi = _max(vhat[i], vi)
            vhat[i] = vi
        step = at / (_sqrt(vi) + eps_)
        if adabound:
            step = _max(_min(step, up), lo)
        param[i] -= eta_ * (step * mi + wd * param[i])


cdef void _adam(_Operands o, double alpha_t, double beta1, double beta2,
                double eps, double eta, double weight_decay_rate, bint amsgrad,
                bint adabound, double lower, double upper) noexcept nogil:
    if o.f32:
        _adam_t(<float*>o.param, <const float*>o.grad, <float*>o.state[0],
                <float*>o.state[1], <float*>o.state[2], o.n, alpha_t, beta1, beta2, eps,
                eta, weight_decay_rate, amsgrad, adabound, lower, upper)
    else:
        _adam_t(<double*>o.param, <const double*>o.grad, <double*>o.state[0],
                <double*>o.state[1], <double*>o.state[2], o.n, alpha_t, beta1, beta2,
                eps, eta, weight_decay_rate, amsgrad, adabound, lower, upper)


def adam(param, grad, m, v, vhat, double alpha_t, double beta1, double beta2,
         double eps, double eta, double weight_decay_rate, bint amsgrad, bint adabound,
         double lower, double upper):
    """One Adam / AdamW / AMSGrad / AdaBound / AMSBound step.

    ``m += (1 - beta1) * (grad - m)``, ``v += (1 - beta2) * (grad**2 - v)``,
    ``vhat = max(vhat, v)`` (AMSGrad; else ``vhat`` is ``v`` and the ``vhat`` argument is
    ignored: ``None`` will do), ``step = alpha_t / (sqrt(vhat) + eps)`` clipped to
    ``[lower, upper]`` (AdaBound), ``param -= eta * (step * m + weight_decay_rate * param)``.

    Returns:
        bool: ``True`` if updated, ``False`` if the arrays are not for the kernels.
    """
    cdef _Operands o
    if not (_operands(&o, param, grad) and _state(&o, param, m)
            and _state(&o, param, v) and (not amsgrad or _state(&o, param, vhat))):
        return False
    if o.n < _NOGIL_MIN_SIZE:
        _adam(o, alpha_t, beta1, beta2, eps, eta, weight_decay_rate, amsgrad,
              adabound, lower, upper)
    else:
        with nogil:
            _adam(o, alpha_t, beta1, beta2, eps, eta, weight_decay_rate, amsgrad,
                  adabound, lower, upper)
    return True


# ------------------------------------------------------------------------ smorms3

@cython.cdivision(True)
cdef void _smorms3_t(floating* param, const floating* grad, floating* mem, floating* g,
                     floating* g2, Py_ssize_t n, double lr, double eps) noexcept nogil:
    cdef floating lr_ = <floating>lr, eps_ = <floating>eps
    cdef floating gi, r, gm, g2m, x
    cdef Py_ssize_t i
    # The literal 1 is a C double: for float32 arrays, r, gm, g2m and mem are computed
    # in double precision and rounded on assignment (as in the first kernels; kept so
    # that results do not change).
    for i in range(n):
        gi = grad[i]
        r = 1 / (mem[i] + 1)
        gm = (1 - r) * g[i] + r * gi
        g2m = (1 - r) * g2[i] + r * gi * gi
        g[i] = gm
        g2[i] = g2m
        x = gm * gm / (g2m + eps_)
        param[i] -= gi * _min(x, lr_) / (_sqrt(g2m) + eps_)
        mem[i] = 1 + mem[i] * (1 - x)


cdef void _smorms3(_Operands o, double lr, double eps) noexcept nogil:
    if o.f32:
        _smorms3_t(<float*>o.param, <const float*>o.grad, <float*>o.state[0],
                   <float*>o.state[1], <float*>o.state[2], o.n, lr, eps)
    else:
        _smorms3_t(<double*>o.param, <const double*>o.grad, <double*>o.state[0],
                   <double*>o.state[1], <double*>o.state[2], o.n, lr, eps)


def smorms3(param, grad, mem, g, g2, double lr, double eps):
    """Funk's SMORMS3 step (see :class:`kusari.optimizers.SMORMS3`).

    Returns:
        bool: ``True`` if updated, ``False`` if the arrays are not for the kernels.
    """
    cdef _Operands o
    if not (_operands(&o, param, grad) and _state(&o, param, mem)
            and _state(&o, param, g) and _state(&o, param, g2)):
        return False
    if o.n < _NOGIL_MIN_SIZE:
        _smorms3(o, lr, eps)
    else:
        with nogil:
            _smorms3(o, lr, eps)
    return True


# -------------------------------------------------------------------------- msvag

@cython.cdivision(True)
cdef void _msvag_t(floating* param, const floating* grad, floating* m, floating* v,
                   Py_ssize_t n, double lr, double beta, double eta,
                   double weight_decay_rate, double beta_power,
                   double rho) noexcept nogil:
    cdef floating lr_ = <floating>lr, omb = <floating>(1.0 - beta), eta_ = <floating>eta
    cdef floating wd = <floating>weight_decay_rate
    cdef floating ombp = <floating>(1.0 - beta_power), rho_ = <floating>rho
    cdef floating omrho = <floating>(1.0 - rho)
    cdef floating gi, mi, vi, mt, vt, mt2, s, factor
    cdef Py_ssize_t i
    for i in range(n):
        gi = grad[i]
        mi = m[i]
        mi = mi + omb * (gi - mi)
        m[i] = mi
        vi = v[i]
        vi = vi + omb * (gi * gi - vi)
        v[i] = vi
        mt = mi / ombp
        vt = vi / ombp
        mt2 = mt * mt
        s = (vt - mt2) / omrho
        factor = mt2 / (mt2 + rho_ * s)
        if factor != factor:  # NaN (0 / 0 where m = v = 0)
            factor = 0
        else:
            factor = _min(_max(factor, <floating>0), <floating>1)
        param[i] -= eta_ * (lr_ * mt * factor + wd * param[i])


cdef void _msvag(_Operands o, double lr, double beta, double eta,
                 double weight_decay_rate, double beta_power, double rho) noexcept nogil:
    if o.f32:
        _msvag_t(<float*>o.param, <const float*>o.grad, <float*>o.state[0],
                 <float*>o.state[1], o.n, lr, beta, eta, weight_decay_rate, beta_power,
                 rho)
    else:
        _msvag_t(<double*>o.param, <const double*>o.grad, <double*>o.state[0],
                 <double*>o.state[1], o.n, lr, beta, eta, weight_decay_rate, beta_power,
                 rho)


def msvag(param, grad, m, v, double lr, double beta, double eta,
          double weight_decay_rate, double beta_power, double rho):
    """One M-SVAG step (see :class:`kusari.optimizers.MSVAG`).

    Returns:
        bool: ``True`` if updated, ``False`` if the arrays are not for the kernels.
    """
    cdef _Operands o
    if not (_operands(&o, param, grad) and _state(&o, param, m)
            and _state(&o, param, v)):
        return False
    if o.n < _NOGIL_MIN_SIZE:
        _msvag(o, lr, beta, eta, weight_decay_rate, beta_power, rho)
    else:
        with nogil:
            _msvag(o, lr, beta, eta, weight_decay_rate, beta_power, rho)
    return True
