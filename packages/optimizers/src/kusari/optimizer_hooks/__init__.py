"""Optimizer hook functions of kusari (``chainer.optimizer_hooks``).

A hook is registered with ``optimizer.add_hook(hook)`` (or on one parameter's rule
with ``param.update_rule.add_hook(hook)``) and runs at its ``timing`` (``'pre'``:
before the updates, the default of every hook here).  Hooks with
``call_for_each_param = True`` are called as ``hook(rule, param)`` for every
parameter; :class:`GradientClipping` is called once as ``hook(optimizer)``.

The Chainer v1.5 spellings ``kusari.optimizer.WeightDecay`` etc. are deprecated
aliases of these classes.
"""
from kusari.optimizer_hooks import gradient_clipping  # noqa: F401
from kusari.optimizer_hooks import gradient_hard_clipping  # noqa: F401
from kusari.optimizer_hooks import gradient_lars  # noqa: F401
from kusari.optimizer_hooks import gradient_noise  # noqa: F401
from kusari.optimizer_hooks import lasso  # noqa: F401
from kusari.optimizer_hooks import weight_decay  # noqa: F401

from kusari.optimizer_hooks.gradient_clipping import GradientClipping  # noqa: F401
from kusari.optimizer_hooks.gradient_hard_clipping import (  # noqa: F401
    GradientHardClipping)
from kusari.optimizer_hooks.gradient_lars import GradientLARS  # noqa: F401
from kusari.optimizer_hooks.gradient_noise import GradientNoise  # noqa: F401
from kusari.optimizer_hooks.lasso import Lasso  # noqa: F401
from kusari.optimizer_hooks.weight_decay import WeightDecay  # noqa: F401

__all__ = ['GradientClipping', 'GradientHardClipping', 'GradientLARS', 'GradientNoise',
           'Lasso', 'WeightDecay']
