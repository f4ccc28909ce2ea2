"""MultiNodeChainList: a model whose components live on different processes."""
import kusari

from kusari.distributed import functions as dist_functions


class MultiNodeChainList(kusari.ChainList):
    """A chain of components, each fed by and feeding other processes (ChainerMN's).

    Every process builds its own ``MultiNodeChainList`` and adds the components
    it runs with :meth:`add_link`, saying where each one's input comes from
    (``rank_in``: ``None`` for the model's own inputs) and where its output goes
    (``rank_out``: ``None`` for the model's output).  Calling the chain runs the
    components in order with differentiable :func:`~kusari.distributed.functions.send`
    and :func:`~kusari.distributed.functions.recv` between them; on a process
    whose last component sends its output away, the call returns the delegate
    variable to call ``backward()`` on.

    Args:
        comm: A communicator.
    """

    def __init__(self, comm):
        super().__init__()
        self._comm = comm
        self._rank_inouts = []

    def add_link(self, link, rank_in=None, rank_out=None):
        """Add a component fed by ``rank_in`` and feeding ``rank_out``.

        Args:
            link: The component (a Link).
            rank_in (int, list of int or None): The process(es) whose output is
                this component's input, in order; ``None``: the chain's inputs.
            rank_out (int, list of int or None): The process(es) receiving this
                component's output; ``None``: it is the chain's output.
        """
        if isinstance(rank_in, int):
            rank_in = [rank_in]
        if isinstance(rank_out, int):
            rank_out = [rank_out]
        for r in (rank_in or []) + (rank_out or []):
            if not 0 <= r < self._comm.size:
                raise ValueError('MultiNodeChainList.add_link: rank {} is not in '
                                 '[0, {})'.format(r, self._comm.size))
        super().add_link(link)
        self._rank_inouts.append((rank_in, rank_out))

    def forward(self, *inputs):
        y = None
        delegate = None
        for link, (rank_in, rank_out) in zip(self.children(), self._rank_inouts):
            if rank_in is None:
                x = link(*inputs)
            else:
                xs = []
                for r in rank_in:
                    if r == self._comm.rank:        # from this process's last output
                        xs.append(y if delegate is None
                                  else dist_functions.pseudo_connect(delegate, y))
                        y = None
                    else:
                        xs.append(dist_functions.recv(self._comm, r,
                                                      delegate_variable=delegate))
                    delegate = None
                x = link(*xs)
            if rank_out is None:
                if y is not None:
                    raise ValueError('MultiNodeChainList: more than one component '
                                     'with rank_out=None on rank {}'.format(
                                         self._comm.rank))
                y = x
            else:
                for r in rank_out:
                    if r == self._comm.rank:
                        y = x if delegate is None \
                            else dist_functions.pseudo_connect(delegate, x)
                        delegate = None
                    else:
                        if delegate is not None:
                            x = dist_functions.pseudo_connect(delegate, x)
                        delegate = dist_functions.send(x, self._comm, r)
        if y is not None:
            return y if delegate is None else dist_functions.pseudo_connect(delegate, y)
        return delegate
