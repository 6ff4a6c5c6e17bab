"""Instructors (/teach): their sessions, rosters without phone numbers, and check-in."""

from . import routes  # noqa: F401
from .blueprint import bp  # noqa: F401
