"""Public pages (no login): the class schedule at `/`, a page per class and per guide,
the accessibility statement, and the language switch. Nothing personal is ever shown."""

from flask import Blueprint

bp = Blueprint("public", __name__, template_folder="templates")

from . import routes  # noqa: E402,F401
