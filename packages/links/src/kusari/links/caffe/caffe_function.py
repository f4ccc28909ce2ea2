"""CaffeFunction: a Caffe binary model (``.caffemodel``) as a kusari Chain."""
import warnings

import numpy

import kusari
import kusari.functions as F
from kusari import link
from kusari.links.caffe import caffe_pb
from kusari.links.connection.convolution_2d import Convolution2D
from kusari.links.connection.deconvolution_2d import Deconvolution2D
from kusari.links.connection.linear import Linear
from kusari.links.connection.scale import Scale
from kusari.links.normalization.batch_normalization import BatchNormalization
from kusari.utils import argument

# Layers that produce the network's inputs: nothing to build for them.
_DATA_LAYERS = frozenset(['Data', 'Input', 'ImageData', 'HDF5Data', 'MemoryData',
                          'DummyData', 'WindowData', 'AnnotatedData'])


class _Function:
    """A parameterless layer: ``kusari.functions.<name>(*xs, *args, **kwargs)``.

    The function is looked up at call time (so it can be patched, as Chainer's
    tests do)."""

    def __init__(self, name, *args, **kwargs):
        self.name, self.args, self.kwargs = name, args, kwargs

    def __call__(self, owner, xs):
        return getattr(F, self.name)(*xs, *self.args, **self.kwargs)


class _Child:
    """A layer with parameters: the child link ``name`` of the CaffeFunction."""

    def __init__(self, name, test_mode=False, **kwargs):
        self.name, self.test_mode, self.kwargs = name, test_mode, kwargs

    def __call__(self, owner, xs):
        child = getattr(owner, self.name)
        if self.test_mode:
            with kusari.using_config('train', False):
                return child(*xs, **self.kwargs)
        return child(*xs, **self.kwargs)


class _Concat:
    def __init__(self, axis):
        self.axis = axis

    def __call__(self, owner, xs):
        return F.concat(xs, axis=self.axis)


class _GlobalPooling:
    def __init__(self, name):
        self.name = name

    def __call__(self, owner, xs):
        x, = xs
        return getattr(F, self.name)(x, tuple(x.shape[2:]), stride=1, pad=0)


class _Softmax:
    _USE_CUDNN = {caffe_pb.Engine_CAFFE: 'never', caffe_pb.Engine_CUDNN: 'always'}

    def __init__(self, name, engine):
        self.name, self.engine = name, engine

    def __call__(self, owner, xs):
        use_cudnn = self._USE_CUDNN.get(self.engine)
        if use_cudnn is None:
            return getattr(F, self.name)(*xs)
        with kusari.using_config('use_cudnn', use_cudnn):
            return getattr(F, self.name)(*xs)


class _Reshape:
    """Caffe's reshape: ``dims`` replace the input axes [axis, axis + num_axes);
    a 0 copies the input's dimension, a -1 is inferred."""

    def __init__(self, dims, axis, num_axes):
        self.dims, self.axis, self.num_axes = list(dims), axis, num_axes

    def __call__(self, owner, xs):
        x, = xs
        shape = list(x.shape)
        start = self.axis if self.axis >= 0 else len(shape) + 1 + self.axis
        end = len(shape) if self.num_axes == -1 else start + self.num_axes
        dims = [shape[start + i] if d == 0 else d for i, d in enumerate(self.dims)]
        return F.reshape(x, shape=shape[:start] + dims + shape[end:])


class _Eltwise:
    def __init__(self, operation, coeffs):
        self.operation, self.coeffs = operation, coeffs

    def __call__(self, owner, xs):
        if self.operation == caffe_pb.EltwiseOp_PROD:
            y = xs[0]
            for x in xs[1:]:
                y = y * x
            return y
        if self.operation == caffe_pb.EltwiseOp_SUM:
            if self.coeffs is not None:
                # An AssertionError, as in Chainer, when the counts differ.
                assert len(xs) == len(self.coeffs), (
                    'CaffeFunction: Eltwise SUM has {} inputs but {} coefficients'
                    .format(len(xs), len(self.coeffs)))
                xs = [x * c for x, c in zip(xs, self.coeffs)]
            y = xs[0]
            for x in xs[1:]:
                y = y + x
            return y
        y = xs[0]
        for x in xs[1:]:
            y = F.maximum(y, x)
        return y


def _pair_or_scalar(param, h, w, repeated, default):
    """Caffe's ways to give a 2-D size: *_h/*_w, or a (repeated) single value."""
    if getattr(param, h) > 0:
        return getattr(param, h), getattr(param, w)
    value = getattr(param, repeated)
    if isinstance(value, int):
        return value
    if len(value) == 0:
        return default
    if len(value) == 1:
        return value[0]
    return tuple(value)


def _ksize(param):
    return _pair_or_scalar(param, 'kernel_h', 'kernel_w', 'kernel_size', 0)


def _stride(param):
    return _pair_or_scalar(param, 'stride_h', 'stride_w', 'stride', 1)


def _pad(param):
    return _pair_or_scalar(param, 'pad_h', 'pad_w', 'pad', 0)


def _dims(blob):
    """The blob's shape: ``shape.dim``, or the legacy (num, channels, h, w)."""
    if blob.num or blob.channels or blob.height or blob.width:
        return [blob.num, blob.channels, blob.height, blob.width]
    return list(blob.shape.dim)


def _array(blob):
    if len(blob.data):
        return numpy.asarray(blob.data, dtype=numpy.float32)
    return numpy.asarray(blob.double_data, dtype=numpy.float64)


def _layer_error(layer, message):
    return RuntimeError('CaffeFunction: layer {!r} ({}): {}'.format(
        layer.name, layer.type, message))


class CaffeFunction(link.Chain):
    """A Caffe model file as a chain of kusari links and functions.

    The ``.caffemodel`` (Caffe's binary ``NetParameter``; the current ``layer``
    format or the legacy V1 ``layers`` one) is read with the ``protobuf`` package
    (:mod:`kusari.links.caffe.caffe_pb`), never unpickled.  Layers with parameters
    become child links named after the Caffe layers (``Convolution`` →
    :class:`~kusari.links.Convolution2D`, ``Deconvolution`` →
    :class:`~kusari.links.Deconvolution2D`, ``InnerProduct`` →
    :class:`~kusari.links.Linear`, ``BatchNorm`` →
    :class:`~kusari.links.BatchNormalization`, ``Scale`` →
    :class:`~kusari.links.Scale`); grouped convolutions become block-diagonal
    weights.  ``Pooling`` (MAX/AVE, global), ``ReLU`` (leaky with
    ``negative_slope``), ``LRN`` (across channels), ``Concat``, ``Dropout``,
    ``Eltwise`` (PROD/SUM with coefficients/MAX), ``Reshape``, ``Slice``,
    ``Softmax``, ``SoftmaxWithLoss``, ``Sigmoid`` and ``Split`` are applied as
    functions; data layers are ignored and other types are skipped with a warning.

    Attributes:
        forwards (dict): Layer name -> the callable applying it.
        split_map (dict): Blob name made by a ``Split`` -> its source blob.
        layers (list): ``(layer name, bottom blob names, top blob names)`` in
            the file's order.

    Args:
        model_path (str): Path of the binary ``.caffemodel`` file.

    Raises:
        RuntimeError: A layer uses a setting that is not supported (non-default
            InnerProduct axis, WITHIN_CHANNEL LRN, STOCHASTIC pooling, softmax on
            another axis than 1, weight blobs of unsupported rank).
    """

    def __init__(self, model_path):
        super().__init__()
        with open(model_path, 'rb') as f:
            data = f.read()
        net = caffe_pb.NetParameter()
        try:
            net.MergeFromString(data)
        except Exception as e:  # protobuf's DecodeError differs between backends
            raise ValueError('CaffeFunction: {!r} is not a binary Caffe model '
                             '(NetParameter): {}'.format(model_path, e)) from e
        self.forwards = {}
        self.split_map = {}
        self.layers = []
        if net.layer:
            for layer in net.layer:
                self._setup(layer, layer.type)
        else:
            for layer in net.layers:
                self._setup(layer, caffe_pb.V1_LAYER_TYPES.get(
                    layer.type, 'V1 type {}'.format(layer.type)))

    def _setup(self, layer, type_name):
        if type_name in _DATA_LAYERS:
            return
        method = getattr(self, '_setup_' + type_name.lower(), None)
        if method is None:
            warnings.warn('Skip the layer "{}", since CaffeFunction does not '
                          'support {} layer'.format(layer.name, type_name))
            return
        method(layer)

    def _add(self, layer, forward):
        self.forwards[layer.name] = forward
        bottom = [self.split_map.get(name, name) for name in layer.bottom]
        self.layers.append((layer.name, bottom, list(layer.top)))

    def _add_link(self, layer, child, forward=None):
        with self.init_scope():
            setattr(self, layer.name, child)
        self._add(layer, forward or _Child(layer.name))

    # -- layers with parameters -------------------------------------------------

    def _setup_convolution(self, layer):
        self._setup_conv(layer, deconv=False)

    def _setup_deconvolution(self, layer):
        self._setup_conv(layer, deconv=True)

    def _setup_conv(self, layer, deconv):
        param = layer.convolution_param
        blobs = layer.blobs
        if not blobs:
            raise _layer_error(layer, 'no weight blob')
        dims = _dims(blobs[0])
        if len(dims) != 4:
            raise _layer_error(layer, 'expected a 4-D weight blob, got shape {}'
                               .format(dims))
        num, channels = dims[0], dims[1]
        group = param.group
        kwargs = {}
        if len(param.dilation):
            kwargs['dilate'] = (param.dilation[0] if len(param.dilation) == 1
                                else tuple(param.dilation))
        # Caffe's weight is (num, channels, kh, kw); a grouped layer becomes a
        # block-diagonal full weight, as in Chainer.
        if deconv:
            n_in, n_out = num, channels * group
            func = Deconvolution2D(n_in, n_out, _ksize(param), _stride(param),
                                   _pad(param), nobias=not param.bias_term,
                                   **kwargs)
        else:
            n_in, n_out = channels * group, num
            func = Convolution2D(n_in, n_out, _ksize(param), _stride(param),
                                 _pad(param), nobias=not param.bias_term, **kwargs)
        W = func.W.array
        W[...] = 0
        weight = _array(blobs[0])
        part = weight.size // group
        for g in range(group):
            rows = slice(g * num // group, (g + 1) * num // group)
            cols = slice(g * channels, (g + 1) * channels)
            block = W[rows, cols]
            block[...] = weight[g * part:(g + 1) * part].reshape(block.shape)
        if param.bias_term:
            func.b.array[...] = _array(blobs[1]).reshape(func.b.shape)
        self._add_link(layer, func)

    def _setup_innerproduct(self, layer):
        param = layer.inner_product_param
        if param.axis != 1:
            raise _layer_error(layer, 'non-default axis {} is not supported'
                               .format(param.axis))
        blobs = layer.blobs
        dims = _dims(blobs[0]) if blobs else []
        if len(dims) == 2:
            out_size, in_size = dims
        elif len(dims) == 4:  # legacy (1, 1, out, in)
            out_size, in_size = dims[2], dims[3]
        else:
            raise _layer_error(layer, 'expected a 2-D or 4-D weight blob, got '
                               'shape {}'.format(dims))
        if param.transpose:
            out_size, in_size = in_size, out_size
        func = Linear(in_size, out_size, nobias=not param.bias_term)
        weight = _array(blobs[0])
        if param.transpose:
            func.W.array[...] = weight.reshape(in_size, out_size).T
        else:
            func.W.array[...] = weight.reshape(out_size, in_size)
        if param.bias_term:
            func.b.array[...] = _array(blobs[1]).reshape(func.b.shape)
        self._add_link(layer, func)

    def _setup_batchnorm(self, layer):
        param = layer.batch_norm_param
        blobs = layer.blobs
        if len(blobs) < 2:
            raise _layer_error(layer, 'expected mean and variance blobs, got {}'
                               .format(len(blobs)))
        mean, var = _array(blobs[0]), _array(blobs[1])
        func = BatchNormalization(mean.size, decay=param.moving_average_fraction,
                                  eps=param.eps, use_gamma=False, use_beta=False)
        # Caffe stores running sums scaled by a factor kept in a third blob.
        factor = float(_array(blobs[2])[0]) if len(blobs) >= 3 else 1.0
        factor = 0.0 if factor == 0 else 1.0 / factor
        func.avg_mean[...] = mean * factor
        func.avg_var[...] = var * factor
        self._add_link(layer, func, _Child(
            layer.name, test_mode=param.use_global_stats, finetune=False))

    def _setup_scale(self, layer):
        param = layer.scale_param
        blobs = layer.blobs
        if len(layer.bottom) == 1:
            if not blobs:
                raise _layer_error(layer, 'a one-input Scale needs a scale blob')
            shape = tuple(_dims(blobs[0]))
            func = Scale(param.axis, shape, param.bias_term)
            func.W.array[...] = _array(blobs[0]).reshape(shape)
            if param.bias_term:
                func.bias.b.array[...] = _array(blobs[1]).reshape(
                    func.bias.b.shape)
        else:
            shape = tuple(_dims(blobs[0])) if param.bias_term else None
            func = Scale(param.axis, bias_term=param.bias_term, bias_shape=shape)
            if param.bias_term:
                func.bias.b.array[...] = _array(blobs[0]).reshape(shape)
        self._add_link(layer, func)

    # -- layers without parameters ----------------------------------------------

    def _setup_concat(self, layer):
        param = layer.concat_param
        axis = param.axis
        if axis == 1 and param.concat_dim != 1:  # the deprecated alias
            axis = param.concat_dim
        self._add(layer, _Concat(axis))

    def _setup_dropout(self, layer):
        self._add(layer, _Function('dropout', ratio=layer.dropout_param.dropout_ratio))

    def _setup_lrn(self, layer):
        param = layer.lrn_param
        if param.norm_region != caffe_pb.NormRegion_ACROSS_CHANNELS:
            raise _layer_error(layer, 'only ACROSS_CHANNELS LRN is supported')
        n = param.local_size
        self._add(layer, _Function('local_response_normalization', n=n, k=param.k,
                                   alpha=param.alpha / n, beta=param.beta))

    def _setup_pooling(self, layer):
        param = layer.pooling_param
        if param.pool == caffe_pb.PoolMethod_MAX:
            name = 'max_pooling_2d'
        elif param.pool == caffe_pb.PoolMethod_AVE:
            name = 'average_pooling_2d'
        else:
            raise _layer_error(layer, 'pooling method {} is not supported (MAX '
                               'and AVE are)'.format(param.pool))
        if param.global_pooling:
            self._add(layer, _GlobalPooling(name))
        else:
            self._add(layer, _Function(name, _ksize(param), stride=_stride(param),
                                       pad=_pad(param)))

    def _setup_relu(self, layer):
        slope = layer.relu_param.negative_slope
        if slope != 0:
            self._add(layer, _Function('leaky_relu', slope=slope))
        else:
            self._add(layer, _Function('relu'))

    def _setup_reshape(self, layer):
        param = layer.reshape_param
        self._add(layer, _Reshape(param.shape.dim, param.axis, param.num_axes))

    def _setup_sigmoid(self, layer):
        self._add(layer, _Function('sigmoid'))

    def _setup_slice(self, layer):
        param = layer.slice_param
        if param.HasField('axis'):
            axis = param.axis
        elif param.HasField('slice_dim'):
            axis = param.slice_dim
        else:
            axis = 1
        sections = list(param.slice_point) if len(param.slice_point) \
            else len(layer.top)
        self._add(layer, _Function('split_axis', indices_or_sections=sections,
                                   axis=axis))

    def _setup_softmax(self, layer):
        self._setup_softmax_like(layer, 'softmax')

    def _setup_softmaxwithloss(self, layer):
        self._setup_softmax_like(layer, 'softmax_cross_entropy')

    def _setup_softmax_like(self, layer, name):
        param = layer.softmax_param
        if param.axis != 1:
            raise _layer_error(layer, 'softmax over axis {} is not supported '
                               '(only 1)'.format(param.axis))
        self._add(layer, _Softmax(name, param.engine))

    def _setup_split(self, layer):
        for top in layer.top:
            self.split_map[top] = layer.bottom[0]

    def _setup_eltwise(self, layer):
        param = layer.eltwise_param
        coeffs = list(param.coeff) or None
        self._add(layer, _Eltwise(param.operation, coeffs))

    # -- running -----------------------------------------------------------------

    def forward(self, inputs, outputs, disable=(), **kwargs):
        """forward(self, inputs, outputs, disable=())

        Run the network from the given blobs.  Layers whose inputs are all known
        run in the file's order; the others (and those in ``disable``) are
        skipped.

        Args:
            inputs (dict): Blob name -> :class:`~kusari.Variable` or array.
            outputs (list of str): Names of the blobs to return.
            disable (iterable of str): Names of layers not to run.

        Returns:
            tuple of ~kusari.Variable: The ``outputs`` blobs, in order.  All
            computed blobs are kept in the attribute ``variables``.
        """
        if kwargs:
            argument.check_unexpected_kwargs(
                kwargs, train='train argument is not supported anymore. '
                'Use kusari.using_config')
            argument.assert_kwargs_empty(kwargs)
        if isinstance(outputs, str):
            raise TypeError('CaffeFunction: outputs must be a list of blob names, '
                            'got the string {!r}'.format(outputs))
        variables = dict(inputs)
        disable = set(disable)
        for name, bottom, top in self.layers:
            if name in disable or name not in self.forwards or any(
                    blob not in variables for blob in bottom):
                continue
            ys = self.forwards[name](self, tuple(variables[b] for b in bottom))
            if not isinstance(ys, (tuple, list)):
                ys = (ys,)
            for y, blob in zip(ys, top):
                variables[blob] = y
        self.variables = variables
        missing = [blob for blob in outputs if blob not in variables]
        if missing:
            raise KeyError('CaffeFunction: blob(s) {} were not computed from the '
                           'inputs {}'.format(missing, sorted(dict(inputs))))
        return tuple(variables[blob] for blob in outputs)
