"""Chainer's top-level names for the distributions: ``chainer.kl_divergence`` and co."""
import kusari
import kusari.distributions as D


def test_top_level_names_are_the_distributions_ones():
    assert kusari.kl_divergence is D.kl_divergence
    assert kusari.register_kl is D.register_kl
    assert kusari.Distribution is D.Distribution
    assert kusari.cross_entropy is D.cross_entropy
    assert {'kl_divergence', 'distributions'} <= set(dir(kusari))
