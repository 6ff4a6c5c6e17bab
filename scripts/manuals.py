"""`make manuals`: the staff manuals' screenshots and one PDF per role, from the running site.

The site runs from a thread (werkzeug's make_server, as tests/browser does) on a
throwaway SQLite file holding the demo ward (classroom/ops/demo.py: made-up residents,
phone numbers in the unassigned 090-0000 block), on a frozen clock and with seeded
reservation codes, so every run takes the same pictures. Debian's Chromium, driven by
Playwright, logs in as each demo role and walks the tasks in the order of the manuals
(docs/manual/*.md), saving docs/img/manual/<role>/NN-task.png, and the demo's content
editor walks a wording fix through the editor (/editor) for docs/content-authors.md, saving
docs/img/content/NN-name.png (the content is seeded into the database first, as `tsunagu db
upgrade` does); the kiosk's own screens
come from its screenshot harness under xvfb-run. Every page path a manual names in
backticks is fetched as that role and must answer 200. Then each manual's Markdown is
laid out as HTML with a print style sheet (A4, page numbers, the system's BIZ UD / Noto
fonts, nothing from outside) and printed by Chromium to build/manual/<role>.pdf.

    .venv/bin/python scripts/manuals.py               # screenshots + page check + PDFs
    .venv/bin/python scripts/manuals.py --pdf-only    # PDFs from the committed screenshots
    .venv/bin/python scripts/manuals.py --out DIR     # everything under DIR (the test)
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

MANUALS = ROOT / "docs" / "manual"
SHOTS = ROOT / "docs" / "img" / "manual"
#: the content authors' guide (docs/content-authors.md) and its screenshots of the editor
CONTENT_DOC = ROOT / "docs" / "content-authors.md"
CONTENT_SHOTS = ROOT / "docs" / "img" / "content"
#: the demo's content editor, who walks the editor's pages; the administrator who made her one
EDITOR = "demo-editor"
ADMIN = "demo-admin"
PDFS = ROOT / "build" / "manual"
#: manual file stem -> the demo login that walks it (None: no staff login of its own)
ROLES = {
    "coordinator": "demo-coordinator",
    "instructor": "demo-instructor-1",
    "kiosk-install": None,
}
TITLES = {
    "coordinator": "コーディネーター向け手引き",
    "instructor": "講師向け手引き",
    "kiosk-install": "キオスク設置手引き",
}

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--lang=ja-JP",
]
#: Chromium's Japanese (Debian's chromium-l10n): 2026/04/01 and 14:00 in date and time fields
LOCALE_PAK = "/usr/lib/chromium/locales/ja.pak"
#: Friday 4 December 2026, 09:40 in Tokyo: the office has just opened, a class at 10:00
MOMENT = datetime(2026, 12, 4, 0, 40, tzinfo=UTC)
#: the demo's staff get this password on the throwaway database only
PASSWORD = "manual-demo-pass-2026"
#: a coordinator's desk; an instructor's tablet
VIEWPORTS = {
    "coordinator": (1366, 768),
    "instructor": (1024, 768),
    "kiosk-install": (1366, 768),
    "content": (1280, 800),
}
#: kiosk screens drawn by its own harness: file name -> screen
KIOSK_SCREENS = {
    "01-kiosk-home": "home",
    "02-kiosk-result": "result",
    "03-kiosk-staff-pin": "staff-pin",
}
#: a page path named in a manual, in backticks: `/office/sessions`
PAGE_PATH = re.compile(
    r"`(/(?:login|home)|/(?:office|teach|reports|handouts|admin)(?:/[^`\s<>]*)?)`"
)
#: Japanese letters and punctuation (kana, kanji, full-width forms)
CJK = "\u3000-\u30ff\u3400-\u9fff\uff00-\uffef"
IMAGE = re.compile(r"!\[[^\]]*\]\(([^)\s]+)\)")


# -- the site ------------------------------------------------------------------------------


class SeededSecrets:
    """`secrets` for the throwaway database only: the same reservation codes every run."""

    def __init__(self, seed: int) -> None:
        self._random = random.Random(seed)

    def choice(self, seq):
        return self._random.choice(seq)

    def token_hex(self, n: int = 16) -> str:
        return self._random.randbytes(n).hex()

    def token_urlsafe(self, n: int = 16) -> str:
        import base64

        return base64.urlsafe_b64encode(self._random.randbytes(n)).rstrip(b"=").decode()


@dataclass
class Site:
    url: str
    database: object
    clock: object
    ids: dict = field(default_factory=dict)


def _hiragana(katakana: str) -> str:
    return "".join(chr(ord(c) - 0x60) if "ァ" <= c <= "ヶ" else c for c in katakana)


def _demo_ward(database) -> dict:
    """The demo ward, plus what a day's manual needs: a class today, a lottery to draw,
    a kiosk whose resident has pressed 職員を呼ぶ. Returns the ids the walks use."""
    from sqlalchemy import select

    from classroom.models import (
        BookingMode,
        ClassSession,
        Course,
        Device,
        Participant,
        Registration,
        Source,
        User,
        Venue,
    )
    from classroom.ops.demo import load_demo
    from classroom.services import accounts, kiosks, registration, sessions
    from classroom.services.actor import Actor

    load_demo(database, now=MOMENT)
    system = Actor.system()
    ids: dict = {}
    with database.write() as db:
        for login in [*filter(None, ROLES.values()), EDITOR]:
            user = db.scalar(select(User).where(User.login == login))
            accounts.set_password(db, user.id, PASSWORD, actor=system)
        instructor = db.scalar(select(User).where(User.login == ROLES["instructor"]))
        intro = db.scalar(select(Course).where(Course.code == "intro-iphone"))
        line = db.scalar(select(Course).where(Course.code == "op-line"))
        library, east = db.scalars(select(Venue).order_by(Venue.id)).all()[:2]
        # residents with no upcoming class yet, so each plays one part
        busy = set(
            db.scalars(
                select(Registration.participant_id)
                .join(ClassSession)
                .where(ClassSession.starts_at > MOMENT)
            )
        )
        free = [
            p for p in db.scalars(select(Participant).order_by(Participant.id)) if p.id not in busy
        ]
        iphone = [p for p in free if p.device == Device.IPHONE]
        no_phone = [p for p in free if p.device == Device.NONE]
        class_people = iphone[:5] + no_phone[:1]
        others = [p for p in free if p not in class_people]
        today = sessions.create_session(
            db,
            course_id=intro.id,
            venue_id=library.id,
            starts_at=MOMENT + timedelta(minutes=20),
            ends_at=MOMENT + timedelta(minutes=110),
            capacity=10,
            instructor_ids=[instructor.id],
            actor=system,
            now=MOMENT - timedelta(days=14),
        )

        def book(session, people, days_ago: int) -> list:
            return [
                registration.register(
                    db,
                    session_id=session.id,
                    participant_id=person.id,
                    source=Source.PHONE,
                    actor=system,
                    now=MOMENT - timedelta(days=days_ago),
                ).registration
                for person in people
            ]

        slips = book(today, class_people, days_ago=7)
        lottery_day = (MOMENT + timedelta(days=7)).replace(hour=5, minute=0)  # 14:00 in Tokyo
        lottery = sessions.create_session(
            db,
            course_id=line.id,
            venue_id=east.id,
            starts_at=lottery_day,
            ends_at=lottery_day + timedelta(minutes=90),
            capacity=4,
            booking_mode=BookingMode.LOTTERY,
            application_deadline=MOMENT.replace(hour=8, minute=0) - timedelta(days=1),  # 17:00
            instructor_ids=[instructor.id],
            actor=system,
            now=MOMENT - timedelta(days=10),
        )
        book(lottery, others[:7], days_ago=3)
        caller, walk_in = others[8], others[9]
        kiosk, _token = kiosks.create_kiosk(
            db, name="chuo-library-1", location="中央図書館 1階 入口", actor=system, now=MOMENT
        )
        kiosks.record_heartbeat(
            db, kiosk, app_version="0.1.0", content_version="2026-12-01", now=MOMENT
        )
        kiosks.open_help_request(
            db,
            kiosk,
            {"client_id": "manual-help-1", "screen": "guide:juminhyo:3", "language": "ja"},
            now=MOMENT - timedelta(minutes=1),
        )
        ids.update(
            today=today.id,
            lottery=lottery.id,
            caller=caller.id,
            caller_kana=_hiragana(caller.reading),
            walk_in=walk_in.id,
            walk_in_kana=_hiragana(walk_in.reading),
            borrower=no_phone[0].id,
            slip_codes=[s.code for s in slips],
            late=class_people[1].id,
            absent=class_people[2].id,
            excused=class_people[3].id,
            tapped=class_people[5].id,
            cancel=slips[4].id,
        )
    return ids


def _content_in_the_database(app) -> None:
    """The shipped content as version 1 of every item (what `tsunagu db upgrade` seeds), and
    the guide the editor's walk publishes with its speech built ahead as silent placeholders
    (as `tsunagu content speech` leaves a ward's server, minus minutes of synthesis): the
    publish then speaks only the changed text, with the offline engine."""
    from tests.silent_speech import build_silent_speech
    from web.content_source import source

    source(app).seed()
    source(app).changed()
    build_silent_speech(app, EDITED_GUIDE)


@contextmanager
def running_site(workdir: Path) -> Iterator[Site]:
    """The staff site on http://127.0.0.1:<free port>, on the demo ward, at MOMENT."""
    import time_machine
    from werkzeug.serving import make_server

    import classroom.services.codes as codes
    import classroom.services.registration as registration
    from classroom.db import Database
    from classroom.models import Base
    from web import create_app

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    traveller = time_machine.travel(MOMENT, tick=False)
    clock = traveller.start()
    seeded = SeededSecrets(2026)
    saved = codes.secrets, registration.secrets
    codes.secrets = registration.secrets = seeded
    database = Database(f"sqlite:///{workdir / 'manual.sqlite3'}")
    try:
        Base.metadata.create_all(database.engine)
        ids = _demo_ward(database)
        app = create_app(
            {
                "SECRET_KEY": "manual-screenshots",
                "DATABASE": database,
                "CONTENT_LIVE_DIR": str(workdir / "content"),
                "CONTENT_BUNDLE_DIR": str(workdir / "bundles"),
                "AUDIO_CACHE_DIR": str(workdir / "audio"),
            }
        )
        _content_in_the_database(app)
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, name="manual-site", daemon=True)
        thread.start()
        try:
            yield Site(f"http://127.0.0.1:{server.server_port}", database, clock, ids)
        finally:
            server.shutdown()
            thread.join(timeout=10)
    finally:
        database.dispose()
        codes.secrets, registration.secrets = saved
        traveller.stop()


@contextmanager
def chromium():
    from playwright.sync_api import sync_playwright

    if not Path(LOCALE_PAK).exists():
        print(
            f"{LOCALE_PAK} missing: date and time fields are drawn the American way"
            " (apt install chromium-l10n)"
        )
    # Chromium draws date and time fields in its own language: Japanese, as staff see them
    env = {**os.environ, "LANG": "ja_JP.UTF-8", "LANGUAGE": "ja"}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, env=env)
        try:
            yield browser
        finally:
            browser.close()


# -- the walks -----------------------------------------------------------------------------


def small_png(path: Path) -> None:
    """256 colours, no dithering: a screen's flat colours and text stay sharp, the file a
    third of the size (the screenshots are committed, and retaken whenever a page changes)."""
    from PIL import Image

    picture = Image.open(path).convert("RGB")
    picture.quantize(256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE).save(
        path, optimize=True
    )


class Camera:
    """One role's tab: takes NN-name.png of what the window shows, the step's part marked."""

    MARK = "manual-mark"

    def __init__(self, browser, site: Site, role: str, folder: Path) -> None:
        width, height = VIEWPORTS[role]
        self.context = browser.new_context(
            locale="ja-JP", timezone_id="Asia/Tokyo", viewport={"width": width, "height": height}
        )
        self.page = self.context.new_page()
        self.page.set_default_timeout(8_000)
        self.site, self.role, self.folder = site, role, folder
        self.taken: list[Path] = []
        self.number = 0
        #: the committed screenshots are made small; a throwaway run's need not be
        self.compact = any(folder.resolve().is_relative_to(d) for d in (SHOTS, CONTENT_SHOTS))
        folder.mkdir(parents=True, exist_ok=True)

    def go(self, path: str) -> None:
        response = self.page.goto(self.site.url + path)
        if response is None or response.status != 200:
            raise RuntimeError(f"{path}: {response and response.status}")

    def click(self, locator) -> None:
        with self.page.expect_navigation():
            locator.click()

    def log_in(self, login: str, shot: str | None = None) -> None:
        self.go("/login")
        self.page.fill("#login", login)
        self.page.fill("#password", PASSWORD)
        if shot:
            self.shoot(shot, mark=self.page.locator("form").filter(has=self.page.locator("#login")))
        with self.page.expect_navigation():
            self.page.locator("#password").press("Enter")
        if "/login" in self.page.url:
            raise RuntimeError(f"{login} could not log in")

    def shoot(self, name: str, *, top=None, mark=None, full: bool = False) -> Path:
        """The window as it is, scrolled so `top` starts near its top, `mark` outlined."""
        page = self.page
        if top is not None and top.count():
            top.first.evaluate(
                "e => { e.scrollIntoView({block: 'start'}); window.scrollBy(0, -16); }"
            )
        marks = [] if mark is None else ([mark] if not isinstance(mark, list) else mark)
        for m in marks:
            if m.count() == 0:  # the page changed: the picture is still worth having
                print(f"  {self.role}/{name}: nothing to mark ({m})")
                continue
            m.first.evaluate(
                "(e, c) => { e.classList.add(c); e.style.outline = '4px solid #d6336c';"
                " e.style.outlineOffset = '3px'; }",
                self.MARK,
            )
        page.evaluate("document.activeElement && document.activeElement.blur()")
        self.number += 1
        path = self.folder / f"{self.number:02d}-{name}.png"
        page.screenshot(path=str(path), full_page=full, animations="disabled", caret="hide")
        if self.compact:
            small_png(path)
        page.evaluate(
            "c => document.querySelectorAll('.' + c).forEach(e => {"
            " e.classList.remove(c); e.style.outline = ''; e.style.outlineOffset = ''; })",
            self.MARK,
        )
        if os.environ.get("MANUAL_TEXT"):  # what the page says, for whoever writes the manual
            path.with_suffix(".txt").write_text(page.locator("body").inner_text())
        self.taken.append(path)
        return path

    def close(self) -> None:
        self.context.close()


def walk_coordinator(camera: Camera) -> None:
    """A coordinator's day, in the order of docs/manual/coordinator.md."""
    page, ids = camera.page, camera.site.ids
    camera.log_in(ROLES["coordinator"], shot="login")
    camera.go("/office/sessions")
    first = page.locator("tbody tr").first
    camera.shoot("sessions", mark=first)
    camera.click(first.get_by_role("link"))
    camera.shoot("session-today", mark=page.locator("table").first)

    # 電話で申し込みを受ける: search by kana, else add; register; slip
    camera.go("/office/residents")
    page.locator("#q").press_sequentially(ids["caller_kana"].split(" ")[0], delay=30)
    results = page.locator("#results")
    results.get_by_role("link").first.wait_for()
    camera.shoot("resident-search", mark=[page.locator("#q"), results])
    camera.go("/office/residents/new")
    page.fill("#reading", "つなぐ はなこ")
    page.fill("#family_name", "つなぐ")
    page.fill("#given_name", "花子")
    page.fill("#phone", "090-0000-0999")
    page.fill("#birth_year", "1950")
    camera.shoot("resident-new", mark=page.locator("#reading"))
    page.locator("#consent").scroll_into_view_if_needed()
    page.check("#consent")
    camera.shoot("resident-new-consent", mark=page.locator("#consent").locator(".."))
    camera.go(f"/office/residents/{ids['caller']}")
    camera.shoot("resident", mark=page.locator(f"a[href$='/{ids['caller']}/register']"))
    camera.go(f"/office/residents/{ids['caller']}/register")
    choice = page.locator("input[name=session_id]").nth(1)
    choice.check()
    camera.shoot("register", mark=choice.locator("xpath=ancestor::tr"))
    submit = page.locator("form button[type=submit]").last
    submit.scroll_into_view_if_needed()
    camera.click(submit)
    camera.shoot("registered", mark=page.get_by_role("link", name=re.compile("予約票")).first)
    registered = page.url

    # 抽選
    camera.go(f"/office/sessions/{ids['lottery']}/lottery")
    draw = page.get_by_role("button", name="抽選する")
    draw.scroll_into_view_if_needed()
    camera.shoot("lottery", mark=draw)
    camera.click(draw)
    camera.shoot("lottery-drawn", mark=page.locator(".messages"))

    # 連絡リスト
    camera.go("/office/calls")
    informed = page.get_by_role("button", name=re.compile("連絡済み")).first
    camera.shoot("calls", mark=informed)
    camera.click(informed)
    camera.shoot("call-informed", mark=page.locator(".messages"))
    camera.go("/office/calls/print")
    camera.shoot("calls-print")

    # 予約票を印刷
    page.goto(registered)
    camera.shoot("registration", mark=page.get_by_role("link", name=re.compile("予約票")).first)
    camera.click(page.get_by_role("link", name=re.compile("予約票")).first)
    camera.shoot("slip", mark=page.get_by_role("button", name="印刷する"))

    # 貸出スマホ
    camera.go(f"/office/sessions/{ids['today']}")
    phones = page.locator("#participant_id")
    phones.select_option(str(ids["borrower"]))
    page.fill("#phone_label", "貸出-1")
    heading = page.get_by_role("heading", name="貸出スマホ")
    camera.shoot("loan", top=heading, mark=page.locator("form").filter(has=phones))
    camera.click(page.get_by_role("button", name="貸し出す"))
    camera.shoot(
        "loaned",
        top=page.get_by_role("heading", name="貸出スマホ"),
        mark=page.get_by_role("button", name=re.compile("返却")).first,
    )

    # 申込の取り消し
    camera.go(f"/office/sessions/{ids['today']}")
    cancel = page.locator(f"a[href*='/registrations/{ids['cancel']}/cancel']")
    camera.shoot("cancel-button", top=page.get_by_role("heading", name="申込一覧"), mark=cancel)
    camera.click(cancel)
    yes = page.locator("form button.danger")
    camera.shoot("cancel-confirm", mark=yes)
    camera.click(yes)
    camera.shoot("cancelled", mark=page.locator("form[action*='/undo'] button").first)

    # 報告書
    camera.go("/reports/?fy=2025")
    camera.shoot("reports", mark=page.locator("h2, p").filter(has_text="令和7年度").first)
    camera.go("/office/kiosks/")
    camera.shoot("kiosks", mark=page.get_by_role("button", name=re.compile("対応する")).first)

    # 教室を登録する
    camera.go("/office/sessions/new")
    camera.shoot("session-new", mark=page.locator("#course_id"))

    # 区民の方の情報（見せる・直す・消す）: the page only, nothing erased
    camera.go(f"/office/residents/{ids['caller']}")
    camera.click(page.locator(f"a[href$='/residents/{ids['caller']}/privacy']"))
    camera.shoot("privacy", mark=page.get_by_role("heading", name="保有している情報をすべて見る"))


def walk_instructor(camera: Camera) -> None:
    """An instructor's class, in the order of docs/manual/instructor.md."""
    page, site, ids = camera.page, camera.site, camera.site.ids
    camera.log_in(ROLES["instructor"], shot="login")
    camera.shoot("today", mark=page.locator("tbody tr").first)
    camera.click(page.locator("tbody tr").first.get_by_role("link"))
    camera.shoot("check-in", mark=page.locator("#code"))
    page.locator("#code").fill(ids["slip_codes"][0])
    camera.shoot("check-in-typed", mark=page.locator("#code"))
    with page.expect_navigation():
        page.locator("#code").press("Enter")
    camera.shoot("checked-in", mark=page.locator(".messages"))
    camera.click(page.locator(f"#p{ids['tapped']} button[value=present]"))
    camera.click(page.locator(f"#p{ids['late']} button[value=late]"))
    camera.shoot(
        "late", top=page.get_by_role("heading", name="名簿"), mark=page.locator(f"#p{ids['late']}")
    )

    # 当日参加
    search = page.locator("#q")
    search.fill(ids["walk_in_kana"])
    camera.click(page.get_by_role("button", name="検索", exact=True))
    found = page.locator("form[action$='/walk-in'] button[type=submit]")
    camera.shoot("walk-in-found", top=page.get_by_role("heading", name="当日参加"), mark=found.last)
    camera.click(found.last)
    camera.shoot("walk-in-added", mark=page.locator(".messages"))

    # 教室の進め方
    camera.go(f"/teach/sessions/{ids['today']}/plan")
    camera.shoot("plan")
    camera.go("/handouts/")
    camera.shoot("handouts")
    camera.go("/handouts/lessons/intro-01-power?track=iphone")
    camera.shoot("handout")

    # 教室の終了後: the class has ended
    site.clock.move_to(MOMENT + timedelta(minutes=115))
    camera.go(f"/teach/sessions/{ids['today']}")
    camera.click(page.locator(f"#p{ids['absent']} button[value=absent]"))
    camera.click(page.locator(f"#p{ids['excused']} button[value=excused]"))
    camera.shoot(
        "absent",
        top=page.get_by_role("heading", name="名簿"),
        mark=page.locator(f"#p{ids['absent']}"),
    )
    held = page.get_by_role("button", name="実施済みにする")
    camera.shoot("held-button", top=page.get_by_role("heading", name="教室の終了後"), mark=held)
    camera.click(held)
    camera.shoot("held", mark=page.locator(".messages"))
    camera.go(f"/teach/sessions/{ids['today']}/questionnaires")
    page.check("#satisfaction-3")
    page.fill("#comment", "ゆっくり教えてもらえて、よく分かりました。")
    camera.shoot("questionnaire", mark=page.locator("form.stack"))
    camera.click(page.get_by_role("button", name="保存する"))
    camera.shoot("questionnaire-saved", mark=page.locator("table").first)


#: the editor's walk: a wording fix in a step of this guide (docs/content-authors.md)
EDITED_GUIDE = "juminhyo"
EDITED_FIELD = "steps[1].text.ja"
FIXED_WORDING = "スマホのカメラを開いて、この画面のQRコードを読み取ります。"


def walk_content(camera: Camera) -> None:
    """A content editor's wording fix, in the order of docs/content-authors.md."""
    from sqlalchemy import select

    from classroom.models import Role, User
    from classroom.services import accounts, content_store
    from classroom.services.actor import Actor

    page, site = camera.page, camera.site
    # an administrator gives the permission on the staff member's page
    admin = Camera(camera.context.browser, site, "content", camera.folder)
    try:
        with site.database.write() as db:
            editor = db.scalar(select(User.id).where(User.login == EDITOR))
            if db.scalar(select(User.id).where(User.login == ADMIN)) is None:
                accounts.create_user(
                    db,
                    login=ADMIN,
                    role=Role.ADMIN,
                    password=PASSWORD,
                    display_name="管理者（デモ）",
                    language="ja",
                    actor=Actor.system(),
                )
        admin.log_in(ADMIN)
        admin.go(f"/admin/staff/{editor}")
        box = admin.page.locator("#content_editor")
        admin.shoot("staff-editor", mark=box.locator(".."))
    finally:
        admin.close()
    camera.number, camera.taken = admin.number, admin.taken
    guide = f"/editor/guide/{EDITED_GUIDE}"
    camera.log_in(EDITOR)
    camera.go("/editor/")
    camera.shoot("list", mark=page.locator("form[role=search]"))
    page.fill("#q", "住民票の写し")
    camera.click(page.get_by_role("button", name="検索", exact=True))
    edit = page.locator(f"a[href$='{guide}/edit']")
    camera.shoot("search", mark=edit.locator("xpath=ancestor::tr"))
    camera.click(edit)
    field = page.locator(f"textarea[name='{EDITED_FIELD}']")
    languages = field.locator("xpath=ancestor::fieldset[1]")
    camera.shoot("edit", top=languages, mark=languages)
    # a mistake first: the Japanese left empty, checked without saving
    field.fill("")
    camera.click(page.locator("button[name=op][value=check]").last)
    camera.shoot("check", top=page.locator("#problems"), mark=page.locator("#problems"))
    field = page.locator(f"textarea[name='{EDITED_FIELD}']")
    problem = field.locator(
        "xpath=ancestor::div[contains(concat(' ', @class, ' '), ' ed-lang ')][1]"
    )
    camera.shoot("check-field", top=problem.locator("xpath=ancestor::fieldset[1]"), mark=problem)
    field.fill(FIXED_WORDING)
    page.fill("#f-note", "手順1：「カメラを開いて」を足す")
    save = page.locator("button[name=op][value=save]")
    camera.click(save)
    camera.shoot("saved", mark=page.locator(".messages"))
    draft = camera.page.url  # the item's page
    camera.go(f"{guide}/v2")
    camera.shoot("changes", mark=page.locator("li.change").first)
    camera.go(f"{guide}/v2/preview")
    camera.shoot("preview", mark=page.locator(".preview-bar"))
    camera.shoot("preview-step", top=page.locator("ol.steps"), mark=page.locator("li.step").first)
    camera.go(f"{guide}/v2/handout")
    camera.shoot("handout")
    page.goto(draft)
    publish = page.locator(f"form[action$='{guide}/v2/publish'] button")
    camera.shoot("publish", top=page.locator("#v2"), mark=publish)
    camera.click(publish)
    camera.shoot("published", mark=page.locator(".messages"))

    # two people at once: someone saves while this form is open
    camera.go(f"{guide}/edit")
    with site.database.write() as db:
        item = content_store.get_item(db, "guide", EDITED_GUIDE)
        body = content_store.head(db, item).body
        content_store.save_draft(
            db,
            Actor.system(),
            "guide",
            EDITED_GUIDE,
            body.replace(FIXED_WORDING, FIXED_WORDING.replace("この画面", "画面"), 1),
            based_on=content_store.head(db, item).number,
            note="同時に編集した別の人の下書き",
        )
    page.locator(f"textarea[name='{EDITED_FIELD}']").fill(
        FIXED_WORDING.replace("開いて", "起動して")
    )
    camera.click(page.locator("button[name=op][value=save]"))
    camera.shoot("conflict", mark=page.locator(".messages"))
    camera.go(guide)
    camera.shoot(
        "history",
        top=page.locator("#v2"),
        mark=page.locator(f"form[action$='{guide}/v1/rollback'] button"),
    )
    camera.go("/editor/pictures")
    camera.shoot("pictures", mark=page.locator("input[type=file]").locator("xpath=ancestor::form"))
    camera.go("/editor/settings")
    sample = page.locator(".setting--sample").first
    camera.shoot("settings", top=sample, mark=sample)


def walk_kiosk_board(camera: Camera) -> None:
    """The staff side of a kiosk: the board where it shows up and its calls arrive."""
    page = camera.page
    camera.log_in(ROLES["coordinator"])
    camera.go("/office/kiosks/")
    camera.shoot("kiosk-board", mark=page.get_by_role("heading", name="キオスク端末", exact=True))
    take = page.get_by_role("button", name=re.compile("対応する")).first
    camera.shoot("help-request", mark=take)


def kiosk_screens(folder: Path) -> list[Path]:
    """The kiosk's own screens, drawn by `tsunagu kiosk --screenshot` under xvfb-run."""
    xvfb = shutil.which("xvfb-run")
    tsunagu = ROOT / ".venv" / "bin" / "tsunagu"
    if not xvfb or not tsunagu.exists():
        print("xvfb-run or .venv/bin/tsunagu missing: the kiosk's screens are not redrawn")
        return []
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        shots = ",".join(f"{screen}:ja:large" for screen in KIOSK_SCREENS.values())
        command = [xvfb, "-a", "-s", "-screen 0 1920x1080x24", str(tsunagu), "kiosk"]
        command += ["--screenshot", tmp, "--shots", shots]
        env = {**os.environ, "SDL_AUDIODRIVER": "dummy"}
        for _attempt in range(3):  # xvfb-run -a can race another display for a number
            run = subprocess.run(command, timeout=120, capture_output=True, text=True, env=env)
            if run.returncode == 0:
                break
        else:
            print("the kiosk's screens were not redrawn:\n" + run.stderr[-2000:], file=sys.stderr)
            return []
        from PIL import Image

        written = []
        for name, screen in KIOSK_SCREENS.items():
            picture = Image.open(Path(tmp) / f"booking-{screen}-ja-large.png")
            # half size: 960×540 reads well in a manual and keeps the repository small
            picture.convert("RGB").resize((960, 540), Image.LANCZOS).save(folder / f"{name}.png")
            small_png(folder / f"{name}.png")
            written.append(folder / f"{name}.png")
    return written


def named_pages(manual: Path) -> list[str]:
    """The page paths a manual names in backticks, in order, once each."""
    return list(dict.fromkeys(PAGE_PATH.findall(manual.read_text(encoding="utf-8"))))


def page_status(page, url: str) -> int:
    """The page's status as a person opening it sees it; a redirect counts as 302."""
    response = page.goto(url)
    if response is None:
        return 0
    return 302 if response.request.redirected_from is not None else response.status


def check_pages(browser, site: Site, manuals: Path) -> dict[str, dict[str, int]]:
    """Fetch every page each manual names, as that manual's role: {role: {path: status}}.

    `/login` is fetched before logging in (a logged-in person is sent on from it); a manual
    without a login of its own (the kiosk's) is read as a coordinator."""
    statuses: dict[str, dict[str, int]] = {}
    for role, login in ROLES.items():
        paths = named_pages(manuals / f"{role}.md")
        camera = Camera(browser, site, "coordinator", Path(tempfile.gettempdir()))
        try:
            found = {p: page_status(camera.page, site.url + p) for p in paths if p == "/login"}
            camera.log_in(login or ROLES["coordinator"])
            found |= {p: page_status(camera.page, site.url + p) for p in paths if p != "/login"}
            statuses[role] = found
        finally:
            camera.close()
    return statuses


def take_screenshots(
    shots: Path,
    manuals: Path,
    kiosk: bool = True,
    content_shots: Path = CONTENT_SHOTS,
    content: bool = True,
) -> dict:
    """Every screenshot the manuals use, into shots/<role>/, the content authors' guide's
    into content_shots/, and the named pages' statuses."""
    with tempfile.TemporaryDirectory() as tmp, running_site(Path(tmp)) as site, chromium() as b:
        for role, walk in (
            ("coordinator", walk_coordinator),
            ("instructor", walk_instructor),
            ("kiosk-install", walk_kiosk_board),
            *((("content", walk_content),) if content else ()),
        ):
            folder = content_shots if role == "content" else shots / role
            doc = CONTENT_DOC.relative_to(ROOT) if role == "content" else f"docs/manual/{role}.md"
            for old in folder.glob("[0-9][0-9]-*.png"):
                if old.stem not in KIOSK_SCREENS:  # those come from the kiosk, below
                    old.unlink()
            site.clock.move_to(MOMENT)  # each walk starts at 09:40 (the instructor's ends later)
            camera = Camera(b, site, role, folder)
            if role == "kiosk-install":
                camera.number = len(KIOSK_SCREENS)  # the staff side after the kiosk's screens
            try:
                walk(camera)
            except Exception as error:  # a page changed under the walk: say where, keep a picture
                stopped = Path(tempfile.gettempdir()) / f"manual-walk-stopped-{role}.png"
                camera.page.screenshot(path=str(stopped))
                raise SystemExit(
                    f"The {role} walk stopped after screenshot {camera.number:02d}, on"
                    f" {camera.page.url} (picture: {stopped}): {str(error).splitlines()[0]}\n"
                    f"The page has changed: update the walk in {Path(__file__).name}"
                    f" and {doc}."
                ) from error
            finally:
                camera.close()
            print(f"{role}: {len(camera.taken)} screenshots in {folder}")
        site.clock.move_to(MOMENT)
        statuses = check_pages(b, site, manuals)
    if kiosk:
        kiosk_screens(shots / "kiosk-install")
    return statuses


# -- the PDFs ------------------------------------------------------------------------------

PRINT_CSS = """
@page { size: A4; margin: 16mm 15mm 18mm 15mm; }
html { font-family: "BIZ UDPGothic", "BIZ UDGothic", "Noto Sans CJK JP", sans-serif;
  font-size: 11pt; line-height: 1.7; color: #111; }
body { margin: 0; }
h1 { font-size: 22pt; border-bottom: 3px solid #0b4f8a; padding-bottom: 4mm; margin: 0 0 6mm; }
h2 { font-size: 16pt; color: #0b4f8a; border-left: 6px solid #0b4f8a; padding-left: 3mm;
  margin: 9mm 0 3mm; break-after: avoid; }
h3 { font-size: 13pt; margin: 6mm 0 2mm; break-after: avoid; }
p, li { orphans: 3; widows: 3; }
img { display: block; max-width: 100%; max-height: 95mm; margin: 2mm auto 4mm;
  border: 1px solid #999; break-inside: avoid; }
p:has(> img) { break-inside: avoid; }
p:has(> strong:only-child) { break-after: avoid; }  /* 「うまくいかないとき」 stays with its list */
code { font-family: "BIZ UDGothic", "Noto Sans Mono CJK JP", monospace; font-size: 0.92em;
  background: #f1f3f5; padding: 0 1mm; border-radius: 1mm; overflow-wrap: anywhere; }
pre { background: #f1f3f5; padding: 3mm; white-space: pre-wrap; overflow-wrap: anywhere;
  break-inside: avoid; font-size: 9.5pt; line-height: 1.45; }
pre code { background: none; padding: 0; }
table { border-collapse: collapse; width: 100%; font-size: 10pt; break-inside: avoid; }
th, td { border: 1px solid #999; padding: 1.5mm 2mm; text-align: left; vertical-align: top; }
th { background: #e7eef6; }
blockquote { break-inside: avoid; margin: 3mm 0; padding: 2mm 4mm; background: #f4f8fc; border-left: 4px solid #6c9bd2; }
blockquote p { margin: 1mm 0; }
hr { border: none; border-top: 1px dashed #999; margin: 5mm 0; }
a { color: inherit; text-decoration: none; }
.lang-en { color: #333; }
"""

FOOTER = (
    "<div style=\"width:100%;font-size:8pt;font-family:'BIZ UDPGothic',sans-serif;"
    'color:#555;padding:0 15mm;display:flex;justify-content:space-between;">'
    "<span>{title}</span><span><span class=pageNumber></span> / <span class=totalPages></span>"
    "</span></div>"
)


def manual_html(markdown_text: str, title: str, image_dir: Path) -> str:
    """The manual as one HTML page for print; its images point at `image_dir`."""
    from markdown_it import MarkdownIt

    renderer = MarkdownIt("commonmark", {"html": False}).enable("table")
    body = renderer.render(markdown_text)

    def local(match: re.Match) -> str:
        src = match.group(1)
        if "img/manual/" not in src:
            return match.group(0)
        return 'src="' + (image_dir / src.split("img/manual/", 1)[1]).resolve().as_uri() + '"'

    body = re.sub(r'src="([^"]+)"', local, body)
    # a line break after Japanese text is no space (a browser would show one); code keeps its
    parts = re.split(r"(<pre>.*?</pre>)", body, flags=re.S)
    body = "".join(
        part if part.startswith("<pre>") else re.sub(f"(?<=[{CJK}])\n(?=[^<\n])", "", part)
        for part in parts
    )
    return (
        '<!doctype html><html lang="ja"><head><meta charset="utf-8">'
        f"<title>{title}</title><style>{PRINT_CSS}</style></head><body>{body}</body></html>"
    )


def make_pdfs(manuals: Path, shots: Path, out: Path) -> list[Path]:
    """docs/manual/<role>.md -> out/<role>.pdf, printed by Chromium."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with chromium() as browser:
        page = browser.new_page()
        for role, title in TITLES.items():
            source = manuals / f"{role}.md"
            html_file = out / f"{role}.html"
            html_file.write_text(
                manual_html(source.read_text(encoding="utf-8"), title, shots), encoding="utf-8"
            )
            page.goto(html_file.as_uri())
            page.wait_for_load_state("load")
            pdf = out / f"{role}.pdf"
            page.pdf(
                path=str(pdf),
                format="A4",
                print_background=True,
                prefer_css_page_size=True,
                display_header_footer=True,
                header_template="<span></span>",
                footer_template=FOOTER.format(title=title),
            )
            written.append(pdf)
            print(f"{role}: {pdf}")
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out",
        type=Path,
        help="write screenshots to OUT/img/manual and PDFs to OUT/manual "
        "(default: docs/img/manual and build/manual)",
    )
    parser.add_argument("--pdf-only", action="store_true", help="PDFs from existing screenshots")
    parser.add_argument(
        "--no-content",
        action="store_true",
        help="skip the content editor's walk (docs/img/content; its own test walks it)",
    )
    parser.add_argument(
        "--no-kiosk",
        action="store_true",
        help="do not redraw the kiosk's own screens (use the committed ones)",
    )
    args = parser.parse_args(argv)
    shots = args.out / "img" / "manual" if args.out else SHOTS
    content_shots = args.out / "img" / "content" if args.out else CONTENT_SHOTS
    pdfs = args.out / "manual" if args.out else PDFS
    if not Path(CHROMIUM).exists():
        print(f"Chromium not found at {CHROMIUM} (apt install chromium)", file=sys.stderr)
        return 1
    problems = []
    if not args.pdf_only:
        statuses = take_screenshots(
            shots,
            MANUALS,
            kiosk=not args.no_kiosk,
            content_shots=content_shots,
            content=not args.no_content,
        )
        pdfs.mkdir(parents=True, exist_ok=True)
        (pdfs / "pages.json").write_text(json.dumps(statuses, indent=1, ensure_ascii=False))
        problems += [
            f"{role}.md names {path}, which answers {status}"
            for role, pages in statuses.items()
            for path, status in pages.items()
            if status != 200
        ]
        if args.out and shots != SHOTS:
            # the kiosk's screens need Xvfb; not redrawn, the committed ones serve
            for name in KIOSK_SCREENS:
                target = shots / "kiosk-install" / f"{name}.png"
                if not target.exists() and (SHOTS / "kiosk-install" / target.name).exists():
                    shutil.copy(SHOTS / "kiosk-install" / target.name, target)
    for role in TITLES:
        text = (MANUALS / f"{role}.md").read_text(encoding="utf-8")
        for src in IMAGE.findall(text):
            if "img/manual/" in src and not (shots / src.split("img/manual/", 1)[1]).exists():
                problems.append(f"{role}.md shows {src}, which was not taken")
    if not args.no_content:
        problems += [
            f"content-authors.md shows {src}, which was not taken"
            for src in IMAGE.findall(CONTENT_DOC.read_text(encoding="utf-8"))
            if src.startswith("img/content/") and not (content_shots / Path(src).name).exists()
        ]
    make_pdfs(MANUALS, shots, pdfs)
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
