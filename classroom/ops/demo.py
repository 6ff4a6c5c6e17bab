"""A believable ward year of smartphone classes, for demonstrations and trials.

The ward's plan reports "31 sessions held, 174 participants in total": fiscal year 2025
(令和7年度) here has exactly that, in a library and two community centres, both course
kinds and all three device tracks. Fiscal year 2026 runs up to today, and there are
upcoming sessions with a waitlist and an open lottery. Names are put together from
common family and given names at random and phone numbers use the unassigned
090-0000 block: they belong to nobody.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from languages import N_
from languages import gettext as _

from ..db import Database
from ..models import (
    ATTENDED_STATUSES,
    Attendance,
    AttendanceStatus,
    BookingMode,
    ClassSession,
    Course,
    CourseKind,
    Device,
    DeviceTrack,
    Need,
    Participant,
    ProgressRecord,
    Role,
    Source,
    User,
    Venue,
    VenueKind,
)
from ..services import attendance, registration, residents, sessions
from ..services.actor import Actor
from ..services.errors import DomainError
from ..services.reports import fiscal_year_bounds, fiscal_year_of
from ..settings import ward_zone

FY_SESSIONS = 31
FY_ATTENDANCES = 174

#: the "I can ..." items of the demo courses' lessons, as content/lessons names them (the
#: domain core reads no content; tests/classroom/test_progress_outcomes.py checks they match)
DEMO_ITEMS = {
    "cashless-payment": ("kinds", "show-code", "scan-pay", "history", "bill-pay"),
    "intro-01-power": ("find-buttons", "power-on", "sleep-wake", "volume", "power-off"),
    "intro-02-touch": ("tap-swipe", "go-home", "make-call", "answer-call", "end-call"),
    "intro-03-typing": ("switch-keyboard", "type-kana", "convert-kanji", "delete", "voice-input"),
    "intro-04-internet": ("wifi", "search", "back", "spot-ads", "zoom"),
    "intro-05-camera-qr": ("open-camera", "view-photos", "delete-photo", "read-qr", "check-qr"),
    "kokin-account": ("login", "register", "check", "spot-scam", "help-number"),
    "line-basics": ("register", "add-friend", "send-message", "photo-sticker", "video-call"),
    "mynaportal": ("card-position", "login", "view-records", "hoken-register", "clinic"),
    "mynumber-card": ("apply-flow", "pin-4", "pin-signature", "lock-counter", "lost-card"),
    "scam-protection": (
        "spot-scam",
        "no-link-no-call",
        "never-pin",
        "close-warning",
        "advice-numbers",
    ),
    "smartphone-certificate": (
        "add-to-phone",
        "read-card",
        "phone-login",
        "change-phone",
        "lost-phone",
    ),
}
#: how many of a class's items a person leaves for next time (most show nearly all)
MISSED = (0, 0, 0, 1, 1, 2, 3, 5)

FAMILY = [
    ("佐藤", "サトウ"),
    ("鈴木", "スズキ"),
    ("高橋", "タカハシ"),
    ("田中", "タナカ"),
    ("伊藤", "イトウ"),
    ("渡辺", "ワタナベ"),
    ("山本", "ヤマモト"),
    ("中村", "ナカムラ"),
    ("小林", "コバヤシ"),
    ("加藤", "カトウ"),
    ("吉田", "ヨシダ"),
    ("山田", "ヤマダ"),
    ("佐々木", "ササキ"),
    ("山口", "ヤマグチ"),
    ("松本", "マツモト"),
    ("井上", "イノウエ"),
    ("木村", "キムラ"),
    ("林", "ハヤシ"),
    ("清水", "シミズ"),
    ("森", "モリ"),
]
GIVEN = [
    ("和子", "カズコ"),
    ("幸子", "サチコ"),
    ("節子", "セツコ"),
    ("洋子", "ヨウコ"),
    ("恵子", "ケイコ"),
    ("久美子", "クミコ"),
    ("弘子", "ヒロコ"),
    ("京子", "キョウコ"),
    ("茂", "シゲル"),
    ("博", "ヒロシ"),
    ("実", "ミノル"),
    ("清", "キヨシ"),
    ("勇", "イサム"),
    ("進", "ススム"),
    ("隆", "タカシ"),
    ("明", "アキラ"),
]

#: code, Japanese title, its other languages (ja-easy, en, zh-Hans, ko), kind, track, lessons
COURSES = [
    (
        "intro-iphone",
        "スマホ入門（iPhone）",
        {
            "ja-easy": "スマホ　にゅうもん（iPhone）",
            "en": "Smartphone introduction (iPhone)",
            "zh-Hans": "智能手机入门（iPhone）",
            "ko": "스마트폰 입문 (iPhone)",
        },
        CourseKind.INTRO,
        DeviceTrack.IPHONE,
        [
            "intro-01-power",
            "intro-02-touch",
            "intro-03-typing",
            "intro-04-internet",
            "intro-05-camera-qr",
        ],
    ),
    (
        "intro-android",
        "スマホ入門（Android）",
        {
            "ja-easy": "スマホ　にゅうもん（Android）",
            "en": "Smartphone introduction (Android)",
            "zh-Hans": "智能手机入门（Android）",
            "ko": "스마트폰 입문 (Android)",
        },
        CourseKind.INTRO,
        DeviceTrack.ANDROID,
        [
            "intro-01-power",
            "intro-02-touch",
            "intro-03-typing",
            "intro-04-internet",
            "intro-05-camera-qr",
        ],
    ),
    (
        "intro-senior",
        "スマホ入門（らくらくスマートフォン）",
        {
            "ja-easy": "スマホ　にゅうもん（らくらくスマートフォン）",
            "en": "Smartphone introduction (senior phones)",
            "zh-Hans": "智能手机入门（乐乐手机 らくらくスマートフォン）",
            "ko": "스마트폰 입문 (라쿠라쿠 스마트폰)",
        },
        CourseKind.INTRO,
        DeviceTrack.SENIOR,
        ["intro-01-power", "intro-02-touch", "intro-03-typing"],
    ),
    (
        "op-mynumber",
        "ワンポイント教室：マイナンバーカードとマイナポータル",
        {
            "ja-easy": "ワンポイントきょうしつ：マイナンバーカードと　マイナポータル",
            "en": "One-point class: My Number Card and Mynaportal",
            "zh-Hans": "单项讲座：个人编号卡和マイナポータル（Mynaportal）",
            "ko": "원포인트 교실: 마이넘버카드와 마이나포털",
        },
        CourseKind.ONE_POINT,
        DeviceTrack.ANY,
        ["mynumber-card", "mynaportal", "smartphone-certificate", "kokin-account"],
    ),
    (
        "op-line",
        "ワンポイント教室：LINEを始めよう",
        {
            "ja-easy": "ワンポイントきょうしつ：LINEを　はじめよう",
            "en": "One-point class: getting started with LINE",
            "zh-Hans": "单项讲座：开始使用LINE",
            "ko": "원포인트 교실: LINE 시작하기",
        },
        CourseKind.ONE_POINT,
        DeviceTrack.ANY,
        ["line-basics"],
    ),
    (
        "op-cashless",
        "ワンポイント教室：キャッシュレス決済",
        {
            "ja-easy": "ワンポイントきょうしつ：キャッシュレスで　はらう",
            "en": "One-point class: cashless payment",
            "zh-Hans": "单项讲座：无现金支付",
            "ko": "원포인트 교실: 현금 없는 결제",
        },
        CourseKind.ONE_POINT,
        DeviceTrack.ANY,
        ["cashless-payment"],
    ),
    (
        "op-scam",
        "ワンポイント教室：詐欺から身を守る",
        {
            "ja-easy": "ワンポイントきょうしつ：さぎから　みを　まもる",
            "en": "One-point class: protect yourself from scams",
            "zh-Hans": "单项讲座：防范诈骗",
            "ko": "원포인트 교실: 사기로부터 자신을 지키기",
        },
        CourseKind.ONE_POINT,
        DeviceTrack.ANY,
        ["scam-protection"],
    ),
]

#: Japanese name (the sign), its other languages, kind, address, access line (Japanese), its
#: other languages, seats, loaner phones. Translations keep the Japanese names of stations
#: and bus stops beside them: that is what the signs say.
VENUES = [
    (
        "つなぐ区立中央図書館 2階 研修室",
        {
            "ja-easy": "つなぐくりつ　ちゅうおう　としょかん　2かい　けんしゅうしつ",
            "en": "Tsunagu Central Library, training room (2F)",
            "zh-Hans": "つなぐ区立中央图书馆 2楼 培训室",
            "ko": "쓰나구 구립 중앙도서관 2층 연수실",
        },
        VenueKind.LIBRARY,
        "つなぐ区中央1-2-3",
        "つなぐ駅 東口から徒歩5分。エレベーターがあります。",
        {
            "ja-easy": "つなぐえき　ひがしぐちから　あるいて　5ふん。エレベーターが　あります。",
            "en": "5 minutes on foot from the east exit of Tsunagu Station (つなぐ駅)."
            " There is a lift.",
            "zh-Hans": "从つなぐ站（つなぐ駅）东口步行5分钟。有电梯。",
            "ko": "쓰나구역(つなぐ駅) 동쪽 출구에서 걸어서 5분. 엘리베이터가 있습니다.",
        },
        16,
        4,
    ),
    (
        "東つなぐ地域センター 会議室A",
        {
            "ja-easy": "ひがしつなぐ　ちいきセンター　かいぎしつA",
            "en": "East Tsunagu Community Centre, room A",
            "zh-Hans": "东つなぐ社区中心 会议室A",
            "ko": "히가시쓰나구 지역 센터 회의실 A",
        },
        VenueKind.COMMUNITY_CENTRE,
        "つなぐ区東4-5-6",
        "区役所前バス停から徒歩2分。",
        {
            "ja-easy": "バスてい「区役所前（くやくしょまえ）」から　あるいて　2ふん。",
            "en": "2 minutes on foot from the Kuyakusho-mae (区役所前) bus stop.",
            "zh-Hans": "从“区役所前”公交车站步行2分钟。",
            "ko": "구청 앞(区役所前) 버스 정류장에서 걸어서 2분.",
        },
        12,
        2,
    ),
    (
        "西つなぐ地域センター 多目的室",
        {
            "ja-easy": "にしつなぐ　ちいきセンター　たもくてきしつ",
            "en": "West Tsunagu Community Centre, multipurpose room",
            "zh-Hans": "西つなぐ社区中心 多功能室",
            "ko": "니시쓰나구 지역 센터 다목적실",
        },
        VenueKind.COMMUNITY_CENTRE,
        "つなぐ区西7-8-9",
        "西つなぐ駅から徒歩7分。駐輪場があります。",
        {
            "ja-easy": "にしつなぐえきから　あるいて　7ふん。じてんしゃを　とめる　ところが　あります。",
            "en": "7 minutes on foot from Nishi-Tsunagu Station (西つなぐ駅)."
            " There is bicycle parking.",
            "zh-Hans": "从西つなぐ站（西つなぐ駅）步行7分钟。有自行车停车场。",
            "ko": "니시쓰나구역(西つなぐ駅)에서 걸어서 7분. 자전거 주차장이 있습니다.",
        },
        12,
        2,
    ),
]

STAFF = [
    ("demo-coordinator", "区民協働課 コーディネーター（デモ）", Role.COORDINATOR),
    ("demo-instructor-1", "講師 一号（デモ）", Role.INSTRUCTOR),
    ("demo-instructor-2", "講師 二号（デモ）", Role.INSTRUCTOR),
    # edits guides, lessons and FAQ on the site (issue 18); teaches no class, so sees no
    # resident's data
    ("demo-editor", "広報担当 コンテンツ編集（デモ）", Role.INSTRUCTOR),
]
#: demo staff who are content editors
EDITORS = {"demo-editor"}


class DatabaseNotEmpty(DomainError):
    message = N_("The database already holds data; use --force to add the demo anyway.")


def _ward_time(day: date, hour: int, minute: int = 0) -> datetime:
    """``hour:minute`` on ``day`` in the ward's time, as UTC."""
    return datetime.combine(day, time(hour, minute), ward_zone()).astimezone(UTC)


def _split(total: int, parts: int, low: int, high: int, rng: random.Random) -> list[int]:
    """`parts` whole numbers in [low, high] that add up to `total`."""
    counts = [low] * parts
    for _i in range(total - low * parts):
        candidates = [i for i, c in enumerate(counts) if c < high]
        counts[rng.choice(candidates)] += 1
    return counts


class _Ward:
    def __init__(self, db: Session, rng: random.Random, now: datetime) -> None:
        self.db, self.rng, self.now = db, rng, now
        self.actor = Actor.system()
        self.courses: list[Course] = []
        self.venues: list[Venue] = []
        self.instructors: list[User] = []
        self.people: list[Participant] = []
        #: the classes held in this run, in the order they were held
        self.held: list[ClassSession] = []

    def setup(self) -> None:
        # get-or-create, so that --force on a demo database adds sessions, not clashes
        for code, title, titles, kind, track, lessons in COURSES:
            course = self.db.scalar(select(Course).where(Course.code == code)) or Course(
                code=code,
                title=title,
                title_translations=dict(titles),
                kind=kind,
                device_track=track,
                lesson_ids=lessons,
            )
            self.db.add(course)
            self.courses.append(course)
        for name, names, kind, address, access, accesses, capacity, loaners in VENUES:
            venue = self.db.scalar(select(Venue).where(Venue.name == name)) or Venue(
                name=name,
                name_translations=dict(names),
                kind=kind,
                address=address,
                access=access,
                access_translations=dict(accesses),
                capacity=capacity,
                loaner_phones=loaners,
            )
            self.db.add(venue)
            self.venues.append(venue)
        for login, display, role in STAFF:
            user = self.db.scalar(select(User).where(User.login == login)) or User(
                login=login, display_name=display, role=role
            )
            user.content_editor = login in EDITORS
            self.db.add(user)
            if role == Role.INSTRUCTOR and login not in EDITORS:
                self.instructors.append(user)
        self.db.flush()

    def resident(self, created: datetime) -> Participant:
        family, family_kana = self.rng.choice(FAMILY)
        given, given_kana = self.rng.choice(GIVEN)
        device = self.rng.choices(
            [Device.IPHONE, Device.ANDROID, Device.SENIOR, Device.NONE], weights=[3, 3, 3, 1]
        )[0]
        needs = [
            n.value
            for n in (Need.HEARING_AID, Need.LARGE_PRINT, Need.WHEELCHAIR)
            if self.rng.random() < 0.08
        ]
        if device == Device.NONE:
            needs.append(Need.LOANER_PHONE.value)
        person = residents.create_participant(
            self.db,
            family_name=family,
            given_name=given,
            reading=f"{family_kana} {given_kana}",
            phone=f"090-0000-{len(self.people) + 1:04d}",
            birth_year=self.rng.choice(range(1936, 1966)),
            device=device,
            needs=needs,
            consent=True,
            source=self.rng.choice([Source.PHONE, Source.PHONE, Source.COUNTER, Source.KIOSK]),
            actor=self.actor,
            now=created,
        )
        self.people.append(person)
        return person

    def session(
        self,
        day: date,
        course: Course,
        venue: Venue,
        *,
        capacity: int | None = None,
        lottery_deadline: datetime | None = None,
    ) -> ClassSession:
        hour = self.rng.choice([10, 14])
        return sessions.create_session(
            self.db,
            course_id=course.id,
            venue_id=venue.id,
            starts_at=_ward_time(day, hour),
            ends_at=_ward_time(day, hour + 1, 30),
            capacity=capacity or min(venue.capacity, 10),
            booking_mode=BookingMode.LOTTERY if lottery_deadline else BookingMode.FIRST_COME,
            application_deadline=lottery_deadline,
            instructor_ids=[self.rng.choice(self.instructors).id],
            actor=self.actor,
            now=self.now,
        )

    def held_session(self, day: date, attendees: int) -> None:
        course = self.rng.choice(self.courses)
        venue = self.rng.choice(self.venues)
        session = self.session(day, course, venue)
        booked_at = session.starts_at - timedelta(days=10)
        regulars = [p for p in self.people if p.created_at <= booked_at]
        walk_ins = 1 if attendees > 3 and self.rng.random() < 0.3 else 0
        no_shows = 1 if self.rng.random() < 0.4 else 0
        registrants = attendees - walk_ins + no_shows
        chosen: list[Participant] = []
        while len(chosen) < registrants:
            # three in four come back; the rest are new to the classes
            pool = [p for p in regulars if p not in chosen]
            if pool and self.rng.random() < 0.45:
                chosen.append(self.rng.choice(pool))
            else:
                chosen.append(self.resident(booked_at - timedelta(days=1)))
        for person in chosen:
            registration.register(
                self.db,
                session_id=session.id,
                participant_id=person.id,
                source=person.source,
                actor=self.actor,
                now=booked_at,
            )
        present = chosen[: registrants - no_shows]
        for person in present:
            status = AttendanceStatus.LATE if self.rng.random() < 0.1 else AttendanceStatus.PRESENT
            attendance.mark_attendance(
                self.db,
                session_id=session.id,
                participant_id=person.id,
                status=status,
                actor=self.actor,
                now=session.starts_at,
            )
        for person in chosen[registrants - no_shows :]:
            attendance.mark_attendance(
                self.db,
                session_id=session.id,
                participant_id=person.id,
                status=AttendanceStatus.ABSENT,
                actor=self.actor,
                now=session.starts_at,
            )
        for _w in range(walk_ins):
            person = self.resident(session.starts_at - timedelta(minutes=5))
            attendance.mark_attendance(
                self.db,
                session_id=session.id,
                participant_id=person.id,
                status=AttendanceStatus.PRESENT,
                actor=self.actor,
                now=session.starts_at,
            )
        sessions.mark_held(self.db, session.id, actor=self.actor, now=session.ends_at)
        self.held.append(session)

    def learned(self, rng: random.Random) -> None:
        """What each person who came showed in class (できたことの記録): most of the items
        of the course's lessons, a few left for next time; someone who comes back to a
        course shows what was left. Its own random stream, so the classes, people and
        attendance stay as they were."""
        done: dict[int, set[str]] = {}
        for pid, item in self.db.execute(
            select(ProgressRecord.participant_id, ProgressRecord.item_id)
        ):
            done.setdefault(pid, set()).add(item)
        for session in self.held:
            items = [
                f"{lesson}/{item}"
                for lesson in session.course.lesson_ids
                for item in DEMO_ITEMS.get(lesson, ())
            ]
            came = self.db.scalars(
                select(Attendance.participant_id)
                .where(
                    Attendance.session_id == session.id,
                    Attendance.status.in_(ATTENDED_STATUSES),
                )
                .order_by(Attendance.participant_id)
            )
            marked_by = session.instructors[0].id if session.instructors else None
            for pid in came:
                shown = done.setdefault(pid, set())
                left = [item for item in items if item not in shown]
                missed = set(rng.sample(left, min(len(left), rng.choice(MISSED))))
                for minute, item in enumerate(i for i in left if i not in missed):
                    self.db.add(
                        ProgressRecord(
                            participant_id=pid,
                            item_id=item,
                            session_id=session.id,
                            marked_by_id=marked_by,
                            marked_at=session.starts_at + timedelta(minutes=15 + minute * 3),
                        )
                    )
                    shown.add(item)
        self.db.flush()

    def year(self, fiscal_year: int, n_sessions: int, n_attendances: int, until: datetime) -> int:
        """Hold up to `n_sessions` classes, at most one a week, in the weeks before `until`.

        A year that has only just begun holds as many as it has had weeks for (none in its
        first week), with the same attendance per class. Returns the number held.
        """
        start, end = fiscal_year_bounds(fiscal_year)
        end = min(end, until)
        weeks = max(0, (end - start).days // 7)
        held = min(n_sessions, weeks)
        if held < n_sessions:
            n_attendances = round(n_attendances * held / n_sessions)
        chosen_weeks = sorted(self.rng.sample(range(weeks), held))
        counts = _split(n_attendances, held, 3, 9, self.rng)
        for week, count in zip(chosen_weeks, counts, strict=True):
            day = start.astimezone(ward_zone()).date() + timedelta(
                weeks=week, days=self.rng.choice([1, 2, 3])
            )
            self.held_session(day, count)
        return held

    def upcoming(self) -> None:
        today = self.now.astimezone(ward_zone()).date()
        for offset in (3, 6, 10, 13, 17, 24, 31):
            self.session(
                today + timedelta(days=offset),
                self.rng.choice(self.courses),
                self.rng.choice(self.venues),
            )
        # a popular class: full, with a waitlist of three
        full = self.session(today + timedelta(days=8), self.courses[3], self.venues[0], capacity=6)
        for _i in range(9):
            person = self.resident(self.now - timedelta(days=2))
            registration.register(
                self.db,
                session_id=full.id,
                participant_id=person.id,
                source=Source.PHONE,
                actor=self.actor,
                now=self.now,
            )
        # a lottery still taking applications
        deadline = _ward_time(today + timedelta(days=12), 17)
        lottery = self.session(
            today + timedelta(days=20),
            self.courses[4],
            self.venues[1],
            capacity=8,
            lottery_deadline=deadline,
        )
        for person in self.rng.sample(self.people, 11):
            registration.register(
                self.db,
                session_id=lottery.id,
                participant_id=person.id,
                source=Source.PHONE,
                actor=self.actor,
                now=self.now,
            )


def is_empty(db: Session) -> bool:
    return not any(
        db.scalar(select(func.count()).select_from(model)) for model in (Course, Venue, Participant)
    )


def load_demo(
    database: Database,
    *,
    seed: int = 2025,
    force: bool = False,
    now: datetime | None = None,
    progress: Callable[[str], None] | None = None,
) -> list[str]:
    """Fill the database; refuses one that holds data unless `force`. Returns a summary."""
    now = now or datetime.now(UTC)
    rng = random.Random(seed)
    with database.write() as db:
        if not force and not is_empty(db):
            raise DatabaseNotEmpty()
        ward = _Ward(db, rng, now)
        ward.setup()
        current_fy = fiscal_year_of(now)
        ward.year(current_fy - 1, FY_SESSIONS, FY_ATTENDANCES, until=now)
        ward.year(current_fy, 18, 97, until=now - timedelta(days=1))
        ward.learned(random.Random(seed + 1))
        ward.upcoming()
        people = len(ward.people)
    return [
        _("Demo data loaded: %(courses)s courses, %(venues)s venues, %(people)s residents.")
        % {"courses": len(COURSES), "venues": len(VENUES), "people": people},
        _("Fiscal year %(fy)s: %(sessions)s sessions held, %(attendances)s attendances.")
        % {"fy": current_fy - 1, "sessions": FY_SESSIONS, "attendances": FY_ATTENDANCES},
    ]


DEMO_ADMIN_LOGIN = "demo-admin"


def ensure_demo_staff_passwords(database: Database, instance_dir) -> list[tuple[str, str, str]]:
    """Give the demo's staff (and a demo admin) passwords, kept in instance/demo-logins.txt.

    Returns (login, role, password) for each. The file is readable by its owner only;
    a ward's real deployment has no demo accounts (`tsunagu users create` instead).
    """
    import secrets
    from pathlib import Path

    from ..services import accounts

    path = Path(instance_dir) / "demo-logins.txt"
    known = {}
    if path.exists():
        for line in path.read_text().splitlines():
            login, role, password = line.split("\t")
            known[login] = (login, role, password)
    wanted = [(DEMO_ADMIN_LOGIN, "管理者（デモ）", Role.ADMIN)] + STAFF
    with database.write() as db:
        for login, display, role in wanted:
            user = db.scalar(select(User).where(User.login == login))
            if login in known and user is not None and user.password_hash:
                continue
            password = "-".join(secrets.token_hex(2) for _ in range(4))
            if user is None:
                created = accounts.create_user(
                    db,
                    login=login,
                    role=role,
                    password=password,
                    display_name=display,
                    actor=Actor.system(),
                )
                created.content_editor = login in EDITORS
            else:
                accounts.set_password(db, user.id, password, actor=Actor.system())
            known[login] = (login, role.value, password)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join("\t".join(row) + "\n" for row in known.values()))
    path.chmod(0o600)
    return list(known.values())
