"""kusari.functions: the activation family."""
from kusari.functions.activation.clipped_relu import clipped_relu  # NOQA
from kusari.functions.activation.clipped_relu import relu6  # NOQA
from kusari.functions.activation.crelu import crelu  # NOQA
from kusari.functions.activation.elu import elu  # NOQA
from kusari.functions.activation.elu import selu  # NOQA
from kusari.functions.activation.gelu import gelu  # NOQA
from kusari.functions.activation.hard_sigmoid import hard_sigmoid  # NOQA
from kusari.functions.activation.hard_swish import hard_swish  # NOQA
from kusari.functions.activation.leaky_relu import leaky_relu  # NOQA
from kusari.functions.activation.log_sigmoid import log_sigmoid  # NOQA
from kusari.functions.activation.log_softmax import log_softmax  # NOQA
from kusari.functions.activation.maxout import maxout  # NOQA
from kusari.functions.activation.mish import mish  # NOQA
from kusari.functions.activation.prelu import prelu  # NOQA
from kusari.functions.activation.relu import relu  # NOQA
from kusari.functions.activation.rrelu import rrelu  # NOQA
from kusari.functions.activation.sigmoid import sigmoid  # NOQA
from kusari.functions.activation.silu import silu  # NOQA
from kusari.functions.activation.softmax import softmax  # NOQA
from kusari.functions.activation.softplus import softplus  # NOQA
from kusari.functions.activation.softsign import softsign  # NOQA
from kusari.functions.activation.swish import swish  # NOQA
from kusari.functions.activation.tanh import tanh  # NOQA

__all__ = ['clipped_relu', 'crelu', 'elu', 'hard_sigmoid', 'leaky_relu', 'log_softmax',
           'maxout', 'prelu', 'relu', 'relu6', 'rrelu', 'selu', 'sigmoid', 'softmax',
           'softplus', 'swish', 'tanh']
__all__ += ['gelu', 'hard_swish', 'log_sigmoid', 'mish', 'silu', 'softsign']

from kusari.functions import _layout  # noqa: E402

_layout.chainer_layout(globals())
