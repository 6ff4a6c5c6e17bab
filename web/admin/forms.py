"""Forms for venues and courses; the rules themselves are checked by the services."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField, TextAreaField

from classroom.services.translations import OTHER_LANGUAGES, field_name

from ..forms import Form, MultiCheckboxField, OnceForm

#: the languages written beside the Japanese, named in the staff member's language
LANGUAGE_NAMES = {
    "ja-easy": _l("Easy Japanese (やさしい日本語)"),
    "en": _l("English"),
    "zh-Hans": _l("Chinese (simplified)"),
    "ko": _l("Korean"),
}
#: what the inputs' `lang` attribute says (spelling checks, input methods, screen readers)
HTML_LANG = {"ja-easy": "ja", "en": "en", "zh-Hans": "zh-Hans", "ko": "ko"}


def _in(language: str, **render_kw) -> dict:
    """The attributes of an input typed in `language`."""
    return {"autocomplete": "off", "lang": HTML_LANG[language], **render_kw}


class TranslatedForm(Form):
    """A form with inputs for some of its texts in each of OTHER_LANGUAGES, named
    `<base>_<suffix>` (classroom.services.translations.field_name)."""

    def languages(self, *bases: str) -> list[tuple[str, str, list]]:
        """(language, its name, the inputs of `bases` in it) for each other language."""
        return [
            (language, LANGUAGE_NAMES[language], [self[field_name(b, language)] for b in bases])
            for language in OTHER_LANGUAGES
        ]

    def translations(self, base: str) -> dict[str, str]:
        """What was typed for `base` in each other language (the service strips it)."""
        return {language: self[field_name(base, language)].data for language in OTHER_LANGUAGES}

    def show_translations(self, base: str, values: dict | None) -> None:
        """Fill the inputs of `base` from a saved {language: text}."""
        for language in OTHER_LANGUAGES:
            self[field_name(base, language)].data = (values or {}).get(language, "")


class VenueForm(TranslatedForm):
    name = StringField(_l("Name of the venue"), render_kw={"autocomplete": "off", "required": True})
    kind = SelectField(_l("Kind of venue"))
    address = StringField(_l("Address"), render_kw={"autocomplete": "off"})
    access = TextAreaField(_l("How to get there"))
    capacity = StringField(
        _l("Seats in the room"),
        render_kw={"inputmode": "numeric", "autocomplete": "off", "required": True},
    )
    loaner_phones = StringField(
        _l("Loaner phones kept there"), render_kw={"inputmode": "numeric", "autocomplete": "off"}
    )


class CourseForm(TranslatedForm):
    code = StringField(
        _l("Course code"),
        render_kw={"autocomplete": "off", "required": True, "spellcheck": "false"},
    )
    title = StringField(_l("Title (Japanese)"), render_kw={"autocomplete": "off", "required": True})
    kind = SelectField(_l("Kind of course"))
    device_track = SelectField(_l("For which phones"))
    description = TextAreaField(_l("Description"))
    # the service refuses ids the content does not have, with its own message
    lesson_ids = MultiCheckboxField(_l("Lessons taught"), validate_choice=False)
    lesson_ids_hint = _l(
        "Tick the lessons this course teaches; classes take them in the order of this list."
    )


def _add_translations(form: type[TranslatedForm], *inputs: tuple) -> None:
    """Give `form` an input for each (base, field class, label, attributes) in every other
    language, named `<base>_<suffix>`, in the order of the page: language by language
    (the form's errors are listed in this order)."""
    for language in OTHER_LANGUAGES:
        for base, field, label, render_kw in inputs:
            named = label(LANGUAGE_NAMES[language])
            setattr(
                form, field_name(base, language), field(named, render_kw=_in(language, **render_kw))
            )


# the labels of the inputs beside the Japanese, given the language's name
def _venue_name(language: str) -> str:
    return _l("Name of the venue (%(language)s)", language=language)


def _venue_access(language: str) -> str:
    return _l("How to get there (%(language)s)", language=language)


def _course_title(language: str) -> str:
    return _l("Title (%(language)s)", language=language)


_add_translations(
    VenueForm,
    ("name", StringField, _venue_name, {}),
    ("access", TextAreaField, _venue_access, {"rows": 2}),
)
_add_translations(CourseForm, ("title", StringField, _course_title, {}))


class NewVenueForm(VenueForm, OnceForm):
    """Adding a venue: sent twice, added once (the one-time token of web/forms.py)."""


class NewCourseForm(CourseForm, OnceForm):
    """Adding a course: sent twice, added once."""
