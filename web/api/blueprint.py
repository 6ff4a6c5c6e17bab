"""The API's blueprint: its views (routes.py) attach themselves to it."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("api", __name__)
