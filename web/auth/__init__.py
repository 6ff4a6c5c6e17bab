"""Logging in and out (/login, /logout)."""

from . import routes  # noqa: F401  (routes attach themselves to bp)
from .blueprint import bp  # noqa: F401
