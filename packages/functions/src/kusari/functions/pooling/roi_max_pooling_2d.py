"""ROI max pooling (``F.roi_max_pooling_2d``)."""
from kusari.functions.pooling._roi_nodes import ROIMaxPooling2D


def roi_max_pooling_2d(x, rois, roi_indices, outsize, spatial_scale):
    """Spatial Region of Interest (ROI) max pooling function.

    Each ROI ``(y_min, x_min, y_max, x_max)`` is scaled by ``spatial_scale`` and
    rounded (half away from zero); the box of height ``max(y_max - y_min, 1)`` and
    width ``max(x_max - x_min, 1)`` is split into ``outsize`` bins (``floor`` /
    ``ceil`` edges, clipped to the map), each max-pooled.  Empty bins give 0.

    Args:
        x (Variable or array): input of shape ``(n, c, h, w)``.
        rois (Variable or array): ROIs of shape ``(R, 4)`` and the dtype of ``x``.
        roi_indices (Variable or array): int32 batch index of each ROI, ``(R,)``.
        outsize (int or pair of ints): output ``(height, width)``.
        spatial_scale (float): factor from ROI to feature-map coordinates.

    Returns:
        Variable: output of shape ``(R, c, out_h, out_w)``.

    >>> import numpy, kusari.functions as F
    >>> x = numpy.arange(16, dtype=numpy.float32).reshape(1, 1, 4, 4)
    >>> rois = numpy.array([[0, 0, 4, 4]], numpy.float32)
    >>> F.roi_max_pooling_2d(x, rois, numpy.zeros(1, numpy.int32), 2, 1.0).array
    array([[[[ 5.,  7.],
             [13., 15.]]]], dtype=float32)
    """
    return ROIMaxPooling2D(outsize, spatial_scale).apply((x, rois, roi_indices))[0]
