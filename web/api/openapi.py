"""The kiosk API as OpenAPI 3.1, written by hand to match docs/kiosk-api.md and the views.

tests/web/test_api_schema.py runs schemathesis against it: no 5xx, every answer in shape.
"""

from __future__ import annotations

from copy import deepcopy

from classroom.db import MAX_ROW_ID
from classroom.models import UsageKind, utcnow
from classroom.services.kiosks import LANGUAGES, MAX_EVENTS, MAX_STEP, TEXT_SIZES
from content.ask import MAX_CHARS

#: a reading as the kana keyboard writes it: full-width kana, ー, ・ and spaces
READING_PATTERN = "^[ぁ-ゖァ-ヺー・ 　]*[ぁ-ゖァ-ヺー][ぁ-ゖァ-ヺー・ 　]*$"
#: a Japanese phone number, digits only or with its usual dashes, as
#: classroom.services.phones accepts it: 0 and a digit other than 0; 11 digits for
#: 020/050/060/070/080/090 numbers, 10 for every other
_TEN = "0(?:[134][0-9]|[256789][1-9])"
_ELEVEN = "0[256789]0"
PHONE_PATTERN = (
    f"^({_ELEVEN}[0-9]{{8}}|{_ELEVEN}-[0-9]{{4}}-[0-9]{{4}}|{_TEN}[0-9]{{7}}"
    "|0(?:[134]-[0-9]|[256789]-[1-9])[0-9]{3}-[0-9]{4}"
    f"|{_TEN}-[0-9]{{3}}-[0-9]{{4}}|{_TEN}[0-9]-[0-9]{{2}}-[0-9]{{4}}"
    f"|{_TEN}[0-9]{{2}}-[0-9]-[0-9]{{4}})$"
)
#: a question: no control characters (tab and line breaks aside), one visible character
_CONTROL = "\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f"
QUESTION_PATTERN = (
    f"^[^{_CONTROL}]*[^\\s\\u200b-\\u200f\\u2028\\u2029\\ufeff{_CONTROL}][^{_CONTROL}]*$"
)
_ID = {"type": "integer", "minimum": 1, "maximum": MAX_ROW_ID}
_TIME = {"type": "string", "format": "date-time"}
_READING = {
    "type": "string",
    "maxLength": 60,
    "pattern": READING_PATTERN,
    "description": "the name in kana (hiragana or katakana), e.g. ヤマダ ハナコ",
}
_PHONE = {
    "type": "string",
    "pattern": PHONE_PATTERN,
    "description": "10 or 11 digits, e.g. 090-1234-5678 or 0312345678",
}
_CLIENT_ID = {"type": "string", "pattern": "^[A-Za-z0-9._:-]{1,80}$"}
_VERSION = {"type": "string", "pattern": "^[A-Za-z0-9._+-]{0,40}$"}

_SCHEMAS = {
    "Error": {
        "type": "object",
        "required": ["error", "message"],
        "properties": {
            "error": {"type": "string", "description": "a stable code, e.g. not_found"},
            "message": {"type": "string", "description": "for people, in the language asked"},
        },
    },
    "InvalidError": {
        "type": "object",
        "required": ["error", "message", "errors"],
        "properties": {
            "error": {"const": "invalid"},
            "message": {"type": "string"},
            "errors": {
                "type": "object",
                "description": "one message per wrong field (events[3].kind for an event)",
                "additionalProperties": {"type": "string"},
            },
        },
    },
    "RateLimited": {
        "type": "object",
        "required": ["error", "message", "retry_after"],
        "properties": {
            "error": {"const": "rate_limited"},
            "message": {"type": "string"},
            "retry_after": {"type": "integer", "minimum": 1},
        },
    },
    "Session": {
        "type": "object",
        "additionalProperties": False,
        "required": [
            "id",
            "course",
            "venue",
            "starts_at",
            "ends_at",
            "capacity",
            "seats_left",
            "booking_mode",
            "application_deadline",
            "availability",
            "public_path",
        ],
        "properties": {
            "id": _ID,
            "course": {
                "type": "object",
                "additionalProperties": False,
                "required": ["code", "title", "titles", "kind", "device_track", "lesson_ids"],
                "properties": {
                    "code": {"type": "string"},
                    "title": {"type": "string", "description": "Japanese"},
                    "titles": {
                        "type": "object",
                        "additionalProperties": {"type": "string"},
                        "description": 'other languages, e.g. {"en": ...}',
                    },
                    "kind": {"enum": ["intro", "one_point"]},
                    "device_track": {"enum": ["iphone", "android", "senior", "any"]},
                    "lesson_ids": {
                        "type": "array",
                        "items": {"type": "string"},
                        "description": "the content lessons the course teaches, "
                        "in course order (may be empty)",
                    },
                },
            },
            "venue": {
                "type": "object",
                "additionalProperties": False,
                "required": ["name", "names", "access", "accesses", "address", "lends_phones"],
                "properties": {
                    "name": {"type": "string"},
                    "names": {
                        "type": "object",
                        "additionalProperties": {"type": "string"},
                        "description": 'other languages, e.g. {"en": ...}; show `name` (the '
                        "sign's) beside one",
                    },
                    "access": {"type": "string", "description": "how to get there (Japanese)"},
                    "accesses": {
                        "type": "object",
                        "additionalProperties": {"type": "string"},
                        "description": 'how to get there in other languages, e.g. {"ko": ...};'
                        " `access` where the kiosk's language is missing",
                    },
                    "address": {"type": "string"},
                    "lends_phones": {
                        "type": "boolean",
                        "description": "the venue lends a phone to a participant without one",
                    },
                },
            },
            "starts_at": _TIME,
            "ends_at": _TIME,
            "capacity": {"type": "integer", "minimum": 1},
            "seats_left": {"type": "integer", "minimum": 0},
            "booking_mode": {"enum": ["first_come", "lottery"]},
            "application_deadline": {"anyOf": [_TIME, {"type": "null"}]},
            "availability": {
                "type": "object",
                "additionalProperties": False,
                "required": ["state", "bookable", "reason", "deadline"],
                "description": "what booking the class now would do, computed by the server "
                "(the kiosk only shows it): open = a seat is free; waitlist = every seat is "
                "taken, booking joins the waiting list (it has no limit); lottery = "
                "applications open until `deadline`; closed = nobody can book (`reason`)",
                "properties": {
                    "state": {"enum": ["open", "waitlist", "lottery", "closed"]},
                    "bookable": {"type": "boolean", "description": "false only when closed"},
                    "reason": {
                        "anyOf": [
                            {"enum": ["cancelled", "held", "started", "deadline_passed"]},
                            {"type": "null"},
                        ]
                    },
                    "deadline": {"anyOf": [_TIME, {"type": "null"}]},
                },
            },
            "public_path": {
                "type": "string",
                "pattern": "^/classes/[0-9]+$",
                "description": "the class's public page on the ward's site (date, time, place)",
            },
        },
    },
    "RegistrationRequest": {
        "type": "object",
        "additionalProperties": False,
        "required": ["session_id", "reading", "phone", "birth_year", "device"],
        "properties": {
            "session_id": _ID,
            "reading": _READING,
            "phone": _PHONE,
            "birth_year": {
                "type": "integer",
                "minimum": 1900,
                "description": "western year, up to the current year",
            },
            "device": {"enum": ["iphone", "android", "senior", "none"]},
        },
    },
    "SuggestionRequest": {
        "type": "object",
        "additionalProperties": False,
        "required": ["reading", "phone"],
        "properties": {
            "reading": _READING,
            "phone": _PHONE,
        },
    },
    "Suggestions": {
        "type": "object",
        "additionalProperties": False,
        "required": ["suggestions"],
        "properties": {
            "suggestions": {
                "type": "array",
                "maxItems": 3,
                "items": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["session_id", "title", "titles", "starts_at", "ends_at"],
                    "properties": {
                        "session_id": _ID,
                        "title": {"type": "string"},
                        "titles": {
                            "type": "object",
                            "additionalProperties": {"type": "string"},
                            "description": "the course's title in other languages",
                        },
                        "starts_at": _TIME,
                        "ends_at": _TIME,
                    },
                },
            }
        },
    },
    "Registration": {
        "type": "object",
        "additionalProperties": False,
        "required": ["status", "position", "code", "qr_token", "session_id"],
        "properties": {
            "status": {"enum": ["confirmed", "waitlisted", "applied"]},
            "position": {
                "anyOf": [{"type": "integer", "minimum": 1}, {"type": "null"}],
                "description": "place on the waitlist; null unless waitlisted",
            },
            "code": {"type": "string", "pattern": "^[23456789ABCDEFGHJKMNPQRSTWXYZ]{6}$"},
            "qr_token": {"type": "string", "description": "opaque; the slip's QR code"},
            "session_id": _ID,
        },
    },
    "OwnBookingRequest": {
        "type": "object",
        "additionalProperties": False,
        "required": ["code", "phone"],
        "properties": {
            "code": {
                "type": "string",
                "maxLength": 32,
                "pattern": "^[^\\x00-\\x1f\\x7f-\\x9f]*$",
                "description": "the reservation code as typed (ABC234, abc-234)",
            },
            "phone": {
                "type": "string",
                "maxLength": 32,
                "pattern": "^[^\\x00-\\x1f\\x7f-\\x9f]*$",
                "description": "the phone number given when booking, in any spelling",
            },
        },
    },
    "OwnBooking": {
        "type": "object",
        "additionalProperties": False,
        "required": ["booking"],
        "properties": {
            "booking": {
                "type": "object",
                "additionalProperties": False,
                "required": [
                    "code",
                    "status",
                    "position",
                    "cancellable",
                    "class_cancelled",
                    "session",
                ],
                "description": "what the slip shows, nothing that names the resident",
                "properties": {
                    "code": {
                        "type": "string",
                        "pattern": "^[23456789ABCDEFGHJKMNPQRSTWXYZ]{6}$",
                    },
                    "status": {
                        "enum": [
                            "booked",
                            "waitlisted",
                            "lottery_pending",
                            "lottery_won",
                            "lottery_lost",
                            "cancelled",
                        ]
                    },
                    "position": {
                        "anyOf": [{"type": "integer", "minimum": 1}, {"type": "null"}],
                        "description": "place on the waitlist (waitlisted, lottery_lost)",
                    },
                    "cancellable": {
                        "type": "boolean",
                        "description": "whether /bookings/cancel would cancel it now",
                    },
                    "class_cancelled": {"type": "boolean"},
                    "session": {"$ref": "#/components/schemas/Session"},
                },
            }
        },
    },
    "BundleInfo": {
        "type": "object",
        "additionalProperties": False,
        "required": ["version", "size", "sha256", "url"],
        "properties": {
            "version": {"type": "string", "pattern": "^[0-9a-f]{16}$"},
            "size": {"type": "integer", "minimum": 1},
            "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
            "url": {"type": "string"},
        },
    },
    "HeartbeatRequest": {
        "type": "object",
        "additionalProperties": False,
        "required": ["app_version"],
        "properties": {"app_version": _VERSION, "content_version": _VERSION},
    },
    "Heartbeat": {
        "type": "object",
        "additionalProperties": False,
        "required": ["server_time", "content_version"],
        "properties": {
            "server_time": _TIME,
            "content_version": {"anyOf": [{"type": "string"}, {"type": "null"}]},
        },
    },
    "AskRequest": {
        "type": "object",
        "additionalProperties": False,
        "required": ["question"],
        "properties": {
            "question": {
                "type": "string",
                "maxLength": MAX_CHARS,
                "pattern": QUESTION_PATTERN,
                "description": "as typed; at least one visible character, no control characters",
            },
            "language": {"enum": list(LANGUAGES)},
        },
    },
    "Ask": {
        "type": "object",
        "additionalProperties": False,
        "required": ["confident", "answers"],
        "properties": {
            "confident": {"type": "boolean"},
            "answers": {
                "type": "array",
                "maxItems": 3,
                "items": {"$ref": "#/components/schemas/AskAnswer"},
            },
        },
    },
    "AskAnswer": {
        "type": "object",
        "additionalProperties": False,
        "required": ["kind", "id", "title", "text", "score"],
        "properties": {
            "kind": {"enum": ["faq", "guide", "lesson", "class"]},
            "id": {"type": "string"},
            "title": {"type": "string"},
            "text": {"type": "string"},
            "score": {"type": "number", "minimum": 0},
        },
    },
    "AskPopular": {
        "type": "object",
        "additionalProperties": False,
        "required": ["questions"],
        "properties": {
            "questions": {
                "type": "array",
                "maxItems": 12,
                "items": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["kind", "id", "text", "from"],
                    "properties": {
                        "kind": {"enum": ["faq", "guide", "lesson", "class"]},
                        "id": {"type": "string"},
                        "text": {"type": "string"},
                        "from": {
                            "enum": ["asked", "faq"],
                            "description": "asked: among the answers given most often; "
                            "faq: one of the FAQ's own questions, filling the rest",
                        },
                    },
                },
            },
        },
    },
    "HelpRequestRequest": {
        "type": "object",
        "additionalProperties": False,
        "required": ["client_id"],
        "properties": {
            "client_id": _CLIENT_ID,
            "screen": {"type": "string", "pattern": "^[A-Za-z0-9._:/-]{0,120}$"},
            "language": {"enum": list(LANGUAGES)},
        },
    },
    "HelpRequest": {
        "type": "object",
        "additionalProperties": False,
        "required": ["id", "status"],
        "properties": {"id": _ID, "status": {"enum": ["open", "taken", "closed"]}},
    },
    "Event": {
        "type": "object",
        "additionalProperties": False,
        "required": ["client_id", "kind", "at"],
        "properties": {
            "client_id": _CLIENT_ID,
            "kind": {"enum": [k.value for k in UsageKind]},
            "at": {
                **_TIME,
                "pattern": "^2[0-9]{3}-",
                "description": "with its time zone, e.g. 2026-11-26T01:00:00Z; years 2000-2999",
            },
            "guide_id": {"type": "string", "pattern": "^([a-z0-9][a-z0-9_-]{0,59})?$"},
            "step": {
                "anyOf": [{"type": "integer", "minimum": 0, "maximum": MAX_STEP}, {"type": "null"}]
            },
            "language": {"enum": ["", *LANGUAGES]},
            "text_size": {"enum": ["", *TEXT_SIZES]},
        },
    },
    "EventsRequest": {
        "type": "object",
        "additionalProperties": False,
        "required": ["events"],
        "properties": {
            "events": {
                "type": "array",
                "maxItems": MAX_EVENTS,
                "items": {"$ref": "#/components/schemas/Event"},
            }
        },
    },
}


def _error(description: str, schema: str = "Error") -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}},
    }


def _json(description: str, schema: dict) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


_COMMON = {
    "400": {"$ref": "#/components/responses/BadRequest"},
    "401": {"$ref": "#/components/responses/Unauthorized"},
    "404": {"$ref": "#/components/responses/NotFound"},
    "405": {"$ref": "#/components/responses/MethodNotAllowed"},
    "429": {"$ref": "#/components/responses/RateLimited"},
}
_WITH_BODY = {
    **_COMMON,
    "413": {"$ref": "#/components/responses/TooLarge"},
    "415": {"$ref": "#/components/responses/UnsupportedMediaType"},
    "422": {"$ref": "#/components/responses/Invalid"},
}
_LANGUAGE = {
    "name": "Accept-Language",
    "in": "header",
    "required": False,
    "schema": {"type": "string"},
    "description": "language of the messages: ja, ja-easy (→ ja), en, zh-Hans or ko; "
    "Japanese by default",
}


#: 429 of the own-booking look-ups: this kiosk's rate (rate_limited) or, after wrong codes,
#: the wait the look-up throttle asks (too_many_attempts), each with Retry-After
_TOO_MANY_ATTEMPTS = {
    **_error(
        "rate_limited, or too_many_attempts: too many wrong codes from this kiosk or "
        "for this code; retry_after seconds (also in Retry-After)"
    ),
    "headers": {"Retry-After": {"required": True, "schema": {"type": "integer"}}},
}


def _body(schema: str) -> dict:
    return {"required": True, "content": {"application/json": {"schema": _ref(schema)}}}


_DOCUMENT = {
    "openapi": "3.1.0",
    "info": {
        "title": "Tsunagu kiosk API",
        "version": "1",
        "description": "What the ward's kiosks call. JSON only; every error is "
        '{"error": code, "message": text}. See docs/kiosk-api.md.',
    },
    "servers": [{"url": "/api/v1"}],
    "security": [{"kioskToken": []}],
    "paths": {
        "/sessions": {
            "get": {
                "operationId": "listSessions",
                "summary": "Upcoming scheduled classes, soonest first (no personal data)",
                "parameters": [
                    {
                        "name": "from",
                        "in": "query",
                        "required": False,
                        "schema": {"type": "string", "format": "date"},
                        "description": "only classes on or after this day (ward time)",
                    },
                    {
                        "name": "course",
                        "in": "query",
                        "required": False,
                        "schema": {
                            "type": "string",
                            "maxLength": 40,
                            "pattern": "^[^\\x00-\\x1f\\x7f-\\x9f]*$",
                        },
                    },
                    {
                        "name": "device",
                        "in": "query",
                        "required": False,
                        "schema": {"enum": ["iphone", "android", "senior"]},
                    },
                    _LANGUAGE,
                ],
                "responses": {
                    "200": _json(
                        "the classes",
                        {
                            "type": "object",
                            "additionalProperties": False,
                            "required": ["sessions"],
                            "properties": {"sessions": {"type": "array", "items": _ref("Session")}},
                        },
                    ),
                    **_COMMON,
                    "422": {"$ref": "#/components/responses/Invalid"},
                },
            }
        },
        "/registrations": {
            "post": {
                "operationId": "createRegistration",
                "summary": "Book a resident into a class; the same Idempotency-Key books once",
                "parameters": [
                    {
                        "name": "Idempotency-Key",
                        "in": "header",
                        "required": True,
                        "schema": {"type": "string", "pattern": "^[A-Za-z0-9._:-]{8,64}$"},
                        "description": "a new UUID per booking attempt; the same key again "
                        "returns the first answer",
                    },
                    _LANGUAGE,
                ],
                "requestBody": _body("RegistrationRequest"),
                "responses": {
                    "201": _json("booked (or the first answer to this key)", _ref("Registration")),
                    **_WITH_BODY,
                    "409": _error(
                        "already_registered, session_not_open, lottery_closed or "
                        "idempotency_key_reused"
                    ),
                },
            }
        },
        "/bookings/lookup": {
            "post": {
                "operationId": "lookupOwnBooking",
                "summary": "A resident's booking by its code and phone; a wrong pair is answered "
                "as an unknown code (404); look-ups are counted per kiosk and per code (429)",
                "parameters": [_LANGUAGE],
                "requestBody": _body("OwnBookingRequest"),
                "responses": {
                    "200": _json("the booking", _ref("OwnBooking")),
                    **_WITH_BODY,
                    "429": _TOO_MANY_ATTEMPTS,
                },
            }
        },
        "/bookings/cancel": {
            "post": {
                "operationId": "cancelOwnBooking",
                "summary": "Cancel it (the seat goes to the waitlist); again: the same answer",
                "parameters": [_LANGUAGE],
                "requestBody": _body("OwnBookingRequest"),
                "responses": {
                    "200": _json("the booking, cancelled", _ref("OwnBooking")),
                    **_WITH_BODY,
                    "429": _TOO_MANY_ATTEMPTS,
                    "409": _error("not_cancellable: the class has started or was cancelled"),
                },
            }
        },
        "/suggestions": {
            "post": {
                "operationId": "suggestNextClasses",
                "summary": "The next classes to suggest to the resident with this reading and "
                "phone (what they have not shown in a class yet), best first; only classes' "
                "numbers, titles and dates, never who they are for",
                "parameters": [_LANGUAGE],
                "requestBody": _body("SuggestionRequest"),
                "responses": {"200": _json("the classes", _ref("Suggestions")), **_WITH_BODY},
            }
        },
        "/content/bundle": {
            "get": {
                "operationId": "contentBundle",
                "summary": "The newest content bundle's version and where to download it",
                "parameters": [_LANGUAGE],
                "responses": {
                    "200": _json("the bundle", _ref("BundleInfo")),
                    **_COMMON,
                    "503": _error("content_unavailable: the server could not read its content"),
                },
            }
        },
        "/content/bundle/{version}.zip": {
            "get": {
                "operationId": "contentBundleZip",
                "summary": "The bundle zip of this version",
                "parameters": [
                    {
                        "name": "version",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string", "pattern": "^[0-9a-f]{16}$"},
                    },
                    _LANGUAGE,
                ],
                "responses": {
                    "200": {
                        "description": "the zip",
                        "content": {
                            "application/zip": {"schema": {"type": "string", "format": "binary"}}
                        },
                    },
                    "304": {"description": "not modified (If-None-Match)"},
                    **_COMMON,
                },
            }
        },
        "/heartbeat": {
            "post": {
                "operationId": "heartbeat",
                "summary": "The kiosk is alive; which app and content it runs",
                "parameters": [_LANGUAGE],
                "requestBody": _body("HeartbeatRequest"),
                "responses": {
                    "200": _json("the server's time and newest content", _ref("Heartbeat")),
                    **_WITH_BODY,
                },
            }
        },
        "/ask": {
            "post": {
                "operationId": "ask",
                "summary": "At most three answers, best first, from the ward's FAQ, guides and "
                "lessons to a question in the resident's own words; confident false: say so "
                "and give the counter",
                "parameters": [_LANGUAGE],
                "requestBody": _body("AskRequest"),
                "responses": {
                    "200": _json("the answers", _ref("Ask")),
                    **_WITH_BODY,
                    "503": _error("content_unavailable: the server could not read its content"),
                },
            }
        },
        "/ask/popular": {
            "get": {
                "operationId": "askPopular",
                "summary": "The questions others asked most, as short texts for buttons: the "
                "answers given most often with confidence (each at least 3 times), the FAQ's "
                "own questions filling the rest; never what anyone typed",
                "parameters": [
                    {
                        "name": "language",
                        "in": "query",
                        "required": False,
                        "schema": {"enum": list(LANGUAGES)},
                    },
                    {
                        "name": "limit",
                        "in": "query",
                        "required": False,
                        "schema": {"type": "string", "pattern": "^([1-9]|1[0-2])$"},
                        "description": "how many, 1 to 12 (6 by default)",
                    },
                    _LANGUAGE,
                ],
                "responses": {
                    "200": _json("the questions", _ref("AskPopular")),
                    **_COMMON,
                    "422": {"$ref": "#/components/responses/Invalid"},
                    "503": _error("content_unavailable: the server could not read its content"),
                },
            }
        },
        "/help-requests": {
            "post": {
                "operationId": "createHelpRequest",
                "summary": "Call staff (職員を呼ぶ); the same client_id again: the same answer",
                "parameters": [_LANGUAGE],
                "requestBody": _body("HelpRequestRequest"),
                "responses": {"201": _json("the call", _ref("HelpRequest")), **_WITH_BODY},
            }
        },
        "/help-requests/{client_id}": {
            "get": {
                "operationId": "getHelpRequest",
                "summary": "This kiosk's call: still open, taken (staff are coming) or closed",
                "parameters": [
                    {"name": "client_id", "in": "path", "required": True, "schema": _CLIENT_ID},
                    _LANGUAGE,
                ],
                "responses": {"200": _json("the call", _ref("HelpRequest")), **_COMMON},
            }
        },
        "/events": {
            "post": {
                "operationId": "recordEvents",
                "summary": "Anonymous usage events; each client_id stored once",
                "parameters": [_LANGUAGE],
                "requestBody": _body("EventsRequest"),
                "responses": {
                    "200": _json(
                        "how many were accepted",
                        {
                            "type": "object",
                            "additionalProperties": False,
                            "required": ["accepted"],
                            "properties": {"accepted": {"type": "integer", "minimum": 0}},
                        },
                    ),
                    **_WITH_BODY,
                },
            }
        },
        "/openapi.json": {
            "get": {
                "operationId": "openapi",
                "summary": "This document",
                "security": [],
                "responses": {"200": _json("OpenAPI 3.1", {"type": "object"})},
            }
        },
    },
    "components": {
        "securitySchemes": {
            "kioskToken": {
                "type": "http",
                "scheme": "bearer",
                "description": "the kiosk's token from `tsunagu kiosks add`",
            }
        },
        "schemas": _SCHEMAS,
        "responses": {
            "BadRequest": _error("bad_request or malformed_json"),
            "Unauthorized": {
                **_error("unauthorized: missing, unknown or revoked token"),
                "headers": {"WWW-Authenticate": {"schema": {"type": "string"}}},
            },
            "NotFound": _error("not_found"),
            "MethodNotAllowed": _error("method_not_allowed"),
            "TooLarge": _error("payload_too_large"),
            "UnsupportedMediaType": _error("unsupported_media_type: send application/json"),
            "Invalid": _error("invalid: one message per field", "InvalidError"),
            "RateLimited": {
                **_error("rate_limited", "RateLimited"),
                "headers": {"Retry-After": {"required": True, "schema": {"type": "integer"}}},
            },
        },
    },
}


def openapi_document() -> dict:
    """The document; the newest birth year accepted is this year."""
    document = deepcopy(_DOCUMENT)
    year = document["components"]["schemas"]["RegistrationRequest"]["properties"]["birth_year"]
    year["maximum"] = utcnow().year
    return document
