"""kusari.functions: the evaluation family."""
