"""What a throttled login is told: how long to wait, in the reader's language.

The throttle itself (per login name and address, and per address, with back-off) is
classroom/services/throttle.py; this module only words its answer.
"""

from __future__ import annotations

from flask_babel import ngettext

from classroom.services.accounts import LoginAttempt


def throttled_message(attempt: LoginAttempt) -> str:
    minutes = attempt.retry_after_minutes
    return ngettext(
        "Too many attempts. Please try again in %(num)d minute.",
        "Too many attempts. Please try again in %(num)d minutes.",
        minutes,
    )


def throttled_headers(attempt: LoginAttempt) -> dict[str, str]:
    """Retry-After in whole seconds, for a 429."""
    if not attempt.throttled:
        return {}
    return {"Retry-After": str(max(1, int(attempt.retry_after.total_seconds() + 0.999)))}
