"""ParameterStatistics: report statistics of parameters and gradients."""
import numpy

from kusari import backend
from kusari import reporter
from kusari.training import extension
from kusari.training import util as trigger_util


def _xp(x):
    return backend.get_array_module(x)


class ParameterStatistics(extension.Extension):
    """Trainer extension to report statistics of the parameters of links.

    For every parameter of every link, and for its data and/or gradient, every
    statistic function is applied to the flattened array; the values are averaged
    over iterations and reported when ``trigger`` fires, under
    ``{prefix/}{link name}{param path}/{data|grad}/{statistic}`` (a statistic
    that returns several values gets ``/0``, ``/1``, ... appended).

    Args:
        links: A link or a list of links.
        statistics (dict): Name to ``f(array) -> scalar or array``;
            ``'default'`` uses :attr:`default_statistics` (mean, std, min, max,
            zeros, percentile); ``None`` none.
        report_params (bool): Report statistics of the parameter values.
        report_grads (bool): Report statistics of the gradients.
        prefix (str): Prefix of the keys.
        trigger: When to report (``(1, 'epoch')``).
        skip_nan_params (bool): Report NaN for a parameter that contains NaN
            instead of computing the statistics.
    """

    default_name = 'parameter_statistics'
    priority = extension.PRIORITY_WRITER
    report_key_template = ('{prefix}{link_name}{param_name}/{attr_name}/'
                           '{function_name}')
    default_statistics = {
        'mean': lambda x: _xp(x).mean(x),
        'std': lambda x: _xp(x).std(x),
        'min': lambda x: _xp(x).min(x),
        'max': lambda x: _xp(x).max(x),
        'zeros': lambda x: _xp(x).count_nonzero(x == 0),
        'percentile': lambda x: _xp(x).percentile(
            x, (0.13, 2.28, 15.87, 50, 84.13, 97.72, 99.87)),
    }

    def __init__(self, links, statistics='default', report_params=True,
                 report_grads=True, prefix=None, trigger=(1, 'epoch'),
                 skip_nan_params=False):
        if not isinstance(links, (list, tuple)):
            links = links,
        self._links = links
        if statistics is None:
            statistics = {}
        elif isinstance(statistics, str) and statistics == 'default':
            statistics = self.default_statistics
        self._statistics = dict(statistics)
        attrs = []
        if report_params:
            attrs.append('data')
        if report_grads:
            attrs.append('grad')
        self._attrs = attrs
        self._prefix = prefix
        self._trigger = trigger_util.get_trigger(trigger)
        self._summary = reporter.DictSummary()
        self._skip_nan_params = skip_nan_params

    def __call__(self, trainer):
        """Compute the statistics; report their means when the trigger fires."""
        statistics = {}
        for link in self._links:
            link_name = getattr(link, 'name', 'None')
            for param_name, param in link.namedparams():
                for attr_name in self._attrs:
                    array = getattr(param, attr_name)
                    if array is None:     # no gradient (yet) or uninitialized
                        continue
                    params = array.ravel()
                    for function_name, function in self._statistics.items():
                        if self._skip_nan_params and bool(_xp(params).isnan(
                                params).any()):
                            value = numpy.nan
                        else:
                            value = function(params)
                        key = self.report_key_template.format(
                            prefix=self._prefix + '/' if self._prefix else '',
                            link_name=link_name, param_name=param_name,
                            attr_name=attr_name, function_name=function_name)
                        if (isinstance(value, backend.get_array_types())
                                and value.size > 1):
                            statistics.update({'{}/{}'.format(key, i): v
                                               for i, v in enumerate(value)})
                        else:
                            statistics[key] = value
        self._summary.add(statistics)
        if self._trigger(trainer):
            reporter.report(self._summary.compute_mean())
            self._summary = reporter.DictSummary()

    def register_statistics(self, name, function):
        """Add a statistic ``function(array) -> value`` under ``name``."""
        self._statistics[name] = function
