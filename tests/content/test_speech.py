"""Speech: real offline synthesis, gTTS through a stand-in HTTP service, and the cache."""

from __future__ import annotations

import errno
import io
import json
import subprocess
import wave
from collections.abc import Callable
from pathlib import Path

import pytest
import requests
from click.testing import CliRunner

from content import speech
from content.cli import content
from content.loader import load_catalog
from content.speech import (
    AudioCache,
    GttsEngine,
    OfflineEngine,
    Utterance,
    audio_path,
    build_speech,
    utterances,
)

SENTENCES = [
    Utterance("マイナンバーカードを読み取ります。", "ja"),
    Utterance("マイナンバーカードを読み取ります。", "ja", "slow"),
    Utterance("カードを　スマホに　あてます。", "ja-easy"),
    Utterance("Hold the card flat against the back of the phone.", "en"),
    Utterance("在网上申请住民票副本。", "zh-Hans"),
    Utterance("온라인으로 주민표 사본을 신청합니다.", "ko"),
]
#: what a few seconds of speech cannot be shorter or longer than
PLAUSIBLE_SECONDS = (0.8, 8.0)
#: RMS amplitude (full scale = 1) below which a clip is as good as silent
AUDIBLE_RMS = 0.03
CANNED_MP3 = b"ID3\x04\x00\x00\x00\x00\x00\x00\xff\xfb\x90\x00" + bytes(64)


def soxi_seconds(path: Path) -> float:
    return float(
        subprocess.run(["soxi", "-D", str(path)], capture_output=True, text=True, check=True).stdout
    )


def rms(path: Path) -> float:
    """RMS amplitude of a clip as sox measures it (sox prints `stat` on stderr)."""
    out = subprocess.run(
        ["sox", str(path), "-n", "stat"], capture_output=True, text=True, check=True
    ).stderr
    line = next(x for x in out.splitlines() if x.startswith("RMS     amplitude"))
    return float(line.split(":")[1])


@pytest.fixture
def cache(tmp_path: Path) -> AudioCache:
    return AudioCache.open(tmp_path / "audio")


def test_offline_speech_is_real_audio_of_plausible_length_in_every_language(
    cache: AudioCache,
) -> None:
    report = build_speech(SENTENCES, cache, "offline", progress=False)
    assert (report.synthesised, report.cached, report.failures) == (len(SENTENCES), 0, [])
    for utterance in SENTENCES:
        clip = cache.find(utterance.text, utterance.language, utterance.speed)
        assert clip is not None and clip.suffix == ".ogg", utterance
        seconds = soxi_seconds(clip)
        assert PLAUSIBLE_SECONDS[0] < seconds < PLAUSIBLE_SECONDS[1], (utterance, seconds)
        assert rms(clip) > AUDIBLE_RMS, utterance
    normal = cache.find(SENTENCES[0].text, "ja", "normal")
    slow = cache.find(SENTENCES[0].text, "ja", "slow")
    assert normal and slow and soxi_seconds(slow) > 1.2 * soxi_seconds(normal)


def test_without_sox_offline_japanese_is_a_24_khz_wav(
    cache: AudioCache, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(speech, "sox_writes_ogg", lambda: False)
    build_speech(SENTENCES[:1], cache, "offline", progress=False)
    clip = cache.find(SENTENCES[0].text, "ja")
    assert clip is not None and clip.suffix == ".wav"
    with wave.open(str(clip)) as audio:
        assert (audio.getframerate(), audio.getsampwidth(), audio.getnchannels()) == (24000, 2, 1)
        seconds = audio.getnframes() / audio.getframerate()
    assert PLAUSIBLE_SECONDS[0] < seconds < PLAUSIBLE_SECONDS[1]
    assert rms(clip) > AUDIBLE_RMS


Send = Callable[..., requests.Response]


def google(status: int = 200, body: bytes = CANNED_MP3, calls: list | None = None) -> Send:
    """A stand-in for Google's TTS endpoint at the transport (HTTPAdapter) level."""
    import base64

    payload = base64.b64encode(body).decode("ascii")
    page = ')]}\'\n\n[["wrb.fr","jQ1olc","[\\"' + payload + '\\"]",null,null,null,"generic"]]\n'

    def send(self: requests.adapters.HTTPAdapter, request, **kwargs) -> requests.Response:
        if calls is not None:
            calls.append(kwargs.get("timeout"))
        response = requests.Response()
        response.status_code = status
        response.url = request.url
        response.request = request
        response.raw = io.BytesIO(page.encode("utf-8") if status == 200 else b"")
        return response

    return send


def unreachable(calls: list) -> Send:
    def send(self: requests.adapters.HTTPAdapter, request, **kwargs) -> requests.Response:
        calls.append(kwargs.get("timeout"))
        raise requests.exceptions.ConnectTimeout("timed out")

    return send


def test_gtts_clips_are_fetched_with_a_timeout_and_cached_as_mp3(
    cache: AudioCache, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list = []
    monkeypatch.setattr(requests.adapters.HTTPAdapter, "send", google(calls=calls))
    report = build_speech(SENTENCES[:2], cache, "gtts", progress=False)
    assert (report.synthesised, report.engine, report.fallback_reason) == (2, "gtts", None)
    clip = cache.find(SENTENCES[0].text, "ja")
    assert clip is not None and clip.suffix == ".mp3" and clip.read_bytes() == CANNED_MP3
    assert calls and all(timeout is not None for timeout in calls)


@pytest.mark.parametrize(
    "service", [google(status=429), unreachable([])], ids=["HTTP 429", "connect timeout"]
)
def test_gtts_trouble_falls_back_to_offline_for_the_rest_of_the_run(
    cache: AudioCache, monkeypatch: pytest.MonkeyPatch, service: Send
) -> None:
    monkeypatch.setattr(requests.adapters.HTTPAdapter, "send", service)
    report = build_speech(SENTENCES[:2], cache, "gtts", progress=False)
    assert report.engine == "offline" and report.fallback_reason
    assert report.synthesised == 2 and report.failures == []
    clips = json.loads((cache.root / "manifest.json").read_text(encoding="utf-8"))["clips"]
    assert {clip["engine"] for clip in clips.values()} == {"offline"}


def test_auto_asks_gtts_once_then_speaks_offline_for_the_whole_run(
    cache: AudioCache, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list = []
    monkeypatch.setattr(requests.adapters.HTTPAdapter, "send", unreachable(calls))
    report = build_speech(SENTENCES[:3], cache, "auto", progress=False)
    assert len(calls) == 1 and calls[0] == speech.PROBE_TIMEOUT
    assert (report.engine, report.synthesised) == ("offline", 3)


def test_the_cache_is_keyed_per_engine_and_the_kiosk_prefers_gtts(
    cache: AudioCache, monkeypatch: pytest.MonkeyPatch
) -> None:
    one = SENTENCES[:1]
    build_speech(one, cache, "offline", progress=False)
    monkeypatch.setattr(requests.adapters.HTTPAdapter, "send", google())
    assert build_speech(one, AudioCache.open(cache.root), "gtts", progress=False).synthesised == 1
    offline = AudioCache.open(cache.root).file_for(one[0], OfflineEngine())
    online = AudioCache.open(cache.root).file_for(one[0], GttsEngine())
    assert offline.is_file() and online.is_file() and offline.stem != online.stem
    assert audio_path(one[0].text, "ja", cache_dir=cache.root) == online
    assert audio_path(one[0].text, "ja", "slow", cache_dir=cache.root) is None


def test_a_second_run_with_nothing_changed_synthesises_nothing(
    content_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(requests.adapters.HTTPAdapter, "send", unreachable([]))
    args = [
        "speech",
        "--dir",
        str(content_dir),
        "--cache",
        str(tmp_path / "audio"),
        "--lang",
        "ja",
        "--speed",
        "normal",
        "--quiet",
    ]
    first = CliRunner().invoke(content, args)
    assert first.exit_code == 0, first.output
    total = len(utterances(load_catalog(content_dir), ["ja"], ["normal"]))
    assert f"{total} synthesised, 0 already cached" in first.output
    assert "offline engine spoke instead" in first.output

    calls: list = []
    monkeypatch.setattr(requests.adapters.HTTPAdapter, "send", unreachable(calls))
    second = CliRunner().invoke(content, args)
    assert second.exit_code == 0, second.output
    assert f"0 synthesised, {total} already cached" in second.output
    assert calls == []  # nothing to make: not even the gTTS probe


def test_what_is_spoken_active_guides_and_faq_in_the_languages_written(
    content_dir: Path,
) -> None:
    items = utterances(load_catalog(content_dir), speeds=["normal"])
    texts = {(u.language, u.text) for u in items}
    assert ("ja", "住民票の写しを申し込む") in texts  # title
    assert ("ja-easy", "ばんごうを　いれます。") in texts  # step
    assert ("en", "The log-in screen appears.") in texts  # screen
    assert ("en", "Three wrong tries lock the PIN.") in texts  # warning
    assert ("ja", "マイナンバーカード") in texts  # bring
    assert ("en", "Do you know your PIN?") in texts  # checklist
    assert ("en", "About a week.") in texts  # FAQ answer
    assert not any("接種券" in text for _, text in texts)  # the withdrawn guide
    assert not any(lang == "ja-easy" and "週間" in text for lang, text in texts)  # no fallback
    assert len(items) == len(set(items))


def test_an_unwritable_cache_is_one_clear_message_without_traceback(
    content_dir: Path, tmp_path: Path
) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    result = CliRunner().invoke(
        content, ["speech", "--dir", str(content_dir), "--cache", str(blocker / "audio")]
    )
    assert result.exit_code == 1
    assert "The audio cache" in result.output and "cannot be written" in result.output
    assert "Traceback" not in result.output and isinstance(result.exception, SystemExit)


def test_a_full_disk_is_one_clear_message_and_keeps_the_clips_made(
    content_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made: list[Utterance] = []
    real = OfflineEngine.synthesise

    def fill_up(self: OfflineEngine, utterance: Utterance, target: Path) -> None:
        if made:
            raise OSError(errno.ENOSPC, "No space left on device")
        made.append(utterance)
        real(self, utterance, target)

    monkeypatch.setattr(OfflineEngine, "synthesise", fill_up)
    result = CliRunner().invoke(
        content,
        [
            "speech",
            "--engine",
            "offline",
            "--dir",
            str(content_dir),
            "--cache",
            str(tmp_path / "audio"),
            "--quiet",
        ],
    )
    assert result.exit_code == 1
    assert "cannot be written: No space left on device." in result.output
    assert "Traceback" not in result.output
    assert audio_path(made[0].text, made[0].language, made[0].speed, tmp_path / "audio")
