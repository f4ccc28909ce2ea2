"""with_converter(): a view with its own convert()."""
from kusari.dataset.tabular import _asmode


class WithConverter(_asmode._AsMode):
    """The same data; :meth:`convert` calls ``converter`` with the columns."""

    def __init__(self, dataset, converter):
        if not callable(converter):
            raise TypeError('TabularDataset.with_converter: converter must be callable, '
                            'got {}'.format(type(converter).__name__))
        super().__init__(dataset)
        self._converter = converter

    @property
    def mode(self):
        return self._dataset.mode

    def convert(self, data):
        if isinstance(data, tuple):
            return self._converter(*data)
        if isinstance(data, dict):
            return self._converter(**data)
        return self._converter(data)
