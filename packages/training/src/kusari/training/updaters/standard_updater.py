"""StandardUpdater: one minibatch, one optimizer step."""
from kusari import backend
from kusari import dataset
from kusari.training import _convert
from kusari.training import updater as updater_module


class StandardUpdater(updater_module.Updater):
    """Standard implementation of :class:`~kusari.training.Updater`.

    Each :meth:`update` takes the next minibatch from the ``'main'`` iterator,
    converts it with ``converter`` (to ``device``), and calls
    ``optimizer.update(loss_func, *in_arrays)`` on the ``'main'`` optimizer
    (``**in_arrays`` for a dict, one argument for a single array).

    Args:
        iterator: A dataset iterator, or a dict of them (``'main'`` is used).
        optimizer: An optimizer set up with a model, or a dict of them.
        converter: Converts a list of examples into arrays; a
            :class:`kusari.dataset.Converter` gets the device, a plain function
            ``f(batch, device_id)`` gets an integer id (-1: the host).
            Default :func:`kusari.dataset.concat_examples`.
        device: Device to which the model and the arrays are sent (a device
            specifier such as ``-1``, ``'@numpy'``, ``'@cupy:0'``, ``0``), or
            ``None`` to leave them where they are.
        loss_func (callable): The loss function; ``optimizer.target`` when ``None``.
        loss_scale (float): Loss scaling factor given to the optimizers.
        auto_new_epoch (bool): Call ``optimizer.new_epoch()`` at the end of every
            epoch of the main iterator.
        input_device: Device of the converted arrays when it differs from
            ``device`` (keyword only).

    Attributes:
        converter: The converter.
        loss_func: The loss function.
        iteration (int): Number of completed updates.

    Raises:
        TypeError: the converter returns something other than a tuple, a dict or
            an array.
    """

    def __init__(self, iterator, optimizer, converter=dataset.concat_examples,
                 device=None, loss_func=None, loss_scale=None, auto_new_epoch=True,
                 **kwargs):
        input_device = kwargs.pop('input_device', None)
        if kwargs:
            raise TypeError('StandardUpdater: unexpected keyword argument(s) '
                            '{}'.format(', '.join(sorted(kwargs))))
        if device is not None:
            device = backend.get_device(device)
        if input_device is not None:
            input_device = backend.get_device(input_device)
        else:
            input_device = device
        if not isinstance(iterator, dict):
            iterator = {'main': iterator}
        if 'main' not in iterator:
            raise ValueError("StandardUpdater: the iterators need a 'main' one, got "
                             "{}".format(sorted(iterator)))
        self._iterators = iterator
        if not isinstance(optimizer, dict):
            optimizer = {'main': optimizer}
        if 'main' not in optimizer:
            raise ValueError("StandardUpdater: the optimizers need a 'main' one, got "
                             "{}".format(sorted(optimizer)))
        for name, opt in optimizer.items():
            if getattr(opt, 'target', None) is None:
                raise ValueError(
                    'StandardUpdater: optimizer {!r} has no target; call '
                    'optimizer.setup(model) first'.format(name))
        self._optimizers = optimizer
        if device is not None:
            for opt in optimizer.values():
                opt.target.to_device(device)
        self.converter = converter
        self.loss_func = loss_func
        self.iteration = 0
        self._device = device
        self.input_device = input_device
        self.loss_scale = loss_scale
        if loss_scale is not None:
            for opt in optimizer.values():
                opt.set_loss_scale(loss_scale)
        self.auto_new_epoch = auto_new_epoch
        if auto_new_epoch:
            for opt in optimizer.values():
                opt.use_auto_new_epoch = True

    @property
    def device(self):
        """The device of the model (a :class:`kusari.backend.Device` or None)."""
        return self._device

    @property
    def epoch(self):
        """The epoch count of the main iterator."""
        return self._iterators['main'].epoch

    @property
    def epoch_detail(self):
        """The floating-point epoch of the main iterator."""
        return self._iterators['main'].epoch_detail

    @property
    def previous_epoch_detail(self):
        """The main iterator's epoch detail before its last minibatch."""
        return self._iterators['main'].previous_epoch_detail

    @property
    def is_new_epoch(self):
        """True right after the main iterator finished an epoch."""
        return self._iterators['main'].is_new_epoch

    def finalize(self):
        """Finalize every iterator (stops worker threads/processes)."""
        for iterator in self._iterators.values():
            finalize = getattr(iterator, 'finalize', None)
            if finalize is not None:
                finalize()

    def get_optimizer(self, name):
        """Return the optimizer called ``name``."""
        return self._optimizers[name]

    def get_all_optimizers(self):
        """Return a dict of all optimizers by name."""
        return dict(self._optimizers)

    def get_iterator(self, name):
        """Return the iterator called ``name``."""
        return self._iterators[name]

    def update(self):
        """Run one update step (:meth:`update_core`) and count it."""
        self.update_core()
        self.iteration += 1

    def update_core(self):
        """Take a minibatch, convert it and update the main optimizer's model."""
        iterator = self._iterators['main']
        batch = iterator.next()
        in_arrays = _convert.check_converted(
            _convert.call_converter(self.converter, batch, self.input_device),
            type(self).__name__)
        optimizer = self._optimizers['main']
        loss_func = self.loss_func or optimizer.target
        if isinstance(in_arrays, tuple):
            optimizer.update(loss_func, *in_arrays)
        elif isinstance(in_arrays, dict):
            optimizer.update(loss_func, **in_arrays)
        else:
            optimizer.update(loss_func, in_arrays)
        if self.auto_new_epoch and iterator.is_new_epoch:
            optimizer.new_epoch(auto=True)

    def serialize(self, serializer):
        """Save or load the iterators, optimizers, models and the iteration count.

        Keys: ``iterator:<name>/...``, ``optimizer:<name>/...``,
        ``model:<name>/...`` and ``iteration`` (Chainer's layout).
        """
        for name, iterator in self._iterators.items():
            iterator.serialize(serializer['iterator:' + name])
        for name, optimizer in self._optimizers.items():
            optimizer.serialize(serializer['optimizer:' + name])
            optimizer.target.serialize(serializer['model:' + name])
        self.iteration = serializer('iteration', self.iteration)
