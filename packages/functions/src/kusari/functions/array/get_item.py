"""``get_item`` lives in the core (``Variable.__getitem__`` needs it); re-exported here.

:func:`get_item` supports what NumPy's ``__getitem__`` does: ints, slices, ``None``,
``Ellipsis``, integer arrays and boolean masks, or tuples of them.  Its gradient
scatters back into zeros of the input's shape, adding up elements selected more than
once (:class:`GetItemGrad`, whose own gradient is :class:`GetItem` again).
"""
from kusari import _core

GetItem = _core.GetItem
GetItemGrad = _core.GetItemGrad
get_item = _core.get_item
