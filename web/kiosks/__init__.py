"""The coordinators' kiosk board (/office/kiosks): kiosks online or not, and calls for help."""

from . import routes  # noqa: F401
from .blueprint import bp  # noqa: F401
