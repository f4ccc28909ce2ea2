"""kusari.functions: the rnn family."""
