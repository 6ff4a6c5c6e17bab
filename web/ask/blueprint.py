"""The ask blueprint: a public page, open to everyone, in the visitor's language."""

from flask import Blueprint

from ..extensions import csrf

bp = Blueprint(
    "ask",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/ask/static",
)

# /ask is asked without a CSRF token, so that the question box on the public schedule and
# guide pages can post to it without giving the visitor a session cookie. A token would
# protect nothing here: the page is open to anyone, acts for no one (a staff login changes
# nothing on it) and only answers, counting an unsure question without a name.
csrf.exempt(bp)
