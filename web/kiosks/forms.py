from flask_wtf import FlaskForm


class ActionForm(FlaskForm):
    """Take or close a help request: a button that posts, with its CSRF token."""
