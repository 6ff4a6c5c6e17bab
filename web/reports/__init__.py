"""Reports, privacy and imports (/reports): the ward's figures, residents' APPI requests,
the audit trail (admins), and the old spreadsheet's import (coordinators)."""

from . import routes  # noqa: F401
from .blueprint import bp  # noqa: F401
