"""The auth blueprint and who may use it; its views attach themselves to it."""

from flask import Blueprint

bp = Blueprint("auth", __name__, template_folder="templates")
