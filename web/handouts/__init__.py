"""Handouts (/handouts): lessons and guides in large print for paper, with furigana on request."""

from . import routes  # noqa: F401
from .blueprint import bp  # noqa: F401
