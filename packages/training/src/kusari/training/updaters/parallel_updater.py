"""ParallelUpdater: data-parallel training on several GPUs of one process."""
import copy

from kusari import backend
from kusari import dataset
from kusari.training import _convert
from kusari.training.updaters import standard_updater


class ParallelUpdater(standard_updater.StandardUpdater):
    """Updater for data-parallel training on several devices in one process.

    The model of the main optimizer is copied to every device in ``devices``; each
    update splits the minibatch evenly, computes the losses on every device,
    gathers the gradients into the ``'main'`` model, updates it and copies the
    parameters back.

    Args:
        iterator: A dataset iterator, or a dict of them.
        optimizer: An optimizer set up with the model, or a dict of them.
        converter: Batch converter (see
            :class:`~kusari.training.updaters.StandardUpdater`).
        models (dict): Models by name, one per device (``'main'`` included);
            built from the main model when ``None``.
        devices (dict): Device specifiers by the same names (``'main'`` is the
            device of the model that is updated).
        loss_func (callable): Loss function; the model itself when ``None``.
        loss_scale (float): Loss scaling factor.
        auto_new_epoch (bool): Call ``optimizer.new_epoch()`` at epoch ends.
    """

    def __init__(self, iterator, optimizer, converter=dataset.concat_examples,
                 models=None, devices=None, loss_func=None, loss_scale=None,
                 auto_new_epoch=True):
        super().__init__(iterator=iterator, optimizer=optimizer, converter=converter,
                         loss_func=loss_func, loss_scale=loss_scale,
                         auto_new_epoch=auto_new_epoch)
        if models is None:
            if devices is None:
                raise ValueError('ParallelUpdater: either models or devices must '
                                 'be given')
            if 'main' not in devices:
                raise KeyError("ParallelUpdater: devices must contain 'main', got "
                               "{}".format(sorted(devices)))
            devices = {name: backend.get_device(d) for name, d in devices.items()}
            main_device = devices.pop('main')
            models = {'main': optimizer.target}
            for name, device in devices.items():
                model = copy.deepcopy(optimizer.target)
                model.to_device(device)
                models[name] = model
            optimizer.target.to_device(main_device)
        self._devices = devices
        self._models = models

    def connect_trainer(self, trainer):
        """Register the non-main models as observers of the trainer's reporter."""
        model_main = self.get_optimizer('main').target
        models_others = {k: v for k, v in self._models.items() if v is not model_main}
        for name, model in models_others.items():
            trainer.reporter.add_observer(name, model)

    def update_core(self):
        """Split the batch, backpropagate on every device, update the main model."""
        optimizer = self.get_optimizer('main')
        model_main = optimizer.target
        models_others = {k: v for k, v in self._models.items() if v is not model_main}
        iterator = self.get_iterator('main')
        batch = iterator.next()
        n = len(self._models)
        in_arrays_list = {}
        for i, key in enumerate(self._models.keys()):
            device = self._models[key].device
            in_arrays_list[key] = _convert.check_converted(
                _convert.call_converter(self.converter, batch[i::n], device),
                type(self).__name__)
        for model in self._models.values():
            model.cleargrads()
        losses = []
        for model_key, model in self._models.items():
            in_arrays = in_arrays_list[model_key]
            loss_func = self.loss_func or model
            with backend.using_device(model.device):
                losses.append(_convert.call_with(loss_func, in_arrays))
        for loss in losses:
            if len(loss.array.shape) > 0:
                raise ValueError('ParallelUpdater: the loss must be a scalar, got '
                                 'shape {}'.format(loss.array.shape))
            loss.backward(loss_scale=self.loss_scale)
        for model in models_others.values():
            model_main.addgrads(model)
        optimizer.update()
        for model in models_others.values():
            model.copyparams(model_main)
        if self.auto_new_epoch and iterator.is_new_epoch:
            optimizer.new_epoch(auto=True)
