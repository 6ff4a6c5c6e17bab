"""The form fuzz of test_form_fuzz.py on PostgreSQL, in a file of its own so that the two
engines run on two workers (`--dist loadfile`)."""

from __future__ import annotations

import pytest

from tests.conftest import ENGINES
from tests.web.test_form_fuzz import *  # noqa: F403  (the same cases and fixtures)
from tests.web.test_form_fuzz import test_form  # noqa: F401


@pytest.fixture(params=[e for e in ENGINES if e == "postgresql"])
def engine_name(request) -> str:
    return request.param
