"""A link that wraps a predictor with a loss and an accuracy."""
from kusari import link
from kusari import reporter
from kusari.links import _util


class Classifier(link.Chain):
    """A simple classifier model: a predictor followed by a loss function.

    Calling the classifier with ``(*args, t)`` computes
    ``y = predictor(*args)``, ``loss = lossfun(y, t)`` and (when
    :attr:`compute_accuracy`) ``accuracy = accfun(y, t)``; the loss and accuracy
    are reported with :func:`kusari.reporter.report` under ``'loss'`` and
    ``'accuracy'`` (with this link as the observer), and the loss is returned.

    Args:
        predictor (~kusari.Link): The predictor (child link ``predictor``).
        lossfun: Loss function ``lossfun(y, t)`` (default
            :func:`kusari.functions.softmax_cross_entropy`).
        accfun: Accuracy function ``accfun(y, t)`` (default
            :func:`kusari.functions.accuracy`).
        label_key (int or str): Where the label ``t`` is among the arguments: a
            position in ``args`` (default ``-1``, the last) or a keyword name.

    Attributes:
        compute_accuracy (bool): Whether to compute and report the accuracy.
        y (~kusari.Variable): The last prediction.
        loss (~kusari.Variable): The last loss.
        accuracy (~kusari.Variable): The last accuracy.

    >>> import kusari.links as L
    >>> model = L.Classifier(L.Linear(4, 3))
    >>> sorted(name for name, _ in model.namedparams())
    ['/predictor/W', '/predictor/b']
    """

    compute_accuracy = True

    def __init__(self, predictor, lossfun=_util.function('softmax_cross_entropy'),
                 accfun=_util.function('accuracy'), label_key=-1):
        if not isinstance(label_key, (int, str)) or isinstance(label_key, bool):
            raise TypeError('Classifier: label_key must be int or str, but is '
                            '{}'.format(type(label_key).__name__))
        super().__init__()
        self.lossfun = lossfun
        self.accfun = accfun
        self.y = None
        self.loss = None
        self.accuracy = None
        self.label_key = label_key
        with self.init_scope():
            self.predictor = predictor

    def forward(self, *args, **kwargs):
        """Compute the loss (and accuracy) of the predictor's output.

        Args:
            args: The predictor's inputs and the label (at ``label_key``).
            kwargs: The predictor's keyword inputs (and the label when
                ``label_key`` is a str).

        Returns:
            ~kusari.Variable: The loss.

        """
        if isinstance(self.label_key, int):
            if not (-len(args) <= self.label_key < len(args)):
                raise ValueError('Classifier: Label key {} is out of bounds for {} '
                                 'positional arguments'.format(self.label_key,
                                                               len(args)))
            t = args[self.label_key]
            if self.label_key == -1:
                args = args[:-1]
            else:
                key = self.label_key % len(args)
                args = args[:key] + args[key + 1:]
        else:
            if self.label_key not in kwargs:
                raise ValueError('Classifier: Label key "{}" is not found'.format(
                    self.label_key))
            t = kwargs.pop(self.label_key)
        self.y = None
        self.loss = None
        self.accuracy = None
        self.y = self.predictor(*args, **kwargs)
        self.loss = self.lossfun(self.y, t)
        reporter.report({'loss': self.loss}, self)
        if self.compute_accuracy:
            self.accuracy = self.accfun(self.y, t)
            reporter.report({'accuracy': self.accuracy}, self)
        return self.loss
