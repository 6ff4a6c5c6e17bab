"""Ask in your own words (/ask, issue 20): a resident's question answered from the ward's
FAQ, guides and lessons (content.ask), on a plain form that works without JavaScript."""

from . import routes  # noqa: F401
from .blueprint import bp  # noqa: F401
