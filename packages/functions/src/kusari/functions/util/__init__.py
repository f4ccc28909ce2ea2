"""kusari.functions: the util family."""
from kusari.functions.util.forget import forget

__all__ = ['forget']
