"""Sphinx extension: API reference pages generated from the modules' public names.

The directive ``kusari-autolist`` expands to a summary table and one autodoc entry
per public name of a module, so that the reference follows the code: a name added
to a family's ``__all__`` appears in the documentation without editing any page.

Usage in a page::

    .. kusari-autolist:: kusari.functions.activation
       :document-as: kusari.functions
       :exclude: some_name, other_name

* The argument is the module whose names are listed: its ``__all__`` when it has
  one, otherwise every name defined in the module itself (or in one of its
  sub-modules, for a package) that does not start with an underscore.
* ``:document-as:`` is the module under which the objects are documented
  (``kusari.functions.relu`` rather than ``kusari.functions.activation.relu``);
  every name must be an attribute of that module.  Defaults to the argument.
* ``:names:`` lists the names explicitly instead (comma separated).
* ``:exclude:`` drops names (comma separated).
* ``:no-summary:`` leaves the summary table out.

The directive ``kusari-not-in-chainer`` lists the names whose docstring says
"Not in Chainer" (used by the migration guide).

Coverage: every public name of the modules listed in the configuration value
``kusari_apidoc_check`` (``__all__``, or the names the module defines) must be
documented somewhere; a missing one is reported as a warning (an error under
``-W``) that names it, e.g. when a new family sub-package has no page yet.
"""
import importlib
import inspect
import re

from docutils import nodes
from docutils.parsers.rst import directives
from docutils.statemachine import StringList
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import nested_parse_with_titles


def public_names(modname):
    """The public names of module ``modname`` (``__all__``, or names it defines)."""
    mod = importlib.import_module(modname)
    names = getattr(mod, '__all__', None)
    if names is not None:
        return list(names)
    out = []
    for name, obj in vars(mod).items():
        if name.startswith('_') or inspect.ismodule(obj):
            continue
        owner = getattr(obj, '__module__', None) or ''
        if owner == modname or owner.startswith(modname + '.'):
            out.append(name)
    return out


def _split(value):
    return [v.strip() for v in (value or '').replace('\n', ',').split(',') if v.strip()]


def _kind(obj):
    if inspect.isclass(obj):
        if issubclass(obj, BaseException):
            return 'exception'
        return 'class'
    if inspect.isroutine(obj) or callable(obj):
        return 'function'
    return 'data'


class KusariAutolist(SphinxDirective):
    """Summary table plus autodoc entries for the public names of a module."""

    required_arguments = 1
    has_content = False
    option_spec = {
        'document-as': directives.unchanged,
        'names': directives.unchanged,
        'exclude': directives.unchanged,
        'no-summary': directives.flag,
    }

    def run(self):
        modname = self.arguments[0]
        target = self.options.get('document-as', modname)
        try:
            if 'names' in self.options:
                names = _split(self.options['names'])
            else:
                names = public_names(modname)
            tmod = importlib.import_module(target)
        except Exception as e:  # report, do not crash the whole build
            raise self.error('kusari-autolist: cannot import %s: %s: %s'
                             % (modname, type(e).__name__, e))
        excluded = set(_split(self.options.get('exclude')))
        names = [n for n in names if n not in excluded]

        lines = ['.. currentmodule:: %s' % target, '']
        if 'no-summary' not in self.options and names:
            lines += ['.. autosummary::', '   :nosignatures:', '']
            lines += ['   %s' % n for n in names]
            lines += ['']
        documented = _documented(self.env)
        for name in names:
            if not hasattr(tmod, name):
                raise self.error('kusari-autolist: %s has no attribute %r (listed by %s)'
                                 % (target, name, modname))
            full = '%s.%s' % (target, name)
            if full in documented:
                # Listed by two modules (e.g. sum_to in the array and math families):
                # the summary table links to the one description.
                continue
            documented[full] = self.env.docname
            kind = _kind(getattr(tmod, name))
            if kind in ('class', 'exception'):
                lines += ['.. auto%s:: %s' % (kind, name), '   :members:', '']
            elif kind == 'function':
                lines += ['.. autofunction:: %s' % name, '']
            else:
                lines += ['.. autodata:: %s' % name, '   :annotation:', '']
        content = StringList(lines, source='<kusari-autolist %s>' % modname)
        node = nodes.section()
        node.document = self.state.document
        nested_parse_with_titles(self.state, content, node)
        self.env.note_dependency(importlib.import_module(modname).__file__)
        return node.children


_SECTION_RE = re.compile(
    r'^\s*(Args|Arguments|Parameters|Params|Keyword Args|Keyword Arguments|'
    r'Other Parameters|Attributes|Shapes):\s*$')


def _balance(text):
    return text.count('(') - text.count(')')


def join_multiline_types(lines):
    """Join Google-style argument lines whose type spans several lines (in place).

    Napoleon expects ``name (type): description`` on one line; docstrings wrap long
    types such as ``x (:class:`~kusari.Variable` or :class:`numpy.ndarray` or`` /
    ``:class:`cupy.ndarray`): ...``.  Such continuation lines are appended to the
    item's first line before napoleon parses the section.
    """
    out = []
    i = 0
    item_indent = None
    in_section = False
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        indent = len(line) - len(line.lstrip())
        if _SECTION_RE.match(line):
            in_section, item_indent = True, None
            section_indent = indent
            out.append(line)
            i += 1
            continue
        if in_section and stripped:
            if indent <= section_indent:
                in_section = False
            elif item_indent is None:
                item_indent = indent
        if (in_section and stripped and indent == item_indent
                and '(' in stripped and _balance(stripped) > 0
                and not re.search(r'\)\s*:', stripped)):
            joined = line.rstrip()
            j = i + 1
            while (j < len(lines) and _balance(joined) > 0 and lines[j].strip()
                   and len(lines[j]) - len(lines[j].lstrip()) > item_indent):
                joined += ' ' + lines[j].strip()
                j += 1
            if _balance(joined) == 0 and re.search(r'\)\s*:', joined):
                out.append(joined)
                i = j
                continue
        out.append(line)
        i += 1
    lines[:] = out


def _process_docstring(app, what, name, obj, options, lines):
    join_multiline_types(lines)


class KusariNotInChainer(SphinxDirective):
    """A bullet list of the public names whose docstring says "Not in Chainer".

    The argument lists the modules to scan (space separated); names come from
    :func:`public_names`.  Modules that cannot be imported are skipped (their
    distribution may not be installed).
    """

    required_arguments = 1
    final_argument_whitespace = True
    has_content = False

    def run(self):
        items = []
        for modname in self.arguments[0].split():
            try:
                mod = importlib.import_module(modname)
                names = public_names(modname)
            except Exception:
                continue
            for name in names:
                obj = getattr(mod, name, None)
                doc = inspect.getdoc(obj) or ''
                if 'not in chainer' in doc.lower():
                    role = 'class' if inspect.isclass(obj) else 'func'
                    items.append('* :%s:`%s.%s`' % (role, modname, name))
        if not items:
            items = ['* (none)']
        content = StringList(items + [''], source='<kusari-not-in-chainer>')
        node = nodes.section()
        node.document = self.state.document
        nested_parse_with_titles(self.state, content, node)
        return node.children


def _documented(env):
    if not hasattr(env, 'kusari_autolist_documented'):
        env.kusari_autolist_documented = {}
    return env.kusari_autolist_documented


def _purge(app, env, docname):
    documented = _documented(env)
    for full in [k for k, d in documented.items() if d == docname]:
        del documented[full]


def _merge(app, env, docnames, other):
    _documented(env).update(_documented(other))


def _check_coverage(app, env):
    """Warn about public names of ``kusari_apidoc_check`` modules left undocumented."""
    objects = env.get_domain('py').objects
    logger = logging.getLogger(__name__)
    for modname in app.config.kusari_apidoc_check:
        try:
            mod = importlib.import_module(modname)
        except ImportError:
            continue            # distribution not installed: nothing to document
        names = getattr(mod, '__all__', None)
        if names is None and modname != 'kusari':
            names = public_names(modname)
        elif names is None:     # the top-level namespace re-exports from kusari.*
            names = []
            for name, obj in vars(mod).items():
                if name.startswith('_') or inspect.ismodule(obj):
                    continue
                owner = getattr(obj, '__module__', None) or ''
                if owner == 'kusari' or owner.startswith('kusari.'):
                    names.append(name)
        missing = sorted(n for n in names if '%s.%s' % (modname, n) not in objects)
        if missing:
            logger.warning('%s: public names not documented in the API reference: %s '
                           '(add them to a page of docs/reference/, e.g. a new '
                           'family page)', modname, ', '.join(missing),
                           type='kusari', subtype='undocumented')


def setup(app):
    app.add_directive('kusari-autolist', KusariAutolist)
    app.add_directive('kusari-not-in-chainer', KusariNotInChainer)
    # before napoleon (priority 500) turns the Google sections into fields
    app.connect('autodoc-process-docstring', _process_docstring, priority=100)
    app.add_config_value('kusari_apidoc_check', [], 'env')
    app.connect('env-check-consistency', _check_coverage)
    app.connect('env-purge-doc', _purge)
    app.connect('env-merge-info', _merge)
    return {'version': '0.1', 'parallel_read_safe': True, 'parallel_write_safe': True}
