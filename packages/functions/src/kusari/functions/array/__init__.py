"""kusari.functions: the array family."""
