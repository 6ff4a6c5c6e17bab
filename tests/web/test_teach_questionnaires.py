"""After class: mark it held, type in the paper questionnaires, see the average."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from classroom.models import AuditEvent, ClassSession, QuestionnaireResponse, SessionState, User
from classroom.services import questionnaires, sessions
from classroom.services.actor import Actor
from classroom.services.errors import InvalidInput, NotFound, SessionNotOpen


@pytest.fixture
def instructor(as_role, ward):
    return as_role("instructor")


def stored(database, session_id):
    with database.read() as db:
        return [
            (r.satisfaction, r.comment)
            for r in db.query(QuestionnaireResponse)
            .filter_by(session_id=session_id)
            .order_by(QuestionnaireResponse.id)
        ]


# the service, on each engine


def test_the_service_stores_a_response_and_averages_to_one_decimal(database, ward):
    with database.write() as db:
        for score in (5, 4, 4):
            questionnaires.add_response(
                db,
                session_id=ward.session_id,
                satisfaction=score,
                comment=" とても分かりやすかった ",
                actor=Actor.system(),
            )
    with database.read() as db:
        summary = questionnaires.summary(db, ward.session_id)
        assert (summary.count, summary.average) == (3, 4.3)
        assert questionnaires.summary(db, ward.today_session_id).average is None
    assert stored(database, ward.session_id)[0] == (5, "とても分かりやすかった")


@pytest.mark.parametrize("satisfaction", [0, 6, "", None, "five", "3.5"])
def test_the_service_refuses_a_satisfaction_outside_1_to_5(database, ward, satisfaction):
    with pytest.raises(InvalidInput) as caught, database.write() as db:
        questionnaires.add_response(
            db, session_id=ward.session_id, satisfaction=satisfaction, actor=Actor.system()
        )
    assert set(caught.value.errors) == {"satisfaction"}
    assert stored(database, ward.session_id) == []


def test_the_service_takes_a_comment_of_1000_characters_but_not_1001(database, ward):
    with database.write() as db:
        questionnaires.add_response(
            db,
            session_id=ward.session_id,
            satisfaction=3,
            comment="あ" * 1000,
            actor=Actor.system(),
        )
    with pytest.raises(InvalidInput) as caught, database.write() as db:
        questionnaires.add_response(
            db,
            session_id=ward.session_id,
            satisfaction=3,
            comment="あ" * 1001,
            actor=Actor.system(),
        )
    assert set(caught.value.errors) == {"comment"}
    assert len(stored(database, ward.session_id)) == 1


def test_the_service_refuses_a_cancelled_or_unknown_session(database, ward):
    with database.write() as db:
        sessions.cancel_session(db, ward.session_id, actor=Actor.system())
    with pytest.raises(SessionNotOpen), database.write() as db:
        questionnaires.add_response(
            db, session_id=ward.session_id, satisfaction=4, actor=Actor.system()
        )
    with pytest.raises(NotFound), database.write() as db:
        questionnaires.add_response(db, session_id=999999, satisfaction=4, actor=Actor.system())
    assert stored(database, ward.session_id) == []


# the instructor's pages


def test_an_instructor_enters_questionnaires_and_sees_the_average(instructor, database, ward):
    path = f"/teach/sessions/{ward.today_session_id}/questionnaires"
    for score, comment in ((5, "楽しかった"), (4, ""), (3, "")):
        response = instructor.post(path, data={"satisfaction": score, "comment": comment})
        assert response.status_code == 303
    html = instructor.get(path).get_data(as_text=True)
    assert "Average satisfaction:" in html and "<strong>4.0</strong>" in html
    assert "3 questionnaires" in html and "楽しかった" in html
    assert stored(database, ward.today_session_id) == [(5, "楽しかった"), (4, ""), (3, "")]


@pytest.mark.parametrize(
    "data, message",
    [
        ({"comment": "no score"}, "Please choose a satisfaction from 1 to 5."),
        ({"satisfaction": "9"}, "Please choose a satisfaction from 1 to 5."),
        ({"satisfaction": "4", "comment": "x" * 1001}, "The comment is too long"),
    ],
)
def test_a_wrong_questionnaire_is_shown_again_and_nothing_is_stored(
    instructor, database, ward, data, message
):
    response = instructor.post(f"/teach/sessions/{ward.today_session_id}/questionnaires", data=data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert stored(database, ward.today_session_id) == []


def test_an_instructor_marks_the_class_held(instructor, database, ward):
    response = instructor.post(
        f"/teach/sessions/{ward.today_session_id}/held", follow_redirects=True
    )
    html = response.get_data(as_text=True)
    assert "The class is marked as held." in html
    assert "Mark this class as held" not in html
    with database.read() as db:
        assert db.get(ClassSession, ward.today_session_id).state == SessionState.HELD


def test_a_cancelled_class_cannot_be_marked_held_nor_get_questionnaires(instructor, database, ward):
    with database.write() as db:
        sessions.cancel_session(db, ward.today_session_id, actor=Actor.system())
    html = instructor.post(
        f"/teach/sessions/{ward.today_session_id}/held", follow_redirects=True
    ).get_data(as_text=True)
    assert "not open" in html
    response = instructor.post(
        f"/teach/sessions/{ward.today_session_id}/questionnaires", data={"satisfaction": "4"}
    )
    assert response.status_code == 422 and "not open" in response.get_data(as_text=True)
    with database.read() as db:
        assert db.get(ClassSession, ward.today_session_id).state == SessionState.CANCELLED
    assert stored(database, ward.today_session_id) == []


def test_another_instructors_questionnaires_are_forbidden(instructor, database, ward):
    response = instructor.post(
        f"/teach/sessions/{ward.other_session_id}/questionnaires", data={"satisfaction": "4"}
    )
    assert response.status_code == 403
    assert stored(database, ward.other_session_id) == []


# 用紙番号: correcting and deleting what was typed in (issue 16)


def rows_of(database, session_id):
    with database.read() as db:
        return [
            (r.id, r.sheet_number, r.satisfaction, r.comment)
            for r in db.query(QuestionnaireResponse)
            .filter_by(session_id=session_id)
            .order_by(QuestionnaireResponse.id)
        ]


def audit_actions(database, action):
    with database.read() as db:
        return [(e.actor_id, e.details) for e in db.query(AuditEvent).filter_by(action=action)]


def test_each_entry_gets_a_form_number_shown_in_the_list(instructor, database, ward):
    path = f"/teach/sessions/{ward.today_session_id}/questionnaires"
    response = instructor.post(path, data={"satisfaction": "5"}, follow_redirects=True)
    assert "Saved as form no. 1: write this number on the paper." in response.get_data(as_text=True)
    instructor.post(path, data={"satisfaction": "3"})
    html = instructor.get(path).get_data(as_text=True)
    assert '<th scope="col" class="num">Form no.</th>' in html
    assert [n for _id, n, _s, _c in rows_of(database, ward.today_session_id)] == [1, 2]


def test_the_instructor_corrects_an_entry_and_the_average_and_report_follow(
    instructor, database, ward
):
    path = f"/teach/sessions/{ward.today_session_id}/questionnaires"
    for score in ("5", "5"):
        instructor.post(path, data={"satisfaction": score})
    first, second = rows_of(database, ward.today_session_id)
    edit = f"{path}/{second[0]}/edit"
    page = instructor.get(edit).get_data(as_text=True)
    assert "Correct form no. 2" in page
    assert re.search(r'<input checked[^>]*value="5"|value="5"[^>]*checked', page)
    response = instructor.post(edit, data={"satisfaction": "3", "comment": "字が小さい"})
    assert response.status_code == 303
    assert rows_of(database, ward.today_session_id)[1][1:] == (2, 3, "字が小さい")
    assert "<strong>4.0</strong>" in instructor.get(path).get_data(as_text=True)
    [(actor, details)] = audit_actions(database, "questionnaire.correct")
    assert details == {"sheet_number": 2, "fields": ["satisfaction", "comment"]}
    with database.write() as db:
        summary = questionnaires.summary(db, ward.today_session_id)
    assert (summary.count, summary.average) == (2, 4.0)


def test_a_wrong_correction_is_explained_and_changes_nothing(instructor, database, ward):
    path = f"/teach/sessions/{ward.today_session_id}/questionnaires"
    instructor.post(path, data={"satisfaction": "4"})
    [(rid, *_rest)] = rows_of(database, ward.today_session_id)
    response = instructor.post(f"{path}/{rid}/edit", data={"satisfaction": "9"})
    assert response.status_code == 422
    assert "Please choose a satisfaction from 1 to 5." in response.get_data(as_text=True)
    assert rows_of(database, ward.today_session_id)[0][2] == 4
    assert audit_actions(database, "questionnaire.correct") == []


def test_deleting_asks_first_then_deletes_and_is_audited(instructor, database, ward):
    path = f"/teach/sessions/{ward.today_session_id}/questionnaires"
    for score in ("5", "1"):
        instructor.post(path, data={"satisfaction": score})
    _first, (rid, *_rest) = rows_of(database, ward.today_session_id)
    confirm = instructor.get(f"{path}/{rid}/delete")
    assert confirm.status_code == 200
    assert "Delete form no. 2?" in confirm.get_data(as_text=True)
    assert len(rows_of(database, ward.today_session_id)) == 2  # a GET deletes nothing
    response = instructor.post(f"{path}/{rid}/delete", follow_redirects=True)
    assert "Form no. 2 deleted." in response.get_data(as_text=True)
    assert [n for _id, n, _s, _c in rows_of(database, ward.today_session_id)] == [1]
    assert "<strong>5.0</strong>" in instructor.get(path).get_data(as_text=True)
    [(_actor, details)] = audit_actions(database, "questionnaire.delete")
    assert details == {"sheet_number": 2}


def test_only_the_instructor_who_entered_it_or_a_coordinator_may_change_an_entry(
    app, as_role, instructor, database, ward, staff
):
    with database.write() as db:
        taught = db.get(ClassSession, ward.today_session_id)
        taught.instructors.append(db.get(User, staff.other_instructor))
    path = f"/teach/sessions/{ward.today_session_id}/questionnaires"
    instructor.post(path, data={"satisfaction": "4"})
    [(rid, *_rest)] = rows_of(database, ward.today_session_id)
    colleague = as_role("other_instructor")
    page = colleague.get(path).get_data(as_text=True)
    assert f"{path}/{rid}/edit" not in page and f"{path}/{rid}/delete" not in page  # no links
    assert colleague.get(f"{path}/{rid}/edit").status_code == 403
    assert colleague.post(f"{path}/{rid}/delete").status_code == 403
    assert colleague.post(f"{path}/{rid}/edit", data={"satisfaction": "1"}).status_code == 403
    coordinator = as_role("coordinator")
    assert coordinator.post(f"{path}/{rid}/edit", data={"satisfaction": "2"}).status_code == 303
    assert rows_of(database, ward.today_session_id)[0][2] == 2
    # another class's entry through this class's address: not found
    assert (
        coordinator.get(f"/teach/sessions/{ward.session_id}/questionnaires/{rid}/edit").status_code
        == 404
    )
    assert coordinator.post(f"{path}/{rid}/delete").status_code == 303
    assert rows_of(database, ward.today_session_id) == []


def test_the_wards_report_counts_a_corrected_and_a_deleted_entry_as_they_are_now(database, ward):
    from classroom.services import reports

    teacher = Actor(kind="user", user_id=None)
    with database.write() as db:
        db.get(ClassSession, ward.today_session_id).state = SessionState.HELD
        kept, wrong, twice = (
            questionnaires.add_response(
                db, session_id=ward.today_session_id, satisfaction=s, actor=teacher
            ).id
            for s in (5, 1, 5)
        )
        questionnaires.correct_response(
            db, session_id=ward.today_session_id, response_id=wrong, satisfaction=4, actor=teacher
        )
        questionnaires.delete_response(
            db, session_id=ward.today_session_id, response_id=twice, actor=teacher
        )
    with database.read() as db:
        held = db.get(ClassSession, ward.today_session_id)
        figures = reports.report(
            db, held.starts_at - timedelta(days=1), held.starts_at + timedelta(days=1)
        ).satisfaction
    assert (figures.responses, figures.average) == (2, 4.5)
    assert figures.distribution == {1: 0, 2: 0, 3: 0, 4: 1, 5: 1}
    assert kept
