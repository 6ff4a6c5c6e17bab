"""FAQ: topics → questions → the answer in large type, read aloud like a guide's step."""

from __future__ import annotations

from kivy.app import App
from kivy.properties import ObjectProperty, StringProperty

from kiosk import guide_flow
from kiosk.guide_flow import GuideEvents
from kiosk.screens.base import load_rules
from kiosk.screens.guide_walk import PagedScreen
from kiosk.widgets import BigButton

load_rules(__file__)

#: buttons on one page by text size (two columns)
PER_PAGE = {"large": 6, "extra-large": 4}


class FaqScreen(PagedScreen):
    """One screen, three levels: no topic → topics; a topic → its questions; a question → answer.

    Topics and questions come in pages of buttons; an answer too long for the room (a long
    language at 特大 beside the rail of a short panel) comes a few sentences a page, where
    will go on is said (``next_text``) and 「やり方を見る」 is offered on its last page.
    """

    topic = ObjectProperty(None, allownone=True)
    question = ObjectProperty(None, allownone=True)
    answer_text = StringProperty("")
    next_text = StringProperty("")
    #: "this answer is not yet written in 中文 …" when it shows in Japanese, else ""
    notice_text = StringProperty("")
    heading_text = StringProperty("")
    clip = StringProperty("")
    #: the guide an answer points to, "" when none (or when it is withdrawn)
    guide_id = StringProperty("")

    def on_kv_post(self, base_widget) -> None:
        app = App.get_running_app()
        app.fbind("language", self.fresh)
        app.fbind("text_size", self.fresh)
        for name in ("page", "topic", "question"):
            self.fbind(name, self._fill)
        self.watch_room(self.ids.column)

    def _repage(self, *_args) -> None:
        self._fill()

    def _room_wanted(self) -> int:
        if self.question is not None:  # sentences of the answer on one page
            return len(guide_flow.sentences(self.question.a.get(App.get_running_app().language)))
        return PER_PAGE.get(App.get_running_app().text_size, 4)

    def _room_can_help(self) -> bool:
        if self.question is not None:
            return len(guide_flow.sentences(self.answer_text)) > 1
        return len(self.ids.choices.children) > 1

    def prepare(
        self, topic_id: str | None = None, question_id: str | None = None, **params
    ) -> None:
        catalog = App.get_running_app().catalog
        self.page = 0
        self.room_reset()
        self.topic = catalog.faq_topic(topic_id) if topic_id else None
        self.question = None
        #: an answer opened directly (from ことばで さがす): もどる goes back there
        self.direct = False
        if self.topic is not None and question_id:
            self.question = next(q for q in self.topic.questions if q.id == question_id)
            self.direct = True
            self._answered()
        self._fill()

    def _items(self) -> list:
        if self.topic is None:
            return list(App.get_running_app().catalog.faq.values())
        return list(self.topic.questions)

    def _fill(self, *_args) -> None:
        app = App.get_running_app()
        language = app.language
        box = self.ids.choices
        box.clear_widgets()
        if self.question is not None:
            self.heading_text = self.question.q.get(language)
            answer = self.question.a.get(language)
            said = guide_flow.sentences(answer)
            parts = guide_flow.chunks(said, self.room_per_page(len(said)), balanced=True)
            self.pages = len(parts)
            self.page = min(self.page, self.pages - 1)
            self.answer_text = "".join(parts[self.page]).strip()
            last = self.page == self.pages - 1
            self.next_text = self.question.next.get(language) if self.question.next and last else ""
            self.notice_text = guide_flow.untranslated_answer_notice(self.question, language)
            guide = app.catalog.guides.get(self.question.guide or "")
            self.guide_id = guide.id if guide is not None and not guide.withdrawn else ""
            clip = app.clip_for(answer)  # 読み上げ reads the whole answer, on any page
            self.clip = str(clip) if clip else ""
            return
        self.answer_text = self.next_text = self.clip = self.guide_id = ""
        self.heading_text = (
            self.topic.title.get(language)
            if self.topic is not None
            else app.tr("Questions and answers", language)
        )
        pages = guide_flow.chunks(self._items(), self.room_per_page(PER_PAGE.get(app.text_size, 4)))
        self.pages = len(pages)
        self.page = min(self.page, self.pages - 1)
        for item in pages[self.page]:
            caption = item.title.get(language) if self.topic is None else item.q.get(language)
            button = BigButton(caption=caption, font_scale=0.85, halign="left")
            button.bind(on_release=lambda _b, i=item: self.choose(i))
            box.add_widget(button)

    def choose(self, item) -> None:
        app = App.get_running_app()
        app.stop_speaking()
        self.room_reset()
        if self.topic is None:
            self.page = 0
            self.topic = item
            GuideEvents(app.record).faq(item.id)
        else:
            self.page = 0
            self.direct = False
            self.question = item
            self._answered()

    def _answered(self) -> None:
        self._fill()
        if App.get_running_app().speech:
            self.read_aloud()

    def speech_text(self, language: str) -> list[str]:
        """An answer: the question, the answer whole (its clip is built ahead), what next.

        Topics and questions: the heading and the buttons, as the screen shows them."""
        if self.question is None:
            return super().speech_text(language)
        texts = [self.question.q.get(language), self.question.a.get(language)]
        if self.question.next:
            texts.append(self.question.next.get(language))
        return texts

    def read_aloud(self) -> None:
        app = App.get_running_app()
        app.read_aloud(self)
        GuideEvents(app.record).speech(self.topic.id if self.topic else "")

    def open_guide(self) -> None:
        if self.guide_id:
            App.get_running_app().show("guide_overview", guide_id=self.guide_id)

    def stop(self) -> None:
        App.get_running_app().stop_speaking()

    def back(self) -> bool:
        App.get_running_app().stop_speaking()
        self.room_reset()
        if self.question is not None and getattr(self, "direct", False):
            return False  # the screen it was opened from, as the resident left it
        if self.question is not None:
            self.page = 0
            self.question = None
            return True
        if self.topic is not None:
            self.topic = None
            self.page = 0
            return True
        return False

    def forget(self) -> None:
        self.direct = False
        self.topic = self.question = None
        self.page, self.pages = 0, 1
