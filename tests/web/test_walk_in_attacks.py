"""Issue 13, items 5 and 6: what an instructor could do with the walk-in search and check-in.

Before: the search matched phone digits anywhere, showed up to 10 residents and had no
limit (360 searches read out a whole phone number); the check-in took any participant
id, for any class of the instructor's, on any day, and showed the name. Now: kana name
(+ year of birth) or the whole phone number, at most a few matches with the year of
birth and the last two digits, a per-instructor limit, every search audited; a walk-in
only for the class on its Tokyo day and only for someone a search just showed.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from classroom.models import Attendance, AuditEvent, Source
from classroom.services import residents, sessions
from classroom.services.actor import Actor
from tests.conftest import TOKYO_SAME_DAY

#: at most this many residents shown by one search; searches per instructor per hour
MAX_MATCHES, SEARCH_LIMIT = 5, 30


@pytest.fixture(autouse=True)
def ten_in_the_morning_in_tokyo(frozen_clock):
    frozen_clock(TOKYO_SAME_DAY)


@pytest.fixture
def instructor(as_role, ward):
    return as_role("instructor")


def search(client, session_id, q):
    return client.get(f"/teach/sessions/{session_id}/walk-in", query_string={"q": q})


def walk_in(client, session_id, participant_id):
    return client.post(
        f"/teach/sessions/{session_id}/walk-in",
        data={"participant_id": participant_id},
        follow_redirects=True,
    )


def results(html: str) -> str:
    """The search's results table (the search box repeats what was typed)."""
    if "<caption>" not in html:
        return ""
    start = html.index("<caption>")
    return html[start : html.index("</table>", start)]


def add_resident(database, reading, phone, birth_year, family="山田", given="花子") -> int:
    with database.write() as db:
        return residents.create_participant(
            db,
            family_name=family,
            given_name=given,
            reading=reading,
            phone=phone,
            birth_year=birth_year,
            consent=True,
            source=Source.PHONE,
            actor=Actor.system(),
        ).id


def attendances(database) -> int:
    with database.read() as db:
        return db.query(Attendance).count()


def audit_events(database, action) -> list[AuditEvent]:
    with database.read() as db:
        return db.query(AuditEvent).filter_by(action=action).order_by(AuditEvent.id).all()


# -- item 5: the search ----------------------------------------------------------------


@pytest.mark.parametrize("typed", ["5678", "1234", "090-1234", "1234-5678", "12345678", "56"])
def test_a_few_phone_digits_find_nobody(instructor, database, ward, typed):
    """The attack: digits anywhere in the number, a few at a time."""
    response = search(instructor, ward.today_session_id, typed)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Type the whole phone number (10 or 11 digits)" in html
    assert "山田 花子" not in html and "ヤマダ" not in html
    # the attempt is in the audit trail (what was typed is not)
    (event,) = audit_events(database, "participant.search.refused")
    assert event.details == {"reason": "partial_phone"} and typed not in str(event.details)


def test_a_wrong_whole_number_finds_nobody(instructor, ward):
    html = search(instructor, ward.today_session_id, "090-1234-5679").get_data(as_text=True)
    assert "Nobody found" in html and "山田 花子" not in html


@pytest.mark.parametrize("typed", ["や", "ヤ", "やま", "ま", "だ", "山田", "ハナコ"])
def test_a_kana_fragment_or_kanji_is_not_a_name(instructor, ward, typed):
    """Only the whole family name or the whole name: a prefix lists nobody."""
    html = search(instructor, ward.today_session_id, typed).get_data(as_text=True)
    assert "山田 花子" not in html


def test_the_whole_name_or_family_name_finds_the_resident(instructor, ward):
    for typed in ("やまだ", "ヤマダ ハナコ", "やまだはなこ", "ﾔﾏﾀﾞ", "やまだ 1948", "やまだ S23"):
        html = search(instructor, ward.today_session_id, typed).get_data(as_text=True)
        assert "山田 花子" in results(html), typed
    html = search(instructor, ward.today_session_id, "やまだ 1950").get_data(as_text=True)
    assert "Nobody found" in html


def test_two_namesakes_are_told_apart_by_birth_year_and_the_last_two_digits(
    instructor, database, ward
):
    add_resident(database, "ヤマダ ハナコ", "03-5555-1291", 1956)
    html = results(
        search(instructor, ward.today_session_id, "やまだ はなこ").get_data(as_text=True)
    )
    assert html.count("<td>山田 花子</td>") == 2
    assert "1948 (Showa 23)" in html and "1956 (Showa 31)" in html
    assert "78</td>" in html and "91</td>" in html
    assert "5678" not in html and "1291" not in html and "5555" not in html


def test_more_than_a_few_matches_show_nobody_until_the_year_narrows_it(instructor, database, ward):
    for n in range(MAX_MATCHES):  # with the ward's own: one more than shown
        add_resident(database, "ヤマダ タロウ", f"03-5555-{n:04d}", 1950 + n, given="太郎")
    html = search(instructor, ward.today_session_id, "やまだ").get_data(as_text=True)
    assert "More than 5 residents have this name" in html
    assert "山田" not in results(html)
    narrowed = search(instructor, ward.today_session_id, "やまだ 昭和23").get_data(as_text=True)
    assert "山田 花子" in results(narrowed) and "太郎" not in results(narrowed)
    first, second = audit_events(database, "participant.search")
    assert first.details == {"shown": [], "by": "kana", "too_many": True}
    assert second.details == {"shown": [ward.resident_id], "by": "kana"}


def test_searches_are_limited_per_instructor_and_every_one_is_audited(
    instructor, as_role, database, ward, frozen_clock
):
    """The attack: try whole numbers one after another. It stops at the limit."""
    for n in range(SEARCH_LIMIT):
        assert search(instructor, ward.today_session_id, f"090-1234-{n:04d}").status_code == 200
    refused = search(instructor, ward.today_session_id, "090-1234-5678")
    html = refused.get_data(as_text=True)
    assert refused.status_code == 429
    assert "You have searched 30 times in the last hour" in html
    assert "山田 花子" not in html
    assert len(audit_events(database, "participant.search")) == SEARCH_LIMIT
    (event,) = audit_events(database, "participant.search.refused")
    assert event.details == {"reason": "rate_limit"} and event.actor_id is not None
    # a colleague is not held up (another class of theirs, today)
    with database.write() as db:
        theirs = sessions.create_session(
            db,
            course_id=ward.course_id,
            venue_id=ward.venue_id,
            starts_at=TOKYO_SAME_DAY + timedelta(hours=3),
            ends_at=TOKYO_SAME_DAY + timedelta(hours=4),
            capacity=5,
            instructor_ids=[_user_id(database, "other_instructor")],
            actor=Actor.system(),
        ).id
    colleague = as_role("other_instructor")
    assert "山田 花子" in results(search(colleague, theirs, "やまだ").get_data(as_text=True))
    # an hour later the instructor may search again
    frozen_clock(TOKYO_SAME_DAY + timedelta(hours=1, minutes=1))
    again = search(instructor, ward.today_session_id, "090-1234-5678")
    assert again.status_code == 200 and "山田 花子" in results(again.get_data(as_text=True))


def _user_id(database, login) -> int:
    from classroom.models import User

    with database.read() as db:
        return db.query(User).filter_by(login=login).one().id


# -- item 6: the check-in --------------------------------------------------------------


def test_a_walk_in_for_someone_never_searched_is_refused_and_shows_no_name(
    instructor, database, ward
):
    """The attack: POST walk-in with participant_id=<anyone>."""
    stranger = add_resident(database, "スズキ ハルエ", "03-7777-8888", 1940, "鈴木", "春江")
    search(instructor, ward.today_session_id, "やまだ")  # a search, but not for her
    html = walk_in(instructor, ward.today_session_id, stranger).get_data(as_text=True)
    assert "Please search for the resident again." in html
    assert "鈴木" not in html and "春江" not in html
    assert attendances(database) == 0


def test_a_walk_in_for_a_class_on_another_day_is_refused(instructor, database, ward):
    """The attack: a class 25 days (here 7) ahead, for someone found today."""
    search(instructor, ward.today_session_id, "やまだ")
    html = walk_in(instructor, ward.session_id, ward.resident_id).get_data(as_text=True)
    assert "Walk-ins are checked in on the day of the class" in html
    assert "山田 花子" not in html
    assert attendances(database) == 0
    # nor can residents be searched for it, nor added to it
    response = search(instructor, ward.session_id, "やまだ")
    assert response.status_code == 422 and "山田 花子" not in response.get_data(as_text=True)
    response = instructor.post(
        f"/teach/sessions/{ward.session_id}/walk-in/new",
        data={"reading": "すずき", "phone": "080-2222-3333", "device": "android", "consent": "y"},
        follow_redirects=True,
    )
    assert "Walk-ins are checked in on the day of the class" in response.get_data(as_text=True)
    assert attendances(database) == 0


def test_a_search_allows_a_check_in_for_half_an_hour_and_for_that_class_only(
    instructor, database, ward, frozen_clock
):
    with database.write() as db:
        afternoon = sessions.create_session(
            db,
            course_id=ward.course_id,
            venue_id=ward.venue_id,
            starts_at=TOKYO_SAME_DAY + timedelta(hours=4),
            ends_at=TOKYO_SAME_DAY + timedelta(hours=5),
            capacity=5,
            instructor_ids=[_user_id(database, "instructor")],
            actor=Actor.system(),
        ).id
    search(instructor, ward.today_session_id, "やまだ")
    html = walk_in(instructor, afternoon, ward.resident_id).get_data(as_text=True)
    assert "Please search for the resident again." in html
    frozen_clock(TOKYO_SAME_DAY + timedelta(minutes=31))
    html = walk_in(instructor, ward.today_session_id, ward.resident_id).get_data(as_text=True)
    assert "Please search for the resident again." in html
    assert attendances(database) == 0
    search(instructor, ward.today_session_id, "やまだ")
    html = walk_in(instructor, ward.today_session_id, ward.resident_id).get_data(as_text=True)
    assert "山田 花子: checked in." in html
    assert attendances(database) == 1


def test_a_colleagues_search_does_not_let_another_instructor_check_in(as_role, database, ward):
    coordinator = as_role("coordinator")
    search(coordinator, ward.today_session_id, "やまだ")
    instructor = as_role("instructor")
    html = walk_in(instructor, ward.today_session_id, ward.resident_id).get_data(as_text=True)
    assert "Please search for the resident again." in html
    assert attendances(database) == 0


def test_the_class_day_is_the_tokyo_date(as_role, database, ward, frozen_clock):
    """23:00 in Tokyo on 4 December is 14:00 UTC; at 00:05 in Tokyo on the 5th (15:05 UTC,
    still the 4th in UTC) the class's day is over, even for a search made 15 minutes before."""
    late = datetime(2026, 12, 4, 14, 0, tzinfo=UTC)
    suzuki = add_resident(database, "スズキ ハルエ", "03-7777-8888", 1940, "鈴木", "春江")
    with database.write() as db:
        evening = sessions.create_session(
            db,
            course_id=ward.course_id,
            venue_id=ward.venue_id,
            starts_at=late,
            ends_at=late + timedelta(minutes=50),
            capacity=5,
            instructor_ids=[_user_id(database, "instructor")],
            actor=Actor.system(),
        ).id
    frozen_clock(datetime(2026, 12, 4, 14, 10, tzinfo=UTC))  # 23:10 in Tokyo: in class
    instructor = as_role("instructor")
    search(instructor, evening, "やまだ")
    html = walk_in(instructor, evening, ward.resident_id).get_data(as_text=True)
    assert "山田 花子: checked in." in html
    frozen_clock(datetime(2026, 12, 4, 14, 50, tzinfo=UTC))  # 23:50 in Tokyo
    assert "鈴木 春江" in results(search(instructor, evening, "すずき").get_data(as_text=True))
    frozen_clock(datetime(2026, 12, 4, 15, 5, tzinfo=UTC))  # 00:05 in Tokyo, the next day
    html = walk_in(instructor, evening, suzuki).get_data(as_text=True)
    assert "Walk-ins are checked in on the day of the class" in html
    assert attendances(database) == 1


def test_adding_a_new_walk_in_needs_no_search_and_uses_none_of_the_limit(
    instructor, database, ward
):
    for n in range(SEARCH_LIMIT):
        search(instructor, ward.today_session_id, f"090-1234-{n:04d}")
    response = instructor.post(
        f"/teach/sessions/{ward.today_session_id}/walk-in/new",
        data={
            "reading": "すずき いちろう",
            "phone": "080-2222-3333",
            "device": "android",
            "consent": "y",
        },
        follow_redirects=True,
    )
    assert "すずき いちろう: checked in." in response.get_data(as_text=True)
    assert len(audit_events(database, "participant.search")) == SEARCH_LIMIT


def test_the_privacy_officer_finds_every_walk_in_search_in_the_audit_trail(
    instructor, as_role, ward
):
    search(instructor, ward.today_session_id, "やまだ")
    search(instructor, ward.today_session_id, "1234")
    admin = as_role("admin")
    html = admin.get("/reports/audit?action=participant.search").get_data(as_text=True)
    assert "participant.search</code>" in html and "Instructor (instructor)" in html
    assert '<option value="participant.search"' in html  # offered in the filter
    html = admin.get("/reports/audit?action=participant.search.refused").get_data(as_text=True)
    assert "participant.search.refused</code>" in html and "1234" not in html
