"""The handouts blueprint and who may use it; its views attach themselves to it."""

from flask import Blueprint

from ..access import TEACH_ROLES, role_required

bp = Blueprint("handouts", __name__, template_folder="templates")


@bp.before_request
@role_required(*TEACH_ROLES)
def _staff_only():
    """Instructors and coordinators print handouts; residents get them on paper."""
