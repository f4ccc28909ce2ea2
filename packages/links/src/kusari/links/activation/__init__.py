"""kusari.links: activation links with parameters."""
from kusari.links.activation.maxout import Maxout  # noqa: F401
from kusari.links.activation.prelu import PReLU  # noqa: F401
from kusari.links.activation.simplified_dropconnect import SimplifiedDropconnect  # noqa: F401,E501
from kusari.links.activation.swish import Swish  # noqa: F401

__all__ = ['Maxout', 'PReLU', 'SimplifiedDropconnect', 'Swish']
