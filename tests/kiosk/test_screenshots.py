"""The kiosk drawn under Xvfb: each screen renders at 1920x1080 and passes the UX checks.

`tsunagu kiosk --screenshot` checks its own widget tree before shooting (touch targets
at least 96 px high, no label overflowing its box) and exits non-zero when it fails.
Screenshots are kept in test-artifacts/kiosk/ to be looked at.
"""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(
    shutil.which("xvfb-run") is None, reason="xvfb-run is not installed (apt install xvfb)"
)

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "kiosk"
TSUNAGU = Path(sys.executable).with_name("tsunagu")

#: home, the guide list and a guide step in ja and en at both sizes, plus two more languages
CASES = [
    *[
        (screen, language, size, extra)
        for screen, extra in (
            ("home", []),
            ("guides", []),
            ("guide", ["--guide", "juminhyo", "--step", "3"]),
        )
        for language in ("ja", "en")
        for size in ("large", "extra-large")
    ],
    ("home", "ko", "extra-large", []),
    ("guide", "ja-easy", "extra-large", ["--guide", "mynaportal-login", "--step", "3"]),
]


def png_size(path: Path) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk."""
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", header[16:24])


def draw(screen: str, language: str, text_size: str, extra: list[str], target: Path):
    env = {
        **os.environ,
        "KIVY_NO_ARGS": "1",
        "KIVY_NO_CONSOLELOG": "1",
        "SDL_AUDIODRIVER": "dummy",
        "KIVY_HOME": str(target.parent / ".kivy"),
    }
    command = [
        "xvfb-run",
        "-a",
        "-s",
        "-screen 0 1920x1080x24",
        str(TSUNAGU),
        "kiosk",
        "--screenshot",
        str(target),
        "--screen",
        screen,
        "--language",
        language,
        "--text-size",
        text_size,
        *extra,
    ]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize(("screen", "language", "text_size", "extra"), CASES)
def test_screen_is_drawn_full_size_and_passes_the_checks(screen, language, text_size, extra):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    target = ARTIFACTS / f"{screen}-{language}-{text_size}.png"
    target.unlink(missing_ok=True)
    result = draw(screen, language, text_size, extra, target)
    assert result.returncode == 0, result.stderr[-3000:]
    assert target.is_file()
    assert png_size(target) == (1920, 1080)
    assert not list(ARTIFACTS.glob(f".{target.stem}-shot*.png")), "the counter file was renamed"


def test_a_kivy_home_in_a_folder_not_made_yet_is_made(tmp_path):
    """An installer's KIVY_HOME may name a folder whose parent does not exist yet (Kivy
    itself makes only the last one, and exits on import without a word otherwise)."""
    target = tmp_path / "home.png"
    env = {**os.environ, "KIVY_HOME": str(tmp_path / "var" / "tsunagu" / "kivy")}
    result = subprocess.run(
        ["xvfb-run", "-a", "-s", "-screen 0 1920x1080x24", str(TSUNAGU), "kiosk"]
        + ["--screenshot", str(target), "--screen", "home"],
        env={**env, "KIVY_NO_ARGS": "1", "SDL_AUDIODRIVER": "dummy"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert png_size(target) == (1920, 1080)
    assert (tmp_path / "var" / "tsunagu" / "kivy").is_dir()


def test_a_violation_fails_the_command(tmp_path):
    """A label that cannot fit makes the command exit non-zero and say why."""
    script = tmp_path / "tiny.py"
    script.write_text(
        "import sys\n"
        "from kiosk import theme\n"
        "from kiosk.theme import Sizes\n"
        # buttons lower than 96 px: the check must refuse them
        "theme.SIZES['large'] = Sizes(body=36, heading=56, button=20, button_height=40, bar_height=60)\n"
        "from kiosk.cli import kiosk\n"
        "kiosk.main(sys.argv[1:], standalone_mode=True)\n"
    )
    target = tmp_path / "tiny.png"
    env = {
        **os.environ,
        "KIVY_NO_ARGS": "1",
        "KIVY_NO_CONSOLELOG": "1",
        "SDL_AUDIODRIVER": "dummy",
        "KIVY_HOME": str(tmp_path / ".kivy"),
    }
    result = subprocess.run(
        [
            "xvfb-run",
            "-a",
            "-s",
            "-screen 0 1920x1080x24",
            sys.executable,
            str(script),
            "--screenshot",
            str(target),
            "--screen",
            "home",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert result.returncode != 0
    assert "touch target" in result.stderr


BOOKING_SCREENS = (
    "sessions",
    "sessions-offline",
    "consent",
    "name",
    "phone",
    "birth",
    "device",
    "confirm",
    "result",
    "waitlisted",
    "pending",
    "idle",
    "please-wait",
    "staff-pin",
)
#: every booking screen in ja and en at both text sizes (the issue's floor)
BOOKING_CASES = [
    (screen, language, size)
    for screen in BOOKING_SCREENS
    for language in ("ja", "en")
    for size in ("large", "extra-large")
]


def test_booking_screens_are_drawn_and_pass_the_checks(tmp_path):
    """Every booking screen in ja and en at 大 and 特大, in one window to keep the run short.

    Drawn into a private directory (another run may share test-artifacts/), then kept there.
    """
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shots = ",".join(":".join(case) for case in BOOKING_CASES)
    env = {
        **os.environ,
        "KIVY_NO_ARGS": "1",
        "KIVY_NO_CONSOLELOG": "1",
        "SDL_AUDIODRIVER": "dummy",
        "KIVY_HOME": str(tmp_path / ".kivy"),
    }
    command = [
        "xvfb-run",
        "-a",
        "-s",
        "-screen 0 1920x1080x24",
        str(TSUNAGU),
        "kiosk",
        "--screenshot",
        str(tmp_path),
        "--shots",
        shots,
    ]
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-4000:]
    for screen, language, size in BOOKING_CASES:
        drawn = tmp_path / f"booking-{screen}-{language}-{size}.png"
        assert png_size(drawn) == (1920, 1080), drawn
        shutil.copyfile(drawn, ARTIFACTS / drawn.name)
