"""Read several cached clips one after another (a page of the overview, a checklist).

Each clip is played with ``app.speak``; when it ends by itself the next one starts.
Stopping (止める, a screen change, はじめにもどる) ends the queue: ``app.stop_speaking``
clears ``app.sound`` before the next would start.
"""

from __future__ import annotations

from pathlib import Path

from kivy.clock import Clock


def clips_for(app, texts) -> list[Path]:
    """The cached clips of ``texts`` in the app's language, leaving out those not built."""
    found = (app.clip_for(text) for text in texts if text)
    return [clip for clip in found if clip is not None]


def play_all(app, clips: list[Path]) -> None:
    """Play ``clips`` in order; nothing when the list is empty."""
    if not clips:
        return
    app.speak(clips[0])
    sound = app.sound
    if sound is None or len(clips) == 1:
        return

    def ended(*_args):
        # decide after the stop has finished: stop_speaking sets app.sound to None
        Clock.schedule_once(lambda _dt: app.sound is sound and play_all(app, clips[1:]), 0)

    sound.bind(on_stop=ended)
