"""Run a module of the kiosk's tests in the real app under Xvfb, as the walk tests do."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
#: for a test module that needs Xvfb: ``pytestmark = needs_xvfb``
needs_xvfb = pytest.mark.skipif(
    shutil.which("xvfb-run") is None, reason="xvfb-run is not installed (apt install xvfb)"
)


def run_module(
    module: str, *args: str, home: Path, window: str = "1920x1080", timeout: float = 120
) -> subprocess.CompletedProcess:
    """``python -m module args`` in a window of ``window`` pixels, silent, without sound;
    Kivy's settings in ``home``."""
    env = {
        **os.environ,
        "KIVY_NO_ARGS": "1",
        "KIVY_NO_CONSOLELOG": "1",
        "SDL_AUDIODRIVER": "dummy",
        "KIVY_HOME": str(home / ".kivy"),
    }
    command = ["xvfb-run", "-a", "-s", f"-screen 0 {window}x24", sys.executable, "-m", module]
    return subprocess.run(
        [*command, *args], env=env, capture_output=True, text=True, timeout=timeout, cwd=ROOT
    )
