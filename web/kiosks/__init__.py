"""The coordinators' kiosk board (/office/kiosks): kiosks online or not, and calls for help."""

from flask import Blueprint

from ..access import OFFICE_ROLES, role_required

bp = Blueprint("kiosks", __name__, template_folder="templates")


@bp.before_request
@role_required(*OFFICE_ROLES)
def _coordinators_only():
    """Every page here: coordinators and admins."""


from . import routes  # noqa: E402,F401
