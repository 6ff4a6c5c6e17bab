"""pyopenjtalk, imported on first use and without the ONNX Runtime notice it prints.

pyopenjtalk-plus prints a notice on stdout when it is imported without ONNX Runtime (it
only disables guessing the reading of a lone 何); on stdout it would corrupt the output
of `tsunagu content furigana` and the progress bar of `tsunagu content speech`.
"""

from __future__ import annotations

import contextlib
import io
from functools import lru_cache
from types import ModuleType


@lru_cache(maxsize=1)
def openjtalk() -> ModuleType:
    """The pyopenjtalk module (ImportError when the speech extra is not installed)."""
    with contextlib.redirect_stdout(io.StringIO()):
        import pyopenjtalk
    return pyopenjtalk
