"""Borrowed arrays: an array's view without its reference count, for the engine's hot loops.

numba increments and decrements the reference count of an array (an atomic read-modify-write)
whenever a compiled function passes it on or a variable takes it, including inside functions inlined
into a loop: in a one-dimensional round that is most of the cost (bench/README.md). A borrowed array
has a null meminfo, so those operations become the test of a null pointer.
"""
from __future__ import annotations

from numba import types
from numba.core import cgutils
from numba.extending import intrinsic
from numba.np.arrayobj import make_array


@intrinsic
def borrowed(typingctx, arr):
    """The same array (data, shape, strides) without its reference count: numba's incref/decref of
    it become a test of a null pointer instead of an atomic read-modify-write (see the module
    docstring of :mod:`regret.engine.borrow`). Only for arrays that something else keeps alive for as long
    as the alias is used: the loops borrow their arguments, which their caller holds until they
    return."""
    if not isinstance(arr, types.Array):
        return None

    def codegen(context, builder, signature, args):
        src = make_array(arr)(context, builder, value=args[0])
        out = make_array(arr)(context, builder)
        out.meminfo = cgutils.get_null_value(src.meminfo.type)
        out.parent = cgutils.get_null_value(src.parent.type)
        out.nitems = src.nitems
        out.itemsize = src.itemsize
        out.data = src.data
        out.shape = src.shape
        out.strides = src.strides
        return out._getvalue()

    return arr(arr), codegen
