"""Reservation codes people can type and read aloud, and the slips' opaque QR tokens."""

from __future__ import annotations

import secrets

from .text import nfkc

#: no 0/O, 1/I/L, and no U/V pair confusion for tired eyes
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTWXYZ"
CODE_LENGTH = 6


def new_reservation_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def new_qr_token() -> str:
    """128 random bits; says nothing about the person."""
    return secrets.token_urlsafe(16)


def normalize_code(typed: str) -> str:
    """What a person or a scanner typed, as stored: upper case, no spaces or dashes."""
    return "".join(c for c in nfkc(typed).upper() if c.isascii() and c.isalnum())


def format_code(code: str) -> str:
    """ABC-DEF: two groups of three are easier to read aloud and to copy."""
    return f"{code[:3]}-{code[3:]}" if len(code) == CODE_LENGTH else code


def looks_like_code(typed: str) -> bool:
    code = normalize_code(typed)
    return len(code) == CODE_LENGTH and all(c in CODE_ALPHABET for c in code)
