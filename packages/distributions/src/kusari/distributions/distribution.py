"""The :class:`Distribution` interface, and KL divergence by registered pairs.

Samples have the shape ``sample_shape + batch_shape + event_shape``: ``batch_shape``
indexes independent, differently parameterized distributions, ``event_shape`` is the
shape of one draw (``()`` for scalar distributions, ``(d,)`` for a ``d``-dimensional
one).  Probability functions take such a sample and return
``sample_shape + batch_shape`` values.
"""
import copy
import operator

from kusari import backend


class Distribution:
    """Interface of a probability distribution (Chainer's ``chainer.Distribution``).

    Subclasses compute everything from :class:`kusari.Variable` parameters with
    :mod:`kusari.functions`, so values such as :meth:`log_prob`, :attr:`entropy` or
    reparameterized samples can be differentiated with respect to the parameters.
    Methods a distribution does not have raise :class:`NotImplementedError`.

    >>> import numpy
    >>> import kusari.distributions as D
    >>> d = D.Normal(numpy.zeros((4, 3), numpy.float32),
    ...              numpy.ones((4, 3), numpy.float32))
    >>> d.batch_shape, d.event_shape
    ((4, 3), ())
    >>> d.sample(sample_shape=(6, 5)).shape
    (6, 5, 4, 3)
    """

    def _copy_to(self, target):
        target.__dict__ = copy.copy(self.__dict__)
        return target

    def __repr__(self):
        return '{}(batch_shape={}, event_shape={})'.format(
            type(self).__name__, self.batch_shape, self.event_shape)

    @property
    def batch_shape(self):
        """tuple: The shape of a batch of independent distributions."""
        raise NotImplementedError

    @property
    def event_shape(self):
        """tuple: The shape of one event (one draw of one distribution)."""
        raise NotImplementedError

    @property
    def params(self):
        """dict: The parameters of the distribution, name to Variable."""
        raise NotImplementedError

    def cdf(self, x):
        """The cumulative distribution function at ``x`` (a Variable)."""
        raise NotImplementedError

    def icdf(self, x):
        """The inverse cumulative distribution function (quantile) at ``x``."""
        raise NotImplementedError

    def log_cdf(self, x):
        """The logarithm of the cumulative distribution function at ``x``."""
        raise NotImplementedError

    def log_prob(self, x):
        """The logarithm of the density (or mass) function at ``x``."""
        raise NotImplementedError

    def log_survival_function(self, x):
        """The logarithm of the survival function ``1 - cdf`` at ``x``."""
        raise NotImplementedError

    def survival_function(self, x):
        """The survival function ``1 - cdf`` at ``x``."""
        raise NotImplementedError

    def perplexity(self, x):
        """The perplexity at ``x``."""
        raise NotImplementedError

    def prob(self, x):
        """The density (or mass) function at ``x``."""
        raise NotImplementedError

    @property
    def covariance(self):
        """~kusari.Variable: The covariance of the distribution."""
        raise NotImplementedError

    @property
    def entropy(self):
        """~kusari.Variable: The entropy of the distribution (shape ``batch_shape``)."""
        raise NotImplementedError

    @property
    def mean(self):
        """~kusari.Variable: The mean of the distribution."""
        raise NotImplementedError

    @property
    def mode(self):
        """~kusari.Variable: The mode of the distribution."""
        raise NotImplementedError

    @property
    def stddev(self):
        """~kusari.Variable: The standard deviation of the distribution."""
        raise NotImplementedError

    @property
    def variance(self):
        """~kusari.Variable: The variance of the distribution."""
        raise NotImplementedError

    @property
    def support(self):
        """str: The support of the distribution, in words (e.g. ``'real'``)."""
        raise NotImplementedError

    def sample(self, sample_shape=()):
        """Draw samples of shape ``sample_shape + batch_shape + event_shape``.

        Calls :meth:`sample_n` with the number of samples and reshapes its result;
        subclasses implement :meth:`sample_n`.

        Args:
            sample_shape (int or tuple of ints): the leading shape.

        Returns:
            ~kusari.Variable: the samples.
        """
        if isinstance(sample_shape, int) and not isinstance(sample_shape, bool):
            sample_shape = (sample_shape,)
        try:
            sample_shape = tuple(operator.index(s) for s in sample_shape)
        except TypeError:
            raise TypeError(
                '{}.sample: sample_shape must be an int or a tuple of ints, but '
                'got {!r}'.format(type(self).__name__, sample_shape)) from None
        if any(s < 0 for s in sample_shape):
            raise ValueError('{}.sample: sample_shape must be non-negative, but got '
                             '{}'.format(type(self).__name__, sample_shape))
        n = 1
        for s in sample_shape:
            n *= s
        samples = self.sample_n(n)
        return samples.reshape(sample_shape + self.batch_shape + self.event_shape)

    def sample_n(self, n):
        """Draw ``n`` samples: a Variable of shape ``(n,) + batch_shape + event_shape``."""
        raise NotImplementedError

    @property
    def xp(self):
        """The array module of the parameters: :mod:`numpy` or :mod:`cupy`."""
        return backend.get_array_module(*self.params.values())


_KLDIVERGENCE = {}


def register_kl(Dist1, Dist2):
    """Decorator registering the KL divergence function of a pair of distribution types.

    The decorated function takes an instance of ``Dist1`` and one of ``Dist2`` and
    returns :math:`D_{KL}(p\\|q)` as a Variable; :func:`kl_divergence` calls it.

    >>> import kusari.distributions as D
    >>> class Mine(D.Normal):
    ...     pass
    >>> @D.register_kl(Mine, Mine)
    ... def _kl_mine(p, q):
    ...     return D.kl_divergence(D.Normal(p.loc, p.scale), D.Normal(q.loc, q.scale))
    """
    for d in (Dist1, Dist2):
        if not (isinstance(d, type) and issubclass(d, Distribution)):
            raise TypeError('register_kl: expected two Distribution subclasses, '
                            'but got {!r}'.format(d))

    def decorator(kl):
        _KLDIVERGENCE[Dist1, Dist2] = kl
        return kl
    return decorator


def _lookup_kl(type1, type2):
    # The exact pair first (what Chainer does); otherwise the registered pair whose
    # classes come first in the two MROs, so a subclass inherits its base's KL.
    try:
        return _KLDIVERGENCE[type1, type2]
    except KeyError:
        pass
    for i, c1 in enumerate(type1.__mro__):
        for c2 in type2.__mro__:
            kl = _KLDIVERGENCE.get((c1, c2))
            if kl is not None:
                return kl
    return None


def kl_divergence(dist1, dist2):
    """Kullback-Leibler divergence :math:`D_{KL}(p\\|q)` of two distributions.

    .. math::
        D_{KL}(p\\|q) = \\int p(x) \\log \\frac{p(x)}{q(x)} dx

    Args:
        dist1 (Distribution): :math:`p`.
        dist2 (Distribution): :math:`q`.

    Returns:
        ~kusari.Variable: the divergence, of shape ``batch_shape``.

    Raises:
        NotImplementedError: no function is registered (:func:`register_kl`) for
            the pair of types.

    >>> import numpy
    >>> import kusari.distributions as D
    >>> p = D.Normal(numpy.float32(0), numpy.float32(1))
    >>> q = D.Normal(numpy.float32(1), numpy.float32(1))
    >>> float(D.kl_divergence(p, q).array)
    0.5
    """
    kl = _lookup_kl(type(dist1), type(dist2))
    if kl is None:
        raise NotImplementedError(
            'kl_divergence: no KL divergence is registered for ({}, {}); register '
            'one with kusari.distributions.register_kl'.format(
                type(dist1).__name__, type(dist2).__name__))
    return kl(dist1, dist2)


def cross_entropy(dist1, dist2):
    """Cross entropy :math:`H(p, q) = H(p) + D_{KL}(p\\|q)`.

    Needs :attr:`Distribution.entropy` of ``dist1`` and a registered KL divergence.

    >>> import numpy
    >>> import kusari.distributions as D
    >>> p = D.Normal(numpy.float64(0), numpy.float64(1))
    >>> round(float(D.cross_entropy(p, p).array), 6)   # = entropy of N(0, 1)
    1.418939
    """
    return dist1.entropy + kl_divergence(dist1, dist2)
