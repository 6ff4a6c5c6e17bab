"""The short booking path (issue 21) writes the registration in one INSERT whose values
are listed in classroom.services.registration; a column whose default Python computes
must be among them, or PostgreSQL's statement (a CTE, no Python-side defaults) leaves it
empty — this catches a column added later without it."""

from __future__ import annotations

from classroom.models import Registration
from classroom.services import registration


def test_every_column_with_a_computed_default_is_written_by_the_short_booking():
    computed = {
        c.name
        for c in Registration.__table__.c
        if c.default is not None and not c.default.is_scalar
    }
    assert computed <= set(registration._INSERT_COLUMNS), computed - set(
        registration._INSERT_COLUMNS
    )
