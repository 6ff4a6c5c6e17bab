"""ことばで さがす (issue 20): a question typed on the kana keyboard, or one that others
asked, answered by the ward's server; the answers as big buttons that open the FAQ answer
or the guide on this kiosk.

Two screens: ``AskScreen`` (the questions others asked, then the answers) and
``AskKeysScreen`` (the 50-sound keyboard of kiosk.widgets, its rules in kiosk.kana). The
kiosk asks the server (POST /api/v1/ask; docs/ask.md says why the index is not in the
bundle): when it cannot be reached the screen says so, gives the counter's phone and
hours, and offers the FAQ's own questions from the bundle, which answer offline.
"""

from __future__ import annotations

from kivy.app import App
from kivy.properties import (
    BooleanProperty,
    DictProperty,
    ListProperty,
    OptionProperty,
    StringProperty,
)

from content.popular import question_text, starter_questions
from kiosk import guide_flow, kana
from kiosk.i18n import N_, gettext_in
from kiosk.screens.base import KioskScreen, load_rules
from kiosk.screens.guide_walk import PagedScreen
from kiosk.theme import GAP
from kiosk.widgets import BigButton
from kiosk.widgets.big_button import same_height

load_rules(__file__)

#: question buttons on one page by text size
PER_PAGE = {"large": 6, "extra-large": 4}
#: how many questions others asked the screen asks the server for
POPULAR = 12
#: the classes' answer of the server when no class is planned (docs/ask.md)
CLASSES_ID = "classes"

NOT_SURE = N_("We could not find a sure answer. Please ask at the ward office counter.")
OFFLINE = N_(
    "This kiosk cannot reach the office right now, so it cannot search. "
    "Please ask at the ward office counter, or choose a question below."
)
SEARCHING = N_("Searching…")
KEYS_TITLE = N_("Type your question in kana")


def _app():
    return App.get_running_app()


def hiragana(text: str) -> str:
    """The keyboard's katakana as hiragana, as residents write a question (スマホキョウシツ
    is read as one odd word; すまほきょうしつ as スマホ教室); ー and the rest kept."""
    return "".join(chr(ord(c) - 0x60) if "ァ" <= c <= "ヶ" else c for c in text)


def counter_lines(settings, language: str) -> str:
    """The ward office's phone and hours from the content's settings, one line each."""
    if settings is None:
        return ""
    lines = []
    if settings.has_value("ward.phone"):
        phone = settings.value_in("ward.phone", language)
        lines.append(gettext_in("Phone:", language) + " " + phone)
    if settings.has_value("ward.office_hours"):
        hours = settings.value_in("ward.office_hours", language)
        lines.append(gettext_in("Hours:", language) + " " + hours)
    return "\n".join(lines)


class AskScreen(PagedScreen):
    """The questions others asked (``start``), the search going (``searching``), the
    answers (``answers``: ``confident`` or not), the server out of reach (``offline``),
    or one answer that has no screen of its own, a lesson (``detail``)."""

    state = OptionProperty("start", options=["start", "searching", "answers", "offline", "detail"])
    #: the question asked (as typed, katakana), "" before one
    question = StringProperty("")
    #: the server's answer: {"confident": bool, "answers": [...]}
    result = DictProperty({})
    #: the questions to tap: [{"kind", "id", "text"}]; the FAQ's own until the server's come
    popular = ListProperty([])
    #: the questions others asked could not be had from the server (the FAQ's are shown)
    popular_offline = BooleanProperty(False)
    heading_text = StringProperty("")
    message_text = StringProperty("")
    counter_text = StringProperty("")
    lead_text = StringProperty("")
    detail_text = StringProperty("")
    #: the detail is a lesson or the classes: 「スマホ教室に申し込む」 is offered
    offers_class = BooleanProperty(False)

    def on_kv_post(self, base_widget) -> None:
        app = _app()
        app.fbind("language", self._language_changed)
        app.fbind("text_size", self.fresh)
        for name in ("page", "state", "popular", "popular_offline", "result"):
            self.fbind(name, self._fill)
        self.watch_room(self.ids.column)

    # -- what is shown -------------------------------------------------------------------
    def prepare(
        self,
        question: str | None = None,
        result: dict | None = None,
        popular: list | None = None,
        offline: bool = False,
        start: bool = False,
        **params,
    ) -> None:
        """``start`` (Home's button) or ``popular`` given: the questions others asked (else
        asked of the server). A question: asked of the server, or ``result`` shown as its
        answer. Nothing (もどる from the answer or guide it opened): as the resident left it."""
        if not (start or question is not None or popular is not None or offline):
            return
        self.page = 0
        self.room_reset()
        if popular is not None:
            self.popular, self.popular_offline = list(popular), False
        elif not self.popular or self.popular_offline:
            self.load_popular()
        if question is None:
            self.question, self.result, self.state = "", {}, "start"
        elif offline:
            self.question, self.result, self.state = question, {}, "offline"
        elif result is not None:
            self.question = question
            self.show_result(result)
        else:
            self.search(question)
        self._fill()

    def load_popular(self) -> None:
        """The FAQ's own questions at once (from the bundle), the server's when they come."""
        app = _app()
        self.popular = self._starters()
        self.popular_offline = not app.api.configured
        if not app.api.configured:
            return
        language = app.language
        app._submit(
            lambda: app.api.popular(language, POPULAR),
            lambda found, asked=language: self._popular_loaded(found, asked),
        )

    def _starters(self) -> list[dict]:
        catalog, language = _app().catalog, _app().language
        return [
            {
                "kind": kind,
                "id": answer_id,
                "text": question_text(catalog, kind, answer_id, language),
            }
            for kind, answer_id in starter_questions(catalog)[:POPULAR]
        ]

    def _popular_loaded(self, found, language: str) -> None:
        if language != _app().language:
            return  # the resident chose another language meanwhile: asked again
        if isinstance(found, Exception):
            self.popular_offline = True
            return
        self.popular = [q for q in found if isinstance(q, dict) and q.get("text")]
        self.popular_offline = False

    def _language_changed(self, *_args) -> None:
        if self.state in ("start", "offline"):
            self.load_popular()
        self.fresh()

    def search(self, question: str) -> None:
        app = _app()
        self.question, self.result, self.state = question, {}, "searching"
        language = app.language
        app._submit(
            lambda: app.api.ask(hiragana(question), language),
            lambda found, asked=question: self._answered(found, asked),
        )

    def _answered(self, found, question: str) -> None:
        if question != self.question or self.state != "searching":
            return  # the resident went on meanwhile
        if isinstance(found, Exception):  # unreachable, or refused: say so, never crash
            self.state = "offline"
            if not self.popular:
                self.popular = self._starters()
        else:
            self.show_result(found)
        if _app().speech and self.manager is not None and self.manager.current == self.name:
            self.read_aloud()

    def show_result(self, result: dict) -> None:
        answers = [a for a in result.get("answers") or [] if isinstance(a, dict)]
        self.result = {"confident": bool(result.get("confident")), "answers": answers}
        self.state = "answers"

    def _repage(self, *_args) -> None:
        self._fill()

    def _room_wanted(self) -> int:
        return PER_PAGE.get(_app().text_size, 4)

    def _room_can_help(self) -> bool:
        return len(self.ids.choices.children) > 1

    def _fill(self, *_args) -> None:
        app = _app()
        language = app.language
        tr = lambda message: app.tr(message, language)  # noqa: E731
        box = self.ids.choices
        box.clear_widgets()
        state = self.state
        confident = bool(self.result.get("confident"))
        self.heading_text = (
            f"「{self.question}」" if self.question and state != "detail" else self.heading_text
        )
        if state == "start" or (state == "offline" and not self.question):
            self.heading_text = tr("Search in your own words")
        elif state == "offline" and app.side_rail:
            self.heading_text = ""  # a short panel: the message, the counter and a question
        self.message_text = {
            "searching": tr(SEARCHING),
            "offline": tr(OFFLINE),
            "answers": "" if confident else tr(NOT_SURE),
        }.get(state, "")
        if state == "start" and self.popular_offline:
            self.message_text = tr(
                "This kiosk cannot reach the office right now. These are questions from the "
                "kiosk's own list."
            )
        show_counter = state == "offline" or (state == "answers" and not confident)
        self.counter_text = counter_lines(app.catalog.settings, language) if show_counter else ""
        if state == "detail":
            self.lead_text = ""
            self.pages = 1
            return
        self.detail_text = ""
        items: list[tuple[str, object]] = []
        if state == "answers":
            answers = self.result.get("answers") or []
            self.lead_text = (
                tr("Answers") if confident else (tr("These may be related:") if answers else "")
            )
            items = [(self._caption(a, language), a) for a in answers]
        elif state in ("start", "offline"):
            # offline: the message says "choose a question below" (the room is short)
            self.lead_text = tr("Questions others asked") if state == "start" else ""
            items = [(q["text"], q) for q in self.popular]
        else:
            self.lead_text = ""
        per_page = self.room_per_page(PER_PAGE.get(app.text_size, 4))
        pages = guide_flow.chunks(items, per_page) if items else [[]]
        self.pages = len(pages)
        self.page = min(self.page, self.pages - 1)
        buttons = []
        for caption, item in pages[self.page]:
            button = BigButton(caption=caption, font_scale=0.85, halign="left")
            button.bind(on_release=lambda _b, i=item: self.choose(i))
            box.add_widget(button)
            buttons.append(button)
        if buttons and not app.portrait:  # two a row: as high as each other
            same_height(buttons)

    @staticmethod
    def _caption(answer: dict, language: str) -> str:
        title = str(answer.get("title") or "")
        if answer.get("kind") == "class" and answer.get("id") != CLASSES_ID:
            return f"{title}\n{answer.get('text') or ''}".strip()
        return title

    # -- taps --------------------------------------------------------------------------
    def type_question(self) -> None:
        _app().show("ask_keys")

    def choose(self, item: dict) -> None:
        """Open what an answer or a question leads to: the FAQ answer, the guide, the
        classes (the booking's list), or a lesson's goal here."""
        app = _app()
        app.stop_speaking()
        kind, answer_id = item.get("kind"), str(item.get("id") or "")
        if kind == "faq":
            topic_id, _sep, question_id = answer_id.partition("/")
            topic = app.catalog.faq.get(topic_id)
            if topic is not None and any(q.id == question_id for q in topic.questions):
                app.show("faq", topic_id=topic_id, question_id=question_id)
                return
        elif kind == "guide" and answer_id in app.catalog.guides:
            app.show("guide_overview", guide_id=answer_id)
            return
        elif kind == "class" and not (answer_id == CLASSES_ID and item.get("title")):
            app.start_booking()  # a course, or the popular 「スマホ教室はいつ？」: the classes
            return
        self._detail(item)

    def _detail(self, item: dict) -> None:
        """A lesson, the classes when none is planned, or an answer the bundle lacks: its
        title and text here, and the classes offered."""
        app = _app()
        lesson = (
            app.catalog.lessons.get(str(item.get("id"))) if item.get("kind") == "lesson" else None
        )
        language = app.language
        self.heading_text = (
            lesson.title.get(language)
            if lesson
            else str(item.get("title") or item.get("text") or "")
        )
        self.detail_text = (
            lesson.goal.get(language)
            if lesson
            else str(item.get("text") if item.get("title") else "")
        )
        self.offers_class = item.get("kind") in ("lesson", "class")
        self._before_detail = (self.state, self.page)
        self.state = "detail"
        if app.speech:
            self.read_aloud()

    def book_class(self) -> None:
        _app().start_booking()

    def read_aloud(self) -> None:
        _app().read_aloud(self)

    def back(self) -> bool:
        app = _app()
        app.stop_speaking()
        if self.state == "detail":
            self.state, self.page = getattr(self, "_before_detail", ("start", 0))
            return True
        return False

    def forget(self) -> None:
        self.question, self.result, self.state = "", {}, "start"
        self.popular, self.popular_offline = [], False
        self.page, self.pages = 0, 1


def _question(typed: str) -> str:
    """What was typed as a question: one space between words, none at the edges."""
    return " ".join(typed.replace(kana.SPACE, " ").split())


class AskKeysScreen(KioskScreen):
    """The question typed on the 50-sound keyboard (kiosk.kana's rules), then さがす."""

    typed = StringProperty("")
    #: something to search: not empty, not only spaces
    can_search = BooleanProperty(False)

    def on_typed(self, _screen, typed: str) -> None:
        self.can_search = bool(_question(typed))

    def on_kv_post(self, base_widget) -> None:
        ids = self.ids
        self._parts = {
            name: ids[name].__self__ for name in ("space", "kana_hint", "title", "search", "delete")
        }
        app = _app()
        for name in ("side_rail", "body_size", "button_size", "button_height", "language"):
            app.fbind(name, self.arrange)
        ids.keyboard.fbind("key_height", self.arrange)
        ids.keys_row.fbind("width", self.arrange)
        self.arrange()

    def arrange(self, *_args) -> None:
        """空白 and the ゛ ゜ 小 hint beside the keys: the hint two keys high (a wide panel),
        or beside the rail of a short panel one example a key row, beside the keys; there
        the title stands in the empty box instead of above it (five rows of keys at the
        touch floor leave no room for it). 1字けす and さがす beside the typed question, or
        under the hint on a portrait panel (the question keeps the width)."""
        app = _app()
        ids, parts = self.ids, self._parts
        space, hint, title = parts["space"], parts["kana_hint"], parts["title"]
        key = ids.keyboard.key_height
        for widget in (space, hint):
            if widget.parent is not None:
                widget.parent.remove_widget(widget)
        column = ids.entry_row.parent
        if app.side_rail and title.parent is column:
            column.remove_widget(title)
        elif not app.side_rail and title.parent is None:
            column.add_widget(title, index=len(column.children))
        search, delete = parts["search"], parts["delete"]
        for button in (search, delete):
            if button.parent is not None:
                button.parent.remove_widget(button)
        hint.by_rows = app.side_rail
        if app.side_rail:
            hint.height = key * 3 + GAP * 2
            # さがす beside the ー row, under the hint: the typed question keeps the width
            search.size_hint_x, search.min_height = 1, key
            delete.size_hint_x = None
            ids.entry_row.add_widget(delete)
            for widget in (hint, search, space):
                ids.side.add_widget(widget)
            space.padding = search.padding = (12, 0)
            ids.side.width = max(hint.widest(), search.natural_width())
        else:
            space.padding = search.padding = (GAP + 8, 0)
            hint.height = key * 2 + GAP
            for widget in (space, hint):
                ids.side.add_widget(widget)
            # a portrait panel is narrow: 1字けす and さがす under the hint, the typed
            # question keeps the width; a wide one: beside the question
            for button in (delete, search):
                button.size_hint_x = 1 if app.portrait else None
                (ids.side if app.portrait else ids.entry_row).add_widget(button)
            ids.side.width = max(hint.widest(), min(420, space.natural_width()))
        for button in (delete, search):
            # on one line where it fits (a second line would take the keys' height)
            button.width = min(340, button.natural_width())

    def prepare(self, **params) -> None:
        """The question typed so far stays (もどる from the answers, to change a word)."""

    def key(self, value: str) -> None:
        self.typed = kana.press(self.typed, kana.SPACE if value == "space" else value)

    def delete(self) -> None:
        self.typed = kana.delete(self.typed)

    def search(self) -> None:
        question = _question(self.typed)
        if question:
            _app().show("ask", question=question)

    def speech_text(self, language: str) -> list[str]:
        """The title, what was typed so far (for this visit only), how the marks work."""
        from kiosk.i18n import gettext_in
        from kiosk.screens.booking import typed_so_far

        return [
            gettext_in(KEYS_TITLE, language),
            *typed_so_far(self.typed, language),
            gettext_in(self._parts["kana_hint"].hint, language),
        ]

    def forget(self) -> None:
        self.typed = ""
