"""kusari.links: recurrent layers."""
from kusari.links.rnn.gru import GRU  # noqa: F401
from kusari.links.rnn.gru import StatefulGRU  # noqa: F401
from kusari.links.rnn.gru import StatelessGRU  # noqa: F401
from kusari.links.rnn.lstm import LSTM  # noqa: F401
from kusari.links.rnn.lstm import StatelessLSTM  # noqa: F401
from kusari.links.rnn.mgu import StatefulMGU  # noqa: F401
from kusari.links.rnn.mgu import StatelessMGU  # noqa: F401
from kusari.links.rnn.n_step_gru import NStepBiGRU  # noqa: F401
from kusari.links.rnn.n_step_gru import NStepGRU  # noqa: F401
from kusari.links.rnn.n_step_lstm import NStepBiLSTM  # noqa: F401
from kusari.links.rnn.n_step_lstm import NStepLSTM  # noqa: F401
from kusari.links.rnn.n_step_rnn import NStepBiRNNReLU  # noqa: F401
from kusari.links.rnn.n_step_rnn import NStepBiRNNTanh  # noqa: F401
from kusari.links.rnn.n_step_rnn import NStepRNNReLU  # noqa: F401
from kusari.links.rnn.n_step_rnn import NStepRNNTanh  # noqa: F401
from kusari.links.rnn.peephole import StatefulPeepholeLSTM  # noqa: F401
from kusari.links.rnn.tree_lstm import ChildSumTreeLSTM  # noqa: F401
from kusari.links.rnn.tree_lstm import NaryTreeLSTM  # noqa: F401
from kusari.links.rnn.zoneoutlstm import StatefulZoneoutLSTM  # noqa: F401

__all__ = [
    'ChildSumTreeLSTM', 'NaryTreeLSTM',
    'GRU', 'LSTM', 'NStepBiGRU', 'NStepBiLSTM', 'NStepBiRNNReLU', 'NStepBiRNNTanh',
    'NStepGRU', 'NStepLSTM', 'NStepRNNReLU', 'NStepRNNTanh', 'StatefulGRU',
    'StatefulMGU', 'StatefulPeepholeLSTM', 'StatefulZoneoutLSTM', 'StatelessGRU',
    'StatelessLSTM', 'StatelessMGU',
]
