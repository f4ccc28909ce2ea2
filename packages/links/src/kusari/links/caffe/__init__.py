"""Reading Caffe models (``chainer.links.caffe``): :class:`CaffeFunction`.

Needs the ``protobuf`` package (``pip install kusari-links[caffe]``).
"""
from kusari.links.caffe.caffe_function import CaffeFunction  # noqa: F401

__all__ = ['CaffeFunction']
