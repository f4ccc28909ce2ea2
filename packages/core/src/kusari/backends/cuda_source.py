"""Full CUDA sources of kusari's registered kernels, for compiling without a GPU.

CuPy generates the CUDA code of an ``ElementwiseKernel`` or ``ReductionKernel`` only
when it is first called on device arrays.  To catch a syntax or type error in any
kernel kusari ships on a machine without a GPU, :func:`render` writes a complete
translation unit for each :class:`~kusari.backends.cuda.KernelSource` in the shape
CuPy gives it -- CuPy's own headers (``cupy/carray.cuh`` ...), type placeholders bound
to a concrete type, each non-raw parameter read through an indexer, the operation in
a grid-stride loop -- and :func:`compile_source` compiles it with NVRTC directly
(``cupy_backends.cuda.libs.nvrtc``), for an explicit ``-arch`` so no device is asked.

    from kusari.backends import cuda, cuda_source
    for k in cuda.KERNELS:
        cuda_source.compile_source(cuda_source.render(k), k.name, 'compute_80')
"""
import os
import re

__all__ = ['render', 'compile_source', 'include_dirs', 'KNOWN_TYPES']

#: dtype names of CuPy kernel parameters and the C type each one means
KNOWN_TYPES = {
    'bool': 'bool', 'int8': 'signed char', 'uint8': 'unsigned char',
    'int16': 'short', 'uint16': 'unsigned short', 'int32': 'int',
    'uint32': 'unsigned int', 'int64': 'long long', 'uint64': 'unsigned long long',
    'float16': 'float16', 'float32': 'float', 'float64': 'double',
    'complex64': 'complex<float>', 'complex128': 'complex<double>',
}

_PARAM = re.compile(r'^\s*(raw\s+)?([A-Za-z_][A-Za-z0-9_]*)\s+([A-Za-z_][A-Za-z0-9_]*)\s*$')

_HEADER = '''#include <cupy/complex.cuh>
#include <cupy/carray.cuh>
#include <cupy/atomics.cuh>
#include <cupy/math_constants.h>
'''


class _Param:
    def __init__(self, raw, ctype, name, is_output):
        self.raw = raw
        self.ctype = ctype
        self.name = name
        self.is_output = is_output


def _parse(params, is_output, placeholders):
    out = []
    for part in [p for p in params.split(',') if p.strip()]:
        m = _PARAM.match(part)
        if m is None:
            raise ValueError('cannot parse kernel parameter %r' % part)
        raw, typ, name = bool(m.group(1)), m.group(2), m.group(3)
        if typ in KNOWN_TYPES:
            ctype = KNOWN_TYPES[typ]
        else:
            placeholders.add(typ)
            ctype = typ
        out.append(_Param(raw, ctype, name, is_output))
    return out


def _typedefs(placeholders, dtype):
    return ''.join('typedef %s %s;\n' % (dtype, t) for t in sorted(placeholders))


def _signature(params, indexers):
    args = []
    for p in params:
        if p.raw:
            args.append('CArray<%s, 1> %s' % (p.ctype, p.name))
        else:
            args.append('CArray<%s, 1> _raw_%s' % (p.ctype, p.name))
    args.extend(indexers)
    return ', '.join(args)


def _element_refs(params, indexer):
    lines = []
    for p in params:
        if p.raw:
            continue
        if p.is_output:
            lines.append('    %s &%s = _raw_%s[%s.get()];' % (p.ctype, p.name, p.name,
                                                             indexer))
        else:
            lines.append('    const %s %s = _raw_%s[%s.get()];' % (p.ctype, p.name, p.name,
                                                                  indexer))
    return '\n'.join(lines)


def render(source, dtype='float'):
    """The complete CUDA source of a registered kernel.

    Args:
        source (~kusari.backends.cuda.KernelSource): the kernel.
        dtype (str): the C type that type placeholders (``T``, ``S``, ...) stand for.

    Returns:
        str: a translation unit with an ``extern "C"`` kernel named ``source.name``.
    """
    f = source.fields
    if source.kind == 'raw':
        return f['code']
    placeholders = set()
    ins = _parse(f['in_params'], False, placeholders)
    outs = _parse(f['out_params'], True, placeholders)
    params = ins + outs
    head = _HEADER + _typedefs(placeholders, dtype) + (f.get('preamble') or '') + '\n'
    if source.kind == 'elementwise':
        body = '''extern "C" __global__ void {name}({sig}) {{
  {loop_prep};
  CUPY_FOR(i, _ind.size()) {{
    _ind.set(i);
{refs}
    {op};
  }}
  {after_loop};
}}
'''.format(name=source.name, sig=_signature(params, ['CIndexer<1> _ind']),
           loop_prep=f.get('loop_prep') or '', after_loop=f.get('after_loop') or '',
           refs=_element_refs(params, '_ind'), op=f['operation'])
        return head + body
    if source.kind == 'reduction':
        reduce_type = f.get('reduce_type') or (outs[0].ctype if outs else dtype)
        if reduce_type in KNOWN_TYPES:
            reduce_type = KNOWN_TYPES[reduce_type]
        body = '''typedef {rtype} _type_reduce;
#define REDUCE(a, b) ({reduce_expr})
#define POST_MAP(a) ({post_map})
extern "C" __global__ void {name}({sig}) {{
  _type_reduce _s = _type_reduce({identity});
  CUPY_FOR(_j, _in_ind.size()) {{
    _in_ind.set(_j);
{in_refs}
    _type_reduce _a = static_cast<_type_reduce>({map_expr});
    _s = REDUCE(_s, _a);
  }}
  _out_ind.set(0);
{out_refs}
  _type_reduce a = _s;
  POST_MAP(a);
}}
'''.format(rtype=reduce_type, reduce_expr=f['reduce_expr'],
           post_map=f['post_map_expr'], name=source.name,
           sig=_signature(params, ['CIndexer<1> _in_ind', 'CIndexer<1> _out_ind']),
           identity=f['identity'] if f['identity'] not in (None, '') else '0',
           in_refs=_element_refs(ins, '_in_ind'), map_expr=f['map_expr'],
           out_refs=_element_refs(outs, '_out_ind'))
        return head + body
    raise ValueError('unknown kernel kind %r' % source.kind)


def include_dirs():
    """CuPy's header directories (``cupy/_core/include`` and its CCCL copy)."""
    import cupy
    base = os.path.join(os.path.dirname(cupy.__file__), '_core', 'include')
    dirs = [base]
    for sub in ('libcudacxx', 'cub', 'thrust'):
        d = os.path.join(base, 'cupy', '_cccl', sub)
        if os.path.isdir(d):
            dirs.append(d)
    return dirs


def compile_source(code, name, arch='compute_80', options=()):
    """Compile CUDA source to PTX with NVRTC for ``arch`` (no GPU needed).

    Raises:
        RuntimeError: with NVRTC's log when compilation fails.

    Returns:
        bytes or str: the PTX.
    """
    from cupy_backends.cuda.libs import nvrtc
    opts = ['-arch=%s' % arch, '--std=c++17', '-DCUPY_NO_NVTX'] + \
        ['-I%s' % d for d in include_dirs()] + list(options)
    prog = nvrtc.createProgram(code, name + '.cu', [], [])
    try:
        try:
            nvrtc.compileProgram(prog, opts)
        except nvrtc.NVRTCError:
            log = nvrtc.getProgramLog(prog)
            raise RuntimeError('NVRTC failed to compile kernel %s for %s:\n%s'
                               % (name, arch, log)) from None
        return nvrtc.getPTX(prog)
    finally:
        nvrtc.destroyProgram(prog)
