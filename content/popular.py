"""The short questions an answer stands for (issue 20): what the kiosk shows as "questions
others asked" buttons, and the FAQ's own questions to offer before enough were asked.

Light on purpose: the kiosk imports it without the search engine (content.ask).
"""

from __future__ import annotations

from content.loader import Catalog


def starter_questions(catalog: Catalog) -> list[tuple[str, str]]:
    """(kind, id) of the FAQ's own questions: each topic's first question, then each one's
    second, and so on, so that every topic comes early."""
    topics = list(catalog.faq.values())
    found: list[tuple[str, str]] = []
    for row in range(max((len(t.questions) for t in topics), default=0)):
        found += [
            ("faq", f"{t.id}/{t.questions[row].id}") for t in topics if row < len(t.questions)
        ]
    return found


def question_text(catalog: Catalog, kind: str, answer_id: str, language: str) -> str | None:
    """The short question an FAQ entry, guide or lesson stands for, in ``language``; None
    when the content no longer has it (a withdrawn guide, a removed entry) or for the
    classes, which the caller words itself."""
    if kind == "faq":
        topic_id, _sep, question_id = answer_id.partition("/")
        topic = catalog.faq.get(topic_id)
        found = [q for q in topic.questions if q.id == question_id] if topic else []
        return found[0].q.get(language) if found else None
    if kind == "guide":
        guide = catalog.guides.get(answer_id)
        return guide.title.get(language) if guide and not guide.withdrawn else None
    if kind == "lesson":
        lesson = catalog.lessons.get(answer_id)
        return lesson.title.get(language) if lesson else None
    return None
