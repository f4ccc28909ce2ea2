"""kusari.functions: the normalization family."""
