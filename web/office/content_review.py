"""Content due for review (/office/content): guides, lessons and FAQ topics whose last
check against their public sources is over 12 months old or will be within 60 days,
and whether the ward's own content settings are in use. Coordinators and admins."""

from __future__ import annotations

from flask import render_template

from content.model import LANGUAGES
from content.review import due_for_review, items
from languages.clock import ward_today

from .. import content_source
from .blueprint import bp

#: an item shows here this many days before its check turns 12 months old
SOON_DAYS = 60


@bp.route("/content")
def content_review():
    catalog = content_source.catalog()
    today = ward_today()
    due = due_for_review(catalog, today, within_days=SOON_DAYS)
    return render_template(
        "office/content_review.html",
        today=today,
        overdue=[item for item in due if item.overdue(today)],
        soon=[item for item in due if not item.overdue(today)],
        total=len(items(catalog)),
        sample_settings=catalog.settings.sample,
        languages=LANGUAGES,
    )
