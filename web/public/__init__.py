"""Public pages (no login): the class schedule at `/`, a page per class and per guide,
the accessibility statement, and the language switch. Nothing personal is ever shown."""

from . import booking, routes  # noqa: F401
from .blueprint import bp  # noqa: F401
