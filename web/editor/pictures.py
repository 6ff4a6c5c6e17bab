"""Pictures for guide and lesson steps (/editor/pictures, issue 18).

The shipped picture library is our own SVG line drawings in the content's media/; editors
may add photos or screenshots. An upload is trusted for nothing it says about itself:
Pillow must open and verify it as a PNG or JPEG (whatever its name or declared type),
no larger than MAX_SIDE pixels a side (a decompression bomb is refused before it is
decoded), and it is kept re-encoded as PNG — EXIF and every other piece of metadata
dropped, a JPEG turned upright first — named by the hash of its content. PNG is what the
kiosk draws, so the same file serves the public page, the handout and the kiosk. SVG is
refused: an SVG can carry script, and ours are drawn and reviewed in the repository.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass
from pathlib import Path

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.file import FileField
from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy import select
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.routing import BuildError
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from classroom.models import ContentMedia
from classroom.services import content_store
from classroom.services.actor import Actor
from content.media import svg_title

from .. import content_source
from ..database import db_session, end_unit_of_work
from ..errors import error_response
from ..forms import Form
from .blueprint import bp, may_edit

#: the largest picture accepted, pixels a side (a bigger one is refused before decoding)
MAX_SIDE = 4000
#: pictures are kept at most this many pixels a side (a step shows them at most ~720 wide)
KEEP_SIDE = 1600
#: what the site accepts (app MAX_CONTENT_LENGTH is the same: the request is refused first)
MAX_BYTES = 2 * 1024 * 1024
ACCEPTED_FORMATS = {"PNG", "JPEG"}
EXTENSIONS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG"}


class PictureForm(Form):
    picture = FileField(_l("Picture file (PNG or JPEG, up to 2 MB)"))
    title = StringField(
        _l("What the picture shows"),
        validators=[
            DataRequired(message=_l("Please say what the picture shows.")),
            Length(max=200),
        ],
    )


class Refused(Exception):
    """The upload is not a picture we keep; the message says why, in the editor's words."""


@dataclass(frozen=True)
class Cleaned:
    """A checked upload, re-encoded: PNG bytes and their size in pixels."""

    data: bytes
    width: int
    height: int

    @property
    def name(self) -> str:
        """Its path under media/: named by its content, so the same picture has one name."""
        return f"uploads/{hashlib.sha256(self.data).hexdigest()[:20]}.png"


def _looks_like_svg(data: bytes, filename: str) -> bool:
    head = data[:1024].lstrip().lower()
    return filename.lower().endswith((".svg", ".svgz")) or head.startswith(b"<") or b"<svg" in head


def clean_picture(data: bytes, filename: str) -> Cleaned:
    """The upload checked by its content and re-encoded as PNG without metadata.

    Raises Refused: SVG or any other kind of file, a file whose name says another format
    than its content, a broken file, a picture too large.
    """
    if _looks_like_svg(data, filename):
        raise Refused(_("SVG files cannot be uploaded (they can contain scripts)."))
    if len(data) > MAX_BYTES:
        raise Refused(_("The file is larger than 2 MB. Please make the picture smaller."))
    if not data:
        raise Refused(_("Please choose a picture file."))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                found = probe.format
                width, height = probe.size
                if found in ACCEPTED_FORMATS and max(width, height) <= MAX_SIDE:
                    probe.verify()
            if found not in ACCEPTED_FORMATS:
                raise Refused(_("Only PNG or JPEG pictures can be uploaded."))
            if max(width, height) > MAX_SIDE:
                raise Refused(
                    _(
                        "The picture is %(width)s × %(height)s pixels; at most %(most)s pixels "
                        "a side can be uploaded.",
                        width=width,
                        height=height,
                        most=MAX_SIDE,
                    )
                )
            declared = EXTENSIONS.get(Path(filename).suffix.lower())
            if declared is None or declared != found:
                raise Refused(
                    _(
                        "The file's name (%(name)s) does not match what it holds (%(found)s). "
                        "Please upload the picture as it was saved, as .png or .jpg.",
                        name=Path(filename).name,
                        found=found,
                    )
                )
            with Image.open(io.BytesIO(data)) as image:
                image.load()
                upright = ImageOps.exif_transpose(image)
    except Refused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise Refused(
            _(
                "The picture is too large: at most %(most)s pixels a side can be uploaded.",
                most=MAX_SIDE,
            )
        ) from None
    except UnidentifiedImageError:
        raise Refused(_("Only PNG or JPEG pictures can be uploaded.")) from None
    except (OSError, SyntaxError, ValueError):  # truncated or damaged; verify() raises these
        raise Refused(_("The picture file is damaged and cannot be read.")) from None
    return _encode(upright)


def _encode(image: Image.Image) -> Cleaned:
    """A fresh PNG of the pixels only (no EXIF, ICC, text chunks), at most KEEP_SIDE."""
    has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    pixels = image.convert("RGBA" if has_alpha else "RGB")
    pixels.thumbnail((KEEP_SIDE, KEEP_SIDE), Image.Resampling.LANCZOS)
    clean = Image.new(pixels.mode, pixels.size)  # a new image: nothing of .info travels
    clean.paste(pixels)
    out = io.BytesIO()
    clean.save(out, format="PNG", optimize=True)
    return Cleaned(out.getvalue(), clean.width, clean.height)


# -- pages ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Shipped:
    """A picture of the shipped library: its path in a step, its name, its description."""

    path: str
    name: str
    title: str


def shipped_pictures() -> list[Shipped]:
    media = content_source.content_root() / "media"
    return [
        Shipped(f"media/{svg.name}", svg.name, svg_title(svg))
        for svg in sorted(media.glob("*.svg"))
    ]


def index_url() -> str | None:
    """The content list's address (another module's page; None until it exists)."""
    try:
        return url_for("editor.index")
    except BuildError:
        return None


def _page(form: PictureForm, status: int = 200):
    uploads = content_store.media_list(db_session())
    html = render_template(
        "editor/pictures.html",
        form=form,
        uploads=uploads,
        shipped=shipped_pictures(),
        may_edit=may_edit(current_user),
        max_side=MAX_SIDE,
        max_bytes=MAX_BYTES,
        index_url=index_url(),
    )
    return html, status


@bp.route("/pictures", methods=["GET", "POST"])
def pictures():
    """The picture library and, for editors, the upload form."""
    if request.method == "POST":
        if not may_edit(current_user):
            abort(403)
        return _upload()
    return _page(PictureForm(formdata=None))


def _upload():
    form = PictureForm()
    valid = form.validate_on_submit()
    upload = form.picture.data
    cleaned = None
    if upload is None or not getattr(upload, "filename", ""):
        form.picture.errors = [*form.picture.errors, _("Please choose a picture file.")]
    else:
        try:
            cleaned = clean_picture(upload.read(MAX_BYTES + 1), upload.filename)
        except Refused as refused:
            form.picture.errors = [*form.picture.errors, str(refused)]
    if not valid or cleaned is None:
        return _page(form, 400)
    actor = Actor.for_user(current_user, request.remote_addr or "")
    kept = content_store.add_media(
        db_session(),
        actor,
        name=cleaned.name,
        mime="image/png",
        data=cleaned.data,
        width=cleaned.width,
        height=cleaned.height,
        title=form.title.data.strip(),
    )
    path = f"media/{kept.name}"
    end_unit_of_work(commit=True)  # the published folder is written from what is committed
    content_source.source().changed()
    bundles = current_app.extensions.get("tsunagu_bundles")
    if bundles is not None:
        bundles.changed()
    flash(
        _("The picture was added. A step shows it with the path %(path)s.", path=path),
        "success",
    )
    return redirect(url_for(".pictures", _anchor="uploaded"), 303)


@bp.errorhandler(RequestEntityTooLarge)
def too_large(error: RequestEntityTooLarge):
    """A file over the site's 2 MB limit: on the picture page, said on the file field."""
    if request.endpoint != "editor.pictures":
        return error_response(413)  # the site's own error page
    form = PictureForm(formdata=None)
    form.picture.errors = [_("The file is larger than 2 MB. Please make the picture smaller.")]
    return _page(form, 413)


@bp.route("/pictures/<path:name>")
def picture(name: str):
    """An uploaded picture's bytes (staff only; residents get it from the published folder)."""
    media = db_session().scalar(select(ContentMedia).where(ContentMedia.name == name))
    if media is None:
        abort(404)
    response = Response(media.data, mimetype=media.mime)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; frame-ancestors 'none'"
    response.headers["Cache-Control"] = "private, max-age=3600"
    return response
