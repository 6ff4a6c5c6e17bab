"""Placeholder: filled in by issue 18 work."""

from .blueprint import bp  # noqa: F401
