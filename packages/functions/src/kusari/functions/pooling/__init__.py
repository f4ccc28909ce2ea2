"""kusari.functions: the pooling family."""
