"""The kiosk app: fonts, state as Kivy properties, the screens and the way between them.

A thin GUI: what a guide says comes from the content catalog (``content.loader``),
audio from the speech cache (``content.speech``); the kiosk never opens the database.
Import this module only after Kivy is configured (``kiosk.cli`` does that).
"""

from __future__ import annotations

import logging
import threading
import time
import traceback
from pathlib import Path

from kivy.app import App
from kivy.clock import Clock
from kivy.core.window import Window
from kivy.lang import Builder
from kivy.properties import (
    BooleanProperty,
    ListProperty,
    NumericProperty,
    OptionProperty,
    StringProperty,
)
from kivy.uix.screenmanager import NoTransition, ScreenManager

from kiosk import fonts, i18n, theme
from kiosk.config import KioskConfig
from kiosk.idle import IdleWatcher
from kiosk.lockdown import SWALLOWED_KEYS, CornerSequence, corner_of
from kiosk.services.api import ApiClient
from kiosk.services.outbox import Outbox
from kiosk.services.speech_player import ScreenSpeaker
from kiosk.services.visit_speech import VisitClips
from kiosk.visit import Visit

log = logging.getLogger(__name__)
KIOSK_DIR = Path(__file__).resolve().parent
HEARTBEAT_EVERY = 60.0
#: seconds the "please wait" screen stays after an error
RECOVER_AFTER = 5.0


class KioskApp(App):
    """The touch app; its properties are the visit's state that every screen follows."""

    title = "Tsunagu"
    language = OptionProperty("ja", options=list(i18n.LANGUAGES))
    text_size = OptionProperty("large", options=list(theme.TEXT_SIZES))
    speech = BooleanProperty(True)
    #: the registered font that has this language's glyphs
    font_name = StringProperty(fonts.JAPANESE_FONT)
    body_size = NumericProperty(theme.SIZES["large"].body)
    heading_size = NumericProperty(theme.SIZES["large"].heading)
    button_size = NumericProperty(theme.SIZES["large"].button)
    button_height = NumericProperty(theme.SIZES["large"].button_height)
    bar_height = NumericProperty(theme.SIZES["large"].bar_height)
    #: the window is taller than wide (a 1080x1920 panel): screens stack what sits side by side
    portrait = BooleanProperty(False)
    #: a short landscape window (1366x768): the NavBar is a rail down the right-hand side
    #: and every screen lays its content out beside it (kiosk.theme.side_rail)
    side_rail = BooleanProperty(False)
    rail_width = NumericProperty(theme.RAIL_WIDTH)
    #: a title beside its step counter ("3 / 6"): beside the rail of a short panel at the
    #: heading floor, so that the title keeps to a line or two and the screen its height
    title_size = NumericProperty(theme.SIZES["large"].heading)
    #: screen names visited, for もどる
    history = ListProperty([])
    #: the booking asks which phone the resident brings (a class for any phone)
    booking_with_device = BooleanProperty(False)
    #: speech volume, 0..1 (音量 − / ＋ on the guide screens)
    volume = NumericProperty(0.8)

    def __init__(
        self,
        server: str = "",
        token: str = "",
        catalog=None,
        config: KioskConfig | None = None,
        locked: bool = False,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.config_values = config or KioskConfig(server=server, token=token)
        self.server = self.config_values.server
        self.token = self.config_values.token
        self._catalog = catalog
        self._catalog_lock = threading.Lock()
        #: lock-down (keys, close, errors): off for screenshots and development
        self.locked = locked
        self.visit = Visit()
        self.api = ApiClient(self.server, self.token)
        self.outbox = Outbox(self.config_values.data_dir / "outbox")
        #: clips of what this visit typed, spoken on the fly; deleted when the visit ends
        self.visit_clips = VisitClips(self.config_values.data_dir)
        #: reads a screen aloud (読み上げ), clip after clip, made off the GUI thread
        self.speaker = ScreenSpeaker(
            self.config_values.data_dir,
            self.visit_clips,
            find=self._cached_clip,
            post=lambda fn: Clock.schedule_once(lambda _dt: fn(), 0),
            load=_load_sound,
            volume=lambda: self.volume,
        )
        self.worker = None
        self.idle = IdleWatcher(time.monotonic)
        self.corners = CornerSequence(time.monotonic)
        self.idle_overlay = None
        self.content_version = "unknown"
        self.recover_after = RECOVER_AFTER
        #: the call for staff in progress (kiosk.help_call), its clock and its poll
        self.help_call = None
        self.help_clock = time.monotonic
        self.help_tick_every = 1.0
        self._help_event = None
        self._help_asking = False
        self._help_asked_at = float("-inf")
        self.fbind("language", self._language_changed)
        self.fbind("text_size", self._text_size_changed)
        self._language_changed()
        self._text_size_changed()

    # -- state -----------------------------------------------------------------------
    def _language_changed(self, *_args) -> None:
        i18n.set_language(self.language)
        self.api.language = "ja" if self.language == "ja-easy" else self.language
        self.font_name = fonts.font_for(self.language)

    def _text_size_changed(self, *_args) -> None:
        # the sizes follow the window too (a 1366x768 panel: kiosk.theme.sizes_for)
        sizes = theme.sizes_for(self.text_size, Window.size)
        self.portrait = Window.height > Window.width
        self.side_rail = theme.side_rail(Window.size)
        self.body_size = sizes.body
        self.heading_size = sizes.heading
        self.title_size = theme.MIN_HEADING if self.side_rail else sizes.heading
        self.button_size = sizes.button
        self.button_height = sizes.button_height
        self.bar_height = sizes.bar_height

    @property
    def catalog(self):
        """The content (guides, lessons, FAQ), read the first time it is needed.

        Home shows none of it: reading and checking every YAML file (a quarter of a
        second) waits until a guide is opened, or the start's background check of the
        content version reads it first.
        """
        if self._catalog is None:
            with self._catalog_lock:
                if self._catalog is None:
                    from content.loader import forget_parsed, load_catalog

                    self._catalog = load_catalog()
                    # the parsed YAML kept for a faster reload (about 0.5 MiB beyond the
                    # strings the catalog keeps): the kiosk never reads these files again
                    # (a new bundle is a new folder)
                    forget_parsed()
        return self._catalog

    @catalog.setter
    def catalog(self, value) -> None:
        self._catalog = value

    def tr(self, message: str, language: str) -> str:
        """``message`` in ``language``; kv rules pass app.language so they re-run on a switch."""
        return i18n.gettext_in(message, language)

    def font_of(self, language: str) -> str:
        """The font for text written in ``language`` (a language button's own name)."""
        return fonts.font_for(language)

    # -- building --------------------------------------------------------------------
    def build(self) -> ScreenManager:
        from kiosk.memory import drop_text_surfaces, share_font_faces

        drop_text_surfaces()  # before the first label is drawn
        share_font_faces()
        fonts.register()
        Window.clearcolor = theme.BACKGROUND
        Builder.load_file(str(KIOSK_DIR / "widgets" / "widgets.kv"))
        from kiosk.screens import SCREENS
        from kiosk.screens.lazy import LazyScreenManager

        manager = LazyScreenManager(SCREENS, transition=NoTransition())
        manager.get_screen("home")
        Window.bind(on_touch_down=self._on_any_touch)
        Window.bind(size=self._text_size_changed)
        if self.locked:
            self._lock_down()
        return manager

    def on_start(self) -> None:
        self.visit_clips.purge()  # a crash may have left a visit's clips behind
        if not self.locked and not self.server:
            return  # screenshots and development without a server: no background traffic
        from kiosk.services.background import Worker

        self.worker = Worker()
        Clock.schedule_interval(self._idle_tick, 1.0)
        Clock.schedule_interval(lambda _dt: self.heartbeat(), HEARTBEAT_EVERY)
        # hashing the content takes a while: never in the way of a resident's request
        threading.Thread(target=self._read_content_version, daemon=True).start()
        self.heartbeat()

    # -- lock-down -------------------------------------------------------------------
    def _lock_down(self) -> None:
        """Escape, F1 and the window's close button do nothing; errors show a calm screen."""
        from kivy.base import ExceptionHandler, ExceptionManager

        Window.bind(on_request_close=lambda *_a, **_k: True)
        Window.bind(on_keyboard=lambda _w, key, *_a: key in SWALLOWED_KEYS)
        Window.show_cursor = False
        app = self

        class CalmHandler(ExceptionHandler):
            def handle_exception(self, exception):
                app.recover(exception)
                return ExceptionManager.PASS

        ExceptionManager.add_handler(CalmHandler())

    def recover(self, exception: BaseException) -> None:
        """Log where it failed (never the message: it may hold what a resident typed), then home."""
        frames = traceback.extract_tb(exception.__traceback__)
        where = " <- ".join(
            f"{Path(f.filename).name}:{f.lineno}:{f.name}" for f in reversed(frames)
        )
        log.error("kiosk error %s at %s", type(exception).__name__, where or "?")
        try:
            self.root.current = "please_wait"
        except Exception:  # the screen manager itself is broken: nothing more to show
            return
        Clock.schedule_once(lambda _dt: self.end_visit(), self.recover_after)

    def staff_exit(self) -> None:
        log.info("staff exit")
        self.stop()

    # -- idle and touches ------------------------------------------------------------
    def _on_any_touch(self, window, touch) -> bool:
        if self.idle_overlay is not None and self.idle_overlay.speech_touch(touch):
            return False  # 読み上げ, 止める, 音量 on 続けますか？: the warning stays, read aloud
        self.idle.touch()
        if self.idle_overlay is not None:
            self.idle_overlay.dismiss()
            self.idle_overlay = None
            return True  # the touch answered 続けますか？; it does not reach the screen below
        if self.locked:
            corner = corner_of(touch.x, touch.y, window.width, window.height)
            if self.corners.tap(corner):
                self.show("staff_pin")
                return True
        return False

    def _idle_tick(self, _dt) -> None:
        if self._help_holds():
            self.idle.touch()
            return
        action = self.idle.poll()
        if action == "warn":
            if self.root.current == "home" and self.visit.empty:
                self.idle.touch()  # nothing to forget: no need to ask
                self._content_idle()
                return
            from kiosk.widgets.idle_overlay import IdleOverlay

            self.idle_overlay = IdleOverlay(seconds=self.idle.seconds_left())
            self.idle_overlay.open()
        elif action == "reset":
            self.end_visit()
        if self.idle_overlay is not None:
            self.idle_overlay.seconds = self.idle.seconds_left()

    def _help_holds(self) -> bool:
        """A call for staff is waiting: waiting is not "idle" (UX.md), nothing is wiped."""
        return self.help_call is not None and self.help_call.holds_the_kiosk

    def _content_idle(self) -> None:
        """Home, idle, nothing entered: look for a newer bundle; switch to one fetched earlier."""
        from kiosk.services.bundle import IdleUpdates

        if getattr(self, "bundles", None) is None:
            self.bundles = IdleUpdates(self.api, self.config_values.data_dir)
        ready = self.bundles.on_idle()
        if ready is not None:
            self.catalog, self.audio_dir, self.content_version = ready

    def end_visit(self) -> None:
        """Forget everything of this visit and show Home as a new resident finds it."""
        if self.idle_overlay is not None:
            self.idle_overlay.dismiss()
            self.idle_overlay = None
        self.stop_speaking()
        self.help_call = None  # はじめにもどる: the resident left the please-wait screen
        self.visit_clips.clear()
        self.visit.reset()
        self.booking_with_device = False
        for screen in self.root.screens:
            screen.forget()
        self.choose("language", "ja")
        self.choose("text_size", "large")
        self.speech = True
        self.volume = 0.8
        self.history = []
        self.show("home", remember=False)
        # once Home is drawn: the screens left behind let go of their text textures, and
        # what the visit's readings, pictures and texts freed goes back (kiosk.memory)
        Clock.schedule_once(lambda _dt: self._rest(), 0.5)

    def _rest(self) -> None:
        """Between residents: screens not shown release their textures (each draws its texts
        again just before it is next shown), then freed memory is handed back, a moment
        later, once OpenGL has deleted those textures (Kivy deletes them on the next tick)."""
        from kiosk.memory import give_memory_back, release_textures

        for screen in self.root.screens:
            if screen.parent is None:  # neither shown nor on its way out
                release_textures(screen)
        Clock.schedule_once(lambda _dt: give_memory_back(), 0.1)

    def choose(self, name: str, value) -> None:
        """Set a choice that many kv rules follow (the language, the text size).

        A widget a screen dropped can be collected while those rules are being told; Kivy
        then unbinds its rules, but the one being called at that moment raises
        ReferenceError (Kivy 2.3). The choice is stored by then: the rules still alive are
        told again, so a resident's tap on 日本語 never ends in the error screen.
        """
        failed = False
        for _attempt in range(5):
            try:
                if getattr(self, name) != value:
                    setattr(self, name, value)
                elif failed:
                    self.property(name).dispatch(self)
                return
            except ReferenceError:
                failed = True
        self.property(name).dispatch(self)

    # -- the server ------------------------------------------------------------------
    def _submit(self, job, done=None) -> None:
        if self.worker is None:
            from kiosk.services.background import Worker

            self.worker = Worker()
        self.worker.submit(job, done)

    def _read_content_version(self) -> None:
        try:
            from content.bundle import bundle_files, content_version
            from content.speech import AudioCache

            cache = AudioCache.open(getattr(self, "audio_dir", None))
            self.content_version = content_version(bundle_files(self.catalog, cache)[0])[0]
        except Exception as exc:  # a version is nice to report, never worth failing for
            log.info("content version unknown: %s", type(exc).__name__)

    def heartbeat(self) -> None:
        """Tell the server this kiosk is alive and send what the outbox holds."""
        from kiosk.services.api import ApiError
        from tsunagu import __version__

        def job():
            try:
                self.api.heartbeat(__version__, self.content_version)
            except ApiError as exc:
                log.info("heartbeat not answered: %s", exc)
                return self.outbox.flush(self.api)
            # the server answers again: what waits need not sit out its backoff
            return self.outbox.flush(self.api, force=True)

        self._submit(job, self._delivered)

    def fetch_sessions(self, done) -> None:
        self._submit(self.api.sessions, done)

    def record(self, kind: str, **fields) -> None:
        """An anonymous usage event (kind, time, language, text size; nothing personal)."""
        from kiosk.guide_flow import event_payload

        at = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        self.outbox.put("event", event_payload(kind, at, self.language, self.text_size, **fields))

    def start_booking(self) -> None:
        self.visit_clips.clear()
        self.visit.reset()
        for name in ("sessions", "consent", "name", "phone", "birth", "confirm", "result"):
            self.root.get_screen(name).forget()
        self.record("booking_started")
        self.show("sessions")

    def submit_booking(self) -> None:
        """Store the booking in the outbox under this attempt's key, then try to send it now."""
        key = self.visit.confirm()
        if not any(entry["key"] == key for entry in self.outbox.entries()):
            self.outbox.put("booking", self.visit.booking(), key=key)
        self._submit(
            lambda: self.outbox.flush(self.api, force=True),
            lambda deliveries: self._booking_answered(key, deliveries),
        )

    def _booking_answered(self, key: str, deliveries) -> None:
        if key != self.visit.attempt_key:
            self._delivered(deliveries)
            return  # the visit ended meanwhile: nobody to tell
        if isinstance(deliveries, Exception):
            deliveries = []
        mine = next((d for d in deliveries if d.key == key), None)
        self._delivered([d for d in deliveries if d is not mine])
        self.visit.result = self._result_of(mine)
        self.show("result", result=dict(self.visit.result), remember=False)
        self.visit_clips.clear()  # the confirmation was read: its clip goes

    @staticmethod
    def _result_of(delivery) -> dict:
        if delivery is None or delivery.outcome == "pending":
            return {"status": "pending"}
        if delivery.outcome == "failed":
            return {"status": "failed", "message": delivery.error.message if delivery.error else ""}
        answer = delivery.answer
        return {name: answer.get(name) for name in ("status", "position", "code", "qr_token")}

    def _delivered(self, deliveries) -> None:
        """Deliveries of earlier entries: a pending booking answered while its resident waits."""
        if isinstance(deliveries, Exception):
            return
        for delivery in deliveries:
            if delivery.kind == "booking" and delivery.outcome != "pending":
                log.info("outbox booking %s: %s", delivery.entry_id, delivery.outcome)
                if delivery.key == self.visit.attempt_key and self.root.current == "result":
                    self.visit.result = self._result_of(delivery)
                    self.root.get_screen("result").prepare(result=dict(self.visit.result))

    # -- moving between screens ------------------------------------------------------
    def show(self, name: str, remember: bool = True, **params) -> None:
        """Go to screen ``name``, handing it ``params`` (e.g. guide_id)."""
        self.stop_speaking()
        manager: ScreenManager = self.root
        screen = manager.get_screen(name)
        if remember and manager.current != name:
            self.history.append(manager.current)
        screen.prepare(**params)
        manager.current = name

    def go_back(self) -> None:
        """もどる: the screen handles it (e.g. the previous step), else the previous screen."""
        self.stop_speaking()
        if self.root.current_screen.back():
            return
        if self.history:
            self.show(self.history.pop(), remember=False)
        else:
            self.go_home()

    def go_home(self) -> None:
        """はじめにもどる: Home, and what this visit entered is forgotten."""
        self.end_visit()

    def call_staff(self) -> None:
        """職員を呼ぶ: a help request through the outbox, and a please-wait screen that stays.

        It stays until staff take the call (「職員が向かっています」) or close it on the
        board, or ten minutes pass (kiosk.help_call); pressed again, it shows the same call.
        """
        from kiosk.help_call import HelpCall, where

        call = self.help_call
        if call is not None and call.holds_the_kiosk:
            self._show_help(call)
            return
        call = HelpCall(
            where(self.root.current_screen), self.help_clock, came_from=self.root.current
        )
        self.help_call = call
        self.outbox.put(
            "help", {"screen": call.screen, "language": self.language}, key=call.client_id
        )
        self._submit(
            lambda: self.outbox.flush(self.api, force=True),
            lambda deliveries: self._help_answered(call, deliveries),
        )
        self._show_help(call)
        if self._help_event is None:
            self._help_event = Clock.schedule_interval(self._help_tick, self.help_tick_every)

    def _show_help(self, call) -> None:
        from kiosk.help_call import DETAIL

        params = {"message": call.message, "detail": "" if call.over else DETAIL}
        if self.root.current == "notice":
            self.root.get_screen("notice").prepare(**params)
        else:
            self.show("notice", **params)

    def _help_answered(self, call, deliveries) -> None:
        self._delivered(deliveries)
        mine = None
        if not isinstance(deliveries, Exception):
            mine = next((d for d in deliveries if d.key == call.client_id), None)
        if mine is None:  # an earlier flush (the heartbeat's) may have sent it already
            sent = not any(e["key"] == call.client_id for e in self.outbox.entries())
        else:
            sent = mine.outcome == "delivered"
        # not sent now (no answer, refused): the resident is told to ask at the counter
        call.delivered(sent)
        if mine is not None and mine.outcome == "delivered":
            call.heard(str(mine.answer.get("status", "")))
        self._help_changed(call)

    def _help_changed(self, call) -> None:
        if call is not self.help_call:
            return  # an older call, or the visit ended meanwhile
        if call.state in ("closed", "expired"):
            self._help_over(call)
        elif self.root.current == "notice":
            self._show_help(call)

    def _help_over(self, call) -> None:
        """Staff closed the call or ten minutes passed: the resident's screen comes back."""
        self.help_call = None
        self.idle.touch()  # a fresh 90 s before 続けますか？
        if self.root.current == "notice":
            self.root.current_screen.back()  # the screen as the resident left it

    def _help_tick(self, _dt=None) -> bool | None:
        """Every second while a call holds the kiosk: ten minutes up? time to ask the server?"""
        from kiosk.help_call import POLL_EVERY, TAKEN, WAITING

        call = self.help_call
        if call is None:
            self._help_event = None
            return False
        if call.tick():
            self._help_over(call)
            self._help_event = None
            return False
        now = self.help_clock()
        if (
            call.state in (WAITING, TAKEN)
            and not self._help_asking
            and now - self._help_asked_at >= POLL_EVERY
        ):
            self._help_asking, self._help_asked_at = True, now

            def heard(status) -> None:
                self._help_asking = False
                if not isinstance(status, Exception) and call.heard(status):
                    self._help_changed(call)

            self._submit(lambda: self.api.help_status(call.client_id), heard)
        return None

    # -- speech ----------------------------------------------------------------------
    def clip_for(self, text: str) -> Path | None:
        """The cached audio of ``text`` in the current language, or None when none was built."""
        from content.speech import audio_path

        try:
            return audio_path(text, self.language, cache_dir=getattr(self, "audio_dir", None))
        except (OSError, ValueError, KeyError) as exc:  # a broken cache must not stop the kiosk
            log.warning("audio cache unreadable: %s", exc)
            return None

    def _cached_clip(self, text: str, language: str) -> Path | None:
        from content.speech import audio_path

        try:
            return audio_path(text, language, cache_dir=getattr(self, "audio_dir", None))
        except (OSError, ValueError, KeyError):
            return None

    @property
    def sound(self):
        """The clip playing now (None when the kiosk is silent)."""
        return self.speaker.sound

    def speak(self, clip: Path) -> None:
        """Play ``clip``, stopping whatever was playing."""
        self.speaker.play_file(clip)

    def read_aloud(self, owner) -> None:
        """読み上げ: read what ``owner`` (a screen, the idle warning) says, in this language."""
        if owner is None:
            return
        texts = owner.speech_text(self.language)
        if getattr(owner, "speech_private", False):  # e.g. the booking's result and code
            from kiosk.services.speech_player import Typed

            texts = [Typed(text) for text in texts]
        self.speaker.on_silent = lambda reason: self._silent(owner, reason)
        self.speaker.read(texts, self.language)

    def _silent(self, owner, reason: str) -> None:
        """A reading made no sound: the bars of ``owner`` say why instead of their buttons."""
        from kiosk.widgets.speech_bar import SpeechBar

        for widget in owner.walk(restrict=True):
            if isinstance(widget, SpeechBar):
                widget.reason = reason

    def speech_reason(self, owner) -> str:
        """Why ``owner`` cannot be read aloud here (a msgid), "" when it can."""
        from content.speech import cache_root

        # clips built ahead that cannot be read (a file in the cache's place ...) are logged
        # once for the staff; the offline engine still speaks, so that alone is no reason
        health = self.visit_clips.health
        root = cache_root(getattr(self, "audio_dir", None))
        health.check_cache(root)
        if health.problem_besides(root):
            from kiosk.services.speech_player import NOT_NOW

            return NOT_NOW
        return self.speaker.can_speak(owner.speech_text(self.language), self.language)

    def change_volume(self, step: int) -> None:
        """音量 − (step -1) or ＋ (step 1); the clip playing follows at once."""
        from kiosk.guide_flow import next_volume

        self.volume = next_volume(self.volume, step)
        self.speaker.set_volume(self.volume)

    def on_stop(self) -> None:
        self.stop_speaking()
        self.visit_clips.clear()
        self.visit_clips.close()

    def stop_speaking(self) -> None:
        self.speaker.stop()


def _load_sound(path: str):
    from kivy.core.audio import SoundLoader

    return SoundLoader.load(path)
