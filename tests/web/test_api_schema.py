"""schemathesis against the kiosk API through WSGI: no 5xx, every answer as documented.

Bounded: a few valid and a few invalid examples per operation, on each database engine.
(schemathesis.pytest.from_fixture does not run under pytest 9, so the operations are
walked here with their hypothesis strategies: the same cases, the same checks.)
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.generation import GenerationMode

from tests.web.conftest import build_app
from tests.web.test_api import API_ROUTES, add_kiosk

EXAMPLES = 10


@pytest.fixture
def api_schema(database, tmp_path, ward):
    app = build_app(
        database,
        tmp_path,
        API_RATE_LIMIT=(100_000, 60),
        CONTENT_BUNDLE_DIR=str(tmp_path / "bundles"),
        AUDIO_CACHE_DIR=str(tmp_path / "audio"),
    )
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


def operations(schema):
    found = [result.ok() for result in schema.get_all_operations()]
    # schemathesis leaves out the document's own path
    assert len(found) == len(API_ROUTES) - 1
    return found


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_the_api_keeps_its_documented_promises(api_schema, database, mode):
    headers = {"Authorization": f"Bearer {add_kiosk(database)}"}
    calls, unsatisfiable = [], []
    for operation in operations(api_schema):

        @given(case=operation.as_strategy(generation_mode=mode, headers=headers))
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def run(case):
            response = case.call_and_validate(headers=headers)
            assert response.status_code < 500 or (
                response.status_code == 503 and case.operation.path == "/content/bundle"
            )
            calls.append(response.status_code)

        try:
            run()
        except Unsatisfiable:
            # nothing of this operation can be made invalid (e.g. GET /content/bundle)
            assert mode == GenerationMode.NEGATIVE
            unsatisfiable.append(operation.label)
    assert len(calls) >= len(API_ROUTES)
    assert "POST /registrations" not in unsatisfiable and "POST /events" not in unsatisfiable
