"""Linear-chain CRF loss layer."""
from kusari import link
from kusari import variable
from kusari.functions.array.transpose_sequence import transpose_sequence
from kusari.functions.loss.crf1d import argmax_crf1d as _argmax_crf1d
from kusari.functions.loss.crf1d import crf1d as _crf1d
from kusari.initializers import constant
from kusari.links.rnn.n_step_rnn import argsort_list_descent
from kusari.links.rnn.n_step_rnn import permutate_list


class CRF1d(link.Link):
    """Linear-chain conditional random field loss layer.

    Wraps :func:`kusari.functions.crf1d` and :func:`kusari.functions.argmax_crf1d`
    with a learned transition score matrix.

    Args:
        n_label (int): number of labels ``K``.
        initial_cost: initializer of ``cost`` (``None``: zeros).

    Attributes:
        cost (~kusari.Parameter): ``(K, K)`` transition scores.

    >>> import numpy, kusari.links as L
    >>> crf = L.CRF1d(2)
    >>> xs = [numpy.zeros((1, 2), numpy.float32)] * 3
    >>> ys = [numpy.zeros(1, numpy.int32)] * 3
    >>> print(round(float(crf(xs, ys).array), 4))
    2.0794
    """

    def __init__(self, n_label, initial_cost=None):
        super().__init__()
        if initial_cost is None:
            initial_cost = constant.Zero()
        with self.init_scope():
            self.cost = variable.Parameter(initializer=initial_cost,
                                           shape=(n_label, n_label))

    def forward(self, xs, ys, reduce='mean', transpose=False):
        """Negative log-likelihood of the label sequences.

        Args:
            xs (list of ~kusari.Variable or arrays): time-major ``(B_i, K)`` scores
                with non-increasing ``B_i``; or, with ``transpose=True``,
                batch-major sequences ``(l_b, K)`` of any order.
            ys (list of arrays): the labels, laid out like ``xs``.
            reduce (str): ``'mean'`` or ``'no'``.
            transpose (bool): sort the batch-major sequences by decreasing length
                and transpose them first (``'no'`` losses come in sorted order,
                as in Chainer).

        Returns:
            ~kusari.Variable: the loss.
        """
        if transpose:
            indices = argsort_list_descent(xs)
            xs = permutate_list(xs, indices, inv=False)
            ys = permutate_list(ys, indices, inv=False)
            trans_x = transpose_sequence(xs)
            trans_y = [y.array for y in transpose_sequence(ys)]
            return _crf1d(self.cost, list(trans_x), trans_y, reduce)
        return _crf1d(self.cost, xs, ys, reduce)

    def argmax(self, xs, transpose=False):
        """The best label sequences (see :func:`kusari.functions.argmax_crf1d`).

        Args:
            xs (list): as for :meth:`forward`.
            transpose (bool): as for :meth:`forward`; the paths are then returned
                batch-major in the original order (scores stay in sorted order, as
                in Chainer).

        Returns:
            tuple: ``(scores, paths)``.
        """
        if transpose:
            indices = argsort_list_descent(xs)
            xs = permutate_list(xs, indices, inv=False)
            trans_x = transpose_sequence(xs)
            score, path = _argmax_crf1d(self.cost, list(trans_x))
            path = [p.array for p in transpose_sequence(path)]
            path = permutate_list(path, indices, inv=True)
            return score, path
        return _argmax_crf1d(self.cost, xs)
