"""kusari.dataset: dataset helpers, converters and the iterator base class
(Chainer 7's ``chainer.dataset``)."""
from kusari.dataset.convert import Converter, concat_examples, converter, to_device  # noqa: F401
from kusari.dataset.convert import ConcatWithAsyncTransfer  # noqa: F401
from kusari.dataset.dataset_mixin import DatasetMixin  # noqa: F401
from kusari.dataset.download import cache_or_load_file  # noqa: F401
from kusari.dataset.download import cached_download  # noqa: F401
from kusari.dataset.download import DownloadError  # noqa: F401
from kusari.dataset.download import get_dataset_directory  # noqa: F401
from kusari.dataset.download import get_dataset_root  # noqa: F401
from kusari.dataset.download import set_dataset_root  # noqa: F401
from kusari.dataset.iterator import Iterator  # noqa: F401
from kusari.dataset import tabular  # noqa: F401
from kusari.dataset.tabular.tabular_dataset import TabularDataset  # noqa: F401
