"""Property test of the registration state machine (hypothesis): any sequence of
registrations and cancellations keeps confirmed <= capacity, waitlist positions
contiguous, and nobody twice."""

from __future__ import annotations

import tempfile
from pathlib import Path

import hypothesis.strategies as st
from hypothesis import HealthCheck, settings
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from classroom.db import Database
from classroom.models import Base, RegistrationStatus
from classroom.services.errors import AlreadyRegistered
from tests.classroom.ward import WardBuilder


class Registrations(RuleBasedStateMachine):
    @initialize(capacity=st.integers(min_value=1, max_value=4))
    def open_session(self, capacity: int) -> None:
        self.tmp = tempfile.TemporaryDirectory()
        self.database = Database(f"sqlite:///{Path(self.tmp.name) / 'sm.sqlite3'}")
        Base.metadata.create_all(self.database.engine)
        self.ward = WardBuilder(self.database)
        self.capacity = capacity
        self.session = self.ward.session(capacity=capacity)
        self.people = self.ward.residents(6)
        #: the model: participant -> "confirmed" | "waitlisted"; waitlist order
        self.model: dict[int, str] = {}
        self.queue: list[int] = []
        self.ids: dict[int, int] = {}

    @rule(who=st.integers(min_value=0, max_value=5))
    def register(self, who: int) -> None:
        person = self.people[who]
        try:
            result = self.ward.coordinator.registers(person, self.session)
        except AlreadyRegistered:
            assert person in self.model
            return
        assert person not in self.model
        self.ids[person] = result.registration.id
        confirmed = sum(1 for s in self.model.values() if s == "confirmed")
        if confirmed < self.capacity:
            assert result.status == RegistrationStatus.CONFIRMED
            self.model[person] = "confirmed"
        else:
            assert result.status == RegistrationStatus.WAITLISTED
            self.model[person] = "waitlisted"
            self.queue.append(person)
            assert result.position == len(self.queue)

    @rule(who=st.integers(min_value=0, max_value=5))
    def cancel(self, who: int) -> None:
        person = self.people[who]
        if person not in self.model:
            return
        result = self.ward.coordinator.cancels(self.ids.pop(person))
        was = self.model.pop(person)
        if was == "waitlisted":
            self.queue.remove(person)
            assert result.promoted is None
        elif self.queue:
            first = self.queue.pop(0)
            self.model[first] = "confirmed"
            assert result.promoted.participant_id == first

    @invariant()
    def matches_the_model(self) -> None:
        if not hasattr(self, "ward"):
            return
        confirmed = self.ward.confirmed(self.session)
        assert len(confirmed) <= self.capacity
        assert len(confirmed) == len(set(confirmed))
        assert sorted(confirmed) == sorted(p for p, s in self.model.items() if s == "confirmed")
        assert self.ward.waitlist(self.session) == [(i, p) for i, p in enumerate(self.queue, 1)]
        assert self.ward.seats_taken(self.session) == len(confirmed)

    def teardown(self) -> None:
        if hasattr(self, "database"):
            self.database.dispose()
            self.tmp.cleanup()


Registrations.TestCase.settings = settings(
    max_examples=25,
    stateful_step_count=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
test_registration_state_machine = Registrations.TestCase
