"""Booking a class: sessions, consent, name (kana), phone, birth year, confirm, result.

The screens read and write ``app.visit`` (``kiosk.visit.Visit``); the rules live in
``kiosk.kana``, ``kiosk.numbers`` and ``kiosk.booking_text``. The booking itself goes
through the outbox (``app.submit_booking``), so it survives a lost connection.
"""

from __future__ import annotations

import logging

from kivy.app import App
from kivy.clock import Clock
from kivy.properties import (
    BooleanProperty,
    DictProperty,
    ListProperty,
    NumericProperty,
    OptionProperty,
    StringProperty,
)
from kivy.uix.widget import Widget

from kiosk import booking_text, kana, numbers, printing
from kiosk.i18n import gettext_in
from kiosk.screens.base import KioskScreen, RoomPaging, load_rules
from kiosk.services.speech_player import Typed, spell_digits
from kiosk.theme import GAP
from kiosk.widgets import BigButton
from kiosk.widgets.big_button import same_height
from languages import N_

log = logging.getLogger(__name__)
load_rules(__file__)

#: sessions per page by text size: the list pages with buttons, never by swiping
PER_PAGE = {"large": 3, "extra-large": 2}

#: what 読み上げ says on the input screens, after what is typed so far
NAME_KEYS = N_(
    "Press the katakana keys to type your name. For ダ, press タ and then ゛. "
    "Delete one removes the last letter. Space goes between your family name and "
    "your given name. When it is right, press Next."
)
NUMBER_KEYS = N_(
    "Press the number keys to type your phone number. Delete removes the last "
    "number. When it is right, press Next."
)
YEAR_KEYS = N_(
    "First choose Taisho, Showa, Heisei or Western calendar. Then type the year "
    "with the number keys. Delete removes the last number. Then press Next."
)


def typed_so_far(typed: str, language: str) -> list[str]:
    """「入力されているのは」 and what was typed (spoken for this visit only), or 「まだ何も」."""
    if not typed.strip():
        return [gettext_in("Nothing is typed yet.", language)]
    return [gettext_in("Typed so far:", language), Typed(typed)]


def per_page() -> int:
    return PER_PAGE.get(App.get_running_app().text_size, 2)


class SessionsScreen(RoomPaging, KioskScreen):
    """Upcoming classes with seats; when the list cannot be loaded, says so and offers staff.

    A page holds three classes at 大 and two at 特大, fewer where the window's height asks
    (a short panel, a long language: ``RoomPaging``).
    """

    sessions = ListProperty([])
    state = OptionProperty("loading", options=["loading", "list", "empty", "offline"])
    page = NumericProperty(0)
    pages = NumericProperty(1)

    def on_kv_post(self, base_widget) -> None:
        App.get_running_app().fbind("language", self._fresh)
        App.get_running_app().fbind("text_size", self._fresh)
        for name in ("sessions", "page", "state"):
            self.fbind(name, self._fill)
        self.watch_room(self.ids.column)

    def _fresh(self, *_args) -> None:
        self.room_reset()
        self._repage()

    def _room_wanted(self) -> int:
        return per_page()

    def _room_can_help(self) -> bool:
        return self.state == "list" and len(self.ids.session_buttons.children) > 1

    def prepare(self, sessions: list | None = None, offline: bool = False, **params) -> None:
        self.page = 0
        self.room_reset()
        if offline:
            self.state = "offline"
        elif sessions is not None:
            self.show_sessions(sessions)
        else:
            self.load()

    def load(self) -> None:
        self.state = "loading"
        App.get_running_app().fetch_sessions(self._loaded)

    def _loaded(self, result) -> None:
        if isinstance(result, Exception):
            self.state = "offline"
        else:
            self.show_sessions(result)

    def show_sessions(self, sessions: list) -> None:
        self.sessions = sessions
        self._repage()
        self.state = "list" if sessions else "empty"

    def _repage(self, *_args) -> None:
        self.pages = max(1, -(-len(self.sessions) // self.room_per_page(per_page())))
        self.page = min(self.page, self.pages - 1)
        self._fill()

    def turn(self, step: int) -> None:
        self.page = max(0, min(self.pages - 1, self.page + step))

    def _fill(self, *_args) -> None:
        app = App.get_running_app()
        box = self.ids.session_buttons
        box.clear_widgets()
        if self.state != "list":
            return
        language = app.language
        size = self.room_per_page(per_page())
        for session in self.sessions[self.page * size : (self.page + 1) * size]:
            caption = "\n".join(
                (
                    booking_text.when(session, language),
                    booking_text.title(session, language),
                    f"{booking_text.venue(session, language)}　"
                    f"{booking_text.availability(session, language)}",
                )
            )
            # a closed class (the server says so) is shown, greyed, and cannot be chosen
            button = BigButton(
                caption=caption,
                halign="left",
                line_spacing=1.2,
                disabled=not booking_text.bookable(session),
            )
            button.bind(on_release=lambda _b, s=session: self.choose(s))
            box.add_widget(button)

    def choose(self, session: dict) -> None:
        if not booking_text.bookable(session):
            return  # never ask for a name for a class the server will refuse
        app = App.get_running_app()
        app.visit.session = session
        app.visit.change_booking()
        app.booking_with_device = app.visit.needs_device
        app.show("consent")

    def forget(self) -> None:
        self.sessions = []
        self.page, self.pages = 0, 1
        self.state = "loading"


class ConsentScreen(KioskScreen):
    """Why we ask for a name, a phone number and a birth year, before anything is typed."""

    def agree(self) -> None:
        app = App.get_running_app()
        app.visit.consent = True
        app.show("name")


class NameScreen(KioskScreen):
    """The name in katakana on the 50-sound keyboard."""

    reading = StringProperty("")
    #: something to send: not empty, not only spaces
    has_name = BooleanProperty(False)

    def on_reading(self, _screen, reading: str) -> None:
        self.has_name = bool(kana.reading_for_api(reading))

    def on_kv_post(self, base_widget) -> None:
        ids = self.ids
        # the widgets themselves, not the weak proxies of ``ids`` (they move between boxes)
        self._parts = {
            name: ids[name].__self__ for name in ("delete", "space", "kana_hint", "next")
        }
        self._gap = Widget(size_hint_y=None)
        self._foot = ids.foot.__self__
        app = App.get_running_app()
        for name in ("side_rail", "body_size", "button_height", "language"):
            app.fbind(name, self.arrange)
        ids.keyboard.fbind("key_height", self.arrange)
        ids.entry_row.fbind("width", self.arrange)
        self.arrange()

    def arrange(self, *_args) -> None:
        """1字けす, 空白, the ゛ ゜ 小 hint and つぎへ beside the keyboard (a wide panel), or
        beside the rail of a short panel: 1字けす and つぎへ by the typed name, the hint beside
        the ゛ ゜ 小 keys it explains and 空白 under it, so that the keys keep their width."""
        app = App.get_running_app()
        ids, parts = self.ids, self._parts
        delete, space, hint, nxt = (parts[n] for n in ("delete", "space", "kana_hint", "next"))
        key = ids.keyboard.key_height
        for widget in (*parts.values(), self._gap):
            if widget.parent is not None:
                widget.parent.remove_widget(widget)
        hint.by_rows = app.side_rail
        # the room under the keys keeps them at the top; beside the rail they fill the height
        column = ids.entry_row.parent
        if app.side_rail and self._foot.parent is column:
            column.remove_widget(self._foot)
        elif not app.side_rail and self._foot.parent is None:
            column.add_widget(self._foot, index=0)
        if app.side_rail:
            for button in (delete, nxt):
                # on one line where it fits (a second line would take the keys' height)
                button.size_hint_x, button.width = None, min(340, button.natural_width())
                ids.entry_row.add_widget(button)
            hint.height = key * 3 + GAP * 2
            self._gap.height = key
            for widget in (hint, self._gap, space):
                ids.side.add_widget(widget)
            # as wide as the hint: 空白 comes closer to its frame (or a little smaller)
            space.padding = (12, 0)
            ids.side.width = hint.widest()
        else:
            delete.size_hint_x = nxt.size_hint_x = 1
            space.padding = (GAP + 8, 0)
            hint.height = key * 2 + GAP
            for widget in (delete, space, hint, nxt):
                ids.side.add_widget(widget)
            # 300 px, or as wide as a caption needs on one line (한 글자 지우기 at 특大: a
            # second line would make the column taller than the keys), at most 420 and
            # where the keys keep 80 px each (a portrait panel keeps 300)
            wanted = max(b.natural_width() for b in (delete, space, nxt))
            row = ids.entry_row.width
            keys = ids.keyboard.cols * 80 + (ids.keyboard.cols - 1) * GAP + GAP
            ids.side.width = max(300, min(420, wanted, row - keys))

    def prepare(self, **params) -> None:
        self.reading = App.get_running_app().visit.reading

    def key(self, value: str) -> None:
        self.reading = kana.press(self.reading, kana.SPACE if value == "space" else value)
        self._store()

    def delete(self) -> None:
        self.reading = kana.delete(self.reading)
        self._store()

    def _store(self) -> None:
        visit = App.get_running_app().visit
        visit.reading = self.reading
        visit.change_booking()

    def next(self) -> None:
        if kana.reading_for_api(self.reading):
            App.get_running_app().show("phone")

    def speech_text(self, language: str) -> list[str]:
        """The question, the name typed so far (ヤマダ ハナコ), what the keys do."""
        return [
            gettext_in("Your name in katakana", language),
            *typed_so_far(self.reading, language),
            gettext_in(NAME_KEYS, language),
        ]

    def forget(self) -> None:
        self.reading = ""


class PadScreen(KioskScreen):
    """A screen with the number pad: ``moved`` (what was typed, the eras) stands beside the
    pad on a wide panel, above it across the width beside the rail of a short one."""

    moved = "entry"

    def on_kv_post(self, base_widget) -> None:
        self._moved = self.ids[self.moved].__self__  # the widget, not the weak proxy
        App.get_running_app().fbind("side_rail", self.arrange)
        self.arrange()

    def arrange(self, *_args) -> None:
        widget, upper, left = self._moved, self.ids.upper, self.ids.left
        wanted = upper if App.get_running_app().side_rail else left
        if widget.parent is not wanted:
            widget.parent.remove_widget(widget)
            wanted.add_widget(widget, index=len(wanted.children))  # at the top


class PhoneScreen(PadScreen):
    """The phone number on the number pad, shown with hyphens as it is typed."""

    digits = StringProperty("")

    def prepare(self, **params) -> None:
        self.digits = App.get_running_app().visit.phone_digits

    def key(self, value: str) -> None:
        if value == "delete":
            self.digits = self.digits[:-1]
        elif len(self.digits) < numbers.PHONE_MAX_DIGITS:
            self.digits += value
        visit = App.get_running_app().visit
        visit.phone_digits = self.digits
        visit.change_booking()

    @property
    def valid(self) -> bool:
        return numbers.phone_digits_ok(self.digits)

    def next(self) -> None:
        if numbers.phone_digits_ok(self.digits):
            App.get_running_app().show("birth")

    def speech_text(self, language: str) -> list[str]:
        """The question, the digits so far one by one (ゼロ キュウ ゼロ…), what the keys do."""
        said = spell_digits(numbers.format_phone(self.digits), language) if self.digits else ""
        return [
            gettext_in("Your phone number", language),
            *typed_so_far(said, language),
            gettext_in(NUMBER_KEYS, language),
        ]

    def forget(self) -> None:
        self.digits = ""


class BirthScreen(PadScreen):
    """The birth year: 大正 / 昭和 / 平成 + year, or 西暦."""

    moved = "eras"

    def on_kv_post(self, base_widget) -> None:
        super().on_kv_post(base_widget)
        # the four eras in a row as high as the highest of them
        same_height([self.ids[n].__self__ for n in ("taisho", "showa", "heisei", "western")])

    era = StringProperty("昭和")
    digits = StringProperty("")
    #: an English msgid saying what is wrong, "" when nothing is
    problem = StringProperty("")

    def prepare(self, **params) -> None:
        visit = App.get_running_app().visit
        self.era, self.digits, self.problem = visit.era, visit.year_digits, ""

    def choose_era(self, era: str) -> None:
        self.era = era
        self.digits = ""
        self._store()

    def key(self, value: str) -> None:
        if value == "delete":
            self.digits = self.digits[:-1]
        elif len(self.digits) < numbers.max_digits(self.era):
            self.digits = (self.digits + value).lstrip("0")
        self._store()

    def _store(self) -> None:
        self.problem = ""
        visit = App.get_running_app().visit
        visit.era, visit.year_digits = self.era, self.digits
        visit.change_booking()

    def gregorian(self) -> int | None:
        try:
            return numbers.birth_year(self.era, self.digits)
        except numbers.InvalidYear:
            return None

    def shown(self, language: str, digits: str, era: str) -> str:
        """昭和 23 年（1948年） as the resident types it."""
        year_text = digits or "＿"
        if era == numbers.GREGORIAN:
            text = gettext_in("Year %(year)s", language) % {"year": year_text}
        else:
            era_name = gettext_in(numbers.ERA_NAMES[era], language)
            text = gettext_in("%(era)s %(year)s", language) % {"era": era_name, "year": year_text}
        year = self.gregorian() if digits else None
        if year is not None and era != numbers.GREGORIAN:
            text += "  " + gettext_in("(year %(year)d)", language) % {"year": year}
        return text

    def next(self) -> None:
        year = self.gregorian()
        if year is None:
            self.problem = "Please check the year. It does not look like a birth year."
            return
        app = App.get_running_app()
        app.visit.birth_year = year
        app.show("device" if app.visit.needs_device else "confirm")

    def speech_text(self, language: str) -> list[str]:
        """The question, the year so far (昭和 23 年（1948年）), what is wrong, the keys."""
        typed = self.shown(language, self.digits, self.era) if self.digits else ""
        texts = [gettext_in("Your birth year", language), *typed_so_far(typed, language)]
        if self.problem:
            texts.append(gettext_in(self.problem, language))
        return texts + [gettext_in(YEAR_KEYS, language)]

    def forget(self) -> None:
        self.era, self.digits, self.problem = "昭和", "", ""


class DeviceScreen(KioskScreen):
    """Which phone the resident will bring (asked only for a class for any phone)."""

    device = StringProperty("")

    def prepare(self, **params) -> None:
        self.device = App.get_running_app().visit.device

    def choose(self, device: str) -> None:
        app = App.get_running_app()
        self.device = app.visit.device = device
        app.visit.change_booking()
        app.show("confirm")

    def forget(self) -> None:
        self.device = ""


class ConfirmScreen(KioskScreen):
    """Everything once more, read aloud; 予約する sends it once.

    The rows hold what the resident typed, so no clip is built ahead: with speech on they
    are read on entering (``speech_text``); name, phone and birth year are spoken on the
    fly into this visit's private directory, which goes when the visit ends.
    """

    rows = ListProperty([])
    sending = BooleanProperty(False)
    #: the rows on screen: all six, or where they do not fit the room (a short panel, a
    #: long language at 特大) three a part: the class, then the resident (``split``)
    shown = ListProperty([])
    split = BooleanProperty(False)
    part = NumericProperty(0)
    #: the labels' column (教室, 電話番号 …): as wide as the longest needs, at most 40 %
    label_width = NumericProperty(200)

    def on_kv_post(self, base_widget) -> None:
        from kiosk.screens.base import _settled

        self.ids.rows.fbind("width", self._label_width)
        App.get_running_app().fbind("body_size", self._label_width)
        self.fbind("rows", self._label_width)

        app = App.get_running_app()
        app.fbind("language", self._unsplit)
        app.fbind("text_size", self._unsplit)
        for name in ("rows", "split", "part"):
            self.fbind(name, self._show)
        column = self.ids.column

        def fit(*_args) -> None:
            if not self.split and self.rows and column.minimum_height > column.height + 1:
                if _settled(column):
                    self.split = True
                else:
                    fit_later()

        fit_later = Clock.create_trigger(fit, 0)
        column.fbind("minimum_height", fit_later)
        column.fbind("height", fit_later)

    def _unsplit(self, *_args) -> None:
        self.split, self.part = False, 0
        self.refresh()

    def _label_width(self, *_args) -> None:
        from kiosk.widgets.phrase_label import SAFETY, text_width

        app = App.get_running_app()
        box = self.ids.rows
        room = box.width - box.padding[0] - box.padding[2]
        widest = max(
            (text_width(app.font_name, app.body_size, False, label) for label, _value in self.rows),
            default=0,
        )
        self.label_width = max(120, min(room * 0.4, widest + SAFETY + 8))

    def _show(self, *_args) -> None:
        rows = list(self.rows)
        if self.split:
            rows = rows[:3] if self.part == 0 else rows[3:]
        self.shown = rows + [("", "")] * (6 - len(rows))

    def step_back(self) -> None:
        """修正する (the screen before), or in the second part back to the first."""
        if self.split and self.part == 1:
            self.part = 0
        else:
            App.get_running_app().go_back()

    def step_on(self) -> None:
        """申し込む, or in the first part on to the second (申し込む is there)."""
        if self.split and self.part == 0:
            self.part = 1
        else:
            self.book()

    def prepare(self, **params) -> None:
        self.sending = False
        self.split, self.part = False, 0
        self.refresh()
        app = App.get_running_app()
        if app.speech and self.rows:
            app.read_aloud(self)

    def refresh(self, *_args) -> None:
        app = App.get_running_app()
        visit, language = app.visit, app.language
        if visit.session is None:
            self.rows = []
            return
        tr = gettext_in
        birth = f"{visit.birth_year}" if visit.birth_year else ""
        if visit.birth_year and visit.era != numbers.GREGORIAN:
            era = tr(numbers.ERA_NAMES[visit.era], language)
            birth = tr("%(era)s %(year)s", language) % {"era": era, "year": visit.year_digits}
            birth += f" ({visit.birth_year})"
        self.rows = [
            (tr("Class", language), booking_text.title(visit.session, language)),
            (tr("Date", language), booking_text.when(visit.session, language)),
            (tr("Place", language), booking_text.venue(visit.session, language)),
            (tr("Name", language), visit.reading),
            (tr("Phone", language), numbers.format_phone(visit.phone_digits)),
            (tr("Birth year", language), birth),
        ]

    def speech_text(self, language: str) -> list[str]:
        """Each row's label and value; what the resident typed is spoken for this visit only."""
        app = App.get_running_app()
        texts = [gettext_in("Please check your booking", language)]
        for index, (label, value) in enumerate(self.rows):
            if index == 4:  # the phone, digit by digit
                value = spell_digits(value, language)
            texts += [label, Typed(value) if index >= 3 else value]
        sending = "Sending…" if self.sending else "If everything is right, press Book."
        return [*texts, app.tr(sending, language)]

    def book(self) -> None:
        if self.sending:
            return  # a second tap: the booking is already on its way
        self.sending = True
        App.get_running_app().submit_booking()

    def forget(self) -> None:
        self.rows = []
        self.sending = False
        self.split, self.part = False, 0


class ResultScreen(KioskScreen):
    """予約できました / キャンセル待ち N番 / 抽選に申し込みました / 受付中, the code and its QR."""

    #: 読み上げ reads the screen; the booking and its code are spoken for this visit only
    speech_private = True

    result = DictProperty({})
    #: the class booked (the visit's session, as /api/v1/sessions sent it)
    session = DictProperty({})
    #: from ``result``, as plain properties for the kv rules to follow
    status = StringProperty("")
    code = StringProperty("")
    qr_data = StringProperty("")
    message = StringProperty("")
    #: (label, value, large) rows of what was booked (booking_text.details), the code apart
    rows = ListProperty([])
    #: 予約番号 (a seat) or 受付番号 (waiting list, lottery)
    code_label = StringProperty("")
    #: the kiosk has a printer (config ``printer``): the slip is printed, else スマホに送る
    printer = BooleanProperty(False)
    #: "", "printing", "printed", "failed": the slip's way to the printer
    printing = StringProperty("")
    #: スマホに送る: the QR shows the class's public page instead of the reception code
    sending_to_phone = BooleanProperty(False)
    #: the class's public page (date, time, place), for スマホに送る
    page_url = StringProperty("")
    #: a short window (1366x768): tighter gaps, a smaller QR code
    short = BooleanProperty(False)
    #: every row of what was booked; ``rows`` shows them all, or one part when ``split``
    all_rows = ListProperty([])
    #: the rows do not fit the window (特大, a short panel, a long language): in parts,
    #: class/date/time then place/what to bring, with a button between them; where even
    #: those do not fit, fewer rows a part (``per_part``), the button going on to the next
    split = BooleanProperty(False)
    part = NumericProperty(0)
    #: the labels' column (教室, 日時 …): as wide as the longest needs, at most 35 %
    label_width = NumericProperty(160)
    #: rows in one part when ``split`` (three: class, date, time | place, what to bring)
    per_part = NumericProperty(3)
    parts = NumericProperty(1)
    #: the next classes to suggest (issue 17), as the server sent them: numbers, titles
    #: and dates only; asked once the booking is made, with the reading and phone typed
    suggestions = ListProperty([])
    #: the suggestions fit under the booking; where they do not, they give way first
    suggestions_fit = BooleanProperty(True)

    def on_kv_post(self, base_widget) -> None:
        app = App.get_running_app()
        app.fbind("language", self._unsplit)
        app.fbind("text_size", self._unsplit)
        self.fbind("part", self._show_part)
        self._fit_later = Clock.create_trigger(self._fit, 0)
        for name in ("minimum_height", "height"):
            self.ids.left.fbind(name, self._fit_later)
        self.ids.left.fbind("width", self._label_width)
        app.fbind("body_size", self._label_width)
        self.fbind("all_rows", self._label_width)
        self._note = self.ids.note.__self__  # the widget, not the weak proxy (it moves)
        app.fbind("side_rail", self._place_note)
        for name in ("qr_data", "page_url", "printer"):
            self.fbind(name, self._place_note)
        self._place_note()

    def _place_note(self, *_args) -> None:
        """The printer's news heads the code's column; beside the rail of a short panel that
        column is narrow, and where it shows a QR code the code keeps the room: the news
        goes under the booking's own words instead."""
        note, left, right = self._note, self.ids.left, self.ids.right
        qr = self.qr_data or (self.page_url and not self.printer)
        wanted = left if App.get_running_app().side_rail and qr else right
        if note.parent is wanted:
            return
        note.parent.remove_widget(note)
        if wanted is right:
            right.add_widget(note, index=len(right.children))  # at the top
        else:
            message = self.ids.message
            left.add_widget(note, index=left.children.index(message))  # after the words

    def _label_width(self, *_args) -> None:
        from kiosk.widgets.phrase_label import SAFETY, text_width

        app = App.get_running_app()
        room = self.ids.left.width - 2 * GAP
        widest = max(
            (text_width(app.font_name, app.body_size, False, row[0]) for row in self.all_rows),
            default=0,
        )
        self.label_width = max(80, min(room * 0.35, widest + SAFETY + 8))

    def _unsplit(self, *_args) -> None:
        self.split, self.part, self.per_part = self._crowded(), 0, 3
        self.suggestions_fit = True
        self._refresh()

    def _crowded(self) -> bool:
        """Known ahead not to fit in one part: 特大, or a short panel."""
        return self.short or App.get_running_app().text_size == "extra-large"

    def _fit(self, *_args) -> None:
        """Split the rows in two when the left column cannot hold them all; fewer rows a
        part while it still cannot (a long language at 特大 beside the rail of a short panel)."""
        from kiosk.screens.base import _settled

        left = self.ids.left
        if not self.all_rows or left.minimum_height <= left.height + 1:
            return
        if not _settled(left):
            self._fit_later()  # texts still being laid out: a new label is 100 px high
            return
        if self.suggestions and self.suggestions_fit:
            self.suggestions_fit = False  # the booking's own words keep the room
            return
        if not self.split:
            self.split = True
        elif self.per_part > 1:
            self.per_part -= 1
            self.part = 0
        else:
            return
        self._show_part()

    def _show_part(self, *_args) -> None:
        rows = list(self.all_rows)
        size = max(1, int(self.per_part))
        self.parts = max(1, -(-len(rows) // size)) if self.split else 1
        self.part = min(self.part, self.parts - 1)
        if self.split:
            rows = rows[self.part * size : (self.part + 1) * size]
        self.rows = rows

    def turn(self) -> None:
        """The button between the parts: on to the next part, after the last back to the first."""
        self.part = (self.part + 1) % self.parts

    def turn_caption(self, part: int, parts: int, language: str) -> str:
        if part == parts - 1:
            return "← " + gettext_in("Class and date", language)
        if parts == 2:
            return gettext_in("Place and what to bring", language) + " →"
        return gettext_in("Next page", language) + " →"

    @staticmethod
    def code_size(code: str, font_name: str, width: float, largest: float) -> float:
        """The code's font size: ``largest``, or less so that it stays on one line in
        ``width`` (a code cut across lines is misread), never under the heading floor."""
        from kiosk.theme import MIN_HEADING
        from kiosk.widgets.phrase_label import text_width

        if not code or width <= 0:
            return largest
        wide = text_width(font_name, largest, True, code)
        if wide <= width - 8:
            return largest
        return max(MIN_HEADING, int(largest * (width - 8) / wide))

    def qr_size(self, text_size: str, portrait: bool) -> int:
        """The QR code's side in pixels: smaller on a short window, at 特大, or stacked."""
        from kivy.app import App

        if App.get_running_app().side_rail:
            return 260  # a column of its own beside the rows: as wide as it is
        if self.short:
            return 200 if text_size == "large" else 160
        return 340 if text_size == "large" and not portrait else 280

    def prepare(self, result: dict | None = None, **params) -> None:
        app = App.get_running_app()
        from kivy.core.window import Window

        self.short = 0 < Window.height < 900
        self.split, self.part, self.per_part = self._crowded(), 0, 3
        self.suggestions_fit = True
        self.session = dict(app.visit.session or {})
        self.printer = printing.has_printer(app.config_values.printer)
        self.page_url = _public_url(app.config_values, self.session)
        self.sending_to_phone = False
        self.result = result if result is not None else dict(app.visit.result)

    def on_result(self, _screen, result: dict) -> None:
        self.status = str(result.get("status") or "")
        self.code = str(result.get("code") or "")
        # only a confirmed seat admits to the class: the others get no reception QR
        self.qr_data = str(result.get("qr_token") or "") if self.status == "confirmed" else ""
        self.message = str(result.get("message") or "")
        self._refresh()
        if self.printer and self.status in PRINTED and self.session:
            self.print_slip()
        if self.status in PRINTED:
            self.ask_suggestions()

    def ask_suggestions(self) -> None:
        """Ask the server which classes to suggest next, now that the resident has typed
        their reading and phone and booked; nothing shows until it answers, and nothing
        when it cannot (the booking stands as it is)."""
        app = App.get_running_app()
        visit = app.visit
        if not (visit.reading and visit.phone_digits) or not app.api.configured:
            return
        from kiosk.kana import reading_for_api
        from kiosk.numbers import format_phone

        reading, phone = reading_for_api(visit.reading), format_phone(visit.phone_digits)
        code = self.code

        def done(found) -> None:
            if isinstance(found, Exception):
                log.info("no suggestions: %s", type(found).__name__)
                return
            if code == self.code and self.status in PRINTED:  # still this visit's booking
                booked = self.session.get("id")
                self.suggestions = [s for s in found if s.get("session_id") != booked][:2]

        app._submit(lambda: app.api.suggestions(reading, phone), done)

    def suggestion_text(self, suggestions: list, language: str) -> str:
        """「次は、こちらの教室もおすすめです。」 and each class: its title and date."""
        if not suggestions:
            return ""
        lines = [gettext_in("Next, we suggest this class too:", language)]
        for found in suggestions:
            session = {
                "course": {"title": found.get("title", ""), "titles": found.get("titles")},
                "starts_at": found.get("starts_at", ""),
                "ends_at": found.get("ends_at", ""),
            }
            try:
                lines.append(
                    f"{booking_text.title(session, language)}　{booking_text.when(session, language)}"
                )
            except (KeyError, TypeError, ValueError):  # a date the kiosk cannot read
                continue
        return "\n".join(lines) if len(lines) > 1 else ""

    def _refresh(self, *_args) -> None:
        app = App.get_running_app()
        if not self.session or self.status not in PRINTED:
            self.all_rows = self.rows = []
            return
        rows = booking_text.details(self.session, dict(self.result), app.language, app.visit.device)
        # on screen: the venue and how to get there (the slip adds the address), the bring
        # list as one sentence, and the code beside its QR on the right
        shown = []
        for kind, (label, value) in zip(booking_text.DETAIL_KINDS, rows, strict=False):
            if kind == "place":
                where = self.session.get("venue") or {}
                value = "\n".join(
                    v
                    for v in (
                        booking_text.venue(self.session, app.language),
                        where.get("access", ""),
                    )
                    if v
                )
            elif kind == "bring":
                value = booking_text.bring_short(self.session, app.language, app.visit.device)
            elif kind == "code":
                self.code_label = label
                continue
            shown.append((label, value, kind in ("date", "time")))
        self.all_rows = shown
        self._show_part()

    def print_slip(self) -> None:
        """Render the slip for the configured paper and send it to ``lp``; say how it went."""
        app = App.get_running_app()
        config = app.config_values
        session, result = dict(self.session), dict(self.result)
        language, device = app.language, app.visit.device
        ward, phone = _ward_contact(app, language)
        self.printing = "printing"

        def job():
            pdf = printing.slip_pdf(
                session, result, language, config.paper, device=device, ward=ward, phone=phone
            )
            printing.send(pdf, config.printer, config.paper, config.data_dir)
            return True

        def done(outcome) -> None:
            if isinstance(outcome, Exception):
                log.warning("slip not printed: %s", type(outcome).__name__)
            if result.get("code") == self.result.get("code"):
                self.printing = "printed" if outcome is True else "failed"

        app._submit(job, done)

    def print_note(self, state: str, language: str) -> str:
        """What the screen says about the slip: printing, printed, or not printed."""
        return gettext_in(PRINT_STATES[state], language) if state in PRINT_STATES else ""

    def speech_text(self, language: str) -> list[str]:
        """The result, then every row: class, date, time, place, what to bring, the code."""
        app = App.get_running_app()
        texts = booking_text.spoken_result(
            self.session or None, dict(self.result), language, app.visit.device
        )
        if self.message:
            texts.append(self.message)
        note = PRINT_STATES.get(self.printing)
        if note:
            texts.append(gettext_in(note, language))
        elif not self.printer and self.page_url and self.status in PRINTED:
            texts.append(gettext_in(SEND_HINT, language))
        if self.suggestions:
            texts.append(self.suggestion_text(self.suggestions, language))
        return texts

    def back(self) -> bool:
        # the booking is made: もどる would only invite a second one
        App.get_running_app().go_home()
        return True

    def forget(self) -> None:
        self.result = {}
        self.session = {}
        self.all_rows = self.rows = []
        self.split, self.part, self.per_part = False, 0, 3
        self.printing = ""
        self.sending_to_phone = False
        self.suggestions = []
        self.suggestions_fit = True


PRINTED = booking_text.PRINTED
PRINT_STATES = booking_text.PRINT_STATES
SEND_HINT = booking_text.SEND_HINT


def _public_url(config, session: dict) -> str:
    """The class's page on the ward's public site (config ``public_site``, else the server)."""
    base = (getattr(config, "public_site", "") or config.server or "").rstrip("/")
    path = session.get("public_path") or (f"/classes/{session['id']}" if session.get("id") else "")
    return f"{base}{path}" if base and path else ""


def _ward_contact(app, language: str) -> tuple[str, str]:
    """The ward's name and the phone for questions, from the content's settings."""
    return printing.contact(getattr(app.catalog, "settings", None), language)
