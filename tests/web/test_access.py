"""Every route × every role: login required, allowed, or forbidden — in one table.

A route added to the app without a row here fails `test_every_route_is_in_the_table`.
"""

from __future__ import annotations

import pytest

from classroom.models import Source
from classroom.services import content_store, questionnaires, registration
from classroom.services.actor import Actor
from web.content_source import source

ANON, ADMIN, COORD, INSTR = "anonymous", "admin", "coordinator", "instructor"
OFFICE = {ADMIN, COORD}
EVERY_STAFF = {ADMIN, COORD, INSTR}

#: (method, path template, roles allowed); {r} resident, {s} the instructor's session,
#: {o} another instructor's session, {g} a registration, {c} a call, {n} a phone loan,
#: {v} a venue, {k} a course, {u} a staff account
TABLE = [
    ("GET", "/home", EVERY_STAFF),
    ("GET", "/office/", OFFICE),
    ("GET", "/office/residents", OFFICE),
    ("GET", "/office/residents?q=やまだ", OFFICE),
    ("GET", "/office/residents/search.json?q=やまだ", OFFICE),
    ("GET", "/office/residents/new", OFFICE),
    ("POST", "/office/residents/new", OFFICE),
    ("GET", "/office/residents/{r}", OFFICE),
    ("GET", "/office/residents/{r}/edit", OFFICE),
    ("POST", "/office/residents/{r}/edit", OFFICE),
    ("GET", "/office/residents/{r}/register", OFFICE),
    ("POST", "/office/residents/{r}/register", OFFICE),
    ("GET", "/office/sessions", OFFICE),
    ("GET", "/office/sessions/{s}", OFFICE),
    ("GET", "/office/registrations/{g}", OFFICE),
    ("GET", "/office/registrations/{g}/cancel", OFFICE),
    ("POST", "/office/registrations/{g}/cancel", OFFICE),
    ("POST", "/office/registrations/{g}/undo", OFFICE),
    ("GET", "/office/calls", OFFICE),
    ("POST", "/office/calls/{c}/informed", OFFICE),
    ("GET", "/office/content", OFFICE),
    # questions without a sure answer (issue 20): the list and its audited CSV
    ("GET", "/office/unanswered", OFFICE),
    ("GET", "/office/unanswered?period=7&order=most", OFFICE),
    ("GET", "/office/unanswered.csv", OFFICE),
    ("GET", "/teach/", EVERY_STAFF),
    ("GET", "/teach/sessions/{s}", EVERY_STAFF),
    ("GET", "/teach/sessions/{o}", OFFICE),
    ("POST", "/teach/sessions/{s}/check-in", EVERY_STAFF),
    ("POST", "/teach/sessions/{o}/check-in", OFFICE),
    ("POST", "/teach/sessions/{s}/attendance", EVERY_STAFF),
    ("POST", "/teach/sessions/{o}/attendance", OFFICE),
    ("GET", "/admin/", {ADMIN}),
    ("GET", "/admin/staff", {ADMIN}),
    ("GET", "/admin/staff/new", {ADMIN}),
    ("POST", "/admin/staff/new", {ADMIN}),
    ("GET", "/admin/venues", {ADMIN}),
    ("GET", "/admin/venues/new", {ADMIN}),
    ("POST", "/admin/venues/new", {ADMIN}),
    ("GET", "/admin/venues/{v}/edit", {ADMIN}),
    ("POST", "/admin/venues/{v}/edit", {ADMIN}),
    ("GET", "/admin/courses", {ADMIN}),
    ("GET", "/admin/courses/new", {ADMIN}),
    ("POST", "/admin/courses/new", {ADMIN}),
    ("GET", "/admin/courses/{k}/edit", {ADMIN}),
    ("POST", "/admin/courses/{k}/edit", {ADMIN}),
    # the content editor's pictures and ward settings (issue 18): staff look, editors change;
    # {p} an uploaded picture
    ("GET", "/editor/pictures", EVERY_STAFF),
    ("POST", "/editor/pictures", {ADMIN}),
    ("GET", "/editor/pictures/{p}", EVERY_STAFF),
    ("GET", "/editor/settings", EVERY_STAFF),
    ("POST", "/editor/settings", {ADMIN}),
    ("POST", "/editor/settings/add", {ADMIN}),
    ("GET", "/teach/sessions/{s}/walk-in?q=やまだ", EVERY_STAFF),
    ("GET", "/teach/sessions/{o}/walk-in?q=やまだ", OFFICE),
    ("POST", "/teach/sessions/{s}/walk-in", EVERY_STAFF),
    ("POST", "/teach/sessions/{o}/walk-in", OFFICE),
    ("POST", "/teach/sessions/{s}/walk-in/new", EVERY_STAFF),
    ("POST", "/teach/sessions/{o}/walk-in/new", OFFICE),
    ("POST", "/teach/sessions/{s}/held", EVERY_STAFF),
    ("POST", "/teach/sessions/{o}/held", OFFICE),
    ("GET", "/teach/sessions/{s}/questionnaires", EVERY_STAFF),
    ("GET", "/teach/sessions/{o}/questionnaires", OFFICE),
    ("POST", "/teach/sessions/{s}/questionnaires", EVERY_STAFF),
    ("POST", "/teach/sessions/{o}/questionnaires", OFFICE),
    # correcting a typed-in questionnaire (issue 16): {q} was entered by the instructor
    ("GET", "/teach/sessions/{s}/questionnaires/{q}/edit", EVERY_STAFF),
    ("POST", "/teach/sessions/{s}/questionnaires/{q}/edit", EVERY_STAFF),
    ("GET", "/teach/sessions/{s}/questionnaires/{q}/delete", EVERY_STAFF),
    ("POST", "/teach/sessions/{s}/questionnaires/{q}/delete", EVERY_STAFF),
    ("GET", "/teach/sessions/{s}/plan", EVERY_STAFF),
    ("GET", "/teach/sessions/{o}/plan", OFFICE),
    ("GET", "/handouts/", EVERY_STAFF),
    ("GET", "/handouts/lessons/{l}?device=iphone&furigana=1", EVERY_STAFF),
    ("GET", "/handouts/guides/{h}", EVERY_STAFF),
    ("GET", "/office/kiosks/", OFFICE),
    ("POST", "/office/kiosks/help-requests/{c}/take", OFFICE),  # any id: a missing one redirects
    ("POST", "/office/kiosks/help-requests/{c}/close", OFFICE),
    ("GET", "/office/sessions/new", OFFICE),
    ("POST", "/office/sessions/new", OFFICE),
    ("GET", "/office/sessions/{s}/cancel", OFFICE),
    ("POST", "/office/sessions/{s}/cancel", OFFICE),
    ("GET", "/office/sessions/{s}/edit", OFFICE),
    ("POST", "/office/sessions/{s}/edit", OFFICE),
    ("GET", "/office/calls/print", OFFICE),
    ("GET", "/office/registrations/{g}/slip", OFFICE),
    ("GET", "/office/registrations/{g}/slip?size=a4", OFFICE),
    ("GET", "/office/registrations/{g}/qr.svg", OFFICE),
    ("POST", "/office/sessions/{s}/loans", OFFICE),
    ("POST", "/office/loans/{n}/return", OFFICE),
    ("GET", "/office/sessions/{s}/lottery", OFFICE),
    ("POST", "/office/sessions/{s}/lottery/draw", OFFICE),
    ("GET", "/reports/", OFFICE),
    ("GET", "/reports/?fy=2025", OFFICE),
    ("GET", "/reports/export.csv", OFFICE),
    ("GET", "/reports/residents/{r}/privacy", OFFICE),
    ("GET", "/reports/residents/{r}/export.json", OFFICE),
    ("GET", "/reports/residents/{r}/export.csv", OFFICE),
    ("POST", "/reports/residents/{r}/erase", OFFICE),
    ("GET", "/reports/audit", {ADMIN}),
    ("GET", "/reports/import", OFFICE),
    ("POST", "/reports/import", OFFICE),
    ("POST", "/reports/import/apply", OFFICE),
    ("GET", "/reports/import/template.csv", OFFICE),
    # staff accounts (issue 13): {u} is the instructor's account
    ("GET", "/admin/staff/{u}", {ADMIN}),
    ("POST", "/admin/staff/{u}/active", {ADMIN}),
    ("POST", "/admin/staff/{u}/password", {ADMIN}),
    ("GET", "/account/password", EVERY_STAFF),
    ("POST", "/account/password", EVERY_STAFF),
    # learning outcomes (issue 17): the grid and its taps; a resident's sheet and certificate
    # ({r} is on the roster of {s}, so its instructor may see them; test_teach_progress.py
    # has the instructor of another class refused)
    ("GET", "/teach/sessions/{s}/progress", EVERY_STAFF),
    ("GET", "/teach/sessions/{o}/progress", OFFICE),
    ("POST", "/teach/sessions/{s}/progress", EVERY_STAFF),
    ("POST", "/teach/sessions/{o}/progress", OFFICE),
    ("GET", "/teach/residents/{r}/progress", EVERY_STAFF),
    ("GET", "/teach/residents/{r}/certificate/{k}", EVERY_STAFF),
    # the content editor's list and form (issue 18): staff look, editors save drafts of
    # anything, instructors propose lessons; {e} is the kind "guide"
    ("GET", "/editor/", EVERY_STAFF),
    ("GET", "/editor/?kind=lesson&q=line", EVERY_STAFF),
    ("GET", "/editor/{e}/{h}/edit", EVERY_STAFF),
    ("POST", "/editor/{e}/{h}/edit", {ADMIN}),
    ("GET", "/editor/lesson/{l}/edit", EVERY_STAFF),
    ("POST", "/editor/lesson/{l}/edit", {ADMIN, INSTR}),
    ("GET", "/editor/{e}/new", {ADMIN}),
    ("POST", "/editor/{e}/new", {ADMIN}),
    ("GET", "/editor/lesson/new", {ADMIN, INSTR}),
    ("POST", "/editor/lesson/new", {ADMIN, INSTR}),
    # who edits content (issue 18): an administrator ticks it on the staff member's page
    ("POST", "/admin/staff/{u}/content-editor", {ADMIN}),
    # an item's versions (issue 18, web/editor/versions.py): staff look and preview, editors
    # publish and roll back (v1, the seed, is published: both are refused with a message);
    # these rows run with the shipped content seeded into the database
    ("GET", "/editor/{e}/{h}", EVERY_STAFF),
    ("GET", "/editor/{e}/{h}/v{w}", EVERY_STAFF),
    ("GET", "/editor/{e}/{h}/v{w}?against=previous", EVERY_STAFF),
    ("GET", "/editor/{e}/{h}/v{w}/preview", EVERY_STAFF),
    ("GET", "/editor/{e}/{h}/v{w}/handout", EVERY_STAFF),
    ("POST", "/editor/{e}/{h}/v{w}/publish", {ADMIN}),
    ("POST", "/editor/{e}/{h}/v{w}/rollback", {ADMIN}),
    # areas add their rows above this line, one contiguous block each
]

#: routes that need no login
PUBLIC = {("GET", "/login"), ("POST", "/login"), ("POST", "/logout"), ("GET", "/static/{f}")}
#: ask in your own words (web/ask, issue 20): the form, its answers and its style sheet
PUBLIC |= {
    ("GET", "/ask"),
    ("POST", "/ask"),
    ("GET", "/ask/static/{x}"),
    ("GET", "/ask/audio/{x}"),
}
#: the public pages (web/public): "/" is the class schedule
PUBLIC |= {
    ("GET", "/"),
    ("GET", "/classes/{x}"),
    ("GET", "/guides"),
    ("GET", "/guides/{x}"),
    ("GET", "/accessibility"),
    ("GET", "/language/{x}"),
}
#: guide step pictures (web/public): our own SVG files, public like the guide pages
PUBLIC |= {("GET", "/guides/media/{x}")}
#: the site's icon where browsers ask for it without a <link> (web/public)
PUBLIC |= {("GET", "/favicon.ico")}
#: book, see the slip, check and cancel by code and phone (web/public/booking.py, issue 19)
PUBLIC |= {
    ("GET", "/classes/{x}/apply"),
    ("POST", "/apply"),
    ("GET", "/reservations/slip/{x}"),
    ("GET", "/reservations"),
    ("POST", "/reservations"),
    ("POST", "/reservations/cancel"),
}


@pytest.fixture
def ids(database, ward, staff):
    with database.write() as db:
        # two seats: one confirmed, then a waitlisted one who is promoted on cancel → a call
        first = registration.register(
            db,
            session_id=ward.session_id,
            participant_id=ward.resident_id,
            source=Source.PHONE,
            actor=Actor.system(),
        ).registration.id
        entered = questionnaires.add_response(
            db,
            session_id=ward.session_id,
            satisfaction=4,
            actor=Actor(kind="user", user_id=staff.instructor),
        ).id
        picture = content_store.add_media(
            db,
            Actor.cli(),
            name="uploads/0123abcd.png",
            mime="image/png",
            data=b"png",
            width=1,
            height=1,
        ).name
    return {
        "q": entered,
        "r": ward.resident_id,
        "s": ward.session_id,
        "o": ward.other_session_id,
        "g": first,
        "c": 1,
        "n": 1,
        "v": ward.venue_id,
        "k": ward.course_id,
        "l": "intro-01-power",
        "h": "juminhyo",
        "e": "guide",
        "w": 1,  # a content version's number: 1, the seed
        "u": staff.instructor,
        "p": picture,
    }


#: rows whose page reads the content's versions in the database: an item and its versions
NEEDS_CONTENT = ("/editor/{e}/{h}/v",)


def _rule_key(rule) -> set[tuple[str, str]]:
    return {(m, rule.rule) for m in rule.methods - {"HEAD", "OPTIONS"}}


def test_every_route_is_in_the_table(app):
    import re

    covered = set(PUBLIC)
    for method, path, _roles in TABLE:
        covered.add((method, path.split("?")[0]))
    normalized = {(m, re.sub(r"\{[a-z]\}", "<x>", p)) for m, p in covered}
    missing = []
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/"):
            continue  # kiosk-token routes: their own table in tests/web/test_api.py
        for method, path in _rule_key(rule):
            if (method, re.sub(r"<[^>]+>", "<x>", path)) not in normalized:
                missing.append(f"{method} {path}")
    assert not missing, f"routes without a row in the access table: {missing}"


@pytest.mark.parametrize("method, template, allowed", TABLE, ids=[f"{m} {p}" for m, p, _ in TABLE])
@pytest.mark.parametrize("role", [ANON, INSTR, COORD, ADMIN])
def test_role_route_table(app, as_role, client, ids, method, template, allowed, role):
    if template == "/editor/{e}/{h}" or template.startswith(NEEDS_CONTENT):
        source(app).seed()
    path = template.format(**ids)
    c = client if role == ANON else as_role(role)
    response = c.open(path, method=method, data={})
    if role == ANON:
        assert response.status_code in (302, 401), response.status_code
        if response.status_code == 302:
            assert response.location.startswith("/login")
    elif role in allowed:
        assert response.status_code < 500 and response.status_code not in (401, 403, 404, 405), (
            f"{role} should be allowed {method} {path}: {response.status_code}"
        )
        if response.status_code == 302:
            assert not response.location.startswith("/login")
    else:
        assert response.status_code == 403, f"{role} must not {method} {path}"
