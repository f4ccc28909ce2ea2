"""The abstract interface every communicator implements (ChainerMN's CommunicatorBase)."""


class CommunicatorBase:
    """Interface of a communicator: process layout, messages, collectives, gradients.

    Concrete communicators are made with
    :func:`kusari.distributed.create_communicator`.
    """

    @property
    def rank(self):
        """The rank (0 .. size-1) of this process."""
        raise NotImplementedError

    @property
    def size(self):
        """The number of processes."""
        raise NotImplementedError

    @property
    def intra_rank(self):
        """The rank of this process among the processes of its node."""
        raise NotImplementedError

    @property
    def intra_size(self):
        """The number of processes on this process's node."""
        raise NotImplementedError

    @property
    def inter_rank(self):
        """The index of this process's node."""
        raise NotImplementedError

    @property
    def inter_size(self):
        """The number of nodes."""
        raise NotImplementedError

    def multi_node_mean_grad(self, model, zero_fill=False):
        """Replace every gradient of ``model`` by its mean over all processes."""
        raise NotImplementedError

    def allreduce_grad(self, model, zero_fill=False):
        """Deprecated name of :meth:`multi_node_mean_grad` (ChainerMN v6)."""
        return self.multi_node_mean_grad(model, zero_fill)

    def bcast_data(self, model):
        """Copy every parameter of ``model`` from rank 0 to all processes."""
        raise NotImplementedError

    def finalize(self):
        """Release the communicator's resources (it must not be used afterwards)."""
