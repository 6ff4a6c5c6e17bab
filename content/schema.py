"""The content schema, once: what each kind of content file holds (docs/content-schema.md).

Each kind — a guide, a lesson, an FAQ topic and the records inside them (a step, a
checklist item, a question, a source) — is one ``Record``: its fields in the order they
are checked, each with its YAML key, what its value must be (a ``Spec``), whether it is
required, the model attribute it loads into and how ``tsunagu content check`` names it.
``content.validate`` walks these descriptions over the YAML nodes (every problem with its
file and line) and ``content.loader`` walks them over the parsed YAML to build the
objects of ``content.model``; neither repeats a key, a limit or an allowed value.

A label is how a problem names a field. A field without one is named by its key, as
written; a label given here is a message (``N_``), translated where it is shown and
formatted with ``where`` (the enclosing item's name), ``list`` (its list's name), ``n``
(its 1-based place) and ``id``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from content.model import (
    CheckItem,
    FaqTopic,
    Guide,
    Handoff,
    Lesson,
    Question,
    Review,
    Source,
    Step,
    Stuck,
)
from languages import N_

#: languages every text of a kind must have (a text may have any of ``LANGUAGES``)
REQUIRED_LANGUAGES: dict[str, tuple[str, ...]] = {
    "guide": ("ja", "ja-easy", "en"),
    "lesson": ("ja", "en"),
    "faq": ("ja", "en"),
}
GUIDE_STATUSES = ("active", "withdrawn")
GUIDE_CATEGORIES = ("certificates", "events", "health", "payments", "mynumber")
COURSES = ("intro", "one_point")
LEVELS = ("beginner", "basic", "practical", "advanced")
DEVICES = ("iphone", "android", "senior")
#: how the editor's lists name each allowed value (messages, translated where shown)
CHOICE_LABELS: dict[str, str] = {
    "active": N_("Shown to residents"),
    "withdrawn": N_("Withdrawn (not shown)"),
    "certificates": N_("Certificates"),
    "events": N_("Events"),
    "health": N_("Health"),
    "payments": N_("Payments"),
    "mynumber": N_("My Number Card"),
    "intro": N_("Smartphone introduction"),
    "one_point": N_("One-point class"),
    "beginner": N_("Beginner"),
    "basic": N_("Basic"),
    "practical": N_("Practical"),
    "advanced": N_("Advanced"),
    "iphone": N_("iPhone"),
    "android": N_("Android"),
    "senior": N_("Senior phone"),
}
MIN_STEPS = 3
MIN_CAN_DO = 2
MIN_QUESTIONS = 3
#: an item whose last check is older than this many months is due for review
REVIEW_MONTHS = 12


# --- what a value may be --------------------------------------------------------------


class Spec:
    """What a field's value must be; ``content.validate`` and ``content.loader`` know each."""


@dataclass(frozen=True)
class Text(Spec):
    """A mapping of language code to a non-empty text (the kind's languages required);
    placeholders must name settings; ``sentence``: warn when it does not end like one."""

    sentence: bool = False


@dataclass(frozen=True)
class String(Spec):
    """A non-empty text, loaded with ``str()`` (``raw``: loaded as written)."""

    raw: bool = False


@dataclass(frozen=True)
class Ident(Spec):
    """An id: ``[a-z0-9]+`` joined by single ``-``."""


@dataclass(frozen=True)
class Choice(Spec):
    """One of ``values``; ``label(value)`` names one for people (a message, ``N_``)."""

    values: tuple[str, ...]

    def label(self, value: str) -> str | None:
        return CHOICE_LABELS.get(value)


@dataclass(frozen=True)
class PositiveInt(Spec):
    """A whole number greater than 0."""


@dataclass(frozen=True)
class Date(Spec):
    """A date written YYYY-MM-DD, not after today; due for review after REVIEW_MONTHS."""


@dataclass(frozen=True)
class HttpsUrl(Spec):
    """A public https:// address."""


@dataclass(frozen=True)
class HandoffUrl(Spec):
    """One placeholder whose value is an https:// URL, or an https:// URL; loaded resolved."""


@dataclass(frozen=True)
class Illustration(Spec):
    """A usable SVG file under media/ (warned about when it has no <title>), or a PNG/JPEG
    picture uploaded on the staff site, media/uploads/<name>.png|.jpg."""


@dataclass(frozen=True)
class LanguageCode(Spec):
    """One of the language codes (``languages.LANGUAGES``)."""


@dataclass(frozen=True)
class Reference(Spec):
    """The id of a guide or lesson that has a file (``to``: "guide" or "lesson")."""

    to: str
    #: how a problem names the referring value itself (as written)
    label: str
    #: how a problem names what is referred to (a message)
    what: str
    #: loaded as written (else with ``str()``)
    raw: bool = False


@dataclass(frozen=True)
class Flag(Spec):
    """``true`` switches it on; anything else is off (not checked)."""


@dataclass(frozen=True)
class Furigana(Spec):
    """A mapping of word to its reading, written in kana."""


@dataclass(frozen=True)
class Variants(Spec):
    """A mapping of device (one the lesson lists in ``devices``) to a sentence ``Text``."""


@dataclass(frozen=True)
class ListOf(Spec):
    """A list of ``item``s, at least ``minimum``.

    ``item_label`` names an item (a message with ``list`` and ``n``; for a record, the name
    of the mapping); ``named`` names a record's item once its id is known (with ``id``,
    else ``n``), for its fields; ``unique`` names the ids that must differ in the file."""

    item: Spec
    minimum: int = 0
    item_label: str | None = None
    named: str | None = None
    unique: str | None = None


@dataclass(frozen=True)
class Record(Spec):
    """A mapping with known keys, loaded into ``model`` (None: into its parent's fields)."""

    fields: tuple[Field | Group, ...]
    model: type | None = None

    def key_fields(self) -> Iterator[Field]:
        """Every key the mapping may have, including those of its groups."""
        for entry in self.fields:
            if isinstance(entry, Group):
                yield from entry.fields
            else:
                yield entry

    @property
    def allowed(self) -> dict[str, bool]:
        """Allowed key -> required, as ``content.validate.fields`` takes them."""
        return {f.name: f.required for f in self.key_fields()}


@dataclass(frozen=True)
class Field:
    """One key of a mapping."""

    name: str
    spec: Spec
    required: bool = False
    #: the model attribute it loads into; "" = the key; None = not loaded
    attr: str | None = ""
    #: how a problem names it: None = the key as written, else a message (see the module)
    label: str | None = None
    #: format ``label`` with the list's name as ``where`` (an item's id field)
    label_of_list: bool = False
    #: the value when the key is absent (loading)
    default: object = None
    #: named cross-field rules ``content.validate.RULES`` checks after the value
    rules: tuple[str, ...] = ()
    doc: str = ""

    @property
    def target(self) -> str | None:
        """The model attribute this field loads into, or None."""
        return self.name if self.attr == "" else self.attr


@dataclass(frozen=True)
class Group:
    """Keys of the enclosing mapping that load together into one ``model`` as ``attr``.

    The loader reads them as optional even where the check requires them: content
    written before they existed still loads (into the model's defaults)."""

    attr: str
    model: type
    fields: tuple[Field, ...]


# --- the kinds -------------------------------------------------------------------------

#: a before-you-go check or an "I can ..." skill
ITEM = Record(
    (
        Field("id", Ident(), True, label=N_("%(where)s id"), label_of_list=True),
        Field("text", Text(), True, label=N_("%(where)s item '%(id)s'"), label_of_list=True),
    ),
    CheckItem,
)


def id_items(minimum: int) -> ListOf:
    """A list of {id, text} items with ids unique in the file."""
    return ListOf(ITEM, minimum, item_label=N_("%(where)s item %(n)d"), unique="%(list)s")


def texts(item_label: str, minimum: int = 0, sentence: bool = False) -> ListOf:
    """A list of texts; ``item_label`` names one (a message), numbered."""
    return ListOf(Text(sentence), minimum, item_label=item_label)


#: a guide's step, in the order its fields are checked
GUIDE_STEP = Record(
    (
        Field("text", Text(sentence=True), True, label="%(where)s", doc="what to do"),
        Field("screen", Text(sentence=True), label=N_("%(where)s screen")),
        Field("illustration", Illustration(), label="%(where)s"),
        Field(
            "handoff",
            Flag(),
            doc="the kiosk shows the hand-off QR code at this step (the one that says to "
            "scan it), not after the last step",
        ),
    ),
    Step,
)
#: a lesson's step: no hand-off, but an instructor's tip and device variants
LESSON_STEP = Record(
    (
        Field("text", Text(sentence=True), True, label="%(where)s", doc="said to everyone"),
        Field("screen", Text(sentence=True), label=N_("%(where)s screen")),
        Field("tip", Text(sentence=True), label=N_("%(where)s tip"), doc="instructor's tip"),
        Field("illustration", Illustration(), label="%(where)s"),
        Field("variants", Variants(), label="%(where)s", doc="where the device tracks differ"),
    ),
    Step,
)


def steps(step: Record) -> ListOf:
    """At least MIN_STEPS steps, one action each."""
    return ListOf(step, MIN_STEPS, item_label=N_("step %(n)d"), named=N_("step %(n)d"))


#: when the item was last checked, against which public sources, which languages reviewed
REVIEW = Group(
    "review",
    Review,
    (
        Field("checked", Date(), True),
        Field(
            "sources",
            ListOf(
                Record(
                    (
                        Field("title", String(), True, label=N_("%(where)s title")),
                        Field("url", HttpsUrl(), True, label=N_("%(where)s url")),
                    ),
                    Source,
                ),
                1,
                item_label=N_("source %(n)d"),
                named=N_("source %(n)d"),
            ),
            True,
        ),
        Field("reviewed", ListOf(LanguageCode())),
    ),
)

FURIGANA = Field("furigana", Furigana(), doc="overrides of computed readings: 漢字語: よみ")


def _header() -> tuple[Field, ...]:
    return (
        Field("id", Ident(), True, rules=("id-is-file-name",)),
        Field("kind", String(), True, attr=None, rules=("kind-of-folder",)),
    )


GUIDE = Record(
    (
        *_header(),
        Field("status", Choice(GUIDE_STATUSES), True),
        Field("category", Choice(GUIDE_CATEGORIES), True),
        Field("title", Text(), True),
        Field("for_whom", Text(sentence=True), True),
        Field("duration_minutes", PositiveInt(), True),
        Field("fee", Text(), True),
        Field(
            "finder",
            Record(
                (
                    Field(
                        "question",
                        Text(),
                        True,
                        attr="finder_question",
                        label=N_("finder question"),
                    ),
                    Field(
                        "order",
                        PositiveInt(),
                        attr="finder_order",
                        label=N_("finder order"),
                        default=100,
                    ),
                )
            ),
            True,
        ),
        Field("bring", texts(N_("bring item"), minimum=1), True),
        Field("checklist", id_items(minimum=0)),
        Field("steps", steps(GUIDE_STEP), True, label=N_("steps")),
        Field("warnings", texts(N_("warning"), sentence=True)),
        Field(
            "handoff",
            Record(
                (
                    Field("url", HandoffUrl(), True, label=N_("handoff url")),
                    Field("label", Text(), True, label=N_("handoff label")),
                ),
                Handoff,
            ),
            True,
        ),
        Field(
            "stuck",
            Record(
                (
                    Field(
                        "lessons",
                        ListOf(Reference("lesson", "lesson id", N_("lesson"))),
                        label=N_("stuck lessons"),
                    ),
                    Field("counter", Text(), True, label=N_("stuck counter")),
                ),
                Stuck,
            ),
            True,
        ),
        REVIEW,
        FURIGANA,
    ),
    Guide,
)

LESSON = Record(
    (
        *_header(),
        Field("course", Choice(COURSES), True),
        Field("level", Choice(LEVELS), True),
        Field("order", PositiveInt(), rules=("intro-needs-order", "intro-order-unique")),
        Field("title", Text(), True),
        Field("goal", Text(), True),
        Field("duration_minutes", PositiveInt(), True),
        Field("devices", ListOf(Choice(DEVICES), 1, item_label=N_("device")), True),
        Field("prepare", texts(N_("prepare item"))),
        Field("steps", steps(LESSON_STEP), True, label=N_("steps")),
        Field("can_do", id_items(minimum=MIN_CAN_DO), True),
        REVIEW,
        FURIGANA,
    ),
    Lesson,
)

QUESTION = Record(
    (
        Field("id", Ident(), True, label=N_("question id")),
        Field("q", Text(), True, label="%(where)s"),
        Field("a", Text(sentence=True), True, label=N_("%(where)s answer")),
        Field("next", Text(), label=N_("%(where)s next")),
        Field("guide", Reference("guide", "guide", N_("guide"), raw=True)),
    ),
    Question,
)

FAQ = Record(
    (
        *_header(),
        Field("title", Text(), True),
        Field(
            "questions",
            ListOf(
                QUESTION,
                MIN_QUESTIONS,
                item_label=N_("question %(n)d"),
                named=N_("question '%(id)s'"),
                unique="question",
            ),
            True,
        ),
        REVIEW,
        FURIGANA,
    ),
    FaqTopic,
)

#: the ``kind`` a file declares -> its description
KINDS: dict[str, Record] = {"guide": GUIDE, "lesson": LESSON, "faq": FAQ}

#: the named rules that involve more than one field (``Field.rules``), for the docs
RULES: dict[str, str] = {
    "id-is-file-name": "id must equal the file name without .yaml",
    "kind-of-folder": "kind must be the kind of the folder's files (guides/ → guide, ...)",
    "intro-needs-order": "an intro lesson must have an order",
    "intro-order-unique": "no two intro lessons have the same order",
}


def all_fields(record: Record) -> Iterator[tuple[str, Field]]:
    """Every field of ``record`` and of the records nested in it, with its dotted path."""
    for f in record.key_fields():
        yield f.name, f
        spec = f.spec.item if isinstance(f.spec, ListOf) else f.spec
        if isinstance(spec, Record):
            for path, inner in all_fields(spec):
                yield f"{f.name}.{path}", inner
