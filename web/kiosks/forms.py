from ..forms import Form


class ActionForm(Form):
    """Take or close a help request: a button that posts, with its CSRF token."""
