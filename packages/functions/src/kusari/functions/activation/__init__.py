"""kusari.functions: the activation family."""
