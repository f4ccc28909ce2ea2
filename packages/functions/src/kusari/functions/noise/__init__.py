"""kusari.functions: the noise family."""
