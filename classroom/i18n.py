"""Gettext moved to the leaf package ``languages`` (issue 15); this name stays only until
the kiosk's booking screens import it from there."""

from languages import *  # noqa: F403
from languages import N_, _, gettext, ngettext, translations  # noqa: F401
