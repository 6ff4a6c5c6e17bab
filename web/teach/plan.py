"""A session's lesson plan: the course's lessons with the variants its participants need."""

from __future__ import annotations

from dataclasses import dataclass, field

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
