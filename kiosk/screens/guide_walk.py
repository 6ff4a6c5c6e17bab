"""Around a guide's steps: the overview and the checklist before them, the hand-off after.

overview (who, bring, time, fee, warnings; in pages) → 「はじめる前に確かめましょう」 (the
card, the PIN, the phone: what the phone will ask for, checked before step 1) → steps
(guide_step; the hand-off QR code shows at the step that says to scan it) → the end: the
QR again, the step sheet, "stuck? → a class" and the counter that helps.
"""

from __future__ import annotations

import logging

from kivy.app import App
from kivy.properties import (
    BooleanProperty,
    ListProperty,
    NumericProperty,
    ObjectProperty,
    StringProperty,
)

from kiosk import guide_flow
from kiosk.guide_flow import GuideEvents
from kiosk.i18n import gettext_in
from kiosk.screens.base import KioskScreen, RoomPaging, load_rules
from kiosk.widgets import BigButton, PhraseLabel
from kiosk.widgets.phrase_label import SAFETY, text_width

load_rules(__file__)
log = logging.getLogger(__name__)

#: list items on one overview page, and checks on one checklist page, by text size
OVERVIEW_PER_PAGE = {"large": 6, "extra-large": 4}
CHECKS_PER_PAGE = {"large": 4, "extra-large": 2}
CHECKED, UNCHECKED = "✓", "□"


def _app():
    return App.get_running_app()


def label_beside(label: str, text: str, width: float):
    """「対象の人」 beside its text (the label ``width`` wide), as one row as high as the
    taller of the two."""
    from kivy.uix.boxlayout import BoxLayout

    from kiosk.theme import GAP

    row = BoxLayout(spacing=GAP * 2, size_hint_y=None)
    name = PhraseLabel(source=label, bold=True, size_hint_x=None, width=width, pos_hint={"top": 1})
    value = PhraseLabel(source=text, pos_hint={"top": 1})
    row.add_widget(name)
    row.add_widget(value)

    def fit(*_args) -> None:
        row.height = max(name.height, value.height)

    name.fbind("height", fit)
    value.fbind("height", fit)
    return row


class PagedScreen(RoomPaging, KioskScreen):
    """A screen whose content comes in pages turned by buttons (never by swiping); pages
    hold fewer where the window's height asks (``RoomPaging``)."""

    page = NumericProperty(0)
    pages = NumericProperty(1)

    def turn(self, step: int) -> None:
        self.page = max(0, min(self.pages - 1, self.page + step))

    def fresh(self, *_args) -> None:
        """A new language or text size: pages as full as the room allows, from the start."""
        self.room_reset()
        self._repage()

    def _repage(self, *_args) -> None:
        raise NotImplementedError


class GuideOverviewScreen(PagedScreen):
    """Before the steps: who it is for, time, fee; what to bring; what to watch out for."""

    guide = ObjectProperty(None, allownone=True)
    title_text = StringProperty("")

    def on_kv_post(self, base_widget) -> None:
        app = _app()
        app.fbind("language", self.fresh)  # a language may add or drop the notice page
        app.fbind("text_size", self.fresh)
        self.fbind("page", self._fill)
        self.ids.content.fbind("width", self._fill)  # the labels' column follows it
        self.watch_room(self.ids.column)

    def prepare(self, guide_id: str | None = None, page: int = 0, **params) -> None:
        app = _app()
        self.guide = app.catalog.guide(guide_id or app.catalog.active_guides[0].id)
        GuideEvents(app.record).viewed(self.guide.id)
        self.room_reset()
        self._repage()
        self.page = max(0, min(page, self.pages - 1))
        self._fill()

    def _room_wanted(self) -> int:
        return OVERVIEW_PER_PAGE.get(_app().text_size, 3)

    def _room_can_help(self) -> bool:
        """Fewer a page helps a page of items, not the summary or the language notice."""
        pages = self._overview()
        page = pages[self.page] if self.page < len(pages) else None
        return page is not None and page.kind in ("bring", "warnings") and len(page.items) > 1

    def _overview(self) -> list:
        per_page = self.room_per_page(self._room_wanted())
        # a guide not fully in the kiosk's language starts with a page that says so
        return (
            guide_flow.overview_pages(self.guide, per_page, _app().language) if self.guide else []
        )

    def _repage(self, *_args) -> None:
        self.pages = max(1, len(self._overview()))
        self.page = min(self.page, self.pages - 1)
        self._fill()

    def _fill(self, *_args) -> None:
        box = self.ids.content
        box.clear_widgets()
        if self.guide is None:
            return
        app = _app()
        language = app.language

        def tr(message: str) -> str:
            return gettext_in(message, language)

        self.title_text = self.guide.title.get(language)
        page = self._overview()[self.page]
        if page.kind == "summary":
            rows = [
                (tr("Who it is for"), self.guide.for_whom.get(language)),
                (
                    tr("Time"),
                    tr("About %(minutes)d minutes") % {"minutes": self.guide.duration_minutes},
                ),
                (tr("Fee"), self.guide.fee.get(language)),
            ]
            # beside the rail of a short panel: each label beside its text, as wide as the
            # longest label needs (at most a quarter of the width: a long one wraps)
            widest = max(text_width(app.font_name, app.body_size, True, row[0]) for row in rows)
            width = min(box.width / 4, widest + SAFETY + 8)
            for label, text in rows:
                if app.side_rail:
                    box.add_widget(label_beside(label, text, width))
                    continue
                box.add_widget(PhraseLabel(source=label, bold=True))
                box.add_widget(PhraseLabel(source=text))
            return
        heading = tr("What to bring") if page.kind == "bring" else tr("Please note")
        mark = "・" if page.kind == "bring" else "！ "
        box.add_widget(PhraseLabel(source=heading, bold=True, font_size=app.heading_size * 0.8))
        for item in page.items:
            box.add_widget(PhraseLabel(source=mark + item.get(language)))

    def speech_text(self, language: str) -> list[str]:
        """The page as shown; the guide's own texts whole, so their clips built ahead are used."""
        if self.guide is None:
            return []

        def tr(message: str) -> str:
            return gettext_in(message, language)

        page = self._overview()[self.page]
        texts = [self.guide.title.get(language)]
        if page.kind == "summary":
            minutes = tr("About %(minutes)d minutes") % {"minutes": self.guide.duration_minutes}
            return texts + [
                tr("Who it is for"),
                self.guide.for_whom.get(language),
                tr("Time"),
                minutes,
                tr("Fee"),
                self.guide.fee.get(language),
            ]
        texts.append(tr("What to bring") if page.kind == "bring" else tr("Please note"))
        return texts + [item.get(language) for item in page.items]

    def read_aloud(self) -> None:
        app = _app()
        app.read_aloud(self)
        if self.guide is not None:
            GuideEvents(app.record).speech(self.guide.id)

    def next(self) -> None:
        if self.page < self.pages - 1:
            self.page += 1
        elif self.guide.checklist:  # what the phone will ask for, checked before step 1
            _app().show("guide_checklist", guide_id=self.guide.id)
        else:
            _app().show("guide", guide_id=self.guide.id, step=1)

    def back(self) -> bool:
        if self.page > 0:
            self.page -= 1
            return True
        return False

    def forget(self) -> None:
        self.guide = None
        self.page, self.pages = 0, 1


class GuideChecklistScreen(PagedScreen):
    """Before you start: each check a big toggle showing ✓ or □ (and a thick frame), not colour alone."""

    guide = ObjectProperty(None, allownone=True)
    checklist = ObjectProperty(guide_flow.Checklist())
    #: ids checked, mirrored for the kv rules
    checked = ListProperty([])

    def on_kv_post(self, base_widget) -> None:
        app = _app()
        app.fbind("language", self.fresh)
        app.fbind("text_size", self.fresh)
        self.fbind("page", self._fill)
        self.watch_room(self.ids.column)

    def prepare(self, guide_id: str | None = None, checked: list | None = None, **params) -> None:
        """``checked`` ticks those ids first (for screenshots); a new guide starts unticked."""
        app = _app()
        guide = app.catalog.guide(guide_id or app.catalog.active_guides[0].id)
        if self.guide is None or guide.id != self.guide.id:
            self.checklist = guide_flow.Checklist(item.id for item in guide.checklist)
            self.page = 0
        for item_id in checked or ():
            if not self.checklist.is_checked(item_id):
                self.checklist.toggle(item_id)
        self.checked = sorted(self.checklist.checked)
        self.guide = guide
        self.room_reset()
        self._repage()

    def _room_wanted(self) -> int:
        return CHECKS_PER_PAGE.get(_app().text_size, 4)

    def _per_page(self) -> int:
        return self.room_per_page(self._room_wanted())

    def _repage(self, *_args) -> None:
        items = self.guide.checklist if self.guide else ()
        self.pages = len(guide_flow.chunks(items, self._per_page()))
        self.page = min(self.page, self.pages - 1)
        self._fill()

    def _fill(self, *_args) -> None:
        box = self.ids.checks
        box.clear_widgets()
        if self.guide is None:
            return
        language = _app().language
        items = guide_flow.chunks(self.guide.checklist, self._per_page())[self.page]
        self.ids.glossary.texts = [item.text.get(language) for item in items]
        for item in items:
            done = self.checklist.is_checked(item.id)
            button = BigButton(
                caption=f"{CHECKED if done else UNCHECKED} {item.text.get(language)}",
                selected=done,
                halign="left",
                font_scale=0.85,
                line_spacing=1.15,
            )
            button.bind(on_release=lambda _b, i=item.id: self.toggle(i))
            box.add_widget(button)

    def speech_text(self, language: str) -> list[str]:
        """The screen as shown; each check whole (its clip is built ahead), then if it is ready."""
        from kiosk.widgets.speech_bar import screen_texts

        if self.guide is None:
            return []
        page = guide_flow.chunks(self.guide.checklist, self._per_page())[self.page]
        items = [(item.text.get(language), item) for item in page]
        texts: list[str] = []
        for text in screen_texts(self, language):
            item = next((i for t, i in items if t and text.endswith(t)), None)
            if item is None:
                texts.append(text)
                continue
            texts.append(item.text.get(language))  # without its ✓ / □ mark
            if self.checklist.is_checked(item.id):
                texts.append(gettext_in("Ready", language))
        return texts

    def read_aloud(self) -> None:
        app = _app()
        app.read_aloud(self)
        if self.guide is not None:
            GuideEvents(app.record).speech(self.guide.id)

    def toggle(self, item_id: str) -> None:
        self.checklist.toggle(item_id)
        self.checked = sorted(self.checklist.checked)
        self._fill()

    def next(self) -> None:
        _app().show("guide", guide_id=self.guide.id, step=1)

    def forget(self) -> None:
        self.guide = None
        self.checklist = guide_flow.Checklist()
        self.checked = []
        self.page, self.pages = 0, 1


class GuideHandoffScreen(KioskScreen):
    """The hand-off URL as a large QR code, how to scan it, a class and a counter that help.

    Where how to scan and where to ask do not fit beside the code together (a long language
    at 特大, a short or a portrait panel), they come one at a time (``split``), a button
    between them: 「相談できる窓口 →」 and back.
    """

    guide = ObjectProperty(None, allownone=True)
    url = StringProperty("")
    printer = BooleanProperty(False)
    split = BooleanProperty(False)
    part = NumericProperty(0)

    def on_kv_post(self, base_widget) -> None:
        from kivy.clock import Clock

        ids = self.ids
        # the widgets themselves, not the weak proxies of ``ids`` (they come and go)
        self._parts = [
            ids[n].__self__ for n in ("how", "glossary", "where", "counter", "room", "turn")
        ]
        self._fit_later = Clock.create_trigger(self._fit, 0)
        for name in ("minimum_height", "height"):
            ids.words.fbind(name, self._fit_later)
        for name in ("split", "part"):
            self.fbind(name, self.arrange)
        app = _app()
        app.fbind("language", self._unsplit)
        app.fbind("text_size", self._unsplit)
        self.arrange()

    def _unsplit(self, *_args) -> None:
        self.split, self.part = False, 0

    def _fit(self, *_args) -> None:
        from kiosk.screens.base import _settled

        words = self.ids.words
        if not self.split and words.minimum_height > words.height + 1 and _settled(words):
            self.split = True

    def arrange(self, *_args) -> None:
        how, glossary, where, counter, room, turn = self._parts
        words = self.ids.words
        words.clear_widgets()
        shown = [how, glossary] if not self.split or self.part == 0 else []
        if not self.split or self.part == 1:
            shown += [where, counter]
        for widget in (*shown, room, *([turn] if self.split else [])):
            words.add_widget(widget)

    def prepare(self, guide_id: str | None = None, **params) -> None:
        self._unsplit()
        app = _app()
        self.guide = app.catalog.guide(guide_id or app.catalog.active_guides[0].id)
        self.url = self.guide.handoff.url
        printer = (app.config_values.printer or "").strip()
        self.printer = bool(printer) and printer.lower() != "none"
        GuideEvents(app.record).handoff(self.guide.id)

    def label(self, language: str) -> str:
        return self.guide.handoff.label.get(language) if self.guide else ""

    def counter(self, language: str) -> str:
        return self.guide.stuck.counter.get(language) if self.guide else ""

    def print_sheet(self) -> None:
        """Send the step sheet to the configured printer: a PDF for its paper (kiosk.printing),
        with the title, what to bring, numbered steps and their pictures, the counter's phone
        and the hand-off QR; say so either way."""
        # imported here, not with the screen: the sheet's layout, QR and date words are
        # kept in the kiosk's memory only once a resident prints (issue 21)
        from kiosk import printing

        app = _app()
        config = app.config_values
        guide, language = self.guide, app.language
        root, cache = app.catalog.root, config.data_dir / "pictures"
        phone = printing.contact(getattr(app.catalog, "settings", None), language)[1]

        def job():
            from kiosk.widgets.step_picture import picture_path

            pdf = printing.step_sheet_pdf(
                guide,
                language,
                config.paper,
                phone=phone,
                pictures=lambda illustration: picture_path(root, illustration, cache) or None,
            )
            printing.send(pdf, config.printer, config.paper, config.data_dir)
            return True

        def done(result):
            if isinstance(result, Exception):
                log.warning("step sheet not printed: %s", type(result).__name__)
            message = (
                "The step sheet is printing. Please take it from the printer."
                if result is True
                else "The sheet could not be printed. Please ask the staff."
            )
            app.show("notice", message=message)

        app._submit(job, done)

    def to_class(self) -> None:
        """Stuck? → booking, the sessions of the courses that teach this guide's lessons."""
        app = _app()
        kinds = guide_flow.course_kinds(app.catalog, self.guide)
        lessons = tuple(self.guide.stuck.lessons)
        app.visit.reset()
        for name in ("sessions", "consent", "name", "phone", "birth", "confirm", "result"):
            app.root.get_screen(name).forget()
        app.record("booking_started")

        def done(result):
            if isinstance(result, Exception):
                app.show("sessions", offline=True)
            else:
                app.show("sessions", sessions=guide_flow.sessions_teaching(result, kinds, lessons))

        app.fetch_sessions(done)

    def forget(self) -> None:
        self.guide = None
        self.url = ""
