"""The ask blueprint: a public page, open to everyone, in the visitor's language."""

from flask import Blueprint

bp = Blueprint(
    "ask",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/ask/static",
)
