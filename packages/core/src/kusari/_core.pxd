# Declarations of kusari's graph core, so that other Cython modules (the function
# library's kernels, say) can reach the typed fields and the fast paths.

cdef class _ConfigState:
    cdef public int enable_backprop
    cdef public int train
    cdef public int type_check
    cdef public int debug
    cdef public dict values
    cdef public dict function_hooks
    cdef public int defer_leaf_grads   # set by the engine while it accepts DeferredGrad


cdef class VariableNode:
    cdef object __weakref__
    cdef public object dtype
    cdef public tuple shape
    cdef public object name
    cdef public object data
    cdef FunctionNode _creator
    cdef public int rank
    cdef public bint requires_grad
    cdef object _grad            # an array, a Variable (double backprop), or None
    cdef public object _loss_scale
    cdef public object _old_style_grad_generator

    cdef _set_info(self, data)


cdef class Variable:
    cdef object __weakref__
    cdef object _data
    cdef VariableNode _node


cdef class FunctionNode:
    cdef object __weakref__
    cdef dict __dict__
    cdef public tuple inputs
    cdef public tuple outputs
    cdef public int rank
    cdef tuple _input_indexes_to_retain
    cdef tuple _output_indexes_to_retain
    cdef tuple _retained_output_data
    cdef object _local_function_hooks
    cdef public object stack

    cpdef tuple forward(self, tuple inputs)
    cpdef tuple apply(self, inputs)
    cdef tuple _apply_vars(self, tuple in_vars)


cdef class DeferredGrad:
    cdef readonly tuple shape
    cdef readonly object dtype


cdef Variable _new_variable(object data, bint requires_grad)
cdef Variable _as_variable(object x)
cdef bint _backprop_enabled()
cdef _ConfigState _local_state()
