"""kusari.functions: the math family."""
