"""A small client for the kiosk API (docs/kiosk-api.md), without Kivy.

Blocking by design: the app calls it from a worker thread (``kiosk.services.background``)
and hands the answer back to the UI thread. Errors are exceptions that say what the
kiosk should do next: ``Unreachable`` (try again later) or ``Rejected`` (the server
said no for good; show it).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import urllib.error

#: seconds for connecting and for each read; a kiosk must never hang on the network
TIMEOUT = 8.0
API_PREFIX = "/api/v1"


class ApiError(Exception):
    """Any failure of a request."""


class Unreachable(ApiError):
    """No definitive answer (no connection, a timeout, a 5xx or 429): worth retrying."""

    def __init__(self, reason: str, retry_after: float | None = None):
        super().__init__(reason)
        self.retry_after = retry_after


@dataclass
class Rejected(ApiError):
    """A definitive refusal (4xx other than 408/429): retrying would not change it."""

    status: int
    error: str = ""
    message: str = ""
    errors: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        super().__init__(f"{self.status} {self.error}")


def retryable(status: int) -> bool:
    """True for statuses where the same request may succeed later."""
    return status >= 500 or status in (408, 425, 429)


class ApiClient:
    """Talks to one server as one kiosk (its bearer token), in one language."""

    def __init__(self, server: str, token: str, timeout: float = TIMEOUT):
        self.server = server.rstrip("/")
        self.token = token
        self.timeout = timeout
        self.language = "ja"

    @property
    def configured(self) -> bool:
        return bool(self.server)

    def request(
        self,
        method: str,
        path: str,
        body: dict | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, dict]:
        """(status, JSON body) of a 2xx answer; raises Unreachable or Rejected otherwise."""
        if not self.server:
            raise Unreachable("no server configured")
        # http.client and urllib (with email's parser) wait for the first request: a kiosk
        # without a server never sends one, and Home is drawn without them (issue 21)
        import http.client
        import urllib.error
        import urllib.request

        data = None if body is None else json.dumps(body, ensure_ascii=False).encode("utf-8")
        request = urllib.request.Request(self.server + API_PREFIX + path, data=data, method=method)
        request.add_header("Accept", "application/json")
        request.add_header("Accept-Language", self.language)
        if self.token:
            request.add_header("Authorization", f"Bearer {self.token}")
        if data is not None:
            request.add_header("Content-Type", "application/json")
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return response.status, _json(response.read())
        except urllib.error.HTTPError as exc:
            payload = _json(exc.read())
            if retryable(exc.code):
                raise Unreachable(f"HTTP {exc.code}", _retry_after(exc, payload)) from None
            raise Rejected(
                exc.code,
                str(payload.get("error", "")),
                str(payload.get("message", "")),
                {str(k): str(v) for k, v in (payload.get("errors") or {}).items()},
            ) from None
        except (OSError, http.client.HTTPException) as exc:  # URLError, timeouts, resets
            raise Unreachable(type(exc).__name__) from None

    # -- the endpoints -----------------------------------------------------------------
    def sessions(self) -> list[dict]:
        """Upcoming sessions, soonest first."""
        _status, body = self.request("GET", "/sessions")
        sessions = body.get("sessions")
        if not isinstance(sessions, list):
            raise Unreachable("malformed answer")
        return sessions

    def register(self, booking: dict, idempotency_key: str) -> dict:
        """Book a seat; the same key again returns the same answer and books nothing new."""
        return self.request(
            "POST", "/registrations", booking, {"Idempotency-Key": idempotency_key}
        )[1]

    def suggestions(self, reading: str, phone: str) -> list[dict]:
        """The next classes to suggest to the resident with this reading and phone (class
        numbers, titles and dates only), best first."""
        body = self.request("POST", "/suggestions", {"reading": reading, "phone": phone})[1]
        found = body.get("suggestions")
        if not isinstance(found, list):
            raise Unreachable("malformed answer")
        return [s for s in found if isinstance(s, dict)]

    def help_request(self, payload: dict) -> dict:
        return self.request("POST", "/help-requests", payload)[1]

    def help_status(self, client_id: str) -> str:
        """ "open", "taken" or "closed": what staff did with this kiosk's call."""
        status = self.request("GET", f"/help-requests/{client_id}")[1].get("status")
        if status not in ("open", "taken", "closed"):
            raise Unreachable("malformed answer")
        return status

    def events(self, events: list[dict]) -> dict:
        return self.request("POST", "/events", {"events": events})[1]

    def ask(self, question: str, language: str) -> dict:
        """The server's answers to a question typed on ことばで さがす (issue 20)."""
        body = self.request("POST", "/ask", {"question": question, "language": language})[1]
        if not isinstance(body.get("answers"), list):
            raise Unreachable("malformed answer")
        return body

    def popular(self, language: str, limit: int) -> list[dict]:
        """The questions others asked most, as short texts (the FAQ's own filling in)."""
        path = f"/ask/popular?language={language}&limit={limit}"
        questions = self.request("GET", path)[1].get("questions")
        if not isinstance(questions, list):
            raise Unreachable("malformed answer")
        return questions

    def heartbeat(self, app_version: str, content_version: str) -> dict:
        body = {"app_version": app_version, "content_version": content_version}
        return self.request("POST", "/heartbeat", body)[1]


def _json(raw: bytes) -> dict:
    try:
        value = json.loads(raw.decode("utf-8")) if raw else {}
    except (UnicodeDecodeError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


def _retry_after(exc: urllib.error.HTTPError, payload: dict) -> float | None:
    for value in (
        exc.headers.get("Retry-After") if exc.headers else None,
        payload.get("retry_after"),
    ):
        try:
            if value is not None:
                return float(value)
        except (TypeError, ValueError):
            continue
    return None
