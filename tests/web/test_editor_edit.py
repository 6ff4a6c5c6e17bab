"""The content list and the edit form (issue 18), on both engines: every field of every
kind round-trips through the form, a draft never reaches residents, errors stay on the
field at fault with nothing saved, instructors propose lessons only, coordinators read,
two editors of one version both keep their text."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from sqlalchemy import select

from classroom.models import AuditEvent, ContentVersion, User
from classroom.services import content_store as store
from classroom.services.actor import Actor
from content.documents import dump, parse
from web.content_source import source

from .conftest import english_client, log_in


class FormReader(HTMLParser):
    """What a browser would post for the page's form with method=post (no button)."""

    def __init__(self, action: str | None = None):
        super().__init__(convert_charrefs=True)
        self.fields: list[tuple[str, str]] = []
        self.in_form = False
        self.textarea: str | None = None
        self.text = ""
        self.select: str | None = None
        self.options: list[tuple[str, bool]] = []
        self.action = action
        self.invalid: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("method") == "post" and "ed-form" in (a.get("class") or ""):
            self.in_form = True
        if not self.in_form:
            return
        if a.get("aria-invalid") == "true":
            self.invalid.append(a.get("name") or "")
        if tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind == "checkbox":
                if "checked" in a and "disabled" not in a:
                    self.fields.append((a["name"], a.get("value", "on")))
            else:
                self.fields.append((a["name"], a.get("value") or ""))
        elif tag == "textarea":
            self.textarea, self.text = a["name"], ""
        elif tag == "select" and "disabled" not in a:
            self.select, self.options = a["name"], []
        elif tag == "option" and self.select:
            self.options.append((a.get("value", ""), "selected" in a))

    def handle_data(self, data):
        if self.textarea is not None:
            self.text += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_form = False
        elif tag == "textarea" and self.textarea is not None:
            text = self.text[1:] if self.text.startswith("\n") else self.text
            self.fields.append((self.textarea, text))
            self.textarea = None
        elif tag == "select" and self.select:
            chosen = [v for v, s in self.options if s] or [v for v, _ in self.options[:1]]
            self.fields.append((self.select, chosen[0] if chosen else ""))
            self.select = None


def form_of(html: str) -> FormReader:
    reader = FormReader()
    reader.feed(html)
    return reader


def post_form(client, url: str, html: str, op: str = "save", **changes):
    fields = dict(form_of(html).fields)
    fields.update(changes)
    fields["op"] = op
    return client.post(url, data=fields)


@pytest.fixture
def seeded(app):
    source(app).seed()
    return app


@pytest.fixture
def editor(seeded, database, staff, as_role):
    with database.write() as db:
        db.get(User, staff.other_instructor).content_editor = True
    return as_role("other_instructor")


def _versions(database, kind: str, slug: str) -> list[ContentVersion]:
    with database.read() as db:
        item = store.get_item(db, kind, slug)
        found = store.versions(db, item)
        db.expunge_all()
        return found


def _published_body(database, kind, slug) -> str:
    with database.read() as db:
        return store.published(db, store.get_item(db, kind, slug)).body


# -- the list ----------------------------------------------------------------------------------


def test_the_list_shows_every_item_and_searches(editor):
    page = editor.get("/editor/").get_data(as_text=True)
    assert "住民票の写しをオンラインで申し込む" in page
    assert "/editor/guide/juminhyo/edit" in page and "/editor/lesson/line-basics/edit" in page
    assert "/editor/faq/covid/edit" in page
    assert "/editor/guide/new" in page  # an editor may start a new item

    found = editor.get("/editor/?q=juminhyo").get_data(as_text=True)
    assert "/editor/guide/juminhyo/edit" in found and "/editor/lesson/line-basics/edit" not in found
    by_text = editor.get("/editor/?q=住民票の写しをオンライン").get_data(as_text=True)
    assert "/editor/guide/juminhyo/edit" in by_text
    lessons = editor.get("/editor/?kind=lesson").get_data(as_text=True)
    assert "/editor/lesson/line-basics/edit" in lessons
    assert "/editor/guide/juminhyo/edit" not in lessons


def test_the_list_counts_waiting_drafts(editor, database):
    html = editor.get("/editor/guide/koseki/edit").get_data(as_text=True)
    assert post_form(editor, "/editor/guide/koseki/edit", html).status_code == 302
    page = editor.get("/editor/?q=koseki").get_data(as_text=True)
    assert "1 draft" in page


def test_coordinators_read_and_may_not_save(seeded, as_role, database):
    coordinator = as_role("coordinator")
    page = coordinator.get("/editor/").get_data(as_text=True)
    assert "/editor/guide/new" not in page
    html = coordinator.get("/editor/guide/juminhyo/edit").get_data(as_text=True)
    assert "Save draft" not in html and "readonly" in html
    assert post_form(coordinator, "/editor/guide/juminhyo/edit", html).status_code == 403
    assert coordinator.get("/editor/guide/new").status_code == 403
    assert len(_versions(database, "guide", "juminhyo")) == 1


# -- round trips -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kind, slug",
    [
        ("guide", "juminhyo"),
        ("guide", "counter-cashless"),
        ("lesson", "line-basics"),
        ("lesson", "intro-01-power"),
        ("faq", "covid"),
    ],
)
def test_saving_the_form_unchanged_keeps_the_same_content(editor, database, kind, slug):
    url = f"/editor/{kind}/{slug}/edit"
    html = editor.get(url).get_data(as_text=True)
    response = post_form(editor, url, html, note="no change")
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    assert response.location.startswith(f"/editor/{kind}/{slug}")
    newest, published = _versions(database, kind, slug)[:2]
    assert newest.number == 2 and newest.origin == "draft" and newest.based_on == 1
    assert newest.note == "no change"
    assert parse(newest.body) == parse(published.body)


def test_lists_of_allowed_values_name_them_in_the_editors_words(editor, database, staff):
    """A list shows 「スマホ入門 (intro)」, not a bare id an editor must know; the value sent
    is still the id the YAML holds."""

    def option(page: str, value: str, shown: str, selected: bool = False) -> bool:
        chosen = r"[^>]*selected" if selected else ""
        return bool(
            re.search(rf'<option value="{value}"{chosen}[^>]*>\s*{re.escape(shown)}\s*<', page)
        )

    lesson = editor.get("/editor/lesson/intro-01-power/edit").get_data(as_text=True)
    assert option(lesson, "intro", "Smartphone introduction (intro)", selected=True)
    assert option(lesson, "advanced", "Advanced (advanced)")
    assert option(lesson, "senior", "Senior phone (senior)")
    guide = editor.get("/editor/guide/juminhyo/edit").get_data(as_text=True)
    assert option(guide, "active", "Shown to residents (active)", selected=True)
    assert option(guide, "withdrawn", "Withdrawn (not shown) (withdrawn)")
    assert option(guide, "certificates", "Certificates (certificates)", selected=True)

    with database.write() as db:  # the editor's own language
        db.get(User, staff.other_instructor).language = "ja"
    lesson = editor.get("/editor/lesson/intro-01-power/edit").get_data(as_text=True)
    assert option(lesson, "intro", "スマホ入門 (intro)", selected=True)
    assert option(lesson, "beginner", "入門 (beginner)")
    guide = editor.get("/editor/guide/juminhyo/edit").get_data(as_text=True)
    assert option(guide, "active", "住民に表示する (active)", selected=True)
    assert option(guide, "mynumber", "マイナンバーカード (mynumber)")


def test_keys_the_form_does_not_know_are_kept_not_dropped(editor, database):
    """A key the form has no input for travels with the form (through a list move) and
    reaches the check, which names it, instead of vanishing silently."""
    html = editor.get("/editor/faq/covid/edit").get_data(as_text=True)
    fields = dict(form_of(html).fields)
    working = parse(fields["_working"])
    first_id = working["questions"][0]["id"]
    working["questions"][0]["x_local_note"] = "kept"
    fields["_working"] = dump(working)
    fields["op"] = "down:questions[1]"
    moved = editor.post("/editor/faq/covid/edit", data=fields).get_data(as_text=True)
    moved_fields = dict(form_of(moved).fields)
    assert moved_fields["questions[2].id"] == first_id
    assert parse(moved_fields["_working"])["questions"][1]["x_local_note"] == "kept"
    saved = post_form(editor, "/editor/faq/covid/edit", moved)
    assert saved.status_code == 422
    assert "x_local_note" in saved.get_data(as_text=True)
    assert len(_versions(database, "faq", "covid")) == 1


# -- a wording fix ----------------------------------------------------------------------------


def test_a_step_fix_is_a_draft_until_published(editor, database, seeded):
    resident = seeded.test_client()
    before = resident.get("/guides/juminhyo").get_data(as_text=True)
    html = editor.get("/editor/guide/juminhyo/edit").get_data(as_text=True)
    fields = dict(form_of(html).fields)
    old = fields["steps[2].text.ja"]
    assert old and old in before
    response = post_form(
        editor, "/editor/guide/juminhyo/edit", html, **{"steps[2].text.ja": "ここを直した文です。"}
    )
    assert response.status_code == 302
    flashed = editor.get(response.location).get_data(as_text=True)
    assert "Saved as version 2" in flashed
    source(seeded).changed()
    page = resident.get("/guides/juminhyo").get_data(as_text=True)
    assert "ここを直した文です。" not in page and old in page
    draft = parse(_versions(database, "guide", "juminhyo")[0].body)
    assert draft["steps"][1]["text"]["ja"] == "ここを直した文です。"
    with database.write() as db:
        item = store.get_item(db, "guide", "juminhyo")
        store.publish(db, Actor.cli(), item, 2)
    source(seeded).changed()
    assert "ここを直した文です。" in resident.get("/guides/juminhyo").get_data(as_text=True)


def test_an_error_is_shown_on_its_field_and_nothing_is_saved(editor, database):
    url = "/editor/guide/juminhyo/edit"
    html = editor.get(url).get_data(as_text=True)
    response = post_form(editor, url, html, **{"steps[3].text.ja": "{fees.nothing}を払う。"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    reader = form_of(page)
    assert "steps[3].text.ja" in reader.invalid
    assert "{fees.nothing}" in page and "nothing was saved" in page
    assert 'href="#f-steps-3--text-ja"' in page and 'id="f-steps-3--text-ja"' in page
    # the form came back as typed
    assert dict(reader.fields)["steps[3].text.ja"] == "{fees.nothing}を払う。"
    assert len(_versions(database, "guide", "juminhyo")) == 1


def test_an_emptied_required_text_is_named(editor, database):
    url = "/editor/lesson/line-basics/edit"
    html = editor.get(url).get_data(as_text=True)
    blank = {f"title.{code}": "" for code in ("ja", "ja-easy", "en", "zh-Hans", "ko")}
    response = post_form(editor, url, html, **blank)
    assert response.status_code == 422
    assert "title.ja" in form_of(response.get_data(as_text=True)).invalid
    assert len(_versions(database, "lesson", "line-basics")) == 1


# -- lists without JavaScript ------------------------------------------------------------------


def test_list_buttons_add_remove_and_move_without_losing_typing(editor, database):
    url = "/editor/guide/juminhyo/edit"
    html = editor.get(url).get_data(as_text=True)
    fields = dict(form_of(html).fields)
    count = int(fields["steps.n"])
    first, second = fields["steps[1].text.ja"], fields["steps[2].text.ja"]
    typed = post_form(editor, url, html, op="add:steps", **{"steps[1].text.en": "Typed first."})
    assert typed.status_code == 200
    after = dict(form_of(typed.get_data(as_text=True)).fields)
    assert after["steps.n"] == str(count + 1) and after["steps[1].text.en"] == "Typed first."
    moved = post_form(editor, url, typed.get_data(as_text=True), op="down:steps[1]")
    after = dict(form_of(moved.get_data(as_text=True)).fields)
    assert after["steps[1].text.ja"] == second and after["steps[2].text.ja"] == first
    assert after["steps[2].text.en"] == "Typed first."
    removed = post_form(editor, url, moved.get_data(as_text=True), op="remove:steps[1]")
    after = dict(form_of(removed.get_data(as_text=True)).fields)
    assert after["steps[1].text.ja"] == first
    assert len(_versions(database, "guide", "juminhyo")) == 1  # nothing saved by a button
    # the empty step added above is named, not dropped silently; removed, the rest saves
    blank = post_form(editor, url, removed.get_data(as_text=True))
    assert blank.status_code == 422
    assert f"steps[{count}].text.ja" in form_of(blank.get_data(as_text=True)).invalid
    gone = post_form(editor, url, blank.get_data(as_text=True), op=f"remove:steps[{count}]")
    saved = post_form(editor, url, gone.get_data(as_text=True))
    assert saved.status_code == 302
    steps = parse(_versions(database, "guide", "juminhyo")[0].body)["steps"]
    assert len(steps) == count - 1 and steps[0]["text"]["en"] == "Typed first."


# -- raw YAML ---------------------------------------------------------------------------------


def test_the_yaml_text_mode_is_checked_the_same_way(editor, database):
    url = "/editor/faq/covid/edit"
    html = editor.get(url + "?mode=yaml").get_data(as_text=True)
    body = dict(form_of(html).fields)["body"]
    assert body == _published_body(database, "faq", "covid")  # comments and all
    broken = editor.post(
        url, data={"mode": "yaml", "body": body + "\nnonsense: [", "based_on": "1", "op": "save"}
    )
    assert broken.status_code == 422
    assert "cannot be read" in broken.get_data(as_text=True)
    fixed = body.replace("id: covid", "# edited here\nid: covid", 1)
    ok = editor.post(url, data={"mode": "yaml", "body": fixed, "based_on": "1", "op": "save"})
    assert ok.status_code == 302
    assert _versions(database, "faq", "covid")[0].body == fixed


# -- new items --------------------------------------------------------------------------------


def test_a_new_faq_topic_from_the_form(editor, database):
    html = editor.get("/editor/faq/new").get_data(as_text=True)
    assert form_of(html).fields
    questions = {}
    for n in (1, 2, 3):
        questions |= {
            f"questions[{n}].id": f"q{n}",
            f"questions[{n}].q.ja": f"質問{n}は？",
            f"questions[{n}].q.en": f"Question {n}?",
            f"questions[{n}].a.ja": f"答え{n}です。",
            f"questions[{n}].a.en": f"Answer {n}.",
        }
    missing_id = post_form(editor, "/editor/faq/new", html, **questions)
    assert missing_id.status_code == 422
    assert "id" in form_of(missing_id.get_data(as_text=True)).invalid
    response = post_form(
        editor,
        "/editor/faq/new",
        missing_id.get_data(as_text=True),
        id="gomi",
        **{
            "title.ja": "ごみの出し方",
            "title.en": "Rubbish",
            "checked": "2026-11-01",
            "sources[1].title": "区のページ",
            "sources[1].url": "https://www.city.example.lg.jp/gomi",
        },
    )
    assert response.status_code == 302, re.findall(
        r"<li class=\"ed-sum[^\n]*", response.get_data(as_text=True)
    )
    (version,) = _versions(database, "faq", "gomi")
    assert version.origin == "draft" and version.based_on is None
    assert parse(version.body)["questions"][2]["a"]["en"] == "Answer 3."
    again = post_form(editor, "/editor/faq/new", html, id="gomi")
    assert again.status_code == 422 and "already an item" in again.get_data(as_text=True)


# -- instructors propose lessons ---------------------------------------------------------------


def test_an_instructor_proposes_a_lesson_edit_but_not_a_guide(seeded, as_role, database):
    instructor = as_role("instructor")
    url = "/editor/lesson/line-basics/edit"
    html = instructor.get(url).get_data(as_text=True)
    assert "Propose this change" in html and "Edit the YAML text" not in html
    response = post_form(instructor, url, html, note="typo in step 1")
    assert response.status_code == 302
    newest = _versions(database, "lesson", "line-basics")[0]
    assert newest.origin == "proposal" and newest.note == "typo in step 1"
    with database.read() as db:
        actions = db.scalars(select(AuditEvent.action).order_by(AuditEvent.id.desc())).first()
    assert actions == "content.propose"
    guide = instructor.get("/editor/guide/juminhyo/edit").get_data(as_text=True)
    assert "Propose this change" not in guide
    assert post_form(instructor, "/editor/guide/juminhyo/edit", guide).status_code == 403
    assert instructor.get("/editor/guide/new").status_code == 403
    # a raw YAML text from an instructor is not taken as YAML
    assert instructor.get("/editor/lesson/new").status_code == 200


# -- two editors --------------------------------------------------------------------------------


def test_two_editors_of_one_version_both_keep_their_text(editor, seeded, as_role, database):
    other = as_role("admin")
    url = "/editor/guide/koseki/edit"
    mine = editor.get(url).get_data(as_text=True)
    theirs = other.get(url).get_data(as_text=True)
    first = post_form(other, url, theirs, **{"title.en": "Their title"})
    assert first.status_code == 302
    second = post_form(editor, url, mine, **{"title.en": "My title"})
    assert second.status_code == 302
    shown = editor.get(second.location).get_data(as_text=True)
    assert "Someone else saved version 2" in shown and "kept as version 3" in shown
    v3, v2, _v1 = _versions(database, "guide", "koseki")
    assert parse(v2.body)["title"]["en"] == "Their title" and not v2.conflict
    assert parse(v3.body)["title"]["en"] == "My title" and v3.conflict


# -- bad input -----------------------------------------------------------------------------------


def test_bad_input_gets_a_message_never_a_500(editor, database):
    url = "/editor/guide/juminhyo/edit"
    html = editor.get(url).get_data(as_text=True)
    huge = post_form(editor, url, html, **{"title.ja": "あ" * 50_000})
    assert huge.status_code == 422 and "too long" in huge.get_data(as_text=True)
    control = post_form(editor, url, html, **{"title.en": "bad\x1bthing"})
    assert control.status_code == 422 and "control characters" in control.get_data(as_text=True)
    odd = post_form(editor, url, html, **{"steps.n": "99999", "duration_minutes": "-3"})
    assert odd.status_code == 422
    assert post_form(editor, url, html, op="remove:steps[999]").status_code == 200
    assert post_form(editor, url, html, op="nonsense").status_code == 200
    junk = editor.post(url, data={"_working": "- [", "based_on": "x", "op": "save"})
    assert junk.status_code == 422
    assert len(_versions(database, "guide", "juminhyo")) == 1
    assert editor.get("/editor/guide/no-such/edit").status_code == 404
    assert editor.get("/editor/recipe/juminhyo/edit").status_code == 404
    assert editor.get("/editor/recipe/new").status_code == 404
    assert editor.get("/editor/guide/juminhyo/edit?from=77").status_code == 404


def test_editor_pages_need_a_login(client, seeded):
    assert client.get("/editor/").status_code == 302
    assert client.post("/editor/guide/juminhyo/edit").status_code in (302, 401)


def test_the_editor_opens_on_an_empty_database_with_the_shipped_content(app, staff, database):
    c = english_client(app)
    log_in(c, "admin")
    page = c.get("/editor/").get_data(as_text=True)
    assert "住民票の写しをオンラインで申し込む" in page
    with database.read() as db:
        assert store.has_content(db)


# -- who is a content editor -----------------------------------------------------------------------


def test_an_administrator_makes_an_instructor_a_content_editor(seeded, staff, as_role, database):
    admin = as_role("admin")
    page = admin.get(f"/admin/staff/{staff.instructor}").get_data(as_text=True)
    assert "Content editor" in page
    response = admin.post(
        f"/admin/staff/{staff.instructor}/content-editor", data={"content_editor": "y"}
    )
    assert response.status_code == 302
    with database.read() as db:
        assert db.get(User, staff.instructor).content_editor
        event = db.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
        assert event.action == "staff_user.content_editor" and event.subject_id == staff.instructor
    instructor = as_role("instructor")
    assert "Save draft" in instructor.get("/editor/guide/juminhyo/edit").get_data(as_text=True)
    admin.post(f"/admin/staff/{staff.instructor}/content-editor", data={})
    with database.read() as db:
        assert not db.get(User, staff.instructor).content_editor
    assert (
        as_role("coordinator")
        .post(f"/admin/staff/{staff.instructor}/content-editor", data={"content_editor": "y"})
        .status_code
        == 403
    )


def test_a_new_account_may_be_a_content_editor(seeded, staff, as_role, database):
    admin = as_role("admin")
    response = admin.post(
        "/admin/staff/new",
        data={
            "login": "editor2",
            "display_name": "Editor",
            "role": "coordinator",
            "language": "ja",
            "password": "a-long-pass-phrase-9",
            "password_again": "a-long-pass-phrase-9",
            "content_editor": "y",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    with database.read() as db:
        assert db.scalars(select(User).where(User.login == "editor2")).one().content_editor


def test_every_shipped_document_round_trips_through_the_form(app):
    """Built into the form and read back as a browser posts it: the same data, for every
    guide, lesson and FAQ topic shipped (device variants, furigana, flags, dates)."""
    from content.documents import folder_documents
    from content.loader import CONTENT_DIR
    from web.editor import forms

    def posted(node, out):
        if node.kind in ("list", "pairs"):
            out[f"{node.name}.n"] = str(node.n)
        if node.kind in ("line", "number", "date", "select"):
            out[node.name] = node.value
        if node.kind == "check" and node.value:
            out[node.name] = "true"
        for child in node.children:
            posted(child, out)
        return out

    docs = [d for d in folder_documents(CONTENT_DIR) if d.kind != "settings"]
    assert len(docs) >= 29
    with app.test_request_context():
        for doc in docs:
            data = parse(doc.body)
            tree = forms.build(doc.kind, data, forms.Context(doc.kind, forms.pictures(CONTENT_DIR)))
            form = posted(tree, {})
            reader = forms.Posted(form, lambda n, form=form: [form[n]] if n in form else [])
            back = forms.read(doc.kind, reader, forms.from_working(forms.working(data)))
            assert back == data, doc.slug
            assert reader.problems == []
