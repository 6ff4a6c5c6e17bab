"""The coordinators' office (/office): residents, class sessions, registrations, calls."""

from flask import Blueprint

from ..access import OFFICE_ROLES, role_required

bp = Blueprint("office", __name__, template_folder="templates")


@bp.before_request
@role_required(*OFFICE_ROLES)
def _coordinators_only():
    """Every office page: coordinators and admins (checked again by each view's data)."""


from . import content_review, loans, routes, scheduling, slips  # noqa: E402,F401
