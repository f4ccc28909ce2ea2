"""Array-level convolution arithmetic shared by the convolution, deconvolution and
weight-gradient function nodes (im2col + one batched GEMM per direction).

Shapes (``d`` spatial dimensions, ``G`` groups):

* convolution: ``x (N, C, *in)``, ``W (OC, C/G, *k)`` -> ``y (N, OC, *out)``
* transposed convolution (``conv_transpose``): ``y (N, OC, *out)``,
  ``W (OC, C/G, *k)`` -> ``x (N, C, *in)`` (the adjoint of the convolution in ``x``)
* weight gradient: ``col(x)``, ``gy (N, OC, *out)`` -> ``gW (OC, C/G, *k)``

On the CPU the large temporaries (the patch matrix, the GEMM results, the transposed
``gy``) and the outputs come from :mod:`._workspace`, so that a training loop does
not fault in fresh pages for them at every step.
"""
import numpy

from kusari import _workspace
from kusari import backend
from kusari.functions.connection import _im2col
from kusari.functions.connection._util import prod, work_dtype

_ndarray = numpy.ndarray


def gy_t(gy, wd):
    """``gy`` (N, OC, *out) as a C-contiguous (OC, N * P) matrix of dtype ``wd``."""
    n, oc = gy.shape[:2]
    t = gy.reshape(n, oc, -1).transpose(1, 0, 2)
    if type(gy) is _ndarray:
        out = _workspace.empty((oc, n, t.shape[2]), numpy.dtype(wd))
        numpy.copyto(out, t, casting='unsafe')
        return out.reshape(oc, -1)
    xp = backend.get_array_module(gy)
    return xp.ascontiguousarray(t, dtype=wd).reshape(oc, -1)


_gy_t = gy_t

# Layers with many output positions per image (the first layers of a CNN) skip the
# (OC, N * P) <-> (N, OC, P) transposes: one GEMM per image writes (N, OC, P)
# directly, and the weight gradient sums per-image products.  Few positions per image
# make those GEMMs too small, and the per-image partial products of the weight
# gradient must stay small.
PER_IMAGE_MIN_POSITIONS = 256
PER_IMAGE_MAX_PARTIAL = 1 << 20


def _per_image_ok(n, oc, p, ckk, groups):
    return (groups == 1 and p >= PER_IMAGE_MIN_POSITIONS
            and n * oc * ckk <= PER_IMAGE_MAX_PARTIAL)


def per_image_grad_w(gy, W, groups):
    """True when :func:`conv_grad_w` computes per image (so no ``gy_t`` is needed)."""
    return type(gy) is _ndarray and _per_image_ok(
        gy.shape[0], gy.shape[1], prod(gy.shape[2:]), prod(W.shape[1:]), groups)


def conv_forward(x, W, b, stride, pad, cover_all, dilate, groups, outs=None):
    """Convolution of ``x`` with ``W`` (plus ``b``); returns ``(y, col)``.

    ``col`` is the patch matrix in the (C, *k, N, *out) layout (see
    :func:`_im2col.im2col` with ``cn=True``): one GEMM covers the whole batch.
    """
    xp = backend.get_array_module(x)
    cpu = xp is numpy
    d = x.ndim - 2
    ksize = tuple(W.shape[2:])
    col = _im2col.im2col(x, ksize, stride, pad, cover_all, dilate, outs, cn=True)
    n, c = x.shape[:2]
    oc = W.shape[0]
    outs = tuple(col.shape[2 + d:])
    p = prod(outs)
    kk = prod(ksize)
    wd = numpy.dtype(work_dtype(x.dtype))
    colw = col if col.dtype == wd else col.astype(wd)
    Ww = W if W.dtype == wd else W.astype(wd)
    g = groups
    if g == 1 and cpu and p >= PER_IMAGE_MIN_POSITIONS:
        # one GEMM per image, straight into the (N, OC, P) output
        y = numpy.matmul(Ww.reshape(oc, c * kk),
                         colw.reshape(c * kk, n, p).transpose(1, 0, 2),
                         out=_workspace.empty((n, oc, p), wd))
        if b is not None:
            y += b.reshape(1, oc, 1)
        if y.dtype != x.dtype:
            y = y.astype(x.dtype)
        return y.reshape((n, oc) + outs), col
    if g == 1:
        W2 = Ww.reshape(oc, c * kk)
        c2 = colw.reshape(c * kk, n * p)
        if cpu:
            t = numpy.matmul(W2, c2, out=_workspace.empty((oc, n * p), wd))
        else:
            t = xp.matmul(W2, c2)
    else:
        t = xp.matmul(Ww.reshape(g, oc // g, (c // g) * kk),
                      colw.reshape(g, (c // g) * kk, n * p))
    t = t.reshape(oc, n, p).transpose(1, 0, 2)
    if cpu:
        y = _workspace.empty((n, oc, p), x.dtype)
    else:
        y = xp.empty((n, oc, p), dtype=x.dtype)
    if b is not None:
        xp.add(t, b.reshape(1, oc, 1), out=y, casting='unsafe')
    else:
        xp.copyto(y, t, casting='unsafe')
    return y.reshape((n, oc) + outs), col


def conv_transpose(gy, W, stride, pad, dilate, groups, dims, gyt=None):
    """Adjoint of the convolution with ``W`` in its input: (N, OC, *out) -> (N, C, *dims).

    ``gyt`` may pass ``gy_t(gy, work dtype)`` when the caller already has it.
    """
    xp = backend.get_array_module(gy)
    ksize = tuple(W.shape[2:])
    n, oc = gy.shape[:2]
    outs = tuple(gy.shape[2:])
    g = groups
    c = W.shape[1] * g
    kk = prod(ksize)
    wd = numpy.dtype(work_dtype(gy.dtype))
    if gyt is None or gyt.dtype != wd:
        gyt = gy_t(gy, wd)
    Ww = W if W.dtype == wd else W.astype(wd)
    if g == 1:
        W2t = Ww.reshape(oc, c * kk).T
        if xp is numpy:
            gcol = numpy.matmul(W2t, gyt, out=_workspace.empty((c * kk, gyt.shape[1]), wd))
        else:
            gcol = xp.matmul(W2t, gyt)
    else:
        Wr = Ww.reshape(g, oc // g, (c // g) * kk).transpose(0, 2, 1)
        gcol = xp.matmul(Wr, gyt.reshape(g, oc // g, -1))
    gcol = gcol.reshape((c,) + ksize + (n,) + outs)
    gx = _im2col.col2im(gcol, stride, pad, tuple(dims), dilate, cn=True)
    if gx.dtype != gy.dtype:
        gx = gx.astype(gy.dtype)
    return gx


def conv_grad_w(col, gy, groups, w_dtype, gyt=None):
    """Weight gradient from the patches ``col`` ((C, *k, N, *out) layout) and ``gy``.

    ``gyt`` may pass ``gy_t(gy, work dtype)`` when the caller already has it.
    """
    xp = backend.get_array_module(gy)
    d = gy.ndim - 2
    c = col.shape[0]
    ksize = tuple(col.shape[1:1 + d])
    oc = gy.shape[1]
    kk = prod(ksize)
    g = groups
    wd = numpy.dtype(work_dtype(numpy.result_type(gy.dtype, w_dtype)))
    colw = col if col.dtype == wd else col.astype(wd)
    n = gy.shape[0]
    if gyt is None and xp is numpy and _per_image_ok(n, oc, prod(gy.shape[2:]),
                                                     c * kk, g):
        # sum over images of gy[n] (OC, P) @ col[:, n, :].T (P, C * K)
        gyw = gy if gy.dtype == wd else gy.astype(wd)
        partial = numpy.matmul(gyw.reshape(n, oc, -1),
                               colw.reshape(c * kk, n, -1).transpose(1, 2, 0))
        gW = partial.sum(axis=0).reshape((oc, c) + ksize)
        return gW if gW.dtype == w_dtype else gW.astype(w_dtype)
    if gyt is None or gyt.dtype != wd:
        gyt = gy_t(gy, wd)
    if g == 1:
        gW = xp.matmul(gyt, colw.reshape(c * kk, -1).T)
    else:
        gW = xp.matmul(gyt.reshape(g, oc // g, -1),
                       colw.reshape(g, (c // g) * kk, -1).transpose(0, 2, 1))
    gW = gW.reshape((oc, c // g) + ksize)
    if gW.dtype != w_dtype:
        gW = gW.astype(w_dtype)
    return gW
