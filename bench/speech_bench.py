"""読み上げ: tap → first sound, for cached text and for text spoken on the fly, as ratios.

The kiosk's reading path (kiosk/services/speech_player.py, what the speech bar's 読み上げ
calls) against a bare ``SoundLoader.load(path).play()`` of a clip of the same kind, all
in the same run, with SDL_AUDIODRIVER=dummy (no sound card needed), Kivy's clock driven
here as the app's loop would drive it:

- cached: a screen text the kiosk already spoke (its clip is in the kiosk's speech cache)
  — ``ScreenSpeaker.read`` to ``sound.state == 'play'``;
- on the fly: a text never spoken before (a class's date with a new day each time), made
  by the offline engine on a background thread (pyopenjtalk for ja, espeak-ng for en),
  then played — the same measure; the GUI thread stays free meanwhile (its longest
  stall while the engine speaks is printed too).

Run: .venv/bin/python bench/speech_bench.py
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("KIVY_NO_ARGS", "1")
os.environ.setdefault("KIVY_NO_CONSOLELOG", "1")
os.environ.setdefault("KIVY_NO_FILELOG", "1")

ROUNDS = 9
CACHED_TEXT = {"ja": "窓口で、いつもどおり手続きをします。", "en": "Please check your booking"}


def main() -> None:
    from kivy.clock import Clock
    from kivy.core.audio import SoundLoader

    from kiosk.services.speech_player import ScreenSpeaker, engine_problem, sound_problem
    from kiosk.services.visit_speech import VisitClips

    if sound_problem():
        print("speech: Kivy has no audio provider here; not measured")
        return
    work = Path(tempfile.mkdtemp(prefix="speech-bench-"))
    clips = VisitClips(work / "data")
    speaker = ScreenSpeaker(
        work / "data",
        clips,
        find=lambda _t, _l: None,
        post=lambda fn: Clock.schedule_once(lambda _dt: fn(), 0),
        load=SoundLoader.load,
        volume=lambda: 0.8,
    )

    def until_playing(limit: float = 30.0) -> tuple[float, float]:
        """Tick the clock until the speaker plays; (seconds, longest tick in seconds)."""
        t0 = time.perf_counter()
        longest = 0.0
        while speaker.sound is None or speaker.sound.state != "play":
            tick = time.perf_counter()
            Clock.tick()
            longest = max(longest, time.perf_counter() - tick)
            if time.perf_counter() - t0 > limit:
                raise SystemExit("speech bench: no sound within 30 s")
            time.sleep(0.001)
        return time.perf_counter() - t0, longest

    def bare(path: Path) -> float:
        t0 = time.perf_counter()
        sound = SoundLoader.load(str(path))
        sound.play()
        while sound.state != "play":
            Clock.tick()
        seconds = time.perf_counter() - t0
        sound.stop()
        return seconds

    for language in ("ja", "en"):
        if engine_problem(language):
            print(
                f"speech {language}: no offline engine ({engine_problem(language)}); not measured"
            )
            continue
        text = CACHED_TEXT[language]
        speaker.read([text], language)  # the first reading makes the clip
        until_playing()
        speaker.stop()
        clip = speaker.cached(text, language)
        cached, direct, fly, fly_direct, stalls = [], [], [], [], []
        for n in range(ROUNDS):
            t0 = time.perf_counter()
            speaker.read([text], language)
            _, _ = until_playing()
            cached.append(time.perf_counter() - t0)
            speaker.stop()
            direct.append(bare(clip))
            # a text never spoken before: a class's date, a new one each round
            day = n + 1
            new = (
                f"12月{day}日 10時から、中央図書館の研修室です。"
                if language == "ja"
                else f"December {day}, from 10 o'clock, at the central library."
            )
            t0 = time.perf_counter()
            speaker.read([new], language)
            _, longest = until_playing()
            fly.append(time.perf_counter() - t0)
            stalls.append(longest)
            made = Path(speaker.sound.source)
            speaker.stop()
            fly_direct.append(bare(made))
        c, d = statistics.median(cached), statistics.median(direct)
        f, fd = statistics.median(fly), statistics.median(fly_direct)
        print(
            f"読み上げ {language}, cached clip: tap to sound.state == 'play' median {c * 1000:.1f} ms; "
            f"bare SoundLoader load+play of the same clip {d * 1000:.1f} ms; ratio {c / d:.2f}x "
            f"({ROUNDS} taps)"
        )
        print(
            f"読み上げ {language}, spoken on the fly (offline engine): tap to sound median "
            f"{f * 1000:.0f} ms; bare SoundLoader load+play of that clip {fd * 1000:.1f} ms; "
            f"ratio {f / fd:.1f}x; longest GUI-thread tick meanwhile {max(stalls) * 1000:.1f} ms"
        )
    speaker.stop()


if __name__ == "__main__":
    main()
