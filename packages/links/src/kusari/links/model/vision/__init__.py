"""Pretrained-architecture image models (Chainer's ``chainer.links.model.vision``).

Modules: :mod:`~kusari.links.model.vision.vgg` (``VGG16Layers``, ``VGG19Layers``),
:mod:`~kusari.links.model.vision.resnet` (``ResNet50Layers``, ``ResNet101Layers``,
``ResNet152Layers``) and :mod:`~kusari.links.model.vision.googlenet`
(``GoogLeNet``).  Pillow is needed by ``prepare``/``extract``/``predict``.
"""
