"""The content editor's blueprint (/editor, issue 18) and who may use it.

Content editors and administrators edit and publish guides, lessons, FAQ, pictures and
the ward settings; instructors may open lessons and propose an edit (a draft an editor
reviews); coordinators may look. Each view says which of these it needs.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import Blueprint, abort
from flask_login import current_user

from classroom.models import Role

from ..access import TEACH_ROLES, role_required

bp = Blueprint("editor", __name__, template_folder="templates")


@bp.before_request
@role_required(*TEACH_ROLES)
def _staff_only():
    """Every editor page: logged-in staff (each view narrows it further)."""


def may_edit(user=current_user) -> bool:
    """Content editors and administrators: save drafts, publish, roll back, upload."""
    return bool(getattr(user, "is_authenticated", False)) and bool(user.edits_content)


def may_propose(user, kind: str) -> bool:
    """Who may save a draft of an item of ``kind``: editors any, instructors lessons (as a
    proposal an editor reviews)."""
    return may_edit(user) or (kind == "lesson" and user.role == Role.INSTRUCTOR)


def editor_required(view: Callable) -> Callable:
    """Content editors and administrators only (403 for other staff)."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if not may_edit(current_user):
            abort(403)
        return view(*args, **kwargs)

    return wrapper
