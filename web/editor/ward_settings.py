"""The ward settings on the staff site (/editor/settings, issue 18).

Fees, counters, URLs, phone numbers and the ward's name are the values guides and lessons
refer to with placeholders (``{fees.juminhyo_online}``). This page shows every value of
the settings in effect, grouped by section, languages side by side, each with the guides
and lessons that use it, and flags a value still marked as the shipped sample. Saving
publishes a new version of the settings item at once (settings have no preview: the
check below is what stands between a typo and residents): each value is checked on its
field (https:// URLs, whole numbers for fees, digits for phone numbers, no empty text),
then the whole content is checked with the new settings as ``tsunagu content check``
does, and only a change that adds no error is published.

The YAML text is edited in place — only the values that changed are rewritten, every
comment and the order of the file stay — so the settings item's history reads as the
edits made here. Editing a value drops its ``# sample`` mark.

A deployment that names its own settings file (``TSUNAGU_CONTENT_SETTINGS``) takes the
values from that file, not from the database: the page then says so and is read-only.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import SelectField, StringField

from classroom.services import content_store
from classroom.services.actor import Actor
from classroom.services.errors import DomainError
from classroom.services.text import has_control_characters
from content.documents import SETTINGS_KIND, SETTINGS_SLUG
from content.loader import SECTIONS, SETTINGS_ENV, settings_path
from content.model import PLACEHOLDER, SAMPLE_MARKS
from content.validate import HTTPS_URL, PHONE, YEN, setting_kind, validate
from languages import LANGUAGES

from .. import content_source
from ..database import db_session, end_unit_of_work
from ..forms import Form, option
from .blueprint import bp, may_edit
from .pictures import index_url

#: section headings (the settings file's top-level keys); others show their key
SECTION_TITLES = {
    "ward": _l("The ward"),
    "phones": _l("Phone numbers"),
    "counters": _l("Counters"),
    "fees": _l("Fees"),
    "urls": _l("Web addresses (URLs)"),
    "cashless": _l("Cashless payment"),
    "seijinshiki": _l("Coming-of-age ceremony"),
    "konbini": _l("Certificates at convenience stores"),
}
#: values the site's own pages show besides the placeholders of guides and lessons
SITE_USES = {
    "phones.digital_support": _l("the help box of every public page and /ask"),
    "ward.phone": _l("the help box of every public page and /ask"),
    "ward.office_hours": _l("the help box of every public page and /ask"),
    "counters.digital_support": _l("the help box of every public page and /ask"),
    "ward.name": _l("the public pages and the kiosk's printouts"),
}
#: a new setting's name: lower-case letters, digits and _, as a placeholder names it
NEW_KEY = re.compile(r"[a-z][a-z0-9_]{0,39}")
#: what a new setting can be (the kinds a value is checked by)
NEW_KINDS = (
    ("url", _l("A web address (https://…)")),
    ("number", _l("A fee, in yen")),
    ("phone", _l("A phone number")),
    ("text", _l("Words, in each language (write the Japanese here)")),
)
LANGUAGE_NAMES = {
    "ja": "日本語",
    "ja-easy": "やさしい日本語",
    "en": "English",
    "zh-Hans": "中文（简体）",
    "ko": "한국어",
}


@dataclass
class Value:
    """One setting: a single value or the same value in several languages."""

    path: str
    #: text | url | number | phone
    kind: str
    #: language code -> text ("" key for a single value)
    texts: dict[str, str]
    #: the YAML nodes of the texts (absent languages have none)
    nodes: dict[str, yaml.ScalarNode] = field(default_factory=dict)
    #: where a language not written yet goes (after the mapping's last line), and its indent
    insert_at: int | None = None
    indent: str = ""
    sample: bool = False
    note: str = ""
    used_in: list[str] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def multilingual(self) -> bool:
        return "" not in self.texts

    @property
    def key(self) -> str:
        return self.path.rpartition(".")[2]

    def input_name(self, language: str = "") -> str:
        return f"v:{self.path}:{language}" if language else f"v:{self.path}"


@dataclass
class Section:
    key: str
    title: str
    values: list[Value]


# -- reading the YAML text -----------------------------------------------------------------


def _comment(body: str, node: yaml.Node) -> str:
    """The comment after ``node`` on its line ("" when none)."""
    line_end = body.find("\n", node.end_mark.index)
    rest = body[node.end_mark.index : line_end if line_end >= 0 else len(body)]
    return rest.partition("#")[2].strip() if "#" in rest else ""


def _is_sample_comment(comment: str) -> bool:
    return comment.lower().startswith("sample")


def _note(comment: str) -> str:
    """What a ``# sample (national fee ...)`` comment says besides "sample"."""
    text = comment[6:].strip() if _is_sample_comment(comment) else comment
    return text[1:-1] if text.startswith("(") and text.endswith(")") else text


def _walk(body: str, node: yaml.Node, path: str) -> Iterator[Value]:
    if isinstance(node, yaml.ScalarNode):
        number = node.tag == "tag:yaml.org,2002:int"
        text = node.value
        comment = _comment(body, node)
        yield Value(
            path,
            setting_kind(path, 0 if number else text),
            {"": text},
            {"": node},
            sample=_is_sample_comment(comment) or bool(SAMPLE_MARKS.search(text)),
            note=_note(comment),
        )
    elif isinstance(node, yaml.MappingNode):
        keys = [k.value for k, _v in node.value]
        if keys and "ja" in keys and all(k in LANGUAGES for k in keys):
            texts, nodes, comments = {}, {}, []
            for key_node, value_node in node.value:
                if isinstance(value_node, yaml.ScalarNode):
                    texts[key_node.value] = value_node.value
                    nodes[key_node.value] = value_node
                    comments.append(_comment(body, value_node))
            last = node.value[-1][1]
            line_end = body.find("\n", last.end_mark.index)
            yield Value(
                path,
                "text",
                texts,
                nodes,
                insert_at=(line_end + 1) if line_end >= 0 else len(body),
                indent=" " * node.value[0][0].start_mark.column,
                sample=any(map(_is_sample_comment, comments))
                or any(SAMPLE_MARKS.search(t) for t in texts.values()),
                note=next((_note(c) for c in comments if _note(c)), ""),
            )
        else:
            for key_node, value_node in node.value:
                yield from _walk(
                    body, value_node, f"{path}.{key_node.value}" if path else key_node.value
                )


def read_settings(body: str) -> tuple[bool | None, list[Section]]:
    """The ``sample`` flag and the values of a settings text, grouped by section."""
    root = yaml.compose(body, Loader=yaml.SafeLoader)
    if not isinstance(root, yaml.MappingNode):
        return None, []
    sample: bool | None = None
    sections: list[Section] = []
    loose: list[Value] = []
    for key_node, value_node in root.value:
        key = key_node.value
        if key == "sample":
            sample = yaml.safe_load(value_node.value) is True if value_node.value else None
            continue
        values = list(_walk(body, value_node, key))
        if isinstance(value_node, yaml.MappingNode) and not (
            len(values) == 1 and values[0].path == key
        ):
            title = str(SECTION_TITLES.get(key, key))
            sections.append(Section(key, title, values))
        else:
            loose.extend(values)
    if loose:
        sections.insert(0, Section("", _("General"), loose))
    return sample, sections


def _used_in(sections: list[Section]) -> None:
    """Fill each value's ``used_in``: the guides, lessons and FAQ whose text names it."""
    root = content_source.content_root()
    catalog = content_source.catalog()
    code = "en" if str(get_locale() or "ja").startswith("en") else "ja"
    titles: dict[str, list[str]] = {}
    for section, kind in SECTIONS.items():
        items = {"guide": catalog.guides, "lesson": catalog.lessons, "faq": catalog.faq}[kind]
        for path in sorted((root / section).glob("*.yaml")):
            found = items.get(path.stem)
            title = found.title.get(code) if found is not None else path.stem
            for name in sorted(set(PLACEHOLDER.findall(path.read_text(encoding="utf-8")))):
                titles.setdefault(name, []).append(title)
    for section in sections:
        for value in section.values:
            value.used_in = titles.get(value.path, [])
            if value.path in SITE_USES:
                value.used_in = [*value.used_in, str(SITE_USES[value.path])]


# -- writing the YAML text -----------------------------------------------------------------


def _scalar(text: str, kind: str) -> str:
    """``text`` as a YAML scalar that reads back as that text (a number for a fee)."""
    if kind == "number":
        return str(int(text))
    try:
        plain_ok = yaml.safe_load(f"k: {text}") == {"k": text} and "#" not in text
    except yaml.YAMLError:
        plain_ok = False
    return text if plain_ok and text == text.strip() else json.dumps(text, ensure_ascii=False)


def _drop_sample_comment(body: str, node: yaml.Node) -> tuple[int, int, str] | None:
    """The edit removing "sample" from the comment after ``node`` (its note stays)."""
    line_end = body.find("\n", node.end_mark.index)
    line_end = line_end if line_end >= 0 else len(body)
    rest = body[node.end_mark.index : line_end]
    if "#" not in rest:
        return None
    comment = rest.partition("#")[2].strip()
    if not _is_sample_comment(comment):
        return None
    note = _note(comment)
    return node.end_mark.index, line_end, f"  # {note}" if note else ""


def _value_edits(body: str, value: Value, texts: dict[str, str]) -> list[tuple[int, int, str]]:
    """The edits of ``body`` that give ``value`` the posted ``texts``: a changed text
    rewritten in place (its sample mark dropped), a language written for the first time
    added under the others, an emptied translation removed."""
    edits: list[tuple[int, int, str]] = []
    for language in _languages(value):
        new = texts.get(language, "")
        old = value.texts.get(language)
        node = value.nodes.get(language)
        if old is not None and node is not None:
            if new == old:
                continue
            if not new and language not in ("", "ja"):  # a translation taken away
                start = body.rfind("\n", 0, node.start_mark.index) + 1
                end = body.find("\n", node.end_mark.index)
                edits.append((start, end + 1 if end >= 0 else len(body), ""))
                continue
            dropped = _drop_sample_comment(body, node)
            if dropped is not None:
                edits.append(dropped)
            edits.append((node.start_mark.index, node.end_mark.index, _scalar(new, value.kind)))
        elif new and value.insert_at is not None:
            line = f"{value.indent}{language}: {_scalar(new, value.kind)}\n"
            edits.append((value.insert_at, value.insert_at, line))
    return edits


def apply_all(body: str, sections: list[Section], posted: dict[str, dict[str, str]]) -> str:
    """``body`` with every value given its posted texts; the rest of the text (comments,
    order, layout) as it was."""
    edits = [
        edit
        for value in (v for s in sections for v in s.values)
        for edit in _value_edits(body, value, posted[value.path])
    ]
    for start, end, text in sorted(edits, key=lambda e: (e[0], e[1]), reverse=True):
        body = body[:start] + text + body[end:]
    return body


def _set_sample(body: str, sample: bool) -> str:
    return re.sub(
        r"^sample:\s*(true|false)\b",
        f"sample: {'true' if sample else 'false'}",
        body,
        count=1,
        flags=re.MULTILINE,
    )


def _languages(value: Value) -> list[str]:
    return list(LANGUAGES) if value.multilingual else [""]


# -- checking ------------------------------------------------------------------------------


def _normal(text: str, kind: str) -> str:
    text = text.strip()
    return unicodedata.normalize("NFKC", text) if kind in ("number", "phone") else text


def check_values(sections: list[Section], posted: dict[str, dict[str, str]]) -> bool:
    """Each posted value checked on its field (errors kept on the Value); True when all pass."""
    valid = True
    for value in (v for s in sections for v in s.values):
        for language in _languages(value):
            text = posted[value.path].get(language, "")
            message = None
            if has_control_characters(text) or "\n" in text:
                message = _("Please write this on one line, without special characters.")
            elif not text:
                if language in ("", "ja"):
                    message = _("Please fill this in: the guides that use it would show a gap.")
            elif len(text) > 500:
                message = _("Please keep this to 500 characters or fewer.")
            elif value.kind == "url" and not HTTPS_URL.fullmatch(text):
                message = _("Please give a public web address starting with https://.")
            elif value.kind == "number" and not YEN.fullmatch(text):
                message = _("Please give a whole number of yen, in digits only (e.g. 300).")
            elif value.kind == "phone" and not PHONE.fullmatch(text):
                message = _("Please give a phone number in digits and hyphens (e.g. 03-1234-5678).")
            if message:
                value.errors[language] = message
                valid = False
    return valid


def _errors(root: Path, settings_file: Path) -> list[str]:
    return [
        f"{p.file}:{p.line}: {p.message}"
        for p in validate(root, settings_file=settings_file)
        if p.is_error and p.file != str(settings_file)
    ]


def content_problems(body: str, current: str) -> list[str]:
    """Errors the whole content would have with ``body`` as its settings that it does not
    have now, as ``tsunagu content check`` words them (e.g. a hand-off URL no longer https)."""
    root = content_source.content_root()
    with tempfile.TemporaryDirectory(prefix="tsunagu-settings-") as work:
        new_file = Path(work) / "settings.yaml"
        new_file.write_text(body, encoding="utf-8")
        found = [e.replace(str(new_file), "settings.yaml") for e in _errors(root, new_file)]
        if not found:
            return []
        old_file = Path(work) / "current.yaml"
        old_file.write_text(current, encoding="utf-8")
        before = {e.replace(str(old_file), "settings.yaml") for e in _errors(root, old_file)}
    return [e for e in found if e not in before]


# -- the page ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Loaded:
    body: str
    #: the number of the newest version (what a save is based on); None when from a file
    based_on: int | None
    #: the file the settings come from instead of the database, if any
    from_file: Path | None


def _load() -> Loaded:
    override = os.environ.get(SETTINGS_ENV)
    if override:
        path = Path(override)
        return Loaded(path.read_text(encoding="utf-8") if path.is_file() else "", None, path)
    db = db_session()
    item = content_store.find_item(db, SETTINGS_KIND, SETTINGS_SLUG)
    if item is None:  # content not in the database yet: the folder's file, read-only
        path = settings_path(content_source.content_root())
        return Loaded(path.read_text(encoding="utf-8") if path.is_file() else "", None, path)
    shown = content_store.published(db, item) or content_store.head(db, item)
    return Loaded(shown.body, content_store.head(db, item).number, None)


class SettingsForm(Form):
    """Only the CSRF token: the values are read by name (one field per setting)."""


class AddForm(Form):
    """A setting the content does not have yet: its section, name, kind and first value."""

    section = SelectField(_l("Section"), validate_choice=False)
    name = StringField(_l("Name of the value"))
    kind = SelectField(
        _l("What it is"),
        choices=[option(k, label) for k, label in NEW_KINDS],
        validate_choice=False,
    )
    value = StringField(_l("Value"))


def _add_form(sections: list[Section], formdata=None) -> AddForm:
    form = AddForm(formdata=formdata)
    form.section.choices = [option(s.key, f"{s.title} ({s.key})") for s in sections if s.key]
    return form


def _mapping_of(body: str, section: str) -> yaml.MappingNode | None:
    root = yaml.compose(body, Loader=yaml.SafeLoader)
    for key_node, value_node in root.value if isinstance(root, yaml.MappingNode) else ():
        if key_node.value == section and isinstance(value_node, yaml.MappingNode):
            return value_node
    return None


def _last_scalar(node: yaml.Node) -> yaml.Node:
    while isinstance(node, yaml.MappingNode | yaml.SequenceNode) and node.value:
        last = node.value[-1]
        node = last[1] if isinstance(node, yaml.MappingNode) else last
    return node


def insert_value(body: str, section: str, key: str, kind: str, text: str) -> str:
    """``body`` with ``section.key`` added after the section's last line, in the section's
    indentation: ``key: value``, or for words ``key:`` with its Japanese under it."""
    node = _mapping_of(body, section)
    assert node is not None and node.value, section
    indent = " " * node.value[0][0].start_mark.column
    end = _last_scalar(node).end_mark.index
    line_end = body.find("\n", end)
    at = line_end + 1 if line_end >= 0 else len(body)
    if kind == "text":
        lines = f"{indent}{key}:\n{indent}  ja: {_scalar(text, kind)}\n"
    else:
        lines = f"{indent}{key}: {_scalar(text, kind)}\n"
    if line_end < 0:
        lines = "\n" + lines
    return body[:at] + lines + body[at:]


def _check_new(form: AddForm, sections: list[Section]) -> Value | None:
    """The new value, its field errors on ``form`` (None when any)."""
    by_key = {s.key: s for s in sections if s.key}
    section = by_key.get(form.section.data or "")
    key = (form.name.data or "").strip()
    kind = form.kind.data if form.kind.data in dict(NEW_KINDS) else None
    if section is None:
        form.section.errors = [_("Please choose a section.")]
    if kind is None:
        form.kind.errors = [_("Please choose what the value is.")]
    if not NEW_KEY.fullmatch(key):
        form.name.errors = [
            _(
                "Please give a name of lower-case letters, digits and _, starting with a "
                "letter (e.g. tax_counter), at most 40 characters."
            )
        ]
    elif section is not None and key in {v.key for v in section.values}:
        path = section.key + "." + key
        form.name.errors = [_("{%(path)s} already exists: change it in the list below.", path=path)]
    elif (
        section is not None
        and kind == "phone"
        and setting_kind(f"{section.key}.{key}", "") != "phone"
    ):
        form.name.errors = [
            _(
                "A phone number's name must contain “phone” (e.g. tax_phone), or be in "
                "the section “phones”."
            )
        ]
    if section is None or kind is None or form.name.errors:
        return None
    language = "ja" if kind == "text" else ""
    value = Value(f"{section.key}.{key}", kind, {language: ""})
    text = _normal(form.value.data or "", kind)
    if not check_values([Section("", "", [value])], {value.path: {language: text}}):
        form.value.errors = list(value.errors.values())
        return None
    value.texts = {language: text}
    return value


def _page(
    loaded: Loaded, sections, sample, status=200, problems=(), conflict=None, add=None, added=None
):
    _used_in(sections)
    html = render_template(
        "editor/settings.html",
        form=SettingsForm(formdata=None),
        add=add if add is not None else _add_form(sections),
        added=added,
        sections=sections,
        sample=sample,
        loaded=loaded,
        env_name=SETTINGS_ENV,
        from_env=bool(os.environ.get(SETTINGS_ENV)),
        editable=may_edit(current_user) and loaded.from_file is None,
        may_edit=may_edit(current_user),
        languages=[(code, LANGUAGE_NAMES.get(code, code)) for code in LANGUAGES],
        language_names=LANGUAGE_NAMES,
        problems=problems,
        conflict=conflict,
        index_url=index_url(),
        list_separator=", " if str(get_locale() or "ja").startswith("en") else "、",
        sample_count=sum(v.sample for s in sections for v in s.values),
        error_count=sum(len(v.errors) for s in sections for v in s.values),
    )
    return html, status


def _publish(body: str, based_on: int | None, note: str) -> tuple[int | None, str | None]:
    """Save ``body`` as the settings' next version and publish it: its number, or why not
    (a conflict: someone published in between; both texts are kept)."""
    actor = Actor.for_user(current_user, request.remote_addr or "")
    db = db_session()
    saved = content_store.save_draft(
        db, actor, SETTINGS_KIND, SETTINGS_SLUG, body, based_on=based_on, note=note
    )
    if saved.conflict is not None:
        end_unit_of_work(commit=True)  # both texts are kept; the newer one is not published
        return None, saved.conflict.translate(_)
    item = content_store.get_item(db, SETTINGS_KIND, SETTINGS_SLUG)
    try:
        content_store.publish(db, actor, item, saved.version.number)
    except DomainError as error:
        end_unit_of_work(commit=True)
        return None, error.translate(_)
    end_unit_of_work(commit=True)  # the published folder is written from what is committed
    content_source.source().changed()
    bundles = current_app.extensions.get("tsunagu_bundles")
    if bundles is not None:
        bundles.changed()
    return saved.version.number, None


@bp.route("/settings", methods=["GET", "POST"])
def settings():
    """Every ward setting, where it is used, and (editors) a form that publishes a change."""
    loaded = _load()
    sample, sections = read_settings(loaded.body) if loaded.body else (None, [])
    if request.method == "GET":
        return _page(loaded, sections, sample, added=request.args.get("added"))
    if not may_edit(current_user):
        abort(403)
    if loaded.from_file is not None:
        flash(_("These settings come from a file and cannot be changed here."), "error")
        return redirect(url_for(".settings"), 303)
    form = SettingsForm()
    if not form.validate_on_submit():
        abort(400)
    posted = {
        value.path: {
            language: _normal(request.form.get(value.input_name(language), ""), value.kind)
            for language in _languages(value)
        }
        for value in (v for s in sections for v in s.values)
    }
    new_sample = sample if sample is None else request.form.get("own") != "yes"
    based_on = request.form.get("based_on", type=int)

    def show_posted(status, problems=(), conflict=None):
        for value in (v for s in sections for v in s.values):
            value.texts = dict(posted[value.path])
        return _page(loaded, sections, new_sample, status, problems, conflict)

    if not check_values(sections, posted):
        return show_posted(400)
    body = apply_all(loaded.body, sections, posted)
    if new_sample is not None and new_sample != sample:
        body = _set_sample(body, new_sample)
    if body == loaded.body:
        flash(_("Nothing was changed."), "warning")
        return redirect(url_for(".settings"), 303)
    problems = content_problems(body, loaded.body)
    if problems:
        return show_posted(400, problems)
    number, conflict = _publish(body, based_on, _("Edited on the ward settings page"))
    if conflict is not None:
        return show_posted(409, conflict=conflict)
    flash(
        _(
            "The settings were published as version %(number)s: the public pages show them "
            "now, the kiosks with their next content update.",
            number=number,
        ),
        "success",
    )
    return redirect(url_for(".settings"), 303)


@bp.route("/settings/add", methods=["POST"])
def add_setting():
    """A new setting (editors): checked as the list's values are, and the whole content with
    it, then published at once; with a problem nothing is saved and the form keeps its input."""
    if not may_edit(current_user):
        abort(403)
    loaded = _load()
    if loaded.from_file is not None:
        flash(_("These settings come from a file and cannot be changed here."), "error")
        return redirect(url_for(".settings"), 303)
    sample, sections = read_settings(loaded.body) if loaded.body else (None, [])
    form = _add_form(sections, request.form)
    if not form.validate():
        abort(400)
    value = _check_new(form, sections)
    if value is None:
        return _page(loaded, sections, sample, 400, add=form)
    section, key = value.path.split(".", 1)
    language = "ja" if value.kind == "text" else ""
    body = insert_value(loaded.body, section, key, value.kind, value.texts[language])
    problems = content_problems(body, loaded.body)
    if problems:
        return _page(loaded, sections, sample, 400, problems=problems, add=form)
    number, conflict = _publish(
        body,
        request.form.get("based_on", type=int),
        _("Added {%(path)s} on the ward settings page", path=value.path),
    )
    if conflict is not None:
        return _page(loaded, sections, sample, 409, conflict=conflict, add=form)
    flash(
        _(
            "{%(path)s} was added and published as version %(number)s. Write {%(path)s} in "
            "a guide's or lesson's text to show it there.",
            path=value.path,
            number=number,
        ),
        "success",
    )
    anchor = "setting-" + value.path.replace(".", "-")
    return redirect(url_for(".settings", added=value.path, _anchor=anchor), 303)
