"""Administrators (/admin): staff accounts, venues and courses."""

from . import places, routes  # noqa: F401
from .blueprint import bp  # noqa: F401
