"""Batch renormalization layer."""
import kusari.functions as F
from kusari import configuration
from kusari.links.normalization import batch_normalization
from kusari.utils import argument


class BatchRenormalization(batch_normalization.BatchNormalization):
    """Batch renormalization layer on outputs of linear or convolution functions.

    Wraps :func:`kusari.functions.batch_renormalization` (training) and
    :func:`kusari.functions.fixed_batch_normalization` (testing).  In training, the
    batch-normalized values are corrected by ``r = clip(sigma_B / sigma, 1/rmax,
    rmax)`` and ``d = clip((mu_B - mu) / sigma, -dmax, dmax)`` computed from the
    running statistics, which are then updated.

    Args:
        size (int or tuple of ints): Shape of the statistics.
        rmax (float): Upper bound of ``r``.
        dmax (float): Upper bound of ``|d|``.
        decay (float): Decay rate of the moving averages.
        eps (float): Epsilon added to the variance.
        dtype: dtype of the parameters and statistics.
        use_gamma (bool): Use the scaling parameter ``gamma``.
        use_beta (bool): Use the shifting parameter ``beta``.
        initial_gamma: Initializer of ``gamma`` (``None``: one).
        initial_beta: Initializer of ``beta`` (``None``: zero).
        initial_avg_mean: Initializer of ``avg_mean`` (``None``: zero).
        initial_avg_var: Initializer of ``avg_var`` (``None``: one).

    >>> import kusari.links as L
    >>> L.BatchRenormalization(3, rmax=3., dmax=5.).avg_mean
    array([0., 0., 0.], dtype=float32)
    """

    def __init__(self, size, rmax=1, dmax=0, decay=0.9, eps=2e-5, dtype=None,
                 use_gamma=True, use_beta=True, initial_gamma=None,
                 initial_beta=None, initial_avg_mean=None, initial_avg_var=None):
        super().__init__(size, decay, eps, dtype, use_gamma, use_beta,
                         initial_gamma, initial_beta,
                         initial_avg_mean=initial_avg_mean,
                         initial_avg_var=initial_avg_var)
        self.rmax = rmax
        self.dmax = dmax

    def forward(self, x, finetune=False, **kwargs):
        """Renormalize ``x``.

        Args:
            x (~kusari.Variable or array): Input, ``(N, size..., ...)``.
            finetune (bool): In training mode, accumulate the population statistics
                (``decay = 1 - 1/N``).

        Returns:
            ~kusari.Variable: The output, of the shape of ``x``.

        """
        argument.parse_kwargs(
            kwargs, test='test argument is not supported anymore. '
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
            update = True
            if configuration.config.in_recomputing:
                # an extra forward pass (F.forget's) must not update the statistics
                # and must see them as the first pass did (r and d depend on them)
                if finetune:
                    self.N -= 1
                update = False
                saved = self.__dict__.pop('_stats_before', None)
                if saved is not None:
                    avg_mean, avg_var = saved
            elif getattr(configuration.config, '_will_recompute', False):
                self._stats_before = (avg_mean.copy(), avg_var.copy())
            return F.batch_renormalization(
                x, gamma, beta, self.rmax, self.dmax, self.eps, avg_mean,
                avg_var, decay, update_statistics=update)
        return F.fixed_batch_normalization(
            x, gamma, beta, self.avg_mean, self.avg_var, self.eps)
