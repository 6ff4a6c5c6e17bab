"""After class: mark it held, type in the paper questionnaires, see the average."""

from __future__ import annotations

import pytest

from classroom.models import ClassSession, QuestionnaireResponse, SessionState
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
