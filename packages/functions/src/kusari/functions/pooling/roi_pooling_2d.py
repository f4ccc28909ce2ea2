"""ROI max pooling with batch indices inside the ROIs (``F.roi_pooling_2d``)."""
from kusari.functions.pooling._roi_nodes import ROIPooling2D


def roi_pooling_2d(x, rois, outh, outw, spatial_scale):
    """Spatial Region of Interest (ROI) pooling function (Fast R-CNN).

    Each ROI ``(batch_index, x_min, y_min, x_max, y_max)`` is scaled by
    ``spatial_scale`` and rounded; the inclusive box is split into ``outh x outw``
    bins (``floor`` / ``ceil`` bin edges, clipped to the map) and each bin is
    max-pooled.  Empty bins give 0.

    Args:
        x (Variable or array): input of shape ``(n, c, h, w)``.
        rois (Variable or array): ROIs of shape ``(R, 5)`` and the dtype of ``x``.
        outh (int): output height.
        outw (int): output width.
        spatial_scale (float): factor from ROI to feature-map coordinates.

    Returns:
        Variable: output of shape ``(R, c, outh, outw)``.

    >>> import numpy, kusari.functions as F
    >>> x = numpy.arange(16, dtype=numpy.float32).reshape(1, 1, 4, 4)
    >>> rois = numpy.array([[0, 0, 0, 3, 3]], numpy.float32)
    >>> F.roi_pooling_2d(x, rois, 2, 2, 1.0).array
    array([[[[ 5.,  7.],
             [13., 15.]]]], dtype=float32)
    """
    return ROIPooling2D(outh, outw, spatial_scale).apply((x, rois))[0]
