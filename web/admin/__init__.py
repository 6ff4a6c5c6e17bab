"""Administrators (/admin): staff accounts, venues and courses."""

from flask import Blueprint

from ..access import ADMIN_ROLES, role_required

bp = Blueprint("admin", __name__, template_folder="templates")


@bp.before_request
@role_required(*ADMIN_ROLES)
def _admins_only():
    """Every admin page: administrators only."""


from . import places, routes  # noqa: E402,F401
