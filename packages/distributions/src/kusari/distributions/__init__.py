"""kusari.distributions: probability distributions (Chainer's ``chainer.distributions``).

Each distribution takes :class:`kusari.Variable` or array parameters; its
``log_prob``, ``entropy``, moments and (where the distribution allows it) samples are
computed with :mod:`kusari.functions`, so they can be differentiated with respect to
the parameters.  :func:`kl_divergence` looks up the function registered for a pair of
distribution types with :func:`register_kl`.

>>> import numpy
>>> import kusari
>>> import kusari.distributions as D
>>> loc = kusari.Variable(numpy.zeros(2, numpy.float32))
>>> d = D.Normal(loc, numpy.ones(2, numpy.float32))
>>> y = kusari.functions.sum(d.log_prob(numpy.array([1., -1.], numpy.float32)))
>>> y.backward()
>>> loc.grad
array([ 1., -1.], dtype=float32)
"""
from kusari.distributions.distribution import (  # noqa: F401
    Distribution,
    cross_entropy,
    kl_divergence,
    register_kl,
)
from kusari.distributions.bernoulli import Bernoulli  # noqa: F401
from kusari.distributions.beta import Beta  # noqa: F401
from kusari.distributions.categorical import Categorical  # noqa: F401
from kusari.distributions.cauchy import Cauchy  # noqa: F401
from kusari.distributions.chisquare import Chisquare  # noqa: F401
from kusari.distributions.dirichlet import Dirichlet  # noqa: F401
from kusari.distributions.exponential import Exponential  # noqa: F401
from kusari.distributions.gamma import Gamma  # noqa: F401
from kusari.distributions.geometric import Geometric  # noqa: F401
from kusari.distributions.gumbel import Gumbel  # noqa: F401
from kusari.distributions.independent import Independent  # noqa: F401
from kusari.distributions.laplace import Laplace  # noqa: F401
from kusari.distributions.log_normal import LogNormal  # noqa: F401
from kusari.distributions.multivariate_normal import MultivariateNormal  # noqa: F401
from kusari.distributions.normal import Normal  # noqa: F401
from kusari.distributions.one_hot_categorical import OneHotCategorical  # noqa: F401
from kusari.distributions.pareto import Pareto  # noqa: F401
from kusari.distributions.poisson import Poisson  # noqa: F401
from kusari.distributions.uniform import Uniform  # noqa: F401
from kusari.distributions import utils  # noqa: F401  (Chainer's distributions.utils)

__version__ = '0.1.0'

__all__ = [
    'Bernoulli', 'Beta', 'Categorical', 'Cauchy', 'Chisquare', 'Dirichlet',
    'Distribution', 'Exponential', 'Gamma', 'Geometric', 'Gumbel', 'Independent',
    'Laplace', 'LogNormal', 'MultivariateNormal', 'Normal', 'OneHotCategorical',
    'Pareto', 'Poisson', 'Uniform', 'cross_entropy', 'kl_divergence', 'register_kl',
]
