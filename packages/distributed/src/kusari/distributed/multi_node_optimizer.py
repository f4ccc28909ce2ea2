"""create_multi_node_optimizer: an optimizer whose gradients are averaged over processes."""


class _MultiNodeOptimizer:
    """Wraps an optimizer: each update averages the gradients over all processes.

    The first update after setup (and any update after the set of initialized
    parameters changed, e.g. a lazily initialized ``Linear(None, n)``) only
    broadcasts rank 0's parameters, so that every process starts from the same
    model; later updates average the gradients and run the actual update.
    Attribute access goes to the wrapped optimizer.
    """

    def __init__(self, actual_optimizer, communicator, zero_fill=True):
        object.__setattr__(self, 'communicator', communicator)
        object.__setattr__(self, 'actual_optimizer', actual_optimizer)
        object.__setattr__(self, 'target_params', [])
        object.__setattr__(self, 'zero_fill', zero_fill)

    def setup(self, link):
        self.actual_optimizer.setup(link)
        return self

    def update(self, lossfun=None, *args, **kwds):
        actual = self.actual_optimizer
        target = actual.target
        if lossfun is not None:
            loss = lossfun(*args, **kwds)
            if getattr(actual, '_use_cleargrads', True):
                target.cleargrads()
            else:
                target.zerograds()
            # the loss scale the actual optimizer uses (None unless loss scaling)
            loss.backward(loss_scale=getattr(actual, '_loss_scale', None))
            del loss
        if self._is_changed(target):
            self.communicator.bcast_data(target)
        else:
            self.communicator.multi_node_mean_grad(target, self.zero_fill)
            actual.update(None, *args, **kwds)

    def _is_changed(self, target):
        previous = self.target_params
        current = [(name, param.array is not None)
                   for name, param in sorted(target.namedparams(), key=lambda kv: kv[0])]
        object.__setattr__(self, 'target_params', current)
        return previous != current

    def __getattr__(self, name):
        return getattr(self.actual_optimizer, name)

    def __setattr__(self, name, value):
        setattr(self.actual_optimizer, name, value)


def create_multi_node_optimizer(actual_optimizer, communicator, double_buffering=False,
                                zero_fill=True):
    """Wrap ``actual_optimizer`` so that its updates use gradients averaged over processes.

    Args:
        actual_optimizer: A kusari optimizer (e.g. ``kusari.optimizers.Adam()``).
        communicator: A communicator from :func:`create_communicator`.
        double_buffering (bool): ChainerMN's overlap of a step's allreduce with the
            next step (``pure_nccl`` only); not provided by kusari.
        zero_fill (bool): Parameters without a gradient take zeros in the reduction.

    Returns:
        The wrapped optimizer (``setup``, ``update`` and every attribute of the
        actual optimizer).
    """
    if double_buffering:
        from kusari.distributed.communicators import PureNcclCommunicator
        if not isinstance(communicator, PureNcclCommunicator):
            raise ValueError('create_multi_node_optimizer: double_buffering needs the '
                             '"pure_nccl" communicator, got {}'.format(
                                 type(communicator).__name__))
        raise NotImplementedError('create_multi_node_optimizer: double_buffering is '
                                  'not provided by kusari')
    return _MultiNodeOptimizer(actual_optimizer, communicator, zero_fill)
