"""Large-print handouts of a lesson (per phone) and of a guide, for A4 paper."""

from __future__ import annotations

from flask import abort, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _

from classroom.models import Device
from content import Guide, Lesson

from ..public.routes import illustration_url
from ..qr import qr_svg
from .blueprint import bp
from .content import (
    DEVICES,
    HANDOUT_LANGUAGE,
    catalog,
    content_language,
    lesson_or_404,
    public_guide_or_404,
    ruby,
)


def _furigana_requested() -> bool:
    return request.args.get("furigana", "") in ("1", "on", "true", "yes")


@bp.route("/lessons/<lesson_id>")
def lesson(lesson_id: str):
    """A lesson's steps for one kind of phone (?device=iphone|android|senior), large print."""
    return lesson_handout(lesson_or_404(lesson_id))


def lesson_handout(
    lesson: Lesson, back_url: str | None = None, unpublished: int | None = None
) -> str:
    """The handout of ``lesson`` (the shipped or published one, or the content editor's
    draft), for the phone and furigana the query asks for. ``unpublished``: the number of
    a version residents do not see, printed across the top of the sheet."""
    device = request.args.get("device", "")
    if device and device not in DEVICES:
        abort(404)
    with_furigana = _furigana_requested()
    steps = [
        (step.variants.get(device) or step.text) if device else step.text for step in lesson.steps
    ]
    # the handout is for residents: Japanese throughout, whatever the staff member reads
    with force_locale(HANDOUT_LANGUAGE):
        return _render(
            "handouts/lesson.html",
            back_url,
            unpublished=unpublished,
            lesson=lesson,
            steps=steps,
            device=device,
            device_label=_(Device(device).label) if device else "",
            devices=[(d, _(Device(d).label)) for d in lesson.devices if d in DEVICES],
            furigana=with_furigana,
            lang=HANDOUT_LANGUAGE,
            r=lambda text: ruby(text.get(HANDOUT_LANGUAGE), lesson.furigana, with_furigana),
        )


@bp.route("/guides/<guide_id>")
def guide(guide_id: str):
    """A guide's checks, what to bring and steps, large print; withdrawn guides are gone (404)."""
    return guide_handout(public_guide_or_404(guide_id))


def guide_handout(guide: Guide, back_url: str | None = None, unpublished: int | None = None) -> str:
    """The handout of ``guide`` (published, or the content editor's draft; ``unpublished``
    as for lesson_handout)."""
    with_furigana = _furigana_requested()
    with force_locale(HANDOUT_LANGUAGE):
        return _render(
            "handouts/guide.html",
            back_url,
            unpublished=unpublished,
            guide=guide,
            furigana=with_furigana,
            lang=HANDOUT_LANGUAGE,
            illustration_url=illustration_url,
            r=lambda text: ruby(text.get(HANDOUT_LANGUAGE), guide.furigana, with_furigana),
            qr=qr_svg(guide.handoff.url, guide.handoff.label.get(HANDOUT_LANGUAGE)),
        )


def _render(template: str, back_url: str | None, **context) -> str:
    return render_template(template, back_url=back_url or url_for("teach.today"), **context)


@bp.route("/")
def index():
    """Every lesson and every guide still offered, with links to their handouts."""
    content = catalog()
    language = content_language()
    lessons = sorted(
        content.lessons.values(), key=lambda x: (x.course != "intro", x.order or 0, x.id)
    )
    guides = sorted(content.active_guides, key=lambda g: g.id)
    return render_template(
        "handouts/index.html",
        lessons=lessons,
        guides=guides,
        language=language,
        device_labels={d: _(Device(d).label) for d in DEVICES},
    )
