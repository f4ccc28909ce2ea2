"""kusari.dataset: dataset helpers, converters and the iterator base class
(Chainer 7's ``chainer.dataset``)."""
from kusari.dataset.convert import Converter, concat_examples, converter, to_device  # noqa: F401
from kusari.dataset.iterator import Iterator  # noqa: F401
