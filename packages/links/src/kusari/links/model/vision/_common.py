"""Shared machinery of the vision models: preprocessing, layer-wise forward,
oversampling and ``pretrained_model`` resolution."""
import importlib.util
import os

import numpy

import kusari
import kusari.functions as F
from kusari.utils import argument

# Pillow is optional (only preprocessing needs it) and imported on first use, so
# that ``import kusari.links`` stays light.
available = importlib.util.find_spec('PIL') is not None


def _pil_image(where):
    try:
        from PIL import Image
    except ImportError as e:
        raise ImportError(
            '{}: Pillow is required; install it (pip install Pillow). The import '
            'error was: {}'.format(where, e)) from e
    return Image

# Where Chainer keeps (and kusari looks for) converted model files.
MODELS_DIR = 'pfnet/chainer/models/'


def prepare(image, size, mean, where):
    """Convert an image to a BGR, mean-subtracted CHW array (Chainer's scheme)."""
    Image = _pil_image(where)
    dtype = kusari.get_dtype()
    if isinstance(image, numpy.ndarray):
        if image.ndim == 3:
            if image.shape[0] == 1:
                image = image[0, :, :]
            elif image.shape[0] == 3:
                image = image.transpose((1, 2, 0))
        elif image.ndim != 2:
            raise ValueError(
                '{}: expected an image array of shape (H, W), (H, W, 3), (1, H, W) '
                'or (3, H, W), got shape {}'.format(where, image.shape))
        image = Image.fromarray(image.astype(numpy.uint8))
    elif not isinstance(image, Image.Image):
        raise TypeError('{}: expected a numpy.ndarray or PIL.Image.Image, got {}'
                        .format(where, type(image).__name__))
    image = image.convert('RGB')
    if size:
        # As in Chainer, ``size`` goes to PIL unchanged, i.e. as (width, height).
        image = image.resize(size)
    image = numpy.asarray(image, dtype=dtype)
    image = image[:, :, ::-1]  # RGB -> BGR, the order of the Caffe models
    image = image - numpy.asarray(mean, dtype=dtype)
    return numpy.ascontiguousarray(image.transpose((2, 0, 1)))


def stack(arrays):
    return numpy.stack(arrays)


def oversample(images, crop_dims):
    """Ten crops per image (4 corners, centre, and their mirrors), in order."""
    n, c, src_h, src_w = images.shape
    dst_h, dst_w = crop_dims
    cy, cx = src_h / 2.0, src_w / 2.0
    corners = [(0, 0), (0, src_w - dst_w), (src_h - dst_h, 0),
               (src_h - dst_h, src_w - dst_w),
               (int(cy - dst_h / 2.0), int(cx - dst_w / 2.0))]
    crops = numpy.empty((10 * n, c, dst_h, dst_w), dtype=images.dtype)
    i = 0
    for img in images:
        for y, x in corners:
            crops[i] = img[:, y:y + dst_h, x:x + dst_w]
            i += 1
        crops[i:i + 5] = crops[i - 5:i, :, :, ::-1]
        i += 5
    return crops


def check_kwargs(kwargs):
    if kwargs:
        argument.check_unexpected_kwargs(
            kwargs,
            test='test argument is not supported anymore. '
                 'Use kusari.using_config',
            volatile='volatile argument is not supported anymore. '
                     'Use kusari.using_config')
        argument.assert_kwargs_empty(kwargs)


def check_layers(model, layers):
    if isinstance(layers, str):
        raise TypeError('{}: layers must be a list of layer names, got the string '
                        '{!r}'.format(type(model).__name__, layers))
    unknown = [name for name in layers if name not in model.functions]
    if unknown:
        raise ValueError('{}: unknown layer(s) {}; available layers are {}'.format(
            type(model).__name__, unknown, model.available_layers))


def run_layers(model, x, layers):
    """Apply ``model.functions`` in order until every requested layer is done."""
    check_layers(model, layers)
    h = x
    activations = {}
    targets = set(layers)
    for key, funcs in model.functions.items():
        if not targets:
            break
        for func in funcs:
            h = func(h)
        if key in targets:
            activations[key] = h
            targets.remove(key)
    return activations


def extract(model, images, layers, size, prepare_fn):
    x = stack([prepare_fn(img, size=size) for img in images])
    x = kusari.Variable(model.xp.asarray(x))
    return model(x, layers=layers)


def predict(model, images, oversample_flag, prepare_fn):
    x = stack([prepare_fn(img, size=(256, 256)) for img in images])
    if oversample_flag:
        x = oversample(x, (224, 224))
    else:
        x = x[:, :, 16:240, 16:240]
    with kusari.no_backprop_mode(), kusari.using_config('train', False):
        x = kusari.Variable(model.xp.asarray(x))
        y = model(x, layers=['prob'])['prob']
        if oversample_flag:
            n = len(y) // 10
            y = F.reshape(y, (n, 10) + y.shape[1:])
            y = F.sum(y, axis=1) / 10
    return y


def models_directory():
    """The dataset directory of converted models, without needing kusari-training."""
    try:
        from kusari.dataset import get_dataset_directory
    except ImportError:  # kusari-training is optional for links
        root = os.environ.get('KUSARI_DATASET_ROOT') or os.path.join(
            os.environ.get('XDG_CACHE_HOME')
            or os.path.join(os.path.expanduser('~'), '.cache'), 'kusari', 'dataset')
        return os.path.join(root, MODELS_DIR)
    return get_dataset_directory(MODELS_DIR, create_directory=False)


def load_npz(path, model):
    try:
        from kusari.serializers import load_npz as _load
    except ImportError as e:
        raise ImportError(
            '{}: loading pretrained weights needs kusari-serializers '
            '(pip install kusari-serializers): {}'.format(type(model).__name__, e))
    _load(path, model)


def save_npz_atomic(path, model):
    try:
        from kusari.serializers import save_npz
    except ImportError as e:
        raise ImportError(
            '{}: writing the converted weights needs kusari-serializers '
            '(pip install kusari-serializers): {}'.format(type(model).__name__, e))
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    tmp = os.path.join(directory, '.{}.{}.tmp'.format(os.path.basename(path),
                                                      os.getpid()))
    try:
        with open(tmp, 'wb') as f:
            save_npz(f, model, compression=False)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


def resolve_auto(model, npz_name, caffemodel_name, source, convert):
    """``pretrained_model='auto'``: the converted npz in the dataset directory.

    When only the Caffe model is there, it is converted (no download ever happens);
    when neither is, a FileNotFoundError says what to obtain and how to convert it.
    """
    directory = models_directory()
    path = os.path.join(directory, npz_name)
    if os.path.exists(path):
        return path
    caffemodel = os.path.join(directory, caffemodel_name)
    if os.path.exists(caffemodel):
        convert(caffemodel, path)
        return path
    cls = type(model).__name__
    raise FileNotFoundError(
        "{cls}(pretrained_model='auto'): the converted weights {npz!r} are not in "
        "{dir!r}, and kusari never downloads them.  Obtain the Caffe model "
        "{caffe!r} ({source}) and either put it in {dir!r} (it is converted on the "
        "next construction) or convert it yourself with "
        "{cls}.convert_caffemodel_to_npz('{caffe}', {npz_path!r}) and pass that "
        "path as pretrained_model.  The directory is under the dataset root "
        "(kusari.dataset.get_dataset_root(), env KUSARI_DATASET_ROOT).".format(
            cls=cls, npz=npz_name, dir=directory, caffe=caffemodel_name,
            source=source, npz_path=path))
