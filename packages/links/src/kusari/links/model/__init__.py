"""kusari.links: model links (Classifier)."""
from kusari.links.model.classifier import Classifier  # noqa: F401

__all__ = ['Classifier']
