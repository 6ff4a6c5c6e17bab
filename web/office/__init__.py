"""The coordinators' office (/office): residents, class sessions, registrations, calls."""

from . import content_review, loans, routes, scheduling, session_edit, slips, unanswered  # noqa: F401
from .blueprint import bp  # noqa: F401
