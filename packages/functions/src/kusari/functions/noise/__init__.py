"""kusari.functions: the noise family."""
from kusari.functions.noise.dropout import dropout
from kusari.functions.noise.gaussian import gaussian
from kusari.functions.noise.gumbel_softmax import gumbel_softmax
from kusari.functions.noise.simplified_dropconnect import simplified_dropconnect
from kusari.functions.noise.zoneout import zoneout

__all__ = ['dropout', 'gaussian', 'gumbel_softmax', 'simplified_dropconnect', 'zoneout']

from kusari.functions import _layout  # noqa: E402

_layout.chainer_layout(globals())
