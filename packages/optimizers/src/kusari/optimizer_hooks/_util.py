"""Helpers shared by the optimizer hooks (private)."""


def loss_scale_of(param):
    """The loss scale still applied to ``param.grad`` (``None`` if unscaled).

    A hook registered on the optimizer runs before the update rules divide each
    gradient by the loss scale of ``backward(loss_scale=...)``, so it sees scaled
    gradients; a hook registered on an update rule runs after that division.
    """
    scale = getattr(param, '_loss_scale', None)
    if scale is None:
        node = getattr(param, 'node', None)
        scale = getattr(node, '_loss_scale', None)
    return scale
