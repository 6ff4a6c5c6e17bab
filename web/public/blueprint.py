"""The public blueprint and who may use it; its views attach themselves to it."""

from flask import Blueprint

bp = Blueprint("public", __name__, template_folder="templates")
