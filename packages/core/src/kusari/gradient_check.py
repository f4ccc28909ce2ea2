"""Numerical gradient checking (``chainer.gradient_check``).

:func:`numerical_grad` computes finite-difference gradients; :func:`check_backward`
and :func:`check_double_backward` compare the gradients computed by backprop with
numerical ones along a random direction and raise :class:`AssertionError` with a
detailed report when they disagree.
"""
import io
import math
import warnings

import numpy

from kusari import backend
from kusari import configuration
from kusari import testing
from kusari._core import FunctionNode
from kusari._core import Variable


class NondifferentiableError(Exception):
    """Raised by :func:`numerical_grad` at a non-differentiable point."""


def _is_scalar(a):
    return numpy.isscalar(a)


def _as_tuple(xs):
    if isinstance(xs, tuple):
        return xs
    if isinstance(xs, list):
        return tuple(xs)
    return xs,


def _as_array_or_none(a):
    if a is None:
        return None
    if isinstance(a, Variable):
        return a.array
    return a


def _float64_copies(ys):
    out = []
    for y in ys:
        if y is None:
            out.append(None)
        else:
            xp = backend.get_array_module(y)
            out.append(xp.array(y, dtype=numpy.float64, copy=True))
    return out


def _format_props(arrays):
    parts = []
    for a in arrays:
        if a is None:
            parts.append('None')
        elif _is_scalar(a):
            parts.append('scalar {}'.format(type(a).__name__))
        else:
            parts.append('shape={} dtype={}'.format(a.shape, a.dtype))
    return '[' + ', '.join(parts) + ']'


def _check_outputs_and_grad_outputs(ys, gys):
    """Validate that ``gys`` matches ``ys`` in count, shapes and dtypes."""
    msg = ('Output shapes and dtypes         : {}\n'
           'Output gradient shapes and dtypes: {}'.format(
               _format_props([_as_array_or_none(y) for y in ys]),
               _format_props([_as_array_or_none(g) for g in gys])))
    if len(ys) != len(gys):
        raise ValueError('Output gradients must contain as many elements as the '
                         'outputs ({} != {}).\n{}'.format(len(gys), len(ys), msg))
    for y, gy in zip(ys, gys):
        if gy is None or y is None:
            continue
        gy = _as_array_or_none(gy)
        if y.shape != gy.shape or y.dtype != gy.dtype:
            raise ValueError('Shapes and/or dtypes of outputs and output gradients '
                             'do not match.\n' + msg)


def _nondiff_message(i_in, i_out, x, x_ind, eps, yss, extra=()):
    s = io.StringIO()
    s.write('Tried to compute the numeric gradient on a non-differentiable point.\n\n')
    s.write('i_in: {}\n'.format(i_in))
    s.write('i_out: {}\n'.format(i_out))
    s.write('x: {}\n'.format(x))
    s.write('index on x: {}\n'.format(x_ind))
    s.write('eps: {}\n'.format(eps))
    for line in extra:
        s.write(line + '\n')
    labels = ('x-eps  ', 'x-eps/2', 'x      ', 'x+eps/2', 'x+eps  ')
    for label, ys in zip(labels, yss):
        s.write('y[{}]: {}\n'.format(label, ys[i_out]))
    return s.getvalue()


def numerical_grad(f, inputs, grad_outputs, eps=1e-3,
                   detect_nondifferentiable=False, diff_atol=0, diff_rtol=1e-2,
                   center_outputs=None):
    """Gradient of ``sum(f() * grad_outputs)`` w.r.t. ``inputs`` by finite differences.

    Each element of each input array is moved by ``-eps`` and ``+eps`` (in place;
    it is restored afterwards) and ``f`` is evaluated; the central difference
    ``(f(x + eps) - f(x - eps)) / (2 eps)``, contracted with ``grad_outputs``,
    gives the gradient, accurate to the second order of ``eps``.  The outputs are
    copied to float64 before differencing.

    With ``detect_nondifferentiable``, ``f`` is evaluated at 5 points
    (``x - eps``, ``x - eps/2``, ``x``, ``x + eps/2``, ``x + eps``) and a quadratic
    is fitted to each output element; a fitting error above
    ``diff_atol + diff_rtol * (max - min)`` (or a change of finiteness among the
    points) raises :class:`NondifferentiableError`.  The gradient is then the
    fourth-order 5-point stencil.

    Args:
        f (callable): Function of no arguments that runs the forward computation
            reading ``inputs`` and returns a tuple of output arrays (entries may
            be ``None``).
        inputs (tuple or list of arrays): Float arrays that are perturbed in place.
        grad_outputs (tuple of arrays or scalars): Upstream gradient for each
            output (``None`` ignores that output); shapes must match the outputs.
        eps (float): Finite-difference step, > 0.
        detect_nondifferentiable (bool): Check differentiability (see above).
        diff_atol (float): Absolute tolerance of the fitting error.
        diff_rtol (float): Fitting error tolerance relative to the output range.
        center_outputs: Accepted for compatibility and ignored: the outputs at
            ``inputs`` are always recomputed in float64, as Chainer v7 does.

    Returns:
        list of arrays: Numerical gradients, each of the shape and dtype of the
        corresponding input.

    Raises:
        RuntimeError: if an input is not a float array, or CPU and GPU arrays are
            mixed.
        NondifferentiableError: see ``detect_nondifferentiable``.
    """
    del center_outputs  # always recomputed (float64 precision)
    if not eps > 0:
        raise ValueError('eps must be positive, got {}'.format(eps))
    if not isinstance(inputs, (tuple, list)):
        raise TypeError('inputs must be a tuple or list of arrays')
    inputs = tuple(inputs)
    for x in inputs:
        if x.dtype.kind != 'f':
            raise RuntimeError('The dtype of input arrays must be kind of float '
                               '(got {})'.format(x.dtype))

    grad_outputs = tuple(
        None if g is None
        else numpy.float64(g) if _is_scalar(g)
        else _as_array_or_none(g).astype(numpy.float64)
        for g in grad_outputs)

    arrays = [a for a in inputs + grad_outputs if a is not None and not _is_scalar(a)]
    modules = {backend.get_array_module(a) for a in arrays}
    if len(modules) > 1:
        raise RuntimeError('Do not mix GPU and CPU arrays in `numerical_grad`')
    xp = modules.pop() if modules else numpy
    device = (backend.get_device_from_array(arrays[0]) if arrays
              else backend.CpuDevice())
    with device:
        return _numerical_grad(f, inputs, grad_outputs, eps, detect_nondifferentiable,
                               diff_atol, diff_rtol, xp)


def _numerical_grad(f, inputs, grad_outputs, eps, detect_nondifferentiable,
                    diff_atol, diff_rtol, xp):
    grads = [xp.zeros(x.shape, numpy.float64) for x in inputs]

    def eval_func(x, x_ind, delta, orig):
        x[x_ind] = orig + delta
        try:
            ys = _float64_copies(_as_tuple(f()))
        finally:
            x[x_ind] = orig
        if len(ys) != len(grad_outputs):
            raise ValueError('f returned {} outputs but {} grad_outputs were '
                             'given'.format(len(ys), len(grad_outputs)))
        for y, gy in zip(ys, grad_outputs):
            if y is None:
                continue
            if gy is not None and not _is_scalar(gy) and y.shape != gy.shape:
                raise ValueError('Output shape {} does not match its gradient '
                                 'shape {}'.format(y.shape, gy.shape))
        return ys

    ys0 = None
    if detect_nondifferentiable:
        ys0 = _float64_copies(_as_tuple(f()))

    def check_nondifferentiable(i_in, x, x_ind, yss):
        nout = len(yss[0])
        if all(y is None or y.size == 0 for y in yss[0]):
            return
        any_nonfinite = False
        for i_out in range(nout):
            if yss[0][i_out] is None:
                continue
            finite = [xp.isfinite(ys[i_out]) for ys in yss]
            if any(bool((finite[0] != fi).any()) for fi in finite[1:]):
                raise NondifferentiableError(
                    _nondiff_message(i_in, i_out, inputs[i_in], x_ind, eps, yss))
            any_nonfinite |= not all(bool(fi.all()) for fi in finite)
        if any_nonfinite:
            # Consistently non-finite around the point (e.g. log at x < 0): not
            # treated as non-differentiable.
            return
        # Least-squares quadratic through the 5 equally spaced samples.
        t = numpy.arange(5, dtype=numpy.float64)
        vander = numpy.stack([numpy.ones(5), t, t * t], axis=1)
        proj = numpy.eye(5) - vander @ numpy.linalg.pinv(vander)
        for i_out in range(nout):
            if yss[0][i_out] is None:
                continue
            stack = xp.stack([ys[i_out] for ys in yss])        # (5, *shape)
            flat = stack.reshape(5, -1)
            resid = xp.asarray(proj) @ flat
            fit_err = xp.sqrt((resid * resid).sum(axis=0) / 5).reshape(
                stack.shape[1:])
            ymax = stack.max(axis=0)
            ymin = stack.min(axis=0)
            det = (diff_atol + diff_rtol * (ymax - ymin)) < fit_err
            det = det & (ymax != ymin)
            if bool(det.any()):
                raise NondifferentiableError(_nondiff_message(
                    i_in, i_out, inputs[i_in], x_ind, eps, yss, extra=(
                        'diff_rtol: {}'.format(diff_rtol),
                        'diff_atol: {}'.format(diff_atol),
                        'ymax: {}'.format(ymax),
                        'ymin: {}'.format(ymin),
                        'diff_atol + diff_rtol * (ymax-ymin): {}'.format(
                            diff_atol + diff_rtol * (ymax - ymin)),
                        'fitting errors: {}'.format(fit_err))))

    with configuration.using_config('type_check', False):
        for i_in, (x, gx) in enumerate(zip(inputs, grads)):
            orig_x = x.copy()
            for x_ind in numpy.ndindex(x.shape):
                orig = orig_x[x_ind]
                if detect_nondifferentiable:
                    yss = [eval_func(x, x_ind, -eps, orig),
                           eval_func(x, x_ind, -eps * .5, orig),
                           ys0,
                           eval_func(x, x_ind, eps * .5, orig),
                           eval_func(x, x_ind, eps, orig)]
                    check_nondifferentiable(i_in, x, x_ind, yss)
                else:
                    yss = [eval_func(x, x_ind, -eps, orig),
                           eval_func(x, x_ind, eps, orig)]
                for i_out, gy in enumerate(grad_outputs):
                    if gy is None:
                        continue
                    if any((ys[i_out] is None) != (yss[0][i_out] is None)
                           for ys in yss):
                        raise RuntimeError('output {} of f is None at some sample '
                                           'points only'.format(i_out))
                    if yss[0][i_out] is None:
                        continue
                    if len(yss) == 2:
                        diff = (yss[1][i_out] - yss[0][i_out]) / (2 * eps)
                    else:
                        diff = (-yss[4][i_out] + 8 * yss[3][i_out]
                                - 8 * yss[1][i_out] + yss[0][i_out]) / (6 * eps)
                    gx[x_ind] += (diff * gy).sum()

    return [g.astype(x.dtype, copy=False) for g, x in zip(grads, inputs)]


def assert_allclose(x, y, atol=1e-5, rtol=1e-4, verbose=True):
    """Deprecated alias of :func:`kusari.testing.assert_allclose` (kept from Chainer).

    Emits a :class:`DeprecationWarning`, then asserts ``|x - y| <= atol + rtol * |y|``
    elementwise.
    """
    warnings.warn('kusari.gradient_check.assert_allclose is deprecated. '
                  'Use kusari.testing.assert_allclose instead.',
                  DeprecationWarning, stacklevel=2)
    testing.assert_allclose(x, y, atol, rtol, verbose)


class _GradientSetter(FunctionNode):
    """Joins all outputs into one scalar whose backward yields the given gradients.

    Backprop then starts from one variable (the scalar gets the implicit gradient
    1) and ``backward`` hands back exactly ``grads`` (Variables or None).
    """

    def __init__(self, grads):
        self._grads = tuple(grads)

    def forward(self, inputs):
        xp = backend.get_array_module(*inputs)
        return xp.zeros((), dtype=numpy.float32),

    def backward(self, target_input_indexes, grad_outputs):
        return tuple(self._grads[i] for i in target_input_indexes)


def _apply_grad_setter(ys, gys):
    pairs = [(y, gy) for y, gy in zip(ys, gys) if y is not None]
    if not pairs:
        raise ValueError('func returned no output Variable')
    setter = _GradientSetter([gy for _, gy in pairs])
    y, = setter.apply(tuple(y for y, _ in pairs))
    return y


def _check_returned_variables(ys):
    for i, y in enumerate(ys):
        if y is not None and not isinstance(y, Variable):
            raise TypeError('func must return Variables (or a tuple of them); '
                            'output {} is {}'.format(i, type(y).__name__))


def _clear_grads(xs):
    for x in xs:
        x.cleargrad()


class _CheckBackward:

    def __init__(self, func, xs, gys, params, eps, atol, rtol, no_gxs, dtype,
                 detect_nondifferentiable):
        if dtype is not None and numpy.dtype(dtype).kind != 'f':
            raise ValueError('`dtype` is allowed only float type')
        xs = tuple(_as_array_or_none(x) for x in _as_tuple(xs))
        if gys is not None:
            gys = tuple(_as_array_or_none(g) for g in _as_tuple(gys))
        params = _as_tuple(params)
        for p in params:
            if not isinstance(p, Variable):
                raise TypeError('params must be Variables (e.g. Parameters of a '
                                'link), got {}'.format(type(p).__name__))
        if no_gxs is None:
            no_gxs = [x.dtype.kind != 'f' for x in xs]
        elif len(no_gxs) != len(xs):
            raise ValueError('Length of no_grads param and xs should be same.\n'
                             'Actual: {0} != {1}'.format(len(no_gxs), len(xs)))
        modules = {backend.get_array_module(x) for x in xs}
        if len(modules) > 1:
            raise RuntimeError('Do not mix GPU and CPU arrays in check_backward')
        self.xp = modules.pop() if modules else numpy
        self.func = func
        self.xs = xs
        self.gys = gys
        self.params = params
        self.no_gxs = list(no_gxs)
        self.eps = eps
        self.atol = atol
        self.rtol = rtol
        self.dtype = dtype
        self.detect_nondifferentiable = detect_nondifferentiable

    def run(self):
        arrays = [x for x in self.xs if x is not None]
        device = (backend.get_device_from_array(arrays[0]) if arrays
                  else backend.CpuDevice())
        with device:
            self._run()

    def _run(self):
        xs_var, ys = self._forward_for_backward()
        ys_data = tuple(None if y is None else y.array for y in ys)

        if self.gys is None:
            if not (len(ys) == 1 and ys[0] is not None and ys[0].shape == ()):
                raise ValueError(
                    'y_grad argument cannot be omitted if the target function is '
                    'not a loss function, which has a single output with shape '
                    '().\nActual output shapes: {}'.format(', '.join(
                        str(None if y is None else y.shape) for y in ys)))
            self.gys = (self.xp.ones_like(ys_data[0]),)
        else:
            _check_outputs_and_grad_outputs(ys, self.gys)
        self.gys = tuple(None if y is None else gy for gy, y in zip(self.gys, ys))

        directions = self._sample_directions()
        gx_backward = self._directional_backward(xs_var, ys, directions)
        gx_numeric = self._directional_numeric(directions)
        self._compare(gx_numeric, gx_backward, directions)

    def _forward_for_backward(self):
        xs = [Variable(x, requires_grad=x.dtype.kind == 'f') for x in self.xs]
        ys = _as_tuple(self.func(*xs))
        _check_returned_variables(ys)
        # func may itself call backward: start from clean gradients.
        _clear_grads(xs)
        _clear_grads(self.params)
        return xs, ys

    def _sample_directions(self):
        xp = self.xp
        shapes = [x.shape for x, no_gx in zip(self.xs, self.no_gxs) if not no_gx]
        shapes += [p.shape for p in self.params]
        directions = [xp.asarray(numpy.random.normal(size=s)) for s in shapes]
        # Unit norm keeps the finite-difference error independent of the input size.
        norm = math.sqrt(sum(float((d * d).sum()) for d in directions))
        if norm != 0:
            directions = [d * (1. / norm) for d in directions]
        return directions

    def _directional_backward(self, xs, ys, directions):
        gys = [None if gy is None else Variable(gy.copy(), requires_grad=False)
               for gy in self.gys]
        y = _apply_grad_setter(ys, gys)
        y.backward()

        for i, (no_gx, x) in enumerate(zip(self.no_gxs, xs)):
            if no_gx and x.grad is not None:
                raise RuntimeError(
                    'gradient of input {} must be None (it is an int variable or '
                    'listed in no_grads), but backward computed one'.format(i))
        grads = [x.grad for x, no_gx in zip(xs, self.no_gxs) if not no_gx]
        grads += [p.grad for p in self.params]
        self.backward_grads = grads
        total = 0.
        for g, d in zip(grads, directions):
            if g is not None:
                total += float((g.astype(numpy.float64) * d).sum())
        return total

    def _directional_numeric(self, directions):
        xp = self.xp
        func = self.func
        params = self.params
        dtype = self.dtype

        x_vars = [Variable(x, requires_grad=False) for x in self.xs]
        xs_filtered = [x for x, no_gx in zip(self.xs, self.no_gxs) if not no_gx]
        params_data = [p.array for p in params]
        if dtype is None:
            casted = xs_filtered + params_data
        else:
            # Skipped float inputs are cast too, so that every input has one dtype.
            for i, (xv, no_gx) in enumerate(zip(x_vars, self.no_gxs)):
                if no_gx and xv.array.dtype.kind == 'f':
                    x_vars[i] = Variable(xv.array.astype(dtype, copy=False),
                                         requires_grad=False)
            casted = [a.astype(dtype, copy=False) for a in xs_filtered + params_data]

        delta = xp.array(0., numpy.float64)

        def perturb(data, direction):
            out = (data.astype(numpy.float64) + delta * direction).astype(data.dtype)
            return xp.asarray(out)

        def g():
            inputs = []
            j = 0
            for x_var, no_gx in zip(x_vars, self.no_gxs):
                if no_gx:
                    inputs.append(x_var)
                else:
                    inputs.append(Variable(perturb(casted[j], directions[j])))
                    j += 1
            for i, p in enumerate(params):
                p.array = perturb(casted[j + i], directions[j + i])
            _clear_grads(inputs)
            _clear_grads(params)
            try:
                ys = _as_tuple(func(*inputs))
            finally:
                for i, p in enumerate(params):
                    p.array = params_data[i]
            _check_returned_variables(ys)
            return tuple(None if y is None else y.array for y in ys)

        gx, = numerical_grad(
            g, (delta,), self.gys, eps=self.eps,
            detect_nondifferentiable=self.detect_nondifferentiable,
            diff_atol=0, diff_rtol=self.rtol)
        return gx

    def _compare(self, gx_numeric, gx_backward, directions):
        try:
            testing.assert_allclose(gx_numeric, gx_backward, atol=self.atol,
                                    rtol=self.rtol)
        except AssertionError as e:
            f = io.StringIO()
            f.write('check_backward failed (eps={} atol={} rtol={})\n'.format(
                self.eps, self.atol, self.rtol))
            f.write('The directional derivative along a random direction r,\n'
                    'sum_i <dL/dx_i, r_i> with L = sum(y * grad_output), differs '
                    'between finite differences and backprop.\n')
            for i, x in enumerate(self.xs):
                f.write('inputs[{}]:\n{}\n'.format(i, x))
            for i, gy in enumerate(self.gys):
                f.write('grad_outputs[{}]:\n{}\n'.format(i, gy))
            for i, p in enumerate(self.params):
                f.write('params[{}] ({}):\n{}\n'.format(i, p.name, p.array))
            for i, d in enumerate(directions):
                f.write('directions[{}]:\n{}\n'.format(i, d))
            for i, g in enumerate(self.backward_grads):
                f.write('backward gradients[{}]:\n{}\n'.format(i, g))
            f.write('directional derivative (numeric):  {}\n'.format(gx_numeric))
            f.write('directional derivative (backward): {}\n'.format(gx_backward))
            f.write('\n(x: numeric, y: backward)\n')
            f.write(str(e))
            raise AssertionError(f.getvalue()) from None


def check_backward(func, x_data, y_grad, params=(), eps=1e-3, atol=1e-5,
                   rtol=1e-4, no_grads=None, dtype=None,
                   detect_nondifferentiable=False):
    """Check the backward computation of ``func`` against numerical gradients.

    ``func`` is called on Variables wrapping ``x_data``; its outputs ``y`` are
    backpropagated with the upstream gradients ``y_grad``. To keep the cost
    independent of the input size, the gradients are not compared elementwise:
    a random unit direction ``r`` (over all checked inputs and params) is drawn,
    and the directional derivative ``g'(0)`` of
    ``g(delta) = sum(f(x + delta * r) * y_grad)`` is computed both by central
    differences (:func:`numerical_grad`) and from the backprop gradients as
    ``sum_i <gx_i, r_i>``; the two must agree within ``atol`` / ``rtol``.

    Inputs of integer dtype (or flagged in ``no_grads``) are not perturbed, and
    backprop must leave their gradient ``None``. ``params`` (e.g. a link's
    Parameters, which ``func`` uses) are perturbed in place and restored.

    Args:
        func (callable): Takes one Variable per input, returns a Variable or a
            tuple of Variables (entries may be ``None``). A FunctionNode's
            ``apply``, a Link, or any function of Variables.
        x_data (array or tuple of arrays): Input arrays (a single array means
            ``(x_data,)``).
        y_grad (array, tuple of arrays, or None): Upstream gradient per output,
            matching the output shapes and dtypes. ``None`` is allowed only when
            ``func`` returns a single 0-dim output (a loss); 1 is used.
        params (Variable or tuple of Variables): Parameters whose gradients are
            checked as well.
        eps (float): Finite-difference step.
        atol (float): Absolute tolerance of the comparison.
        rtol (float): Relative tolerance of the comparison (and of the
            non-differentiability detection).
        no_grads (list of bool): Per input, ``True`` to skip it (its gradient
            must be ``None``). Default: ``True`` exactly for non-float inputs.
        dtype (numpy.dtype or None): If given (a float type), inputs and params
            are cast to it for the numerical gradient, e.g. ``numpy.float64`` to
            check float16 functions accurately.
        detect_nondifferentiable (bool): Raise :class:`NondifferentiableError`
            when ``func`` is not differentiable at ``x_data``.

    Raises:
        AssertionError: if the backprop gradients are wrong; the message shows
            the inputs, gradients, direction and both derivatives.
        ValueError: on inconsistent arguments (``y_grad`` shapes or dtypes that
            do not match the outputs, omitted ``y_grad`` for a non-loss, ...).
        RuntimeError: if a gradient was computed for a skipped input.
    """
    _CheckBackward(func, x_data, y_grad, params, eps, atol, rtol, no_grads,
                   dtype, detect_nondifferentiable).run()


def check_double_backward(func, x_data, y_grad, x_grad_grad, params=(),
                          params_grad_grad=(), eps=1e-3, atol=1e-4, rtol=1e-3,
                          no_grads=None, dtype=None,
                          detect_nondifferentiable=False):
    """Check the second-order gradients of ``func`` (a differentiable backward).

    The first-order gradients ``gx = d(sum(func(x) * gy))/dx`` (and of
    ``params``) are computed by backprop with ``enable_double_backprop=True``;
    the map ``(x, gy) -> (gx, gparams)`` is then checked with
    :func:`check_backward`, using ``x_grad_grad`` / ``params_grad_grad`` as its
    upstream gradients. The first-order gradients themselves are assumed
    correct: test them with :func:`check_backward` first.

    Args:
        func (callable): As in :func:`check_backward`.
        x_data (array or tuple of arrays): Inputs.
        y_grad (array or tuple of arrays): Upstream gradients of the outputs
            (these are differentiated too).
        x_grad_grad (array or tuple of arrays): Upstream gradient for the
            first-order gradient of each float input.
        params (Variable or tuple of Variables): Parameters used by ``func``.
        params_grad_grad (array or tuple of arrays): Upstream gradient for the
            first-order gradient of each parameter.
        eps, atol, rtol, no_grads, dtype, detect_nondifferentiable: As in
            :func:`check_backward` (the default tolerances are looser).

    Raises:
        AssertionError: if the second-order gradients are wrong.
    """
    xs = tuple(_as_array_or_none(x) for x in _as_tuple(x_data))
    params = _as_tuple(params)
    gys = _as_tuple(y_grad)
    ggxs = _as_tuple(x_grad_grad)
    ggparams = _as_tuple(params_grad_grad)
    n_x = len(xs)
    first_order_no_gxs = [x.dtype.kind != 'f' for x in xs]
    # an output without a gradient (None) takes no part in the check: only the
    # given output gradients are inputs of the first-order map
    gys_all = tuple(_as_array_or_none(g) for g in gys)
    given = [i for i, g in enumerate(gys_all) if g is not None]
    gys = tuple(gys_all[i] for i in given)

    def first_order_grad(*inputs):
        xs_ = inputs[:n_x]
        gys_ = [None] * len(gys_all)
        for i, g in zip(given, inputs[n_x:]):
            gys_[i] = g
        gys_ = tuple(gys_)
        ys = _as_tuple(func(*xs_))
        _check_returned_variables(ys)
        _check_outputs_and_grad_outputs(ys, gys_)
        y = _apply_grad_setter(ys, gys_)
        y.backward(enable_double_backprop=True)

        gxs = []
        errors = []
        for i, (no_gx, x) in enumerate(zip(first_order_no_gxs, xs_)):
            if no_gx:
                if x.grad is not None:
                    errors.append('[{}]: Gradient was calculated while expected '
                                  'to not.'.format(i))
            else:
                gxs.append(None if x.grad is None else x.grad_var)
        if errors:
            raise RuntimeError('There are errors retrieving first-order '
                               'gradients:\n' + '\n'.join(errors))
        return tuple(gxs + [p.grad_var for p in params])

    if no_grads is not None:
        no_grads = list(no_grads) + [False] * (len(gys) if len(no_grads) == n_x else 0)
    try:
        check_backward(first_order_grad, xs + gys, ggxs + ggparams,
                       params=params, eps=eps, atol=atol, rtol=rtol,
                       no_grads=no_grads, dtype=dtype,
                       detect_nondifferentiable=detect_nondifferentiable)
    except AssertionError as e:
        f = io.StringIO()
        f.write('check_double_backward failed (eps={} atol={} rtol={})\n'.format(
            eps, atol, rtol))
        for i, x in enumerate(xs):
            f.write('input[{}]:\n{}\n'.format(i, x))
        for i, gy in enumerate(gys):
            f.write('grad_output[{}]:\n{}\n'.format(i, gy))
        for i, ggx in enumerate(ggxs):
            f.write('grad_grad_input[{}]:\n{}\n'.format(i, ggx))
        for i, ggp in enumerate(ggparams):
            f.write('grad_grad_param[{}]:\n{}\n'.format(i, ggp))
        f.write('\n')
        f.write(str(e))
        raise AssertionError(f.getvalue()) from e
