"""What the weight re-parameterizing hooks share (private to kusari-links)."""
from kusari import link_hook
from kusari import utils


class WeightHook(link_hook.LinkHook):
    """A hook that replaces ``link.<weight_name>`` by a function of it during forward.

    The original Parameter is put back after the forward computation, so that the
    link's parameters, optimizers and serializers only ever see the Parameter, while
    the graph of the output goes through the re-parameterized weight.
    """

    weight_name = 'W'

    def __enter__(self):
        raise NotImplementedError(
            '{}: this hook is registered to one link with link.add_hook(hook); it '
            'cannot be used as a context manager.'.format(type(self).__name__))

    def __exit__(self, *_):
        raise NotImplementedError

    def _check_weight(self, link):
        if not hasattr(link, self.weight_name):
            raise ValueError('{}: the link {} has no weight {!r}'.format(
                type(self).__name__, type(link).__name__, self.weight_name))

    def _initialize_weight(self, link, args):
        # An uninitialized weight (e.g. Linear(None, n)) takes its shape from the
        # input, as the link itself would do in forward.
        if getattr(link, self.weight_name).array is not None:
            return
        if not args or args[0] is None:
            raise ValueError('{}: the weight {!r} of {} is not initialized and there '
                             'is no input to infer its shape from'.format(
                                 type(self).__name__, self.weight_name,
                                 type(link).__name__))
        x = args[0]
        from kusari import links
        if isinstance(link, links.Linear):
            link._initialize_params(utils.size_of_shape(x.shape[1:]))
        else:
            link._initialize_params(x.shape[1])

    def forward_postprocess(self, cb_args):
        # The graph is built: put the Parameter back.
        setattr(cb_args.link, self.weight_name, self.original_weight)
        self.original_weight = None
