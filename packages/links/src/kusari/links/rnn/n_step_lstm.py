"""Stacked LSTMs over lists of sequences (NStepLSTM, NStepBiLSTM)."""
import kusari.functions as F
from kusari.links.rnn import n_step_rnn


class NStepLSTMBase(n_step_rnn.NStepRNNBase):
    """Base of the stacked LSTM links; children hold ``w0 .. w7`` and ``b0 .. b7``.

    See :class:`NStepRNNBase` for the arguments and the parameter layout.
    """

    n_weights = 8

    def forward(self, hx, cx, xs, **kwargs):
        """forward(self, hx, cx, xs)

        Compute the states of all layers and the outputs of the last one.

        Args:
            hx (~kusari.Variable or None): Initial hidden states,
                ``(n_layers * direction, B, out_size)``; ``None`` means zeros.
            cx (~kusari.Variable or None): Initial cell states (shape of ``hx``).
            xs (list of ~kusari.Variable): ``B`` input sequences ``(L_i, in_size)``.

        Returns:
            tuple: ``(hy, cy, ys)``: final hidden and cell states and the list of
            outputs ``(L_i, out_size * direction)``.

        """
        (hy, cy), ys = self._call([hx, cx], xs, **kwargs)
        return hy, cy, ys


class NStepLSTM(NStepLSTMBase):
    """Stacked unidirectional LSTM (:func:`kusari.functions.n_step_lstm`).

    >>> import kusari.links as L
    >>> l = L.NStepLSTM(1, 3, 4, 0.0)
    >>> l[0].w0.shape, l[0].w4.shape, l[0].b7.shape
    ((4, 3), (4, 4), (4,))
    """

    use_bi_direction = False

    def rnn(self, *args):
        """Call :func:`kusari.functions.n_step_lstm`."""
        return F.n_step_lstm(*args)

    @property
    def n_cells(self):
        """2."""
        return 2


class NStepBiLSTM(NStepLSTMBase):
    """Stacked bidirectional LSTM (:func:`kusari.functions.n_step_bilstm`).

    >>> import kusari.links as L
    >>> len(L.NStepBiLSTM(2, 3, 4, 0.0))
    4
    """

    use_bi_direction = True

    def rnn(self, *args):
        """Call :func:`kusari.functions.n_step_bilstm`."""
        return F.n_step_bilstm(*args)

    @property
    def n_cells(self):
        """2."""
        return 2
