"""The admin blueprint and who may use it; its views attach themselves to it."""

from flask import Blueprint

from ..access import ADMIN_ROLES, role_required

bp = Blueprint("admin", __name__, template_folder="templates")


@bp.before_request
@role_required(*ADMIN_ROLES)
def _admins_only():
    """Every admin page: administrators only."""
