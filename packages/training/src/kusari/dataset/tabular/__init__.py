"""kusari.dataset.tabular: tabular datasets (Chainer 7's ``chainer.dataset.tabular``)."""
from kusari.dataset.tabular._from_data import from_data  # noqa: F401
from kusari.dataset.tabular.delegate_dataset import DelegateDataset  # noqa: F401
from kusari.dataset.tabular.tabular_dataset import TabularDataset  # noqa: F401
