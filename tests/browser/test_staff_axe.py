"""Every staff page a logged-in admin can reach passes axe-core with no serious or
critical violation: the test crawls the site from the home page, so a new page is
checked as soon as a link leads to it."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from urllib.parse import urldefrag, urlparse

from sqlalchemy import select

from classroom.models import (
    BookingMode,
    ClassSession,
    Participant,
    Registration,
    RegistrationStatus,
    Role,
)
from classroom.ops.demo import load_demo
from tests.browser.conftest import add_staff, assert_accessible, log_in

STAFF_AREAS = ("/home", "/office", "/teach", "/admin", "/reports", "/handouts", "/account")
#: links that download files or change state on GET are not pages to check
NOT_PAGES = re.compile(r"\.(csv|json|svg|zip|png)$|/logout")
MAX_PAGES = 120


def _staff_page(url: str, base: str) -> bool:
    parsed = urlparse(url)
    return (
        url.startswith(base)
        and parsed.path.startswith(STAFF_AREAS)
        and not NOT_PAGES.search(parsed.path)
    )


def _shape(url: str) -> str:
    """/office/residents/12?q=x -> /office/residents/N: one page of each kind is enough."""
    path = re.sub(r"\d+", "N", urlparse(url).path)
    # every lesson and guide handout uses one template: one of each is enough
    return re.sub(r"^/handouts/(lessons|guides)/[^/]+$", r"/handouts/\1/ID", path)


def _pages_behind_a_search(live_server, base: str) -> list[str]:
    """Pages reached by typing (a resident found by kana) or by a lottery's state."""
    with live_server.database.read() as db:
        resident = db.scalars(select(Participant).order_by(Participant.id)).first()
        confirmed = db.scalars(
            select(Registration)
            .where(Registration.status == RegistrationStatus.CONFIRMED)
            .order_by(Registration.id.desc())
        ).first()
        lottery = db.scalars(
            select(ClassSession).where(ClassSession.booking_mode == BookingMode.LOTTERY)
        ).first()
        upcoming = confirmed.session_id
    return [
        f"{base}/office/residents?q={resident.reading[:2]}",
        f"{base}/office/residents/{resident.id}",
        f"{base}/office/residents/{resident.id}/edit",
        f"{base}/office/residents/{resident.id}/register",
        f"{base}/office/registrations/{confirmed.id}",
        f"{base}/office/registrations/{confirmed.id}/slip?size=a6",
        f"{base}/office/sessions/{lottery.id}/lottery",
        f"{base}/teach/sessions/{upcoming}/walk-in?q={resident.reading[:2]}",
        f"{base}/reports/residents/{resident.id}/privacy",
    ]


def test_every_staff_page_passes_axe(live_server, page, artifacts):
    load_demo(live_server.database, now=datetime.now(UTC))
    with live_server.database.write() as db:
        add_staff(db, "kanri", Role.ADMIN, "管理 さん")
    base = live_server.url
    log_in(page, live_server, "kanri")

    seeds = [f"{base}/home", *_pages_behind_a_search(live_server, base)]
    queue, seen_shapes, checked = list(seeds), set(), []
    while queue and len(checked) < MAX_PAGES:
        url = urldefrag(queue.pop(0))[0]
        if _shape(url) in seen_shapes and url not in seeds:
            continue
        seen_shapes.add(_shape(url))
        response = page.goto(url)
        if response is None or "text/html" not in response.headers.get("content-type", ""):
            continue
        assert response.status < 500, f"{url} answered {response.status}"
        assert_accessible(page, url)
        checked.append(_shape(url))
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
            if _staff_page(href, base) and _shape(href) not in seen_shapes:
                queue.append(href)
    (artifacts / "axe-staff-pages.txt").write_text("\n".join(sorted(checked)) + "\n")
    # the crawl must have reached each area, or it checked too little to mean anything
    for area in (
        "/office/residents",
        "/office/sessions",
        "/office/calls",
        "/teach",
        "/admin",
        "/reports",
    ):
        assert any(shape.startswith(area) for shape in checked), f"never reached {area}"
    assert len(checked) >= 15
