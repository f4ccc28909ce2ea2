"""kusari.functions: the loss family."""
