"""How much memory a request needs against what this machine has: a request that cannot fit is
refused in one line naming the largest part and the machine's available memory, before anything is
allocated (instead of numpy's MemoryError, or the OOM killer, later). A bottom-layer module: the
problems (a stream drawn whole), the engine (data, records) and the comparator use it."""
from __future__ import annotations

import os

from .errors import InvalidInput


def available_memory() -> int:
    """Bytes this machine can still allocate (MemAvailable of /proc/meminfo; else physical memory)."""
    try:
        with open("/proc/meminfo") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        return os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return 1 << 62


def human_bytes(n: float) -> str:
    """n bytes with a binary unit, three significant digits (1.5 GB)."""
    for unit in ("B", "KB", "MB", "GB", "TB", "PB"):
        if n < 1024 or unit == "PB":
            return f"{n:.3g} {unit}"
        n /= 1024.0
    return f"{n:.3g} PB"


def check_memory(parts: dict, what: str = "this run") -> None:
    """InvalidInput naming the largest part when the parts (field -> bytes) exceed the memory this
    machine has available: one line with the estimate, instead of numpy's MemoryError later."""
    total = float(sum(parts.values()))
    avail = available_memory()
    if total > avail:
        field, size = max(parts.items(), key=lambda kv: kv[1])
        raise InvalidInput(field, f"~{human_bytes(size)} of the ~{human_bytes(total)} {what} needs",
                           f"a request that fits in the {human_bytes(avail)} of memory this machine has available")


__all__ = ["available_memory", "check_memory", "human_bytes"]
