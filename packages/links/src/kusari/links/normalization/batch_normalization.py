"""Batch normalization layer."""
import numpy

import kusari
import kusari.functions as F
from kusari import configuration
from kusari import initializers
from kusari import link
from kusari import variable
from kusari.links import _util
from kusari.utils import argument


def _highprec_dtype(dtype):
    # Chainer's ``get_dtype(dtype, map_mixed16=float32)``.
    if dtype is None:
        dtype = configuration.config.dtype
    if isinstance(dtype, str) and dtype == 'mixed16':
        return numpy.dtype(numpy.float32)
    return numpy.dtype(dtype)


class BatchNormalization(link.Link):
    """Batch normalization layer on outputs of linear or convolution functions.

    Wraps :func:`kusari.functions.batch_normalization` (training) and
    :func:`kusari.functions.fixed_batch_normalization` (testing).

    * Training mode (``config.train``): the input is normalized with the batch
      statistics, and the running averages ``avg_mean``/``avg_var`` are updated in
      place with ``decay`` (the variance is the unbiased one).
    * Fine-tuning mode (``finetune=True`` in training): the running averages
      become the exact population statistics of all batches seen since
      :meth:`start_finetuning` (``decay = 1 - 1/N``).
    * Testing mode: the input is normalized with ``avg_mean``/``avg_var``.

    Args:
        size (int, tuple of ints or None): Shape of the statistics (the channel
            dimensions).  ``None`` defers it to the first call (``axis`` must then
            be given).
        decay (float): Decay rate of the moving averages.
        eps (float): Epsilon added to the variance.
        dtype: dtype of the parameters and statistics (``None``: the default
            dtype; ``'mixed16'`` means float32).
        use_gamma (bool): Use the scaling parameter ``gamma`` (else ``gamma`` is
            ``None`` and the scale is one).
        use_beta (bool): Use the shifting parameter ``beta`` (else ``None``).
        initial_gamma: Initializer of ``gamma`` (``None``: one).
        initial_beta: Initializer of ``beta`` (``None``: zero).
        axis (int or tuple of ints): The axes to reduce over; ``None`` means the
            batch axis and the axes after the ``size`` dimensions
            (``(0, 2, 3)`` for images with ``size=C``).
        initial_avg_mean: Initializer of ``avg_mean`` (``None``: zero).
        initial_avg_var: Initializer of ``avg_var`` (``None``: one).

    Attributes:
        gamma (~kusari.Parameter): Scaling parameter, or ``None``.
        beta (~kusari.Parameter): Shifting parameter, or ``None``.
        avg_mean (array): Population mean (persistent).
        avg_var (array): Population variance (persistent).
        N (int): Number of batches seen in fine-tuning (persistent).
        decay (float): Decay rate of the moving averages.
        eps (float): Epsilon added to the variance.

    >>> import numpy, kusari.links as L
    >>> bn = L.BatchNormalization(3)
    >>> bn.gamma.array, bn.avg_var
    (array([1., 1., 1.], dtype=float32), array([1., 1., 1.], dtype=float32))
    """

    gamma = None
    beta = None
    avg_mean = None
    avg_var = None

    def __init__(self, size=None, decay=0.9, eps=2e-5, dtype=None,
                 use_gamma=True, use_beta=True,
                 initial_gamma=None, initial_beta=None, axis=None,
                 initial_avg_mean=None, initial_avg_var=None):
        super().__init__()
        if size is None and axis is None:
            raise RuntimeError('BatchNormalization: size or axis is required')
        self._initial_avg_mean = initial_avg_mean
        self._initial_avg_var = initial_avg_var
        self.N = 0
        self.register_persistent('N')
        self.avg_mean = None
        self.register_persistent('avg_mean')
        self.avg_var = None
        self.register_persistent('avg_var')
        self.decay = decay
        self.eps = eps
        if isinstance(axis, int):
            axis = (axis,)
        self.axis = axis
        self._highprec_dtype = _highprec_dtype(dtype)

        with self.init_scope():
            if use_gamma:
                if initial_gamma is None:
                    initial_gamma = 1
                gamma_initializer = initializers._get_initializer(initial_gamma)
                gamma_initializer.dtype = self._highprec_dtype
                self.gamma = variable.Parameter(gamma_initializer)
            else:
                self.gamma = None
            if use_beta:
                if initial_beta is None:
                    initial_beta = 0
                beta_initializer = initializers._get_initializer(initial_beta)
                beta_initializer.dtype = self._highprec_dtype
                self.beta = variable.Parameter(beta_initializer)
            else:
                self.beta = None

        if size is not None:
            self._initialize_params(size)

    def _initialize_params(self, shape):
        self.avg_mean = self._init_array(self._initial_avg_mean, 0, shape)
        self._initial_avg_mean = None
        self.avg_var = self._init_array(self._initial_avg_var, 1, shape)
        self._initial_avg_var = None
        if self.gamma is not None:
            self.gamma.initialize(shape)
        if self.beta is not None:
            self.beta.initialize(shape)

    def _init_array(self, initializer, default_value, shape):
        if initializer is None:
            initializer = default_value
        initializer = initializers._get_initializer(initializer)
        return initializers.generate_array(
            initializer, shape, self.xp, dtype=self._highprec_dtype,
            device=self.device)

    def _param_shape(self, shape):
        # The shape of the statistics for an input of ``shape``.
        axis = self.axis
        if axis is None:
            ndim = self.avg_mean.ndim
            return tuple(shape[1:1 + ndim])
        for a in axis:
            if not -len(shape) <= a < len(shape):
                raise _util.invalid(
                    type(self).__name__,
                    'x.ndim > max(axis) (axis={})'.format(axis),
                    'x.shape == {}'.format(shape))
        axis = tuple(a % len(shape) for a in axis)
        return tuple(d for i, d in enumerate(shape) if i not in axis)

    def _check_input(self, x):
        shape = _util.check_min_ndim(type(self).__name__, x, 1)
        if self.avg_mean is None:
            self._initialize_params(self._param_shape(shape))
        elif self._param_shape(shape) != tuple(self.avg_mean.shape):
            if self.axis is None:
                expect = 'x.shape[1:{}] == {}'.format(
                    1 + self.avg_mean.ndim, tuple(self.avg_mean.shape))
            else:
                expect = 'x.shape without the axes {} == {}'.format(
                    self.axis, tuple(self.avg_mean.shape))
            raise _util.invalid(type(self).__name__, expect,
                                'x.shape == {}'.format(shape))

    def _gamma_beta(self):
        gamma = self.gamma
        if gamma is None:
            with kusari.backend.using_device(self.device):
                gamma = self.xp.ones(self.avg_mean.shape, dtype=self._highprec_dtype)
        beta = self.beta
        if beta is None:
            with kusari.backend.using_device(self.device):
                beta = self.xp.zeros(self.avg_mean.shape, dtype=self._highprec_dtype)
        return gamma, beta

    def forward(self, x, **kwargs):
        """forward(self, x, finetune=False)

        Normalize ``x`` (see the class description for the three modes).

        Args:
            x (~kusari.Variable or array): Input, e.g. ``(N, C)`` or
                ``(N, C, H, W)`` for ``size=C``.
            finetune (bool): In training mode, accumulate the population
                statistics instead of the moving averages.

        Returns:
            ~kusari.Variable: The normalized, scaled and shifted input.

        """
        finetune, = argument.parse_kwargs(
            kwargs, ('finetune', False),
            test='test argument is not supported anymore. '
                 'Use kusari.using_config')
        self._check_input(x)
        gamma, beta = self._gamma_beta()
        if configuration.config.train:
            if finetune:
                self.N += 1
                decay = 1. - 1. / self.N
            else:
                decay = self.decay
            avg_mean, avg_var = self.avg_mean, self.avg_var
            if configuration.config.in_recomputing:
                # an extra forward pass (F.forget's) must not update the statistics
                if finetune:
                    self.N -= 1
                avg_mean = avg_var = None
            return F.batch_normalization(
                x, gamma, beta, eps=self.eps, running_mean=avg_mean,
                running_var=avg_var, decay=decay, axis=self.axis)
        return F.fixed_batch_normalization(
            x, gamma, beta, self.avg_mean, self.avg_var, self.eps, axis=self.axis)

    def start_finetuning(self):
        """Reset the batch count ``N`` before collecting population statistics."""
        self.N = 0
