"""Output-size arithmetic of convolutions and poolings (Chainer's ``chainer.utils.conv``)."""


def get_conv_outsize(size, k, s, p, cover_all=False, d=1):
    """Output length of a convolution/pooling along one axis.

    Args:
        size (int): input length.  k (int): kernel size.  s (int): stride.
        p (int): padding on each side.  cover_all (bool): add an extra output so that
        every input element is covered.  d (int): dilation.
    """
    dk = k + (k - 1) * (d - 1)
    if cover_all:
        return (size + p * 2 - dk + s - 1) // s + 1
    return (size + p * 2 - dk) // s + 1


def get_deconv_outsize(size, k, s, p, cover_all=False, d=1):
    """Output length of a transposed convolution (the inverse of get_conv_outsize)."""
    dk = (k - 1) * d + 1
    if cover_all:
        return s * (size - 1) + dk - s + 1 - 2 * p
    return s * (size - 1) + dk - 2 * p
