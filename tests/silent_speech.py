"""A guide's speech as `tsunagu content speech` leaves a ward's server, but silent: the
browser walk of an editor's publish and the manuals' screenshots (scripts/manuals.py) need
every clip of one guide in the cache, and the real engine takes minutes for its ~400
texts. What publishing must then make for real is only the changed text's speech."""

from __future__ import annotations

import wave
from pathlib import Path

from content.loader import Catalog
from content.speech import AudioCache, OfflineEngine, Utterance, build_speech, utterances


class SilentEngine(OfflineEngine):
    """Files a tenth of a second of silence under the offline engine's name and voice, so
    that the kiosk and the publish find each clip where a real build would have put it."""

    def synthesise(self, utterance: Utterance, target: Path) -> None:
        with wave.open(str(target), "wb") as clip:
            clip.setnchannels(1)
            clip.setsampwidth(2)
            clip.setframerate(8000)
            clip.writeframes(b"\0\0" * 800)


def build_silent_speech(app, guide_id: str) -> None:
    """Every clip of the guide (as the site's content has it), silent, in the app's cache."""
    from web.content_source import source

    catalog = source(app).catalog()
    guide = catalog.guide(guide_id)
    alone = Catalog(catalog.root, catalog.settings, {guide.id: guide}, {}, {})
    cache = AudioCache.open(Path(app.config["AUDIO_CACHE_DIR"]))
    build_speech(utterances(alone), cache, engine="offline", offline=SilentEngine(), progress=False)
