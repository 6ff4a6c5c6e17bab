"""Fixtures for the content tests: a small valid content directory, copied per test."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

VALID = Path(__file__).parent / "fixtures" / "valid"


@pytest.fixture(autouse=True)
def _no_deployment_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """A developer's TSUNAGU_* variables must not change what the tests see."""
    monkeypatch.delenv("TSUNAGU_CONTENT_SETTINGS", raising=False)
    monkeypatch.delenv("TSUNAGU_AUDIO_CACHE", raising=False)
    monkeypatch.setenv("TSUNAGU_LANGUAGE", "en")


@pytest.fixture
def content_dir(tmp_path: Path) -> Path:
    """A fresh copy of the valid fixture content (one active guide, one withdrawn, ...)."""
    target = tmp_path / "content"
    shutil.copytree(VALID, target)
    return target


def edit(path: Path, old: str, new: str) -> None:
    """Replace the one occurrence of ``old`` in ``path`` with ``new``."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {path.name}"
    path.write_text(text.replace(old, new), encoding="utf-8")
