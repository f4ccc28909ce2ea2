"""kusari.functions: the util family."""
from kusari.functions.util.forget import forget

__all__ = ['forget']

from kusari.functions import _layout  # noqa: E402

_layout.chainer_layout(globals())
