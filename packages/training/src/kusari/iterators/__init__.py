"""kusari.iterators: dataset iterators (Chainer 7's ``chainer.iterators``)."""
from kusari.iterators.multiprocess_iterator import MultiprocessIterator  # noqa: F401
from kusari.iterators.multithread_iterator import MultithreadIterator  # noqa: F401
from kusari.iterators.order_samplers import OrderSampler, ShuffleOrderSampler  # noqa: F401
from kusari.iterators.serial_iterator import SerialIterator  # noqa: F401
