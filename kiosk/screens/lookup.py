"""予約の確認・取り消し (issue 19): the code on the code pad, the phone on the number pad,
then the booking as the server has it, and 取り消す with a confirmation.

``LookupEntryScreen`` takes the two in turn (1 / 2, 2 / 2; もどる from the phone goes back
to the code); ``LookupScreen`` asks the server and shows its answer, or says plainly that
the office cannot be reached, that nothing matched, or that there were too many tries. The
rules and the wording are ``kiosk.own_booking``'s; nothing typed outlives the visit.
"""

from __future__ import annotations

from kivy.app import App
from kivy.lang import Builder
from kivy.properties import (
    BooleanProperty,
    NumericProperty,
    ObjectProperty,
    OptionProperty,
    StringProperty,
)

from kiosk import numbers, own_booking
from kiosk.i18n import gettext_in
from kiosk.screens.base import KioskScreen, load_rules
from kiosk.screens.booking import typed_so_far  # (and booking.kv: KioskNumberPad, ResultRow)
from kiosk.services.speech_player import Typed, spell_digits
from kiosk.theme import GAP
from kiosk.widgets.dialog import KioskDialog
from languages import N_

load_rules(__file__)

#: what 読み上げ says on the two entry steps, after what is typed so far
CODE_KEYS_HELP = N_(
    "Press the keys to type the reservation code on your slip. It has six letters and "
    "numbers. Delete removes the last one. When it is right, press Next."
)
PHONE_KEYS_HELP = N_(
    "Press the number keys to type the phone number you gave when you booked. Delete "
    "removes the last number. Then press Look it up."
)


class LookupEntryScreen(KioskScreen):
    """The reservation code, then the phone number; 確認する asks the server."""

    step = OptionProperty("code", options=["code", "phone"])
    code = StringProperty("")
    digits = StringProperty("")
    #: the pad stands under what is typed (a portrait panel, or beside a short panel's rail)
    stacked = BooleanProperty(False)

    def on_kv_post(self, base_widget) -> None:
        ids = self.ids
        self._pads = {"code": ids.code_pad.__self__, "phone": ids.number_pad.__self__}
        app = App.get_running_app()
        for name in ("portrait", "side_rail"):
            app.fbind(name, self.arrange)
        self.fbind("step", self.arrange)
        self.arrange()

    def arrange(self, *_args) -> None:
        """One pad at a time in the pad's place: beside what is typed on a wide panel,
        under it on a portrait one and beside a short panel's rail."""
        app = App.get_running_app()
        self.stacked = app.portrait or app.side_rail
        place = self.ids.pad_place.__self__
        wanted = self._pads[self.step]
        for pad in self._pads.values():
            if pad is not wanted and pad.parent is place:
                place.remove_widget(pad)
        if wanted.parent is None:
            place.add_widget(wanted)

    def prepare(self, step: str = "code", **params) -> None:
        self.step = step

    @property
    def ready(self) -> bool:
        if self.step == "code":
            return own_booking.code_complete(self.code)
        return numbers.phone_digits_ok(self.digits)

    def key(self, value: str) -> None:
        if self.step == "code":
            self.code = own_booking.type_code(self.code, value)
        elif value == "delete":
            self.digits = self.digits[:-1]
        elif len(self.digits) < numbers.PHONE_MAX_DIGITS:
            self.digits += value

    def next(self) -> None:
        if not self.ready:
            return
        app = App.get_running_app()
        if self.step == "code":
            app.stop_speaking()
            self.step = "phone"
        else:
            app.show("lookup", code=self.code, phone_digits=self.digits)

    def back(self) -> bool:
        """もどる from the phone: the code again (as typed)."""
        if self.step == "phone":
            App.get_running_app().stop_speaking()
            self.step = "code"
            return True
        return False

    def speech_text(self, language: str) -> list[str]:
        """The question, what is typed so far (one by one), what the keys do."""
        if self.step == "code":
            said = " ".join(self.code)
            return [
                gettext_in("Your reservation code", language),
                *typed_so_far(said, language),
                gettext_in(CODE_KEYS_HELP, language),
            ]
        said = spell_digits(numbers.format_phone(self.digits), language) if self.digits else ""
        return [
            gettext_in("Your phone number", language),
            *typed_so_far(said, language),
            gettext_in(PHONE_KEYS_HELP, language),
        ]

    def forget(self) -> None:
        self.code = self.digits = ""
        self.step = "code"


class LookupScreen(KioskScreen):
    """The booking found by the code and the phone, or why none is shown; 取り消す."""

    #: the booking and the code are the resident's own: spoken for this visit only
    speech_private = True

    outcome = ObjectProperty(own_booking.Outcome("loading"))
    #: a question is on its way to the server (a second tap does nothing)
    sending = BooleanProperty(False)
    #: もう一度 is offered: nothing matched, or no answer came (kv follows this, not
    #: ``outcome.state``: an attribute of a plain object is not watched)
    can_retry = BooleanProperty(False)
    #: the labels' column (教室, 日付 …): as wide as the longest needs, at most 35 %
    label_width = NumericProperty(160)
    #: where the window has no room (a short panel at 特大, a long language): 1 leaves the
    #: sentences under the heading to 読み上げ, 2 shows the date and hours in body type too,
    #: 3 leaves out the code the resident has just typed
    tight = NumericProperty(0)

    def on_kv_post(self, base_widget) -> None:
        from kivy.clock import Clock

        app = App.get_running_app()
        self.ids.rows.fbind("width", self._label_width)
        self.ids.rows.fbind("rows", self._label_width)
        app.fbind("body_size", self._label_width)
        for name in ("language", "text_size", "side_rail"):
            app.fbind(name, self._loosen)
        self.fbind("outcome", self._loosen)
        self._fit_later = Clock.create_trigger(self._fit, 0)
        column = self.ids.column
        column.fbind("minimum_height", self._fit_later)
        column.fbind("height", self._fit_later)
        self._dialog = None
        #: answers to a question asked before the visit ended are not shown
        self._asked = 0
        self._code = self._phone = ""
        #: what the last question was, for もう一度: "lookup" or "cancel"
        self._last = "lookup"

    def prepare(self, code: str = "", phone_digits: str = "", outcome=None, **params) -> None:
        self._close_dialog()
        if outcome is not None:  # screenshots and the floors tests: an answer as given
            self.outcome, self.sending = outcome, False
            return
        self._code, self._phone = code, phone_digits
        self.ask("lookup")

    def ask(self, what: str) -> None:
        """Send the code and the phone to look the booking up, or to cancel it."""
        if self.sending:
            return
        app = App.get_running_app()
        self._last, self.sending = what, True
        self._asked += 1
        asked, code, phone = self._asked, self._code, self._phone
        if what == "lookup":
            self.outcome = own_booking.Outcome("loading")
        job = own_booking.lookup if what == "lookup" else own_booking.cancel
        app._submit(lambda: job(app.api, code, phone), lambda found: self._answered(asked, found))

    def _answered(self, asked: int, found) -> None:
        if asked != self._asked:
            return  # the visit ended (or started afresh) meanwhile: nobody to tell
        self.sending = False
        if not isinstance(found, own_booking.Outcome):  # the job itself broke
            found = own_booking.Outcome("offline")
        self.outcome = found
        app = App.get_running_app()
        if found.state == "cancelled" and app.speech:
            app.read_aloud(self)  # the spoken confirmation

    def again(self) -> None:
        """もう一度: the same question again (the server may answer now), or, where nothing
        matched, the code and phone to check."""
        if self.outcome.state == "not_found":
            App.get_running_app().show("lookup_entry", step="code", remember=False)
        else:
            self.ask(self._last)

    def cancel_pressed(self) -> None:
        """取り消す: ask first (a dialog); nothing is sent before 取り消す in it."""
        if self.sending or self._dialog is not None or not own_booking.cancellable(self.outcome):
            return
        App.get_running_app().stop_speaking()
        self._dialog = CancelDialog(screen=self)
        self._dialog.open(animation=False)

    def confirm_cancel(self) -> None:
        self._close_dialog()
        if own_booking.cancellable(self.outcome):
            self.ask("cancel")

    def on_leave(self, *_args) -> None:
        self._close_dialog()  # 職員を呼ぶ, the idle reset: the question goes with the screen

    def _close_dialog(self) -> None:
        if self._dialog is not None:
            dialog, self._dialog = self._dialog, None
            dialog.dismiss(animation=False)

    def summary(self, language: str) -> str:
        """The class and its date, for the dialog."""
        rows = own_booking.rows(self.outcome.booking, language)
        return "\n".join(value for _label, value in rows[:2])

    def shown_rows(self, outcome, language: str, tight: int = 0) -> list[tuple[str, str, bool]]:
        """(label, value, large) for the rows' panel: the date and hours in large type
        (where there is room)."""
        rows = own_booking.rows(outcome.booking, language)[: 4 if tight >= 3 else None]
        return [
            (label, value, index in (1, 2) and tight < 2)
            for index, (label, value) in enumerate(rows)
        ]

    def on_outcome(self, _screen, outcome) -> None:
        self.can_retry = outcome.state in ("not_found", "offline")

    def _loosen(self, *_args) -> None:
        self.tight = 0
        self._fit_later()

    def _fit(self, *_args) -> None:
        """One step tighter while the column is taller than the room (after its layout)."""
        from kiosk.screens.base import _settled

        column = self.ids.column
        if column.minimum_height <= column.height + 1 or self.tight >= 3:
            return
        if not _settled(column):
            self._fit_later()  # texts still being laid out: a new label is 100 px high
            return
        self.tight += 1

    def _label_width(self, *_args) -> None:
        from kiosk.widgets.phrase_label import SAFETY, text_width

        app = App.get_running_app()
        box = self.ids.rows
        widest = max(
            (text_width(app.font_name, app.body_size, False, row[0]) for row in box.rows),
            default=0,
        )
        self.label_width = max(80, min((box.width - 2 * GAP) * 0.35, widest + SAFETY + 8))

    def speech_text(self, language: str) -> list[str]:
        texts = [own_booking.heading(self.outcome, language)]
        texts += own_booking.lines(self.outcome, language)
        for label, value in own_booking.rows(self.outcome.booking, language):
            texts += [label, value]
        return texts

    def back(self) -> bool:
        """もどる: the phone number again (after a cancel, home: it is done)."""
        app = App.get_running_app()
        self._close_dialog()
        if self.outcome.state == "cancelled":
            app.go_home()
        else:
            self._asked += 1  # an answer still coming is not shown
            self.sending = False
            app.show("lookup_entry", step="phone", remember=False)
        return True

    def forget(self) -> None:
        self._close_dialog()
        self._asked += 1
        self._code = self._phone = ""
        self.sending = False
        self.outcome = own_booking.Outcome("loading")


Builder.load_string("""
#:import theme kiosk.theme
#:import own_booking kiosk.own_booking
#:import speech_bar_module kiosk.widgets.speech_bar
<CancelDialog>:
    size_hint: (0.94 if app.portrait or app.side_rail else 0.7), None
    height: box.minimum_height
    DialogPanel:
        id: box
        # a short panel: closer to the frame, so that it fits the window's height
        padding: theme.GAP * (1 if app.side_rail else 3)
        spacing: theme.GAP * (1 if app.side_rail else 2)
        Heading:
            source: app.tr(own_booking.CANCEL_QUESTION, app.language)
        PhraseLabel:
            source: root.screen.summary(app.language) if root.screen else ""
            bold: True
        PhraseLabel:
            source: app.tr(own_booking.CANCEL_NOTE, app.language)
        GridLayout:
            rows: 1
            spacing: theme.GAP
            size_hint_y: None
            height: self.minimum_height
            BigButton:
                caption: "← " + app.tr("Keep the booking", app.language)
                on_release: root.screen._close_dialog()
            BigButton:
                id: confirm
                caption: app.tr("Cancel the booking", app.language)
                on_release: root.screen.confirm_cancel()
        SpeechBar:
            id: speech_bar
""")


class CancelDialog(KioskDialog):
    """「この予約を取り消しますか？」 with the class and its date; 取り消す or やめる."""

    screen = ObjectProperty(None, allownone=True)
    #: the booking and its code are the resident's own
    speech_private = True

    def speech_text(self, language: str) -> list[str]:
        from kiosk.widgets.speech_bar import screen_texts

        return [Typed(text) for text in screen_texts(self.ids.box, language)]
