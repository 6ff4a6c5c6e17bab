"""The content list and the edit form (issue 18): /editor/, /editor/<kind>/<slug>/edit and
/editor/<kind>/new.

Every staff member may look; content editors (and administrators) save drafts of
anything, instructors propose edits of lessons. A draft is checked as `tsunagu content
check` checks it (web/editor/checking.py) and saved only without errors, each shown on
its field; residents see nothing of it until it is published (web/editor/versions.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import yaml
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.routing import BuildError

from classroom.models import ContentItem, ContentVersion
from classroom.services import content_store
from classroom.services.errors import DomainError
from content.documents import SETTINGS_KIND, parse
from content.loader import YamlLoader
from content.schema import KINDS
from content.validate import ID_PATTERN

from ..access import current_actor
from ..content_source import content_root, seed_from, source
from ..database import db_session, end_unit_of_work, refuse
from ..forms import show_domain_error
from . import forms
from .blueprint import bp, may_edit, may_propose
from .checking import FieldProblem, check_document

#: the kinds of the list's filter, in the order the list shows them
LIST_KINDS = ("guide", "lesson", "faq")


def _kind_or_404(kind: str) -> str:
    if kind not in KINDS:
        abort(404)
    return kind


def _ensure_content() -> None:
    """The editor works on the database's versions: an empty database gets the shipped
    content first, as `tsunagu db upgrade` does. A form post seeds in its own transaction;
    a page (which reads in a transaction that never writes) seeds in one of its own, then
    ends its reading transaction: the request's next query sees the seed."""
    db = db_session()
    if content_store.has_content(db):
        return
    if request.method == "POST":
        request.form  # noqa: B018  a post too large is refused (413) before anything is written
        seed_from(db, source().seed_root)
        return
    source().seed()
    source().changed()
    end_unit_of_work(commit=True)  # it wrote nothing; the next read begins after the seed


def link(endpoint: str, **values: Any) -> str | None:
    """The address of another editor page, None while that page does not exist yet."""
    try:
        return url_for(endpoint, **values)
    except BuildError:
        return None


def _item_url(kind: str, slug: str) -> str:
    return link("editor.item", kind=kind, slug=slug) or url_for("editor.edit", kind=kind, slug=slug)


# -- the list ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    kind: str
    slug: str
    title: str
    published: int | None
    published_at: datetime | None
    drafts: int
    proposals: int
    conflicts: int


def _title(body: str) -> str:
    try:
        data = yaml.load(body, Loader=YamlLoader)
    except yaml.YAMLError:
        return ""
    title = data.get("title") if isinstance(data, dict) else None
    return str(title.get("ja") or "") if isinstance(title, dict) else ""


@bp.route("/")
def index():
    _ensure_content()
    db = db_session()
    kind = request.args.get("kind", "")
    kind = kind if kind in LIST_KINDS else ""
    search = request.args.get("q", "")[:200]
    found = [
        r for r in content_store.list_items(db, kind or None, search) if r.item.kind in LIST_KINDS
    ]
    pending = _pending(db, [r.item for r in found])
    rows = []
    for r in found:
        counts = pending.get(r.item.id, {})
        rows.append(
            Row(
                r.item.kind,
                r.item.slug,
                _title((r.published or r.head).body),
                r.published.number if r.published else None,
                r.published.published_at if r.published else None,
                counts.get("draft", 0),
                counts.get("proposal", 0),
                counts.get("conflict", 0),
            )
        )
    return render_template(
        "editor/index.html",
        rows=rows,
        kind=kind,
        q=search,
        kinds=LIST_KINDS,
        may_edit=may_edit(current_user),
        may_propose_lesson=may_propose(current_user, "lesson"),
        settings_url=link("editor.settings"),
        link=link,
    )


def _pending(db, items: list[ContentItem]) -> dict[int, dict[str, int]]:
    """Per item, the versions written after its published one: drafts, proposals, and
    how many of them were saved over someone else's edit."""
    published = {i.id: i.published_id for i in items}
    if not published:
        return {}
    live = dict(
        db.execute(
            select(ContentVersion.id, ContentVersion.number).where(
                ContentVersion.id.in_([p for p in published.values() if p])
            )
        ).all()
    )
    counts: dict[int, dict[str, int]] = {}
    for item_id, number, origin, conflict in db.execute(
        select(
            ContentVersion.item_id,
            ContentVersion.number,
            ContentVersion.origin,
            ContentVersion.conflict,
        ).where(ContentVersion.item_id.in_(list(published)))
    ):
        if number <= live.get(published[item_id], 0):
            continue
        mine = counts.setdefault(item_id, {})
        if origin in (content_store.DRAFT, content_store.PROPOSAL):
            mine[origin] = mine.get(origin, 0) + 1
        if conflict:
            mine["conflict"] = mine.get("conflict", 0) + 1
    return counts


# -- the form ------------------------------------------------------------------------------


@dataclass
class Page:
    """What the edit page shows."""

    kind: str
    slug: str
    new: bool
    based_on: int | None
    data: dict[str, Any]
    body: str
    mode: str = "form"
    note: str = ""
    problems: list[FieldProblem] | None = None


@bp.route("/<kind>/<slug>/edit", methods=["GET", "POST"])
def edit(kind: str, slug: str):
    _kind_or_404(kind)
    if request.method == "POST" and not may_propose(current_user, kind):
        abort(403)
    _ensure_content()
    db = db_session()
    item = content_store.find_item(db, kind, slug)
    if item is None:
        abort(404)
    if request.method == "POST":
        return _save(kind, slug, new=False)
    number = request.args.get("from", "")
    if number.isdigit() and len(number) < 7:
        opened = content_store.version(db, item, int(number))  # NotFound -> 404
    else:
        opened = content_store.head(db, item)
    data = _parsed(opened.body)
    mode = "yaml" if request.args.get("mode") == "yaml" and may_edit(current_user) else "form"
    if data is None:
        mode = "yaml" if may_edit(current_user) else "form"  # a text the form cannot show
    page = Page(kind, slug, False, opened.number, data or {}, opened.body, mode)
    return _render(page)


@bp.route("/<kind>/new", methods=["GET", "POST"])
def new(kind: str):
    _kind_or_404(kind)
    if not may_propose(current_user, kind):
        abort(403)
    if request.method == "POST":
        _ensure_content()
        return _save(kind, "", new=True)
    data = forms.blank_document(kind)
    return _render(Page(kind, "", True, None, data, ""))


def _parsed(body: str) -> dict[str, Any] | None:
    try:
        data = parse(body)
    except yaml.YAMLError:
        return None
    return data if isinstance(data, dict) else None


def _based_on(raw: str) -> int | None:
    return int(raw) if raw.isdigit() and len(raw) < 7 else None


def _save(kind: str, slug: str, new: bool):
    db = db_session()
    mode = "yaml" if request.form.get("mode") == "yaml" and may_edit(current_user) else "form"
    based_on = None if new else _based_on(request.form.get("based_on", ""))
    note = request.form.get("note", "").replace("\r\n", "\n")
    own: list[FieldProblem] = []
    if len(note) > 400:
        own.append(FieldProblem("note", _("This is too long: at most 400 characters."), True))
        note = note[:400]
    if forms.has_control_characters(note):
        own.append(FieldProblem("note", _("This contains invisible control characters."), True))
    op = request.form.get(forms.OP, "save")
    if mode == "yaml":
        body = request.form.get("body", "").replace("\r\n", "\n")
        data = _parsed(body) or {}
        if len(body) > forms.MAX_BODY:
            own.append(FieldProblem("body", _("The text is too long."), True))
            body = body[: forms.MAX_BODY]
        if forms.has_control_characters(body):
            own.append(FieldProblem(None, _("This contains invisible control characters."), True))
        if op == "form":  # back to the form with this text
            page = Page(kind, slug, new, based_on, data, body, "form" if data else "yaml", note)
            refuse()
            return _render(page)
    else:
        base = forms.from_working(request.form.get(forms.WORKING, ""))
        if base is None and not new and (item := content_store.find_item(db, kind, slug)):
            opened = content_store.head(db, item)
            if based_on is not None:
                opened = next(
                    (v for v in content_store.versions(db, item) if v.number == based_on), opened
                )
            base = _parsed(opened.body)
        posted = forms.Posted(request.form, request.form.getlist)
        saving = op in ("save", "check")
        data = forms.read(kind, posted, base or {})
        own += posted.problems
        if not saving:
            forms.apply_op(kind, data, op)
            refuse()
            return _render(Page(kind, slug, new, based_on, data, "", "form", note, own))
        body = forms.dump(data)
    if new:
        slug = str(data.get("id") or "").strip() if isinstance(data, dict) else ""
        if not ID_PATTERN.fullmatch(slug) or len(slug) > 80:
            own.append(
                FieldProblem(
                    "id", _("Give the item an id of a-z, 0-9 and '-' (e.g. my-guide)."), True
                )
            )
        elif content_store.find_item(db, kind, slug) is not None:
            own.append(
                FieldProblem("id", _("There is already an item with the id %(id)s.", id=slug), True)
            )
    problems = own + check_document(kind, slug if not own or not new else "new-item", body)
    if op == "check" or any(p.error for p in problems):
        if any(p.error for p in problems):
            flash(_("Nothing was saved: please correct the entries marked below."), "error")
        else:
            flash(_("No errors found. Nothing was saved yet."), "success")
        page = Page(kind, slug, new, based_on, data or {}, body, mode, note, problems)
        refuse()  # nothing of this post is kept (an empty database's seed neither)
        return _render(page, status=422 if any(p.error for p in problems) else 200)
    proposal = not may_edit(current_user)
    try:
        saved = content_store.save_draft(
            db,
            current_actor(),
            kind,
            slug,
            body,
            based_on=based_on,
            note=note,
            proposal=proposal,
        )
    except DomainError as error:
        show_domain_error(None, error)
        return _render(Page(kind, slug, new, based_on, data or {}, body, mode, note, problems), 422)
    if saved.conflict is not None:
        flash(_message(saved.conflict), "error")
    elif proposal:
        flash(
            _(
                "Your proposal was kept as version %(number)s. A content editor will review "
                "it; residents see nothing until it is published.",
                number=saved.version.number,
            ),
            "success",
        )
    else:
        flash(
            _(
                "Saved as version %(number)s, a draft: residents see it only once it is published.",
                number=saved.version.number,
            ),
            "success",
        )
    return redirect(_item_url(kind, slug))


def _message(error: DomainError) -> str:
    """A domain error's message in the staff member's language."""
    return error.translate(_)


def _render(page: Page, status: int = 200):
    kind = page.kind
    root = content_root()
    context = forms.Context(kind, forms.pictures(root), page.new)
    tree = forms.build(kind, page.data, context) if page.mode == "form" else None
    problems = page.problems or []
    anchors = forms.attach(tree, problems) if tree is not None else {}
    readonly = not may_propose(current_user, kind)
    return (
        render_template(
            "editor/edit.html",
            page=page,
            tree=tree,
            problems=problems,
            anchors=anchors,
            working=forms.working(page.data) if tree is not None else "",
            readonly=readonly,
            may_edit=may_edit(current_user),
            proposal=not may_edit(current_user),
            kind_is_settings=kind == SETTINGS_KIND,
            link=link,
            item_url=None if page.new else _item_url(kind, page.slug),
            action=url_for("editor.new", kind=kind)
            if page.new
            else url_for("editor.edit", kind=kind, slug=page.slug),
            max_field=forms.MAX_FIELD,
            config=current_app.config,
        ),
        status,
    )
