"""Stacked GRUs over lists of sequences (NStepGRU, NStepBiGRU)."""
import kusari.functions as F
from kusari.links.rnn import n_step_rnn


class NStepGRUBase(n_step_rnn.NStepRNNBase):
    """Base of the stacked GRU links; children hold ``w0 .. w5`` and ``b0 .. b5``.

    See :class:`NStepRNNBase` for the arguments, the parameter layout and
    :meth:`forward` (``hy, ys = link(hx, xs)``).
    """

    n_weights = 6


class NStepGRU(NStepGRUBase):
    """Stacked unidirectional GRU (:func:`kusari.functions.n_step_gru`).

    >>> import kusari.links as L
    >>> l = L.NStepGRU(1, 3, 4, 0.0)
    >>> l[0].w2.shape, l[0].w3.shape
    ((4, 3), (4, 4))
    """

    use_bi_direction = False

    def rnn(self, *args):
        """Call :func:`kusari.functions.n_step_gru`."""
        return F.n_step_gru(*args)

    @property
    def n_cells(self):
        """1."""
        return 1


class NStepBiGRU(NStepGRUBase):
    """Stacked bidirectional GRU (:func:`kusari.functions.n_step_bigru`).

    >>> import kusari.links as L
    >>> len(L.NStepBiGRU(1, 3, 4, 0.0))
    2
    """

    use_bi_direction = True

    def rnn(self, *args):
        """Call :func:`kusari.functions.n_step_bigru`."""
        return F.n_step_bigru(*args)

    @property
    def n_cells(self):
        """1."""
        return 1
