"""Iterator factories shared by the iterator tests (every iterator class)."""
import pytest

from kusari import iterators


def _factories():
    out = {'serial': iterators.SerialIterator}
    if hasattr(iterators, 'MultithreadIterator'):
        out['multithread'] = lambda *a, **k: iterators.MultithreadIterator(
            *a, n_threads=2, **k)
    if hasattr(iterators, 'MultiprocessIterator'):
        out['multiprocess'] = lambda *a, **k: iterators.MultiprocessIterator(
            *a, n_processes=2, **k)
        out['multiprocess_shm'] = lambda *a, **k: iterators.MultiprocessIterator(
            *a, n_processes=2, shared_mem=1 << 12, **k)
    return out


FACTORIES = _factories()


@pytest.fixture(params=sorted(FACTORIES))
def make_iterator(request):
    """Build an iterator of each class; every one built is finalized afterwards."""
    made = []

    def make(*args, **kwargs):
        it = FACTORIES[request.param](*args, **kwargs)
        made.append(it)
        return it

    make.kind = request.param
    yield make
    for it in made:
        it.finalize()
