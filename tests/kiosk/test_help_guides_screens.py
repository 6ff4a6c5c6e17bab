"""The please-wait screen, a step with its QR and 「？」, the glossary open, the checklist
before the steps and the kana keyboard at 大 and 特大: drawn under Xvfb and checked
(kiosk.checks), the pictures kept in test-artifacts/kiosk-help/."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from tests.kiosk.test_help_call import ARTIFACTS, ROOT

pytestmark = pytest.mark.skipif(
    shutil.which("xvfb-run") is None, reason="xvfb-run is not installed (apt install xvfb)"
)


@pytest.fixture(scope="module")
def shots(tmp_path_factory):
    out = tmp_path_factory.mktemp("help-shots")
    report = out / "seen.json"
    env = {
        **os.environ,
        "KIVY_NO_ARGS": "1",
        "KIVY_NO_CONSOLELOG": "1",
        "SDL_AUDIODRIVER": "dummy",
        "KIVY_HOME": str(out / ".kivy"),
    }
    subprocess.run(
        [
            "xvfb-run",
            "-a",
            "-s",
            "-screen 0 1920x1080x24",
            sys.executable,
            "-m",
            "tests.kiosk.shoot_help_guides",
            str(out),
            str(report),
        ],
        env=env,
        capture_output=True,
        timeout=300,
        cwd=ROOT,
    )
    assert report.is_file(), "the screens were not drawn"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for png in out.glob("*.png"):
        shutil.copyfile(png, ARTIFACTS / png.name)
    return json.loads(report.read_text())


def test_the_glossary_question_mark_opens_its_explanation(shots):
    assert shots["glossary_buttons"] == ["？ NFC（エヌエフシー）"]
    assert min(shots["glossary_heights"]) >= 96 and shots["popup_close_height"] >= 96
    assert shots["popup_name"].endswith("NFC（エヌエフシー）")
    assert "カードを読み取るしくみ" in shots["popup_explanation"]
    assert shots["popup_spoken"][1] == shots["popup_explanation"]  # what is read is what shows


def test_kana_keys_do_not_shrink_at_extra_large_and_line_up(shots):
    large, extra = shots["kana_large"], shots["kana_extra-large"]
    assert extra["key_height"] >= large["key_height"] >= 96
    # every key of the keyboard (the marks column too) is one height: the rows line up
    assert len(large["heights"]) == 1 and len(extra["heights"]) == 1
    assert large["hint"] == ["ダ＝タ＋゛", "パ＝ハ＋゜", "ッ＝ツ＋小"]


def test_the_please_wait_and_kana_screens_pass_the_checks(shots):
    mine = ("please-wait", "kana-", "step-handoff-qr")
    problems = [p for p in shots["problems"] if p.startswith(mine)]
    assert problems == []
