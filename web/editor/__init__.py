"""Content edited on the staff site (/editor, issue 18): guides, lessons, FAQ, pictures
and the ward settings, with drafts, preview, versions and roll back."""

from . import pictures, routes, versions, ward_settings  # noqa: F401
from .blueprint import bp  # noqa: F401
