"""The position/epoch bookkeeping shared by the iterators (one pure function)."""
import collections

import numpy

IteratorState = collections.namedtuple(
    'IteratorState', ('current_position', 'epoch', 'is_new_epoch', 'order'))


def iterator_statemachine(state, batch_size, repeat, order_sampler, dataset_len, who):
    """Advance ``state`` by one batch: return ``(new_state, indices or None)``.

    ``indices`` is ``None`` when a non-repeating iterator has finished its epoch.
    """
    i, epoch, _, order = state
    if not repeat and epoch > 0:
        return state, None
    n = dataset_len if order is None else len(order)
    if n == 0:
        raise ValueError('{}: the dataset is empty (an iterator needs at least one '
                         'example)'.format(who))
    parts = []
    is_new_epoch = False
    remaining = batch_size
    while remaining > 0:
        take = min(remaining, n - i)
        if order is None:
            parts.append(numpy.arange(i, i + take))
        else:
            parts.append(order[i:i + take])
        remaining -= take
        i += take
        if i >= n:
            epoch += 1
            is_new_epoch = True
            i = 0
            if order_sampler is not None:
                new_order = order_sampler(order, n)
                if len(new_order) != n:
                    raise ValueError(
                        '{}: the order sampler returned {} indices, expected {} (the '
                        'size of the previous order)'.format(who, len(new_order), n))
                order = new_order
            if not repeat:
                break
    indices = parts[0] if len(parts) == 1 else numpy.concatenate(parts)
    return IteratorState(i, epoch, is_new_epoch, order), indices


def check_batch_size(batch_size, who):
    if isinstance(batch_size, bool) or not isinstance(batch_size, (int, numpy.integer)):
        raise TypeError('{}: batch_size must be an int, got {}'.format(
            who, type(batch_size).__name__))
    if batch_size <= 0:
        raise ValueError('{}: batch_size must be positive, got {}'.format(who, batch_size))
    return int(batch_size)


def resolve_order_sampler(shuffle, order_sampler, who):
    """Chainer's rule: ``shuffle`` and a custom ``order_sampler`` are exclusive."""
    from kusari.iterators.order_samplers import ShuffleOrderSampler
    if shuffle is not None:
        if order_sampler is not None:
            raise ValueError(
                '{}: `shuffle` is not `None` and a custom `order_sampler` is set. '
                'Please set `shuffle` to `None` to use the custom order sampler.'
                .format(who))
        return ShuffleOrderSampler() if shuffle else None
    return ShuffleOrderSampler() if order_sampler is None else order_sampler


def serialize_state(iterator, serializer):
    """Save/load ``iterator._state`` and ``_previous_epoch_detail`` (Chainer's keys)."""
    state = iterator._state
    current_position = serializer('current_position', state.current_position)
    epoch = serializer('epoch', state.epoch)
    is_new_epoch = serializer('is_new_epoch', state.is_new_epoch)
    order = state.order
    if order is not None:
        try:
            serializer('order', order)
        except KeyError:
            serializer('_order', order)
    iterator._state = IteratorState(int(current_position), int(epoch),
                                    bool(is_new_epoch), order)
    try:
        iterator._previous_epoch_detail = float(serializer(
            'previous_epoch_detail', iterator._previous_epoch_detail))
    except KeyError:
        # Files of older Chainer versions lack it: guess it from the position.
        detail = iterator.epoch + (iterator.current_position -
                                   iterator.batch_size) / iterator._epoch_size
        if iterator.epoch_detail > 0:
            iterator._previous_epoch_detail = max(detail, 0.)
        else:
            iterator._previous_epoch_detail = -1.
    sampler = getattr(iterator, 'order_sampler', None)
    if sampler is not None and callable(getattr(sampler, 'serialize', None)):
        sampler.serialize(serializer['order_sampler'])


class EpochMixin:
    """The progress properties shared by the iterators (``_state`` based)."""

    @property
    def current_position(self):
        """The position in the current epoch's order."""
        return self._state.current_position

    @property
    def epoch(self):
        """The number of completed epochs."""
        return self._state.epoch

    @property
    def is_new_epoch(self):
        """``True`` right after the batch that completed an epoch."""
        return self._state.is_new_epoch

    @property
    def epoch_detail(self):
        """The progress in epochs as a float (``epoch + position / epoch size``)."""
        size = self._epoch_size
        return self.epoch + (self.current_position / size if size else 0.)

    @property
    def previous_epoch_detail(self):
        """``epoch_detail`` before the last ``next()``; ``None`` before the first."""
        if self._previous_epoch_detail < 0:
            return None
        return self._previous_epoch_detail

    @property
    def repeat(self):
        """Whether the iterator loops over the dataset forever."""
        return self._repeat

    @property
    def _epoch_size(self):
        order = self._state.order
        return len(self.dataset) if order is None else len(order)

    def serialize(self, serializer):
        """Save/load the position, epoch, order and previous epoch detail."""
        serialize_state(self, serializer)

