"""kusari.functions: the connection family."""
