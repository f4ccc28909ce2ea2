"""Optimizers of kusari (``chainer.optimizers``), distribution ``kusari-optimizers``.

Every optimizer is a :class:`~kusari.GradientMethod` that gives each parameter of its
target link an update rule (``param.update_rule``, a subclass of
:class:`~kusari.UpdateRule`), whose hyperparameters default to the optimizer's:
``optimizer.lr = 0.1`` reaches every rule.  On the CPU each rule updates a float32 or
float64 parameter and its state in one fused, in-place Cython pass (NumPy in-place
operations for float16 or non-contiguous arrays); on the GPU, one CuPy elementwise
kernel.

======================================  ============================================
optimizer                               state arrays per parameter
======================================  ============================================
:class:`SGD`                            (none)
:class:`MomentumSGD`                    ``v``
:class:`NesterovAG`                     ``v``
:class:`CorrectedMomentumSGD`           ``v``
:class:`AdaGrad`                        ``h``
:class:`AdaDelta`                       ``msg``, ``msdx``
:class:`RMSprop`                        ``ms``
:class:`RMSpropGraves`                  ``n``, ``g``, ``delta``
:class:`Adam`                           ``m``, ``v`` (and ``vhat`` with ``amsgrad``)
:class:`AdamW`, :class:`AMSGrad`        as :class:`Adam`
:class:`AdaBound`, :class:`AMSBound`    as :class:`Adam`
:class:`SMORMS3`                        ``mem``, ``g``, ``g2``
:class:`MSVAG`                          ``m``, ``v``
======================================  ============================================
"""
from kusari.optimizers import ada_delta  # noqa: F401
from kusari.optimizers import ada_grad  # noqa: F401
from kusari.optimizers import adam  # noqa: F401
from kusari.optimizers import corrected_momentum_sgd  # noqa: F401
from kusari.optimizers import momentum_sgd  # noqa: F401
from kusari.optimizers import msvag  # noqa: F401
from kusari.optimizers import nesterov_ag  # noqa: F401
from kusari.optimizers import rmsprop  # noqa: F401
from kusari.optimizers import rmsprop_graves  # noqa: F401
from kusari.optimizers import sgd  # noqa: F401
from kusari.optimizers import smorms3  # noqa: F401

from kusari.optimizers.ada_delta import AdaDelta, AdaDeltaRule  # noqa: F401
from kusari.optimizers.ada_grad import AdaGrad, AdaGradRule  # noqa: F401
from kusari.optimizers.adam import (  # noqa: F401
    AdaBound, Adam, AdamRule, AdamW, AMSBound, AMSGrad)
from kusari.optimizers.corrected_momentum_sgd import (  # noqa: F401
    CorrectedMomentumSGD, CorrectedMomentumSGDRule)
from kusari.optimizers.momentum_sgd import MomentumSGD, MomentumSGDRule  # noqa: F401
from kusari.optimizers.msvag import MSVAG, MSVAGRule  # noqa: F401
from kusari.optimizers.nesterov_ag import NesterovAG, NesterovAGRule  # noqa: F401
from kusari.optimizers.rmsprop import RMSprop, RMSpropRule  # noqa: F401
from kusari.optimizers.rmsprop_graves import (  # noqa: F401
    RMSpropGraves, RMSpropGravesRule)
from kusari.optimizers.sgd import SGD, SGDRule  # noqa: F401
from kusari.optimizers.smorms3 import SMORMS3, SMORMS3Rule  # noqa: F401

__all__ = ['AdaBound', 'AdaDelta', 'AdaGrad', 'Adam', 'AdamW', 'AMSBound', 'AMSGrad',
           'CorrectedMomentumSGD', 'MomentumSGD', 'MSVAG', 'NesterovAG', 'RMSprop',
           'RMSpropGraves', 'SGD', 'SMORMS3',
           'AdaDeltaRule', 'AdaGradRule', 'AdamRule', 'CorrectedMomentumSGDRule',
           'MomentumSGDRule', 'MSVAGRule', 'NesterovAGRule', 'RMSpropRule',
           'RMSpropGravesRule', 'SGDRule', 'SMORMS3Rule']
