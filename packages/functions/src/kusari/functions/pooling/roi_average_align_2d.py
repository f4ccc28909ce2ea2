"""ROI average align (``F.roi_average_align_2d``)."""
from kusari.functions.pooling._roi_nodes import ROIAverageAlign2D


def roi_average_align_2d(x, rois, roi_indices, outsize, spatial_scale,
                         sampling_ratio=None):
    """Spatial Region of Interest (ROI) average align function (Mask R-CNN).

    As :func:`roi_max_align_2d`, but each bin is the average of its bilinear
    samples (samples outside the map count as zeros).

    Args:
        x (Variable or array): input of shape ``(n, c, h, w)``.
        rois (Variable or array): ROIs ``(y_min, x_min, y_max, x_max)`` of shape
            ``(R, 4)`` and the dtype of ``x``.
        roi_indices (Variable or array): int32 batch index of each ROI, ``(R,)``.
        outsize (int or pair of ints): output ``(height, width)``.
        spatial_scale (float): factor from ROI to feature-map coordinates.
        sampling_ratio (int, pair of ints or None): sampling points per bin and axis.

    Returns:
        Variable: output of shape ``(R, c, out_h, out_w)``.

    >>> import numpy, kusari.functions as F
    >>> x = numpy.arange(16, dtype=numpy.float32).reshape(1, 1, 4, 4)
    >>> rois = numpy.array([[0, 0, 4, 4]], numpy.float32)
    >>> F.roi_average_align_2d(x, rois, numpy.zeros(1, numpy.int32), 2, 1.0).array
    array([[[[ 5.  ,  6.75],
             [12.  , 13.75]]]], dtype=float32)
    """
    return ROIAverageAlign2D(outsize, spatial_scale, sampling_ratio).apply(
        (x, rois, roi_indices))[0]
