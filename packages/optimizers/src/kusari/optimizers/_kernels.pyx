# cython: language_level=3
"""Fused in-place CPU update kernels of the optimizers in :mod:`kusari.optimizers`.

Every kernel updates a parameter and its state arrays in one pass over the elements,
without temporaries.  Arrays are 1-D C-contiguous views (``array.reshape(-1)`` of a
C-contiguous array) of one float dtype: ``float32`` or ``float64`` (the fused type
``floating`` makes Cython reject a mix of dtypes).  The update rules call these only
after checking shapes and dtypes; each kernel checks again that all arrays have the
same length before its loop, which runs without bounds checks and without the GIL.

Scalar hyperparameters are passed as Python floats and converted to the array dtype,
so the arithmetic is done in the parameter's precision, as NumPy does it for
``array op python_float``.
"""
cimport cython
from libc.math cimport sqrt, sqrtf


ctypedef fused floating:
    float
    double


cdef inline floating _sqrt(floating x) noexcept nogil:
    if floating is float:
        return sqrtf(x)
    else:
        return sqrt(x)


cdef inline floating _min(floating a, floating b) noexcept nogil:
    return a if a < b else b


cdef inline floating _max(floating a, floating b) noexcept nogil:
    return a if a > b else b


cdef inline Py_ssize_t _check_sizes(str who, Py_ssize_t n, Py_ssize_t m, str name) except -1:
    if m != n:
        raise ValueError('kusari.optimizers._kernels.%s: %s has %d elements, expected %d '
                         '(the size of param)' % (who, name, m, n))
    return 0


@cython.boundscheck(False)
@cython.wraparound(False)
def sgd(floating[::1] param, const floating[::1] grad, double lr):
    """``param -= lr * grad``."""
    cdef Py_ssize_t i, n = param.shape[0]
    _check_sizes('sgd', n, grad.shape[0], 'grad')
    cdef floating lr_ = <floating>lr
    with nogil:
        for i in range(n):
            param[i] -= lr_ * grad[i]


@cython.boundscheck(False)
@cython.wraparound(False)
def momentum_sgd(floating[::1] param, const floating[::1] grad, floating[::1] v,
                 double lr, double momentum):
    """``v = momentum * v - lr * grad; param += v``."""
    cdef Py_ssize_t i, n = param.shape[0]
    _check_sizes('momentum_sgd', n, grad.shape[0], 'grad')
    _check_sizes('momentum_sgd', n, v.shape[0], 'v')
    cdef floating lr_ = <floating>lr, mom = <floating>momentum, vi
    with nogil:
        for i in range(n):
            vi = v[i] * mom - lr_ * grad[i]
            v[i] = vi
            param[i] += vi


@cython.boundscheck(False)
@cython.wraparound(False)
def corrected_momentum_sgd(floating[::1] param, const floating[::1] grad, floating[::1] v,
                           double lr, double momentum):
    """``v = momentum * v - grad; param += lr * v``."""
    cdef Py_ssize_t i, n = param.shape[0]
    _check_sizes('corrected_momentum_sgd', n, grad.shape[0], 'grad')
    _check_sizes('corrected_momentum_sgd', n, v.shape[0], 'v')
    cdef floating lr_ = <floating>lr, mom = <floating>momentum, vi
    with nogil:
        for i in range(n):
            vi = v[i] * mom - grad[i]
            v[i] = vi
            param[i] += lr_ * vi


@cython.boundscheck(False)
@cython.wraparound(False)
def nesterov_ag(floating[::1] param, const floating[::1] grad, floating[::1] v,
                double lr, double momentum):
    """``v = momentum * v - lr * grad; param += momentum**2 * v - (1 + momentum) * lr * grad``."""
    cdef Py_ssize_t i, n = param.shape[0]
    _check_sizes('nesterov_ag', n, grad.shape[0], 'grad')
    _check_sizes('nesterov_ag', n, v.shape[0], 'v')
    cdef floating lr_ = <floating>lr, mom = <floating>momentum
    cdef floating mom2 = <floating>(momentum * momentum)
    cdef floating glr = <floating>((1.0 + momentum) * lr)
    cdef floating vi, gi
    with nogil:
        for i in range(n):
            gi = grad[i]
            vi = v[i] * mom - lr_ * gi
            v[i] = vi
            param[i] += mom2 * vi - glr * gi


@cython.boundscheck(False)
@cython.wraparound(False)
@cython.cdivision(True)
def ada_grad(floating[::1] param, const floating[::1] grad, floating[::1] h,
             double lr, double eps):
    """``h += grad**2; param -= lr * grad / (sqrt(h) + eps)``."""
    cdef Py_ssize_t i, n = param.shape[0]
    _check_sizes('ada_grad', n, grad.shape[0], 'grad')
    _check_sizes('ada_grad', n, h.shape[0], 'h')
    cdef floating lr_ = <floating>lr, eps_ = <floating>eps, gi, hi
    with nogil:
        for i in range(n):
            gi = grad[i]
            hi = h[i] + gi * gi
            h[i] = hi
            param[i] -= lr_ * gi / (_sqrt(hi) + eps_)


@cython.boundscheck(False)
@cython.wraparound(False)
@cython.cdivision(True)
def ada_delta(floating[::1] param, const floating[::1] grad, floating[::1] msg,
              floating[::1] msdx, double rho, double eps):
    """Zeiler's ADADELTA step (see :class:`kusari.optimizers.AdaDelta`)."""
    cdef Py_ssize_t i, n = param.shape[0]
    _check_sizes('ada_delta', n, grad.shape[0], 'grad')
    _check_sizes('ada_delta', n, msg.shape[0], 'msg')
    _check_sizes('ada_delta', n, msdx.shape[0], 'msdx')
    cdef floating rho_ = <floating>rho, omr = <floating>(1.0 - rho), eps_ = <floating>eps
    cdef floating gi, mg, dx
    with nogil:
        for i in range(n):
            gi = grad[i]
            mg = msg[i] * rho_ + omr * gi * gi
            msg[i] = mg
            dx = _sqrt((msdx[i] + eps_) / (mg + eps_)) * gi
            msdx[i] = msdx[i] * rho_ + omr * dx * dx
            param[i] -= dx


@cython.boundscheck(False)
@cython.wraparound(False)
@cython.cdivision(True)
def rmsprop(floating[::1] param, const floating[::1] grad, floating[::1] ms,
            double lr, double alpha, double eps, bint eps_inside_sqrt):
    """``ms = alpha * ms + (1 - alpha) * grad**2; param -= lr * grad / denom``.

    ``denom`` is ``sqrt(ms + eps)`` when ``eps_inside_sqrt``, else ``sqrt(ms) + eps``.
    """
    cdef Py_ssize_t i, n = param.shape[0]
    _check_sizes('rmsprop', n, grad.shape[0], 'grad')
    _check_sizes('rmsprop', n, ms.shape[0], 'ms')
    cdef floating lr_ = <floating>lr, a = <floating>alpha, oma = <floating>(1.0 - alpha)
    cdef floating eps_ = <floating>eps, gi, msi
    with nogil:
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


@cython.boundscheck(False)
@cython.wraparound(False)
@cython.cdivision(True)
def rmsprop_graves(floating[::1] param, const floating[::1] grad, floating[::1] n_,
                   floating[::1] g, floating[::1] delta, double lr, double alpha,
                   double momentum, double eps):
    """Graves's RMSprop step (see :class:`kusari.optimizers.RMSpropGraves`)."""
    cdef Py_ssize_t i, n = param.shape[0]
    _check_sizes('rmsprop_graves', n, grad.shape[0], 'grad')
    _check_sizes('rmsprop_graves', n, n_.shape[0], 'n')
    _check_sizes('rmsprop_graves', n, g.shape[0], 'g')
    _check_sizes('rmsprop_graves', n, delta.shape[0], 'delta')
    cdef floating lr_ = <floating>lr, a = <floating>alpha, oma = <floating>(1.0 - alpha)
    cdef floating mom = <floating>momentum, eps_ = <floating>eps
    cdef floating gi, ni, mi, di
    with nogil:
        for i in range(n):
            gi = grad[i]
            ni = n_[i] * a + oma * gi * gi
            mi = g[i] * a + oma * gi
            n_[i] = ni
            g[i] = mi
            di = delta[i] * mom - lr_ * gi / _sqrt(ni - mi * mi + eps_)
            delta[i] = di
            param[i] += di


@cython.boundscheck(False)
@cython.wraparound(False)
@cython.cdivision(True)
def adam(floating[::1] param, const floating[::1] grad, floating[::1] m, floating[::1] v,
         floating[::1] vhat, double alpha_t, double beta1, double beta2, double eps,
         double eta, double weight_decay_rate, bint amsgrad, bint adabound,
         double lower, double upper):
    """One Adam / AdamW / AMSGrad / AdaBound / AMSBound step.

    ``m += (1 - beta1) * (grad - m)``, ``v += (1 - beta2) * (grad**2 - v)``,
    ``vhat = max(vhat, v)`` (AMSGrad; else ``vhat`` is ``v`` and the ``vhat`` argument is
    not touched), ``step = alpha_t / (sqrt(vhat) + eps)`` clipped to
    ``[lower, upper]`` (AdaBound), ``param -= eta * (step * m + weight_decay_rate * param)``.
    """
    cdef Py_ssize_t i, n = param.shape[0]
    _check_sizes('adam', n, grad.shape[0], 'grad')
    _check_sizes('adam', n, m.shape[0], 'm')
    _check_sizes('adam', n, v.shape[0], 'v')
    if amsgrad:
        _check_sizes('adam', n, vhat.shape[0], 'vhat')
    cdef floating at = <floating>alpha_t, omb1 = <floating>(1.0 - beta1)
    cdef floating omb2 = <floating>(1.0 - beta2), eps_ = <floating>eps, eta_ = <floating>eta
    cdef floating wd = <floating>weight_decay_rate
    cdef floating lo = <floating>lower, up = <floating>upper
    cdef floating gi, mi, vi, step
    with nogil:
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


@cython.boundscheck(False)
@cython.wraparound(False)
@cython.cdivision(True)
def smorms3(floating[::1] param, const floating[::1] grad, floating[::1] mem,
            floating[::1] g, floating[::1] g2, double lr, double eps):
    """Funk's SMORMS3 step (see :class:`kusari.optimizers.SMORMS3`)."""
    cdef Py_ssize_t i, n = param.shape[0]
    _check_sizes('smorms3', n, grad.shape[0], 'grad')
    _check_sizes('smorms3', n, mem.shape[0], 'mem')
    _check_sizes('smorms3', n, g.shape[0], 'g')
    _check_sizes('smorms3', n, g2.shape[0], 'g2')
    cdef floating lr_ = <floating>lr, eps_ = <floating>eps
    cdef floating gi, r, gm, g2m, x
    with nogil:
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


@cython.boundscheck(False)
@cython.wraparound(False)
@cython.cdivision(True)
def msvag(floating[::1] param, const floating[::1] grad, floating[::1] m, floating[::1] v,
          double lr, double beta, double eta, double weight_decay_rate,
          double beta_power, double rho):
    """One M-SVAG step (see :class:`kusari.optimizers.MSVAG`)."""
    cdef Py_ssize_t i, n = param.shape[0]
    _check_sizes('msvag', n, grad.shape[0], 'grad')
    _check_sizes('msvag', n, m.shape[0], 'm')
    _check_sizes('msvag', n, v.shape[0], 'v')
    cdef floating lr_ = <floating>lr, omb = <floating>(1.0 - beta), eta_ = <floating>eta
    cdef floating wd = <floating>weight_decay_rate
    cdef floating ombp = <floating>(1.0 - beta_power), rho_ = <floating>rho
    cdef floating omrho = <floating>(1.0 - rho)
    cdef floating gi, mi, vi, mt, vt, mt2, s, factor
    with nogil:
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
