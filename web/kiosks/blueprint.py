"""The kiosks blueprint and who may use it; its views attach themselves to it."""

from flask import Blueprint

from ..access import OFFICE_ROLES, role_required

bp = Blueprint("kiosks", __name__, template_folder="templates")


@bp.before_request
@role_required(*OFFICE_ROLES)
def _coordinators_only():
    """Every page here: coordinators and admins."""
