"""Matplotlib access for the plotting extensions: Agg backend, atomic PNG files."""
import os
import warnings

from kusari.training import _atomic

_warned = False


def available():
    """Return True if Matplotlib can be imported (warn once when it cannot)."""
    global _warned
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        if not _warned:
            warnings.warn('matplotlib is not installed on your environment, so '
                          'nothing will be plotted at this time. Please install '
                          'matplotlib to plot figures.\n\n'
                          '  $ pip install kusari-training[plot]\n')
            _warned = True
        return False
    return True


def new_figure(**kwargs):
    """A Figure on its own Agg canvas (no pyplot state, no GUI backend)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    fig = Figure(**kwargs)
    FigureCanvasAgg(fig)
    return fig


def save_png(fig, path, **kwargs):
    """Write ``fig`` as PNG to ``path`` atomically."""
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with _atomic.temp_path_for(path) as tmp:
        fig.savefig(tmp, format='png', **kwargs)
