"""A stand-in for the kiosk API on 127.0.0.1: dedupes by Idempotency-Key, can fail on purpose."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SESSION = {
    "id": 12,
    "course": {
        "code": "intro-iphone",
        "title": "スマホ入門（iPhone）",
        "titles": {"en": "Smartphone introduction (iPhone)"},
        "kind": "intro",
        "device_track": "iphone",
    },
    "venue": {"name": "中央図書館 2階 研修室", "names": {"en": "Central Library, 2F"}},
    "starts_at": "2026-12-03T01:00:00Z",
    "ends_at": "2026-12-03T02:30:00Z",
    "capacity": 10,
    "seats_left": 3,
    "booking_mode": "first_come",
    "application_deadline": None,
}


class FakeApi:
    """Counts what it created; ``fail_next`` answers 503 that many times first."""

    def __init__(self, token: str = "secret"):
        self.token = token
        self.fail_next = 0
        self.registrations: dict[str, dict] = {}
        #: the request body of each registration, by Idempotency-Key
        self.bookings: dict[str, dict] = {}
        self.help_requests: dict[str, dict] = {}
        #: what staff did with each call, by client_id (the board's take / close)
        self.help_status: dict[str, str] = {}
        self.events: dict[str, dict] = {}
        self.requests: list[tuple[str, str, str | None]] = []
        self.lock = threading.Lock()
        api = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def _answer(self, status: int, body: dict) -> None:
                raw = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def _handle(self, method: str) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}") if length else {}
                key = self.headers.get("Idempotency-Key")
                with api.lock:
                    api.requests.append((method, self.path, key))
                    if self.headers.get("Authorization") != f"Bearer {api.token}":
                        return self._answer(401, {"error": "unauthorized", "message": "no"})
                    if api.fail_next > 0:
                        api.fail_next -= 1
                        return self._answer(503, {"error": "unavailable", "message": "later"})
                    status, answer = api.route(method, self.path, body, key)
                self._answer(status, answer)

            def do_GET(self):  # noqa: N802
                self._handle("GET")

            def do_POST(self):  # noqa: N802
                self._handle("POST")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def route(self, method, path, body, key):
        if method == "GET" and path.startswith("/api/v1/sessions"):
            return 200, {"sessions": [SESSION]}
        if path == "/api/v1/registrations":
            if not key:
                return 422, {"error": "invalid", "message": "Idempotency-Key"}
            if key in self.registrations:
                return 201, self.registrations[key]
            if body.get("session_id") != SESSION["id"]:
                return 409, {"error": "session_not_open", "message": "closed"}
            answer = {
                "status": "confirmed",
                "position": None,
                "code": f"AB{len(self.registrations) + 2:04d}",
                "qr_token": "t" * 20,
                "session_id": body["session_id"],
            }
            self.registrations[key] = answer
            self.bookings[key] = body
            return 201, answer
        if method == "GET" and path.startswith("/api/v1/help-requests/"):
            client_id = path.rsplit("/", 1)[1]
            if client_id not in self.help_requests:
                return 404, {"error": "not_found", "message": "?"}
            number = list(self.help_requests).index(client_id) + 1
            return 200, {"id": number, "status": self.help_status.get(client_id, "open")}
        if path == "/api/v1/help-requests":
            self.help_requests.setdefault(body["client_id"], body)
            status = self.help_status.get(body["client_id"], "open")
            return 201, {"id": len(self.help_requests), "status": status}
        if path == "/api/v1/events":
            for event in body["events"]:
                self.events.setdefault(event["client_id"], event)
            return 200, {"accepted": len(body["events"])}
        if path == "/api/v1/heartbeat":
            return 200, {"server_time": "2026-11-26T00:00:00Z", "content_version": "1"}
        return 404, {"error": "not_found", "message": "?"}

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
