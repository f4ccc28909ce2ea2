"""Packing of gradients into one buffer and back (used by the flat-style communicators)."""
import numpy as np


def array_module(array):
    """NumPy for host arrays, CuPy for device arrays (without importing CuPy otherwise)."""
    if isinstance(array, np.ndarray) or np.isscalar(array):
        return np
    import cupy
    return cupy


def collect_grads(model, zero_fill):
    """``(param, grad)`` pairs in the deterministic order every rank agrees on.

    Parameters are sorted by name so that all ranks pack the same layout.  With
    ``zero_fill`` a parameter whose gradient is ``None`` takes zeros (and gets
    them as its gradient afterwards); without it such a parameter is skipped.
    """
    pairs = []
    for _, param in sorted(model.namedparams(), key=lambda kv: kv[0]):
        if param.array is None:
            continue
        grad = param.grad
        if grad is None:
            if not zero_fill:
                continue
            xp = array_module(param.array)
            grad = xp.zeros_like(param.array)
            param.grad = grad
        pairs.append((param, grad))
    return pairs


def pack(grads, dtype, xp):
    """Concatenate ``grads`` (flattened, cast to ``dtype``) into one new buffer."""
    total = sum(int(g.size) for g in grads)
    buf = xp.empty(total, dtype=dtype)
    offset = 0
    for g in grads:
        n = int(g.size)
        buf[offset:offset + n] = g.ravel()
        offset += n
    return buf


def unpack(buf, params, scale):
    """Write ``buf * scale`` back into each param's gradient (cast to its dtype)."""
    offset = 0
    for param in params:
        grad = param.grad
        n = int(grad.size)
        part = buf[offset:offset + n].reshape(grad.shape)
        if scale != 1:
            # scale and copy back in one pass
            xp = array_module(grad)
            xp.multiply(part, scale, out=grad, casting='unsafe')
        else:
            grad[...] = part
        offset += n
