"""Bit-level helpers of the compiled steps: max_i |Δ_i| as an integer max over IEEE bit patterns."""
from __future__ import annotations

from llvmlite import ir
from numba import njit, types
from numba.extending import intrinsic


@intrinsic
def float_bits(typingctx, x):
    """The IEEE-754 bit pattern of a float64, as an int64 (a bitcast, no conversion)."""
    def codegen(context, builder, signature, args):
        return builder.bitcast(args[0], ir.IntType(64))
    return types.int64(types.float64), codegen


@intrinsic
def bits_float(typingctx, n):
    """The float64 whose bit pattern is the int64 ``n`` (inverse of :func:`float_bits`)."""
    def codegen(context, builder, signature, args):
        return builder.bitcast(args[0], ir.DoubleType())
    return types.float64(types.int64), codegen


_INF_BITS = 0x7FF0000000000000  # the bit pattern of +inf; |NaN| patterns lie above it


@njit(cache=True, error_model="numpy", inline="always")
def max_abs(best_bits, delta):
    """The running max_i |Δ_i| of an update loop, kept as bits (start from 0, read with bits_float).

    For non-negative doubles the int64 order of the bit patterns is the numeric order, and an integer
    max reduction lets LLVM vectorize the update loop (a float max, a select on an ordered compare,
    does not). A NaN update (|NaN| sorts above +inf) is skipped, as ``max`` over floats with ``>``
    skips it: the max is over the coordinates whose update is a number, and 0 if there is none."""
    b = float_bits(abs(delta))
    b = b if b <= _INF_BITS else 0  # two selects, no branch: the loop still vectorizes
    return b if b > best_bits else best_bits
