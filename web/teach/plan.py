"""A session's lesson plan: the course's lessons with the variants its participants need,
and a timetable of the class (opening, each lesson, review) from the lessons' durations."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from classroom.models import Device
from content import Lesson

from ..handouts.content import DEVICES, catalog


@dataclass
class VariantForClass:
    device: Device
    #: who in this class has this kind of phone
    names: list[str]
    text: str


@dataclass
class PlanStep:
    text: str
    tip: str
    variants: list[VariantForClass] = field(default_factory=list)


@dataclass
class PlannedLesson:
    id: str
    #: None when the course names a lesson the content does not have
    lesson: Lesson | None = None
    steps: list[PlanStep] = field(default_factory=list)


def lesson_plan(lesson_ids: list[str], people: list[dict], language: str) -> list[PlannedLesson]:
    """Each lesson's steps; where a participant's phone has its own wording, that wording too."""
    lessons = catalog().lessons
    by_device: dict[str, list[str]] = {}
    for person in people:
        device = person["device"]
        if device is not None and device.value in DEVICES:
            by_device.setdefault(device.value, []).append(person["name"])
    plan = []
    for lesson_id in lesson_ids:
        lesson = lessons.get(lesson_id)
        planned = PlannedLesson(id=lesson_id, lesson=lesson)
        for step in lesson.steps if lesson else ():
            text = step.text.get(language)
            planned.steps.append(
                PlanStep(
                    text=text,
                    tip=step.tip.get(language) if step.tip else "",
                    variants=[
                        VariantForClass(Device(device), names, step.variants[device].get(language))
                        for device, names in sorted(
                            by_device.items(), key=lambda item: DEVICES.index(item[0])
                        )
                        if device in step.variants and step.variants[device].get(language) != text
                    ],
                )
            )
        plan.append(planned)
    return plan


#: every class opens (greetings, phones on, the day's goal) and ends with a review; a
#: lesson's duration in content is the length of a class that teaches it alone, these included
OPENING_MINUTES = 10
REVIEW_MINUTES = 10
#: no lesson is squeezed below this when lessons share a class too short for them
MIN_LESSON_MINUTES = 5


@dataclass
class Slot:
    starts_at: datetime
    ends_at: datetime
    #: "opening", "lesson", "practice" (time left over) or "review"
    kind: str
    lesson: PlannedLesson | None = None

    @property
    def minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)


@dataclass
class Timetable:
    slots: list[Slot]
    #: the minutes the lessons need for teaching, and the minutes the class has for it
    needed: int
    available: int

    @property
    def fits(self) -> bool:
        return self.needed <= self.available


def _teaching_minutes(lesson: Lesson) -> int:
    """What a lesson needs beyond the opening and review every class has anyway."""
    return max(MIN_LESSON_MINUTES, lesson.duration_minutes - OPENING_MINUTES - REVIEW_MINUTES)


def timetable(starts_at: datetime, ends_at: datetime, plan: list[PlannedLesson]) -> Timetable:
    """The class from its start to its end: opening, the lessons, any time left for practice,
    review. The slots follow each other and add up to the class's length; when the lessons
    need more than the class has, they are shortened in proportion (and `fits` is False)."""
    length = int((ends_at - starts_at).total_seconds() // 60)
    opening = min(OPENING_MINUTES, length // 4)
    review = min(REVIEW_MINUTES, length // 4)
    available = max(0, length - opening - review)
    lessons = [item for item in plan if item.lesson is not None]
    wanted = [_teaching_minutes(item.lesson) for item in lessons]
    needed = sum(wanted)
    if needed > available and lessons:
        # in proportion, to whole 5 minutes where possible; the last lesson takes the rest
        share = [max(MIN_LESSON_MINUTES, 5 * round(w * available / needed / 5)) for w in wanted]
        share[-1] = max(0, available - sum(share[:-1]))
        given = share
    else:
        given = wanted
    slots: list[Slot] = []
    at = starts_at

    def add(minutes: int, kind: str, lesson: PlannedLesson | None = None) -> None:
        nonlocal at
        if minutes > 0:
            slots.append(Slot(at, at + timedelta(minutes=minutes), kind, lesson))
            at += timedelta(minutes=minutes)

    add(opening, "opening")
    for item, minutes in zip(lessons, given, strict=True):
        add(minutes, "lesson", item)
    add(available - sum(given), "practice")
    add(length - opening - available, "review")
    return Timetable(slots, needed, available)
