"""Memory the kiosk no longer needs goes back to the system (issue 21)."""

from __future__ import annotations

import ctypes
import ctypes.util
import gc


def give_memory_back() -> None:
    """Collect what the last visit freed and hand free heap pages back to the system.

    Python's allocator and glibc keep freed memory for reuse; malloc_trim returns what
    can be returned (Linux with glibc; elsewhere only the collection happens).
    """
    gc.collect()
    name = ctypes.util.find_library("c")
    try:
        trim = ctypes.CDLL(name).malloc_trim if name else None
    except (OSError, AttributeError):
        trim = None
    if trim is not None:
        trim(0)
