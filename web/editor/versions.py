"""An item's versions on the staff site (/editor/<kind>/<slug>, issue 18): what residents
see now and every version kept, a readable diff per field, the preview of a draft as the
kiosk shows it and as the handout prints, publish and roll back.

A draft is shown through the residents' own templates and logic (web/public's guide page,
web/handouts), fed with the object built from the draft's text and the published
settings, so what an editor previews is what residents will get.

Publishing: the text is checked as ``tsunagu content check`` checks it
(``checking.check_document``); the speech of the texts the version changes is made with
the offline engine *before* the version is published, so a kiosk never gets new words
without their voice (texts that never had speech are `tsunagu content speech`'s); then
the version is published, the residents' pages and the kiosk bundle are told at once,
and the bundle is built in the background for the next kiosk that asks.
"""

from __future__ import annotations

import difflib
import logging
import re
from dataclasses import dataclass
from typing import Any

import yaml
from flask import (
    abort,
    current_app,
    flash,
    g,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from markupsafe import Markup, escape
from sqlalchemy import select
from werkzeug.routing import BuildError

from classroom.db import MAX_ROW_ID
from classroom.models import CONTENT_KINDS, ContentItem, ContentVersion, DeviceTrack, User
from classroom.services import content_store
from classroom.services.content_store import PublishRefused
from classroom.services.errors import DomainError, NotFound
from content import speech
from content.documents import changes, parse
from content.loader import Catalog, load_record
from content.schema import KINDS, ListOf, Record, Variants
from content.schema import Text as TextSpec
from languages import N_

from .. import content_source
from ..access import current_actor
from ..database import db_session, end_unit_of_work, get_database
from ..forms import show_domain_error
from ..handouts.routes import guide_handout, lesson_handout
from ..public import language as public_language
from ..public.routes import guide_context, page_globals
from .blueprint import bp, editor_required, may_edit

log = logging.getLogger(__name__)

#: kinds with a resident's page to preview, and with a handout
PREVIEWED = ("guide", "lesson", "faq")
HANDED_OUT = ("guide", "lesson")

#: how a version came to be, in words (a conflicted version says so instead)
ORIGINS = {
    "draft": N_("draft"),
    # a draft once published is no longer a draft: it was written here
    "edited": N_("edited on the site"),
    "proposal": N_("proposal"),
    "import": N_("import"),
    "seed": N_("shipped content"),
    "rollback": N_("roll back"),
    "conflict": N_("conflict"),
}

#: the content's keys in words, for the diff's field names (keys not here show as written)
FIELD_NAMES = {
    "id": N_("id"),
    "status": N_("status"),
    "category": N_("category"),
    "title": N_("title"),
    "for_whom": N_("who it is for"),
    "duration_minutes": N_("minutes needed"),
    "fee": N_("fee"),
    "finder": N_("finder"),
    "question": N_("question"),
    "order": N_("order"),
    "bring": N_("what to bring"),
    "checklist": N_("checklist"),
    "text": N_("text"),
    "steps": N_("steps"),
    "screen": N_("on the screen"),
    "tip": N_("tip"),
    "illustration": N_("picture"),
    "variants": N_("per phone"),
    "warnings": N_("warnings"),
    "handoff": N_("link to the procedure"),
    "url": N_("address"),
    "label": N_("link text"),
    "stuck": N_("if you get stuck"),
    "lessons": N_("lessons"),
    "counter": N_("counter"),
    "checked": N_("last checked"),
    "sources": N_("sources"),
    "reviewed": N_("languages reviewed"),
    "furigana": N_("readings"),
    "course": N_("course"),
    "level": N_("level"),
    "goal": N_("goal"),
    "devices": N_("phones"),
    "prepare": N_("to prepare"),
    "can_do": N_('"I can ..." items'),
    "questions": N_("questions"),
    "q": N_("question"),
    "a": N_("answer"),
    "next": N_("what to do next"),
    "guide": N_("guide"),
}

_TOKEN = re.compile(r"\[\d+\]|[^.\[\]]+")
_CJK = re.compile(r"[\u3000-\u9fff\uac00-\ud7af\uff00-\uffef]")
_WORDS = re.compile(r"\s+|\w+|[^\w\s]")


# -- finding what the address names --------------------------------------------------------


def _item_or_404(kind: str, slug: str) -> ContentItem:
    if kind not in CONTENT_KINDS:
        abort(404)
    item = content_store.find_item(db_session(), kind, slug)
    if item is None:
        abort(404)
    return item


def _version_or_404(kind: str, slug: str, number: int) -> tuple[ContentItem, ContentVersion]:
    item = _item_or_404(kind, slug)
    if not 1 <= number <= MAX_ROW_ID:
        abort(404)
    try:
        return item, content_store.version(db_session(), item, number)
    except NotFound:
        abort(404)


def _names(versions: list[ContentVersion]) -> dict[int, str]:
    """Staff names of the authors and publishers of ``versions``, by user id."""
    ids = {v.author_id for v in versions} | {v.published_by_id for v in versions}
    ids.discard(None)
    if not ids:
        return {}
    users = db_session().scalars(select(User).where(User.id.in_(ids)))
    return {u.id: u.display_name or u.login for u in users}


def _author(version: ContentVersion, names: dict[int, str]) -> str:
    if version.author_id is not None:
        return names.get(version.author_id, "")
    if version.author_kind == "cli":
        return _("the command line")
    return _("the system")


def origin_label(version: ContentVersion) -> str:
    key = "conflict" if version.conflict else version.origin
    if key == "draft" and version.published_at is not None:
        key = "edited"
    return _(ORIGINS[key]) if key in ORIGINS else key


# -- the item page -------------------------------------------------------------------------


@bp.route("/<kind>/<slug>")
def item(kind: str, slug: str):
    """What residents see now and every version, newest first, with what can be done."""
    return _item_page(_item_or_404(kind, slug))


def _item_page(item: ContentItem, problems: list | None = None, refused: int | None = None):
    db = db_session()
    versions = content_store.versions(db, item)
    live = content_store.published(db, item)
    names = _names(versions)
    newest = versions[0]
    title = _title(item.kind, newest.body) or item.slug
    rows = [
        {
            "version": v,
            "origin": origin_label(v),
            "author": _author(v, names),
            "live": live is not None and v.id == live.id,
            "may_publish": (live is None or v.number > live.number) and not v.conflict,
            "may_roll_back": live is not None and v.number < live.number,
        }
        for v in versions
    ]
    return render_template(
        "editor/item.html",
        item=item,
        title=title,
        rows=rows,
        live=live,
        live_by=names.get(live.published_by_id, "") if live is not None else "",
        newest=newest,
        editor=may_edit(),
        previewed=item.kind in PREVIEWED,
        handed_out=item.kind in HANDED_OUT,
        problems=problems or [],
        refused=refused,
        field_label=lambda path: field_label(item.kind, path),
        link=link,
    ), (422 if problems else 200)


def link(endpoint: str, **values) -> str:
    """The address of another editor page, "" while that page does not exist yet."""
    try:
        return url_for(endpoint, **values)
    except BuildError:
        return ""


def _title(kind: str, body: str) -> str:
    """The item's Japanese title from its text ("" when there is none or it cannot be read)."""
    try:
        data = parse(body)
    except yaml.YAMLError:
        return ""
    title = data.get("title") if isinstance(data, dict) else None
    if isinstance(title, dict):
        return str(title.get("ja") or "")
    return ""


# -- one version and what changed ----------------------------------------------------------


@dataclass(frozen=True)
class FieldChange:
    path: str
    label: str
    old: Markup
    new: Markup
    added: bool
    removed: bool
    #: the HTML lang of the texts (the field's language; Japanese when it has none)
    lang: str = "ja"


@bp.route("/<kind>/<slug>/v<int:number>")
def version(kind: str, slug: str, number: int):
    """The text of one version and what it changes, field by field, against the published
    version (?against=previous: the version before it; ?against=N: version N)."""
    item, chosen = _version_or_404(kind, slug, number)
    db = db_session()
    live = content_store.published(db, item)
    against = request.args.get("against", "")
    base: ContentVersion | None
    if against.isdigit():
        base = _version_or_404(kind, slug, int(against))[1]
        mode = "number"
    elif against == "previous" or live is None or live.id == chosen.id:
        base = content_store.version(db, item, number - 1) if number > 1 else None
        mode = "previous"
    else:
        base = live
        mode = "published"
    try:
        found = changes(base.body if base is not None else None, chosen.body)
        unreadable = False
    except yaml.YAMLError:
        found, unreadable = [], True
    shown = [
        FieldChange(
            c.path,
            field_label(kind, c.path),
            *marked(c.old or "", c.new or ""),
            added=c.old is None,
            removed=c.new is None,
            lang=_html_lang(c.path),
        )
        for c in found
    ]
    problems = [
        (field_label(kind, p.path) if p.path else "", p) for p in _problems(kind, slug, chosen.body)
    ]
    versions = content_store.versions(db, item)
    names = _names(versions)
    return render_template(
        "editor/version.html",
        item=item,
        title=_title(kind, chosen.body) or item.slug,
        chosen=chosen,
        origin=origin_label(chosen),
        author=_author(chosen, names),
        base=base,
        live=live,
        mode=mode,
        newest=versions[0],
        changes=shown,
        unreadable=unreadable,
        previewed=kind in PREVIEWED,
        handed_out=kind in HANDED_OUT,
        editor=may_edit(),
        problems=problems,
        link=link,
        may_publish=(live is None or chosen.number > live.number) and not chosen.conflict,
        may_roll_back=live is not None and chosen.number < live.number,
    )


def _html_lang(path: str) -> str:
    last = path.rsplit(".", 1)[-1]
    known = public_language.BY_CODE.get(last)
    return known.html_lang if known else "ja"


def field_label(kind: str, path: str) -> str:
    """A field's path in words: ``steps[3].text.ja`` → 手順3の本文（日本語）. The content
    schema says what each part is (a list's item, a record's key, a language); keys it
    does not know are shown as written."""
    spec: Any = KINDS.get(kind)
    parts: list[str] = []
    language = None
    for token in _TOKEN.findall(path):
        if token.startswith("["):
            n = int(token[1:-1])
            name = parts.pop() if parts else ""
            pattern = None
            if isinstance(spec, ListOf):
                pattern = next(
                    (
                        p
                        for p in (spec.named, spec.item_label)
                        if p and "%(n)" in p and "%(w" not in p
                    ),
                    None,
                )
                spec = spec.item
            if pattern:
                parts.append(_(pattern) % {"n": n})
            else:
                parts.append(_("%(list)s, item %(n)d") % {"list": name, "n": n})
            continue
        if isinstance(spec, Record):
            found = next((f for f in spec.key_fields() if f.name == token), None)
            if found is not None:
                parts.append(_(FIELD_NAMES[token]) if token in FIELD_NAMES else token)
                spec = found.spec
                continue
        elif isinstance(spec, TextSpec):
            language = token
            spec = None
            continue
        elif isinstance(spec, Variants):
            parts.append(_device(token))
            spec = TextSpec()
            continue
        parts.append(token)
        spec = None
    text = parts[0] if parts else path
    for inner in parts[1:]:
        text = _("%(outer)s: %(inner)s") % {"outer": text, "inner": inner}
    if language:
        known = public_language.BY_CODE.get(language)
        text = _("%(field)s (%(language)s)") % {
            "field": text,
            "language": known.name if known else language,
        }
    return text


def _device(key: str) -> str:
    try:
        return _(DeviceTrack(key).label)
    except ValueError:
        return key


def marked(old: str, new: str) -> tuple[Markup, Markup]:
    """Both texts escaped, what was taken out of the old one in <del> and what was put in
    the new one in <ins>: by character where the text is Japanese (or Chinese, Korean),
    by word elsewhere."""
    a, b = _tokens(old), _tokens(new)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    left, right = [], []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        before, after = escape("".join(a[i1:i2])), escape("".join(b[j1:j2]))
        if tag == "equal":
            left.append(before)
            right.append(after)
            continue
        if before:
            left.append(Markup("<del>{}</del>").format(before))
        if after:
            right.append(Markup("<ins>{}</ins>").format(after))
    return Markup("").join(left), Markup("").join(right)


def _tokens(text: str) -> list[str]:
    return list(text) if _CJK.search(text) else _WORDS.findall(text)


# -- the draft as residents would get it -----------------------------------------------------


def _built(kind: str, body: str) -> Any:
    """The typed object (Guide, Lesson, FaqTopic) of ``body`` with the published settings,
    as the loader builds the published ones; None when the text cannot be built."""
    try:
        return load_record(KINDS[kind], parse(body), content_source.settings())
    except (yaml.YAMLError, KeyError, TypeError, ValueError, AttributeError):
        return None


def _built_or_back(kind: str, slug: str, chosen: ContentVersion):
    found = _built(kind, chosen.body)
    if found is None:
        flash(
            _(
                "Version %(number)s cannot be shown as residents would see it: its text "
                "does not fit the content's format. The problems are listed below.",
                number=chosen.number,
            ),
            "error",
        )
    return found


@bp.route("/<kind>/<slug>/v<int:number>/preview")
def preview(kind: str, slug: str, number: int):
    """The version as the kiosk shows it: the public guide page's template and logic at the
    kiosk's screen size, in Japanese with furigana (?lang=, ?furigana=0 to change).
    Staff only (the blueprint), never cached."""
    if kind not in PREVIEWED:
        abort(404)
    _item, chosen = _version_or_404(kind, slug, number)
    found = _built_or_back(kind, slug, chosen)
    if found is None:
        return redirect(url_for(".version", kind=kind, slug=slug, number=number))
    chosen_language = public_language.BY_CODE.get(
        request.args.get("lang", ""), public_language.DEFAULT
    )
    furigana = request.args.get("furigana", "1") != "0" and chosen_language.code in (
        "ja",
        "ja-easy",
    )
    g.public_language = chosen_language
    g.public_furigana = furigana
    # the banner and the staff's links in the staff member's language
    staff = {
        "banner": _("Preview of a draft (residents cannot see it)"),
        "heading": _("Version %(number)s of this item", number=number),
        "back": _("Back to the versions"),
        "languages": _("Language"),
        "furigana_on": _("Furigana on"),
        "furigana_off": _("Furigana off"),
        "size": _("As on the kiosk's screen: 1280 × 800"),
        "lang": str(get_locale() or "ja").replace("_", "-"),
    }
    links = {
        "back": url_for(".item", kind=kind, slug=slug),
        "languages": [
            (
                lang.name,
                url_for(".preview", kind=kind, slug=slug, number=number, lang=lang.code),
                lang.code == chosen_language.code,
                lang.html_lang,
            )
            for lang in public_language.LANGUAGES
        ],
        "furigana": url_for(
            ".preview",
            kind=kind,
            slug=slug,
            number=number,
            lang=chosen_language.code,
            furigana="0" if furigana else "1",
        ),
    }
    with force_locale(chosen_language.locale):
        context = page_globals()
        if kind == "guide":
            context.update(guide_context(found, content_source.catalog()))
        html = render_template(
            "editor/preview.html",
            kind=kind,
            found=found,
            staff=staff,
            links=links,
            furigana=furigana,
            furigana_offered=chosen_language.code in ("ja", "ja-easy"),
            **{k: v for k, v in context.items() if k not in ("furigana_offered",)},
        )
    response = make_response(html)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/<kind>/<slug>/v<int:number>/handout")
def handout(kind: str, slug: str, number: int):
    """The version as the handout prints it (web/handouts' templates, A4), never cached."""
    if kind not in HANDED_OUT:
        abort(404)
    item, chosen = _version_or_404(kind, slug, number)
    found = _built_or_back(kind, slug, chosen)
    if found is None:
        return redirect(url_for(".version", kind=kind, slug=slug, number=number))
    back = url_for(".item", kind=kind, slug=slug)
    # a draft or an earlier version says so on the paper: a printed copy must not be
    # mistaken for what residents are told now
    unpublished = None if item.published_id == chosen.id else number
    make = guide_handout if kind == "guide" else lesson_handout
    html = make(found, back, unpublished=unpublished)
    response = make_response(html)
    response.headers["Cache-Control"] = "no-store"
    return response


# -- publish and roll back -------------------------------------------------------------------


@bp.route("/<kind>/<slug>/v<int:number>/publish", methods=["POST"])
@editor_required
def publish(kind: str, slug: str, number: int):
    """Check the version, make its missing speech, publish it, tell the site and kiosks."""
    return _make_live(kind, slug, number, rollback=False)


@bp.route("/<kind>/<slug>/v<int:number>/rollback", methods=["POST"])
@editor_required
def rollback(kind: str, slug: str, number: int):
    """Publish an earlier version's text again, as a new version."""
    return _make_live(kind, slug, number, rollback=True)


def _make_live(kind: str, slug: str, number: int, *, rollback: bool):
    item, chosen = _version_or_404(kind, slug, number)
    actor = current_actor()
    body = chosen.body
    live = content_store.published(db_session(), item)
    # a version the core will refuse (a conflict, older than or already what residents
    # see, the same text again) gets no speech made for it first
    doomed = (
        live is not None and live.body == body
        if rollback
        else chosen.conflict or (live is not None and live.number >= chosen.number)
    )
    # nothing below holds this request's transaction (on SQLite, the write lock) while the
    # text is checked and its speech is made; the publish writes in a unit of its own
    end_unit_of_work(commit=True)
    problems = _problems(kind, slug, body)
    errors = [p for p in problems if p.error]
    if errors:
        flash(
            _(
                "Version %(number)s was not published: correct the problems below first.",
                number=number,
            ),
            "error",
        )
        return _item_page(_item_or_404(kind, slug), errors, number)
    made, failed = (0, 0) if doomed else _speak(kind, body, live.body if live else None)

    def check(version: ContentVersion) -> None:
        if version.body != body and any(p.error for p in _problems(kind, slug, version.body)):
            raise PublishRefused(N_("Version %(number)s has errors."), number=version.number)

    try:
        with get_database().write() as db:
            locked = content_store.get_item(db, kind, slug)
            if rollback:
                done = content_store.roll_back(db, actor, locked, number, check=check)
            else:
                done = content_store.publish(db, actor, locked, number, check=check)
            published_number = done.number
    except DomainError as error:  # PublishRefused, EditConflict, NotFound
        show_domain_error(None, error)
        return redirect(url_for(".item", kind=item.kind, slug=item.slug), 303)
    content_source.source().changed()
    bundles = current_app.extensions.get("tsunagu_bundles")
    if bundles is not None:
        bundles.changed()
        if not current_app.testing:
            # built now, in the background: a kiosk asking next gets it at once instead of
            # waiting (and timing out on a busy server) while the zip is made
            bundles.warm()
    if rollback:
        message = _(
            "The text of version %(earlier)s is published again as version %(number)s; "
            "%(clips)s new clips of speech.",
            earlier=number,
            number=published_number,
            clips=made,
        )
    else:
        message = _(
            "Published version %(number)s; %(clips)s new clips of speech.",
            number=published_number,
            clips=made,
        )
    flash(message, "success")
    if failed:
        flash(
            _(
                "%(count)s clips of speech could not be made: the kiosk shows those texts "
                "without reading them aloud. Run 'tsunagu content speech' on the server.",
                count=failed,
            ),
            "error",
        )
    return redirect(url_for(".item", kind=item.kind, slug=item.slug), 303)


def _problems(kind: str, slug: str, body: str) -> list:
    from .checking import check_document

    return check_document(kind, slug, body)


def _spoken(kind: str, body: str | None) -> list[speech.Utterance]:
    """What the kiosk speaks of this text (lessons are not read aloud)."""
    found = _built(kind, body) if body is not None else None
    if found is None or kind not in ("guide", "faq"):
        return []
    guides = {found.id: found} if kind == "guide" else {}
    faq = {found.id: found} if kind == "faq" else {}
    alone = Catalog(content_source.content_root(), content_source.settings(), guides, {}, faq)
    return speech.utterances(alone)


def _speak(kind: str, body: str, live_body: str | None) -> tuple[int, int]:
    """Make the clips of the texts this version changes (compared with what residents see
    now) with the offline engine, into the audio cache the kiosk bundle reads: (clips
    made, clips that failed). A wording fix makes a few clips in a second; texts that
    never had speech are left to `tsunagu content speech` (the bundle counts them)."""
    before = set(_spoken(kind, live_body))
    changed = [u for u in _spoken(kind, body) if u not in before]
    if not changed:
        return 0, 0
    cache = speech.AudioCache.open(current_app.config.get("AUDIO_CACHE_DIR"))
    try:
        report = speech.build_speech(changed, cache, engine="offline", progress=False)
    except speech.CacheError as error:
        log.warning("speech not made on publish: %s", error)
        return 0, len(changed)
    return report.synthesised, len(report.failures)
