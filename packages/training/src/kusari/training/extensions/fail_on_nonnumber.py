"""FailOnNonNumber: stop training when a parameter becomes NaN or infinite."""
from kusari import backend
from kusari.training import extension


class FailOnNonNumber(extension.Extension):
    """Trainer extension that raises when a parameter (or gradient) diverges.

    Args:
        check_grad (bool): Also check the gradients.

    Raises:
        RuntimeError: (when called) a parameter or a gradient of an optimizer's
            model holds NaN or infinity; the message names the optimizer.
    """

    def __init__(self, check_grad=True):
        self._check_grad = check_grad

    def __call__(self, trainer):
        """Check every parameter of every optimizer's model."""
        for name, optimizer in trainer.updater.get_all_optimizers().items():
            for param in optimizer.target.params():
                array = param.array
                if array is None:
                    continue
                xp = backend.get_array_module(array)
                if not xp.isfinite(array).all():
                    raise RuntimeError(
                        "Kill the process since parameters in optimizer '{}' "
                        "diverge. R.I.P.".format(name))
                if self._check_grad:
                    grad = param.grad
                    if grad is not None and not xp.isfinite(grad).all():
                        raise RuntimeError(
                            "Kill the process since gradients in optimizer '{}' "
                            "diverge. R.I.P.".format(name))
