"""Decorrelated batch normalization layer (``L.DecorrelatedBatchNormalization``)."""
import warnings

import numpy

import kusari.functions as F
import kusari.serializer
from kusari import backend
from kusari import configuration
from kusari import link
from kusari.utils import argument


class DecorrelatedBatchNormalization(link.Link):
    """Decorrelated batch normalization layer (ZCA whitening, no learnable parameter).

    In training mode (``config.train``) the input is whitened with the batch
    statistics (:func:`kusari.functions.decorrelated_batch_normalization`) and the
    running statistics ``avg_mean`` / ``avg_projection`` are updated; otherwise the
    running statistics are used
    (:func:`kusari.functions.fixed_decorrelated_batch_normalization`).

    Args:
        size (int): number of channels ``c`` (a multiple of ``groups``).
        groups (int): number of channel groups.
        decay (float): decay rate of the running statistics.
        eps (float): added to the covariance diagonal.
        dtype: dtype of the running statistics.

    Attributes:
        avg_mean (array): ``(groups, c // groups)`` running means (persistent).
        avg_projection (array): ``(groups, c // groups, c // groups)`` running
            whitening matrices, identity at first (persistent).
        N (int): number of batches seen in fine-tuning mode (persistent).

    >>> import numpy, kusari.links as L
    >>> l = L.DecorrelatedBatchNormalization(4, groups=2)
    >>> l.avg_projection.shape
    (2, 2, 2)
    >>> l(numpy.random.randn(10, 4).astype(numpy.float32)).shape
    (10, 4)
    """

    def __init__(self, size, groups=16, decay=0.9, eps=2e-5, dtype=numpy.float32):
        super().__init__()
        if size % groups:
            raise ValueError('DecorrelatedBatchNormalization: size (%d) must be a '
                             'multiple of groups (%d)' % (size, groups))
        C = size // groups
        self.groups = groups
        self.decay = decay
        self.eps = eps
        self.avg_mean = numpy.zeros((groups, C), dtype=dtype)
        self.register_persistent('avg_mean')
        self.avg_projection = numpy.broadcast_to(
            numpy.eye(C, dtype=dtype), (groups, C, C)).copy()
        self.register_persistent('avg_projection')
        self.N = 0
        self.register_persistent('N')

    def forward(self, x, **kwargs):
        """Normalize ``x`` of shape ``(b, size, ...)``.

        Args:
            x (Variable or array): the input.
            finetune (bool): in training mode, accumulate the statistics as a
                cumulative average (decay ``1 - 1 / N``) instead of an exponential
                one.

        Returns:
            Variable: the whitened input.
        """
        finetune, = argument.parse_kwargs(
            kwargs, ('finetune', False),
            test='test argument is not supported anymore. '
                 'Use kusari.using_config')
        if configuration.config.train:
            if finetune:
                self.N += 1
                decay = 1. - 1. / self.N
            else:
                decay = self.decay
            avg_mean = self.avg_mean
            avg_projection = self.avg_projection
            if configuration.config.in_recomputing:
                # extra forward passes must not update the statistics
                if finetune:
                    self.N -= 1
                avg_mean = avg_projection = None
            return F.decorrelated_batch_normalization(
                x, groups=self.groups, eps=self.eps, running_mean=avg_mean,
                running_projection=avg_projection, decay=decay)
        dtype = x.dtype
        mean = self.avg_mean.astype(dtype, copy=False)
        proj = self.avg_projection.astype(dtype, copy=False)
        return F.fixed_decorrelated_batch_normalization(x, mean, proj,
                                                        groups=self.groups)

    def serialize(self, serializer):
        """Save or load the link; loading also reads Chainer's older files.

        Chainer before v7 stored one group's statistics (``avg_mean`` of shape
        ``(C,)``, ``avg_projection`` ``(C, C)``); such values are given to every
        group (with a :class:`UserWarning` when ``groups != 1``), as Chainer does.
        """
        if isinstance(serializer, kusari.serializer.Deserializer):
            serializer = _OldLayoutDeserializer(serializer, self.groups)
        super().serialize(serializer)

    def start_finetuning(self):
        """Reset the fine-tuning counter ``N`` (start a new cumulative average)."""
        self.N = 0


class _OldLayoutDeserializer:
    """Passes every call through, reading the two statistics in either layout."""

    def __init__(self, deserializer, groups):
        self.deserializer = deserializer
        self.groups = groups

    def __getitem__(self, key):
        return self.deserializer[key]

    def __call__(self, key, value):
        if key not in ('avg_mean', 'avg_projection') or value is None:
            return self.deserializer(key, value)
        # ask for the stored array itself (None while the loader only collects keys)
        stored = self.deserializer(key, None)
        if stored is None:
            return value
        if stored.shape == value.shape[1:]:
            if self.groups != 1:
                warnings.warn('Loading %s of the old layout %s: every one of the %d '
                              'groups gets it' % (key, stored.shape, self.groups),
                              UserWarning)
            stored = numpy.broadcast_to(stored, value.shape)
        elif stored.shape != value.shape:
            raise ValueError('DecorrelatedBatchNormalization: %s of shape %s does not '
                             'fit %s' % (key, stored.shape, value.shape))
        xp = backend.get_array_module(value)
        value[...] = xp.asarray(stored, dtype=value.dtype)
        return value
