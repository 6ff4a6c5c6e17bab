"""The operations commands, on each engine: report, privacy purge, backup/restore, import."""

from __future__ import annotations

import csv
import io
import json
import shutil
from datetime import timedelta
from urllib.parse import quote

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from classroom.models import AttendanceStatus, Participant, UnansweredQuestion, utcnow
from classroom.services import attendance, sessions, unanswered
from classroom.services.actor import Actor
from tests.classroom.ward import NOW, WardBuilder
from tsunagu.cli import main


@pytest.fixture
def cli_ward(database, request, monkeypatch, tmp_path):
    """A ward whose database the CLI reaches through TSUNAGU_DATABASE_URL."""
    url = database.url
    if database.dialect == "postgresql":
        schema = request.getfixturevalue("pg_schema").name
        url = f"{url}?options={quote(f'-csearch_path={schema}')}"
    monkeypatch.setenv("TSUNAGU_DATABASE_URL", url)
    monkeypatch.setenv("TSUNAGU_INSTANCE_DIR", str(tmp_path))
    monkeypatch.setenv("TSUNAGU_LANGUAGE", "en")
    ward = WardBuilder(database)
    a, b = ward.residents(2)
    held = ward.session(starts_in=timedelta(days=-300))  # 30 Jan 2026: FY2025
    with database.write() as db:
        for p in (a, b):
            attendance.mark_attendance(
                db,
                session_id=held,
                participant_id=p,
                status=AttendanceStatus.PRESENT,
                actor=Actor.system(),
            )
        sessions.mark_held(db, held, actor=Actor.system())
    return ward


def run(*args, input=None):
    result = CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)
    return result


def test_report_prints_the_same_numbers_as_json_and_csv(cli_ward):
    result = run("report", "--fiscal-year", "2025", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert (
        data["fiscal_year"],
        data["sessions_held"],
        data["attendances"],
        data["participants"],
    ) == (2025, 1, 2, 2)
    result = run("report", "--fiscal-year", "2025", "--format", "csv")
    assert result.exit_code == 0
    assert result.stdout_bytes.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(result.stdout_bytes.decode("utf-8-sig"))))
    assert ["Sessions held", "1"] in rows and ["Attendances", "2"] in rows
    assert (
        run("report", "--fiscal-year", "2024", "--format", "json").output.count(
            '"sessions_held": 0'
        )
        == 1
    )
    text = run("report", "--from", "2026-01-01", "--until", "2026-03-01").output
    assert "1 sessions held, 2 participants in total (2 people)" in text
    assert run("report").exit_code != 0


def test_report_from_until_counts_the_last_day_as_the_page_does(cli_ward):
    one_day = run("report", "--from", "2026-01-30", "--until", "2026-01-30")
    assert one_day.exit_code == 0, one_day.output
    assert "1 sessions held, 2 participants in total (2 people)" in one_day.output

    def csv_rows(*args):
        result = run("report", *args, "--format", "csv")
        return list(csv.reader(io.StringIO(result.stdout_bytes.decode("utf-8-sig"))))

    chosen = csv_rows("--from", "2025-04-01", "--until", "2026-03-31")
    fiscal = csv_rows("--fiscal-year", "2025")
    assert ["Until (included)", "2026-03-31"] in chosen and ["From", "2025-04-01"] in chosen
    assert chosen[1:] == fiscal[1:]  # only the period's name differs
    start = fiscal.index(["By month", "Sessions", "Attendances", "Participants"]) + 1
    assert [r[0] for r in fiscal[start : start + 12]] == [
        *("Apr", "May", "Jun", "Jul", "Aug", "Sep"),
        *("Oct", "Nov", "Dec", "Jan", "Feb", "Mar"),
    ]

    backwards = run("report", "--from", "2026-03-31", "--until", "2026-03-01")
    assert backwards.exit_code != 0 and "The last day is before the first day" in backwards.output


def test_privacy_purge_lists_then_applies(cli_ward, monkeypatch):
    monkeypatch.setenv("TSUNAGU_RETENTION_DAYS", "30")
    with cli_ward.database.write() as db:
        db.get(Participant, 1).last_activity_at = NOW - timedelta(days=400)
        # unanswered questions (issue 20) are kept a year, whatever the residents' period
        unanswered.record(db, "古い質問", "ja", now=utcnow() - timedelta(days=400))
        unanswered.record(db, "先月の質問", "ja", now=utcnow() - timedelta(days=40))
    dry = run("privacy", "purge")
    assert dry.exit_code == 0, dry.output
    assert dry.output.splitlines()[0].startswith("1\t")
    assert "1 unanswered questions older than 365 days would be removed." in dry.output
    with cli_ward.database.read() as db:
        assert db.scalar(select(func.count()).where(Participant.erased_at.is_not(None))) == 0
        assert db.scalar(select(func.count()).select_from(UnansweredQuestion)) == 2
    done = run("privacy", "purge", "--apply")
    assert "Erased" in done.output
    assert "Removed 1 unanswered questions older than 365 days." in done.output
    with cli_ward.database.read() as db:
        assert db.scalar(select(func.count()).where(Participant.erased_at.is_not(None))) >= 1
        assert db.scalars(select(UnansweredQuestion.text)).all() == ["先月の質問"]


def test_backup_restore_and_import_from_the_command_line(cli_ward, tmp_path):
    if cli_ward.database.dialect == "postgresql" and not shutil.which("pg_dump"):
        pytest.skip("no pg_dump")
    path = tmp_path / "b.backup"
    assert run("backup", str(path)).exit_code == 0 and path.exists()
    sheet = tmp_path / "old.csv"
    sheet.write_bytes("ふりがな,同意\r\nカトウ,はい\r\nダメ,いいえ\r\n".encode("cp932"))
    bad = run("import", str(sheet))
    assert bad.exit_code != 0 and "line 3" in bad.output
    sheet.write_bytes("ふりがな,同意\r\nカトウ,はい\r\n".encode("cp932"))
    assert "--apply" in run("import", str(sheet)).output
    assert run("import", str(sheet), "--apply").exit_code == 0
    with cli_ward.database.read() as db:
        assert db.scalar(select(func.count(Participant.id))) == 3
    cli_ward.database.engine.dispose()
    assert run("restore", str(path), "--yes").exit_code == 0
    cli_ward.database.engine.dispose()
    with cli_ward.database.read() as db:
        assert db.scalar(select(func.count(Participant.id))) == 2
