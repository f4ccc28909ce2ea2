"""kusari.functions: the util family."""
