"""Helpers shared by the converter modules."""
from kusari.onnx.errors import ExportError

FN = 'kusari.functions.'


def param_shape(ctx, i, axis=1, ndim=None):
    """Reshape input ``i`` (shape (C, ...)) so it broadcasts against input 0 from
    ``axis`` on (PReLU slopes, Swish betas, normalization scales)."""
    ndim = len(ctx.in_shapes[0]) if ndim is None else ndim
    shape = ctx.in_shapes[i]
    return [1] * axis + list(shape) + [1] * (ndim - axis - len(shape))


def target_shape(ctx, who, i=0):
    """The output shape ``i`` for Reshape-like operators: at most one ``-1``."""
    shape = list(ctx.dyn_out_shapes[i])
    if shape.count(-1) > 1:
        raise ExportError(
            'kusari.onnx.export: %s gives a shape %s with several dimensions that follow '
            'the dynamic axes; ONNX Reshape can infer only one. Mark fewer axes dynamic'
            % (who, ctx.out_shapes[i]))
    return shape


def conv_pads(in_sizes, out_sizes, k, s, p, d=None):
    """Begin/end pads so that ONNX's floor formula gives kusari's output size (cover_all
    adds padding at the end)."""
    d = d or [1] * len(k)
    begin, end = [], []
    for n, o, kk, ss, pp, dd in zip(in_sizes, out_sizes, k, s, p, d):
        dk = dd * (kk - 1) + 1
        need = (o - 1) * ss + dk - n - pp  # the end pad that makes the last window fit
        begin.append(pp)
        end.append(max(pp, need))
    return begin + end
