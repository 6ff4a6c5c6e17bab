"""An answer on /ask can be read aloud: the clip the kiosks play, when it was built (issue 20)."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from content.ask import ask
from content.loader import CONTENT_DIR
from content.speech import AudioCache, OfflineEngine, Utterance

from .conftest import build_app

QUESTION = "コンビニで住民票とれる？"


@pytest.fixture
def spoken(database, tmp_path):
    """A site whose audio cache holds the clip of the best answer to QUESTION (offline engine)."""
    if shutil.which("espeak-ng") is None:
        pytest.skip("the offline engine is not installed")
    best = ask(QUESTION, "ja", CONTENT_DIR).answers[0]
    cache, engine = AudioCache.open(tmp_path / "audio"), OfflineEngine()
    cache.ensure_writable()
    utterance = Utterance(best.text, "ja")
    path = cache.file_for(utterance, engine)
    engine.synthesise(utterance, path)
    cache.record(utterance, engine, path)
    cache.save()
    return build_app(database, tmp_path, AUDIO_CACHE_DIR=str(tmp_path / "audio")), path


def test_an_answer_with_a_clip_has_a_player_that_plays_it(spoken, tmp_path):
    app, clip = spoken
    visitor = app.test_client()
    html = visitor.post("/ask", data={"question": QUESTION}).get_data(as_text=True)
    players = re.findall(r'<audio controls preload="none" src="([^"]+)"', html)
    assert len(players) == 1 and "この答えを聞く" in html
    response = visitor.get(players[0])
    assert response.status_code == 200 and response.mimetype.startswith("audio/")
    out = tmp_path / ("heard" + clip.suffix)
    out.write_bytes(response.data)
    seconds = subprocess.run(["soxi", "-D", str(out)], capture_output=True, text=True).stdout
    assert float(seconds) > 2  # the answer spoken, not a click


def test_without_audio_no_player_is_shown(app):
    html = app.test_client().post("/ask", data={"question": QUESTION}).get_data(as_text=True)
    assert "<audio" not in html


@pytest.mark.parametrize("name", ["..%2fsecret_key", "x.ogg", "0" * 64 + ".exe", "0" * 64 + ".ogg"])
def test_only_clips_of_the_cache_are_served(app, name):
    assert app.test_client().get(f"/ask/audio/{name}").status_code == 404
