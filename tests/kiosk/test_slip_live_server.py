"""A booking at the kiosk against the live server prints a real slip.

The kiosk (tests/kiosk/walk_slip.py under Xvfb) has a printer in its config; a fake
``lp`` on PATH keeps what it was sent. The slip must be a PDF sized for the paper, whose
text (pdftotext) holds the class, the date, the time and the venue, and whose QR code,
read by a real decoder (zxing-cpp) from the page drawn by pdftoppm, is the registration's
opaque token from the database. The same slip is drawn on A6, A4 and an 80 mm roll.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

pytest.importorskip("flask")
zxingcpp = pytest.importorskip("zxingcpp")
pytestmark = pytest.mark.skipif(
    shutil.which("xvfb-run") is None or shutil.which("pdftoppm") is None,
    reason="needs xvfb-run and poppler-utils (pdftoppm, pdftotext)",
)

from PIL import Image  # noqa: E402
from sqlalchemy import select  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

from classroom.db import Database  # noqa: E402
from classroom.models import Base, Registration, utcnow  # noqa: E402
from classroom.services import courses, sessions, venues  # noqa: E402
from classroom.services import kiosks as kiosk_service  # noqa: E402
from classroom.services.actor import Actor  # noqa: E402
from kiosk import printing  # noqa: E402
from tests.conftest import TOKYO_NEXT_DAY  # noqa: E402
from web import create_app  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "kiosk-slip"
TOKYO = ZoneInfo("Asia/Tokyo")
FAKE_LP = """#!/bin/sh
# a printer queue that keeps what it is sent: the arguments, and a copy of the file
n=$(ls "$LP_SPOOL" | wc -l)
printf '%s\\n' "$@" > "$LP_SPOOL/job-$n.args"
for last; do :; done
cp "$last" "$LP_SPOOL/job-$n.pdf"
echo "request id is slips-$n (1 file(s))"
"""


@pytest.fixture
def live(tmp_path, frozen_clock):
    """A server with one class next week at a venue with an access line: (url, token, db)."""
    frozen_clock(TOKYO_NEXT_DAY)
    database = Database(f"sqlite:///{tmp_path / 'live.sqlite3'}")
    Base.metadata.create_all(database.engine)
    with database.write() as db:
        course = courses.create_course(
            db,
            code="intro-iphone",
            title="スマホ入門（iPhone）",
            kind="intro",
            device_track="iphone",
            actor=Actor.cli(),
        )
        venue = venues.create_venue(
            db,
            name="中央図書館",
            kind="library",
            capacity=20,
            access="つなぐ駅 東口から徒歩5分",
            loaner_phones=2,
            actor=Actor.cli(),
        )
        starts = utcnow().replace(minute=0, second=0, microsecond=0) + timedelta(days=7)
        sessions.create_session(
            db,
            course_id=course.id,
            venue_id=venue.id,
            starts_at=starts,
            ends_at=starts + timedelta(hours=1, minutes=30),
            capacity=10,
            actor=Actor.cli(),
        )
        token = kiosk_service.create_kiosk(
            db, name="lib-1", location="中央図書館", actor=Actor.cli()
        )[1]
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "DATABASE": database,
            "CONTENT_BUNDLE_DIR": str(tmp_path / "bundles"),
            "AUDIO_CACHE_DIR": str(tmp_path / "audio"),
        }
    )
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}", token, database, starts
    httpd.shutdown()
    thread.join(5)
    database.dispose()


def decode_qr(pdf: Path, tmp_path: Path) -> list[str]:
    """The QR codes zxing-cpp reads on the PDF's pages drawn at 300 dpi."""
    prefix = tmp_path / pdf.stem
    subprocess.run(["pdftoppm", "-r", "300", "-png", str(pdf), str(prefix)], check=True)
    found = []
    for page in sorted(tmp_path.glob(f"{pdf.stem}*.png")):
        found += [
            r.text
            for r in zxingcpp.read_barcodes(Image.open(page))
            if r.format == zxingcpp.BarcodeFormat.QRCode
        ]
    return found


def pdf_text(pdf: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout


def page_size_mm(pdf: Path) -> tuple[float, float]:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    line = next(x for x in info.splitlines() if x.startswith("Page size:"))
    width, _x, height = line.split(":")[1].split()[:3]
    return round(float(width) * 25.4 / 72), round(float(height) * 25.4 / 72)


def test_a_kiosk_booking_prints_a_slip_with_the_class_and_the_registrations_qr(live, tmp_path):
    url, token, database, starts = live
    spool = tmp_path / "spool"
    spool.mkdir()
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "lp").write_text(FAKE_LP)
    (bin_dir / "lp").chmod(0o755)
    out = tmp_path / "seen.json"
    env = {
        **os.environ,
        "KIVY_NO_ARGS": "1",
        "KIVY_NO_CONSOLELOG": "1",
        "SDL_AUDIODRIVER": "dummy",
        "KIVY_HOME": str(tmp_path / ".kivy"),
        "PATH": f"{bin_dir}:{os.environ['PATH']}",
        "LP_SPOOL": str(spool),
    }
    command = [
        "xvfb-run",
        "-a",
        "-s",
        "-screen 0 1920x1080x24",
        sys.executable,
        "-m",
        "tests.kiosk.walk_slip",
        str(out),
        url,
        token,
        "slips",
        "a6",
    ]
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert result.returncode == 0 and out.is_file(), result.stderr[-3000:]
    seen = json.loads(out.read_text())
    assert seen["screen"] == "result" and seen["status"] == "confirmed"
    assert seen["printing"] == "printed"

    with database.read() as db:
        registration = db.scalars(select(Registration)).one()
        token_in_db, code = registration.qr_token, registration.code
    assert seen["code"] == code

    # one job, to the configured queue, on A6, as a PDF
    args = (spool / "job-0.args").read_text().split("\n")
    assert args[:2] == ["-d", "slips"] and "media=A6" in args
    slip = spool / "job-0.pdf"
    assert slip.read_bytes().startswith(b"%PDF")
    assert page_size_mm(slip) == (105, 148)

    local = starts.astimezone(TOKYO)
    end = local + timedelta(hours=1, minutes=30)
    text = pdf_text(slip)
    for expected in (
        "スマホ入門（iPhone）",
        "中央図書館",
        "つなぐ駅 東口から徒歩5分",
        f"{local.month}月{local.day}日",
        "令和",
        f"{local:%H:%M}〜{end:%H:%M}",
        "予約票",
        "持ち物",
    ):
        assert expected in text, (expected, text)
    assert decode_qr(slip, tmp_path) == [token_in_db]
    # the result screen shows and reads the same: class, date with 和暦, time, place, code
    shown = dict(seen["rows"])
    assert shown["教室"] == "スマホ入門（iPhone）" and "令和" in shown["日時"]
    assert shown["時間"] == f"{local:%H:%M}〜{end:%H:%M}"
    assert "つなぐ駅 東口から徒歩5分" in shown["場所"]
    spoken = " ".join(seen["spoken"])
    assert "予約できました" in spoken and "中央図書館" in spoken and "令和" in spoken


SESSION = {
    "id": 7,
    "course": {"title": "スマホ入門（iPhone）", "titles": {"en": "Smartphone introduction"}},
    "venue": {
        "name": "中央図書館",
        "names": {"en": "Central Library"},
        "address": "つなぐ区中央1-2-3",
        "access": "つなぐ駅 東口から徒歩5分",
        "lends_phones": True,
    },
    "starts_at": "2026-12-10T01:00:00Z",
    "ends_at": "2026-12-10T02:30:00Z",
}


@pytest.mark.parametrize(
    "paper, size", [("a6", (105, 148)), ("a4", (210, 297)), ("roll80", (80, None))]
)
@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_slip_fits_each_paper_and_its_qr_reads(tmp_path, paper, size, language):
    result = {"status": "confirmed", "code": "K7Q3XP", "qr_token": "Zq0-opaque_token-42"}
    pdf = tmp_path / f"slip-{paper}.pdf"
    pdf.write_bytes(
        printing.slip_pdf(SESSION, result, language, paper, ward="つなぐ区", phone="03-0000-0002")
    )
    width, height = page_size_mm(pdf)
    assert width == size[0] and (size[1] is None or height == size[1])
    assert decode_qr(pdf, tmp_path) == ["Zq0-opaque_token-42"]
    # kept to look at: test-artifacts/kiosk-slip/slip-ja-a6.png ...
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    first = sorted(tmp_path.glob(f"{pdf.stem}*.png"))[0]
    shutil.copyfile(first, ARTIFACTS / f"slip-{language}-{paper}.png")
    text = pdf_text(pdf)
    assert "10:00" in text and "11:30" in text and "K7Q-3XP" in text
    words = "".join(text.split())
    for part in ("令和8年", "12月10日（木）") if language == "ja" else ("Thursday10", "2026"):
        assert part in words, (part, text)


def test_a_waitlisted_slip_says_there_is_no_seat_and_has_no_qr(tmp_path):
    result = {"status": "waitlisted", "position": 3, "code": "H3T8W5PQ", "qr_token": "secret"}
    pdf = tmp_path / "wait.pdf"
    pdf.write_bytes(printing.slip_pdf(SESSION, result, "ja", "a6"))
    text = pdf_text(pdf)
    assert "まだ席はありません" in text and "3 番" in text and "電話" in text
    assert "受付でこの紙を見せて" not in text and "予約番号" not in text
    assert decode_qr(pdf, tmp_path) == []
