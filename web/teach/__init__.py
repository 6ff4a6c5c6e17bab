"""Instructors (/teach): their sessions, rosters without phone numbers, and check-in."""

from . import progress, routes  # noqa: F401
from .blueprint import bp  # noqa: F401
