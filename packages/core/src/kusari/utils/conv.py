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


def _xp(x):
    from kusari import backend
    return backend.get_array_module(x)


def im2col_cpu(img, kh, kw, sy, sx, ph, pw, pval=0, cover_all=False, dy=1, dx=1,
               out_h=None, out_w=None):
    """Patches of ``img`` (N, C, H, W) as an array (N, C, kh, kw, out_h, out_w).

    ``col[n, c, ky, kx, y, x] = img[n, c, y*sy - ph + ky*dy, x*sx - pw + kx*dx]``
    (``pval`` outside the image).  Works on any array module.

    >>> import numpy
    >>> img = numpy.arange(16, dtype=numpy.float32).reshape(1, 1, 4, 4)
    >>> im2col_cpu(img, 2, 2, 2, 2, 0, 0)[0, 0, :, :, 0, 0]
    array([[0., 1.],
           [4., 5.]], dtype=float32)
    """
    n, c, h, w = img.shape
    if out_h is None:
        out_h = get_conv_outsize(h, kh, sy, ph, cover_all, dy)
    if out_w is None:
        out_w = get_conv_outsize(w, kw, sx, pw, cover_all, dx)
    if out_h <= 0 or out_w <= 0:
        raise ValueError('im2col: the output would be empty: out_h={}, out_w={} for '
                         'an image of {}x{}'.format(out_h, out_w, h, w))
    xp = _xp(img)
    # pad enough on the far side for every strided window
    img = xp.pad(img, ((0, 0), (0, 0), (ph, ph + sy - 1), (pw, pw + sx - 1)),
                 mode='constant', constant_values=(pval,))
    col = xp.ndarray((n, c, kh, kw, out_h, out_w), dtype=img.dtype)
    for j in range(kh):
        jdy = j * dy
        j_lim = jdy + sy * out_h
        for i in range(kw):
            idx = i * dx
            i_lim = idx + sx * out_w
            col[:, :, j, i, :, :] = img[:, :, jdy:j_lim:sy, idx:i_lim:sx]
    return col


def col2im_cpu(col, sy, sx, ph, pw, h, w, dy=1, dx=1):
    """The adjoint of :func:`im2col_cpu`: sums the patches back into (N, C, h, w).

    >>> import numpy
    >>> col = numpy.ones((1, 1, 2, 2, 1, 1), numpy.float32)
    >>> col2im_cpu(col, 1, 1, 0, 0, 2, 2)[0, 0]
    array([[1., 1.],
           [1., 1.]], dtype=float32)
    """
    n, c, kh, kw, out_h, out_w = col.shape
    xp = _xp(col)
    img = xp.zeros((n, c, h + 2 * ph + sy - 1, w + 2 * pw + sx - 1), dtype=col.dtype)
    for j in range(kh):
        jdy = j * dy
        j_lim = jdy + sy * out_h
        for i in range(kw):
            idx = i * dx
            i_lim = idx + sx * out_w
            img[:, :, jdy:j_lim:sy, idx:i_lim:sx] += col[:, :, j, i]
    return img[:, :, ph:h + ph, pw:w + pw]


# The same code runs on CuPy arrays (Chainer has dedicated kernels for them).
im2col_gpu = im2col_cpu
col2im_gpu = col2im_cpu


def im2col(img, kh, kw, sy, sx, ph, pw, pval=0, cover_all=False, dy=1, dx=1,
           out_h=None, out_w=None):
    """:func:`im2col_cpu` for an array of any device."""
    return im2col_cpu(img, kh, kw, sy, sx, ph, pw, pval, cover_all, dy, dx,
                      out_h, out_w)


def col2im(col, sy, sx, ph, pw, h, w, dy=1, dx=1):
    """:func:`col2im_cpu` for an array of any device."""
    return col2im_cpu(col, sy, sx, ph, pw, h, w, dy, dx)
