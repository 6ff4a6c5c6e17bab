"""Errors a person can act on. Messages are English msgids, translated where shown."""

from __future__ import annotations

from collections.abc import Callable

from languages import N_
from languages import gettext as default_gettext


class Msg(str):
    """A parameter that is itself a msgid, translated together with the message."""


class DomainError(Exception):
    """A rule said no. `message` is a msgid; `params` fill it; `field` names the input."""

    message = N_("This could not be done.")
    #: how the kiosk API answers it: the HTTP status and the machine-readable error code
    status = 409
    code = "conflict"

    def __init__(self, message: str | None = None, *, field: str | None = None, **params) -> None:
        if message is not None:
            self.message = message
        self.field = field
        self.params = params
        super().__init__(self.message % params if params else self.message)

    def translate(
        self,
        gettext: Callable[[str], str] = default_gettext,
        format_value: Callable[[object], object] | None = None,
    ) -> str:
        """The message in the caller's language; `format_value` renders other params
        (a web page shows a datetime parameter in the ward's time, Japanese style)."""
        text = gettext(self.message)
        if not self.params:
            return text
        return text % {
            k: gettext(v) if isinstance(v, Msg) else (format_value(v) if format_value else v)
            for k, v in self.params.items()
        }


class NotFound(DomainError):
    message = N_("It was not found.")
    status = 404
    code = "not_found"


class InvalidInput(DomainError):
    """One or more fields are wrong; `errors` maps each field to its own error."""

    message = N_("Please check the highlighted entries.")
    status = 422
    code = "invalid"

    def __init__(self, errors: dict[str, DomainError]) -> None:
        super().__init__()
        self.errors = errors

    def __str__(self) -> str:
        return "; ".join(f"{field}: {error}" for field, error in self.errors.items())

    @classmethod
    def single(cls, field: str, message: str, **params) -> InvalidInput:
        return cls({field: DomainError(message, field=field, **params)})


class AlreadyRegistered(DomainError):
    message = N_("This person is already registered for this class (%(status)s).")
    code = "already_registered"


class SessionNotOpen(DomainError):
    message = N_("This class is not open for registration (%(reason)s).")
    code = "session_not_open"


class LotteryClosed(DomainError):
    message = N_("Applications for this lottery closed on %(deadline)s; the draw is pending.")
    code = "lottery_closed"


class LotteryAlreadyDrawn(DomainError):
    message = N_("The lottery for this class was already drawn (seed %(seed)s).")


class LotteryStillOpen(DomainError):
    message = N_("Applications are open until %(deadline)s; draw after that.")


class NotALottery(DomainError):
    message = N_(
        "This class takes registrations first come, first served; there is nothing to draw."
    )


class UndoRefused(DomainError):
    message = N_("The cancellation cannot be undone: %(reason)s. Please register the person again.")
    code = "undo_refused"


class WrongSession(DomainError):
    message = N_("This slip is for another class: %(course)s, %(when)s at %(venue)s.")


class UnknownCode(DomainError):
    message = N_("No reservation has the code %(code)s.")


class NotConfirmed(DomainError):
    message = N_("This reservation is not confirmed (%(status)s).")


class CapacityTooLarge(DomainError):
    message = N_("The capacity %(capacity)s is larger than the room holds (%(venue_capacity)s).")


class IdempotencyKeyReused(DomainError):
    message = N_("This request key was already used for a different registration.")
    code = "idempotency_key_reused"
