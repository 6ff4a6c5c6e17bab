"""Pictures on the content editor's site (issue 18): uploads checked by what they hold,
kept re-encoded as PNG without metadata, listed, published with the content, usable in a
step on the public page; SVG and everything else refused; too large said kindly."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image

from classroom.models import ContentMedia, User
from classroom.services import content_store as store
from classroom.services.actor import Actor
from web.content_source import source
from web.editor.checking import check_document

from .conftest import count

SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 3"><title>x</title>'
    b"<script>alert(1)</script></svg>"
)


def _png(size=(40, 30), color=(200, 30, 30)) -> bytes:
    out = io.BytesIO()
    image = Image.new("RGB", size, color)
    info = Image.Exif()
    info[0x010E] = "secret description"  # ImageDescription
    image.save(out, format="PNG", exif=info)
    return out.getvalue()


def _jpeg_with_exif(size=(60, 20)) -> bytes:
    """A JPEG stored sideways, with EXIF that says so and where it was taken."""
    out = io.BytesIO()
    image = Image.new("RGB", size, (20, 120, 220))
    info = Image.Exif()
    info[0x0112] = 6  # Orientation: rotate 90° clockwise to show
    info[0x010F] = "PhoneMaker"  # Make
    info[0x8825] = {1: "N", 2: (35.0, 41.0, 0.0)}  # GPS
    image.save(out, format="JPEG", exif=info, quality=90)
    assert Image.open(io.BytesIO(out.getvalue())).getexif()[0x0112] == 6
    return out.getvalue()


@pytest.fixture
def editor(app, as_role):
    source(app).seed()
    return as_role("admin")  # administrators edit content


def _upload(client, data: bytes, filename: str, title="カード読み取り機", mimetype=None):
    return client.post(
        "/editor/pictures",
        data={"title": title, "picture": (io.BytesIO(data), filename, mimetype)},
        content_type="multipart/form-data",
    )


def _kept(database) -> list[ContentMedia]:
    with database.read() as db:
        rows = store.media_list(db)
        for row in rows:
            _ = row.data
        return rows


def test_a_png_and_a_jpeg_are_kept_re_encoded_without_metadata(app, database, editor):
    assert _upload(editor, _png(), "screen.png").status_code == 303
    response = _upload(editor, _jpeg_with_exif(), "photo.JPG", title="スマホの写真")
    assert response.status_code == 303
    page = editor.get("/editor/pictures").get_data(as_text=True)
    assert "The picture was added" in page
    kept = {m.title: m for m in _kept(database)}
    assert set(kept) == {"カード読み取り機", "スマホの写真"}
    for media in kept.values():
        assert re.fullmatch(r"uploads/[0-9a-f]{20}\.png", media.name)
        assert media.mime == "image/png"
        assert f"media/{media.name}" in page  # the path a step uses
        served = editor.get(f"/editor/pictures/{media.name}")
        assert served.status_code == 200
        assert served.mimetype == "image/png"
        assert served.headers["X-Content-Type-Options"] == "nosniff"
        image = Image.open(io.BytesIO(served.data))
        assert image.format == "PNG"
        assert not image.getexif()
        assert b"secret description" not in served.data and b"PhoneMaker" not in served.data
        assert set(image.info) <= {"dpi"}, image.info  # no text, ICC or EXIF chunks
    # the sideways JPEG is turned upright before its EXIF goes
    assert (kept["スマホの写真"].width, kept["スマホの写真"].height) == (20, 60)
    assert (kept["カード読み取り機"].width, kept["カード読み取り機"].height) == (40, 30)
    # residents' folder and the kiosk bundle carry it
    published = source(app).root() / "media" / kept["スマホの写真"].name
    assert published.read_bytes() == kept["スマホの写真"].data


def test_the_same_picture_twice_is_kept_once(database, editor):
    _upload(editor, _png(), "a.png")
    _upload(editor, _png(), "b.png", title="二度目")
    assert count(database, ContentMedia) == 1


@pytest.mark.parametrize(
    "data, filename, mimetype, message",
    [
        (SVG, "picture.svg", "image/svg+xml", "SVG files cannot be uploaded"),
        (SVG, "picture.png", "image/png", "SVG files cannot be uploaded"),
        (_png(), "renamed.jpg", "image/jpeg", "does not match what it holds (PNG)"),
        (b"\xff\xd8\xff\xe0 not really a jpeg" * 10, "photo.jpg", "image/jpeg", "damaged"),
        (_png()[:60], "cut.png", "image/png", "damaged"),
        (b"GIF89a" + bytes(40), "anim.png", "image/png", "Only PNG or JPEG"),
    ],
    ids=["svg", "svg named png", "png named jpg", "not a jpeg", "truncated png", "gif"],
)
def test_anything_but_a_real_png_or_jpeg_is_refused_on_the_field(
    database, editor, data, filename, mimetype, message
):
    response = _upload(editor, data, filename, mimetype=mimetype)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in page
    assert 'id="picture-error"' in page
    assert "カード読み取り機" in page  # the title typed is kept
    assert count(database, ContentMedia) == 0


def test_svg_is_refused_in_japanese(app, database, staff, as_role):
    source(app).seed()
    with database.write() as db:
        db.get(User, staff.admin).language = "ja"
    client = as_role("admin")
    page = _upload(client, SVG, "x.svg").get_data(as_text=True)
    assert "SVG はアップロードできません（スクリプトを含められるため）" in page


def test_a_picture_larger_than_4000_pixels_is_refused(database, editor):
    out = io.BytesIO()
    Image.new("1", (4001, 10)).save(out, format="PNG")
    page = _upload(editor, out.getvalue(), "wide.png").get_data(as_text=True)
    assert "4001 × 10 pixels; at most 4000 pixels a side" in page
    assert count(database, ContentMedia) == 0


def test_a_file_over_2_mb_gets_a_friendly_message_on_the_page(database, editor):
    response = _upload(editor, b"\x89PNG\r\n\x1a\n" + bytes(3 * 1024 * 1024), "big.png")
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "The file is larger than 2 MB. Please make the picture smaller." in page
    assert "Uploaded pictures" in page  # the page itself, not an error page
    assert count(database, ContentMedia) == 0


def test_a_title_is_required(database, editor):
    page = _upload(editor, _png(), "a.png", title=" ").get_data(as_text=True)
    assert "Please say what the picture shows." in page
    assert count(database, ContentMedia) == 0


@pytest.mark.parametrize("role", ["coordinator", "instructor"])
def test_other_staff_see_the_library_but_may_not_upload(app, database, as_role, role):
    source(app).seed()
    client = as_role(role)
    page = client.get("/editor/pictures").get_data(as_text=True)
    assert "media/qr-scan.svg" in page
    assert 'type="file"' not in page
    assert _upload(client, _png(), "a.png").status_code == 403
    assert count(database, ContentMedia) == 0


def test_the_library_lists_the_shipped_pictures_with_their_title(editor):
    page = editor.get("/editor/pictures").get_data(as_text=True)
    assert "media/qr-scan.svg" in page
    assert "/guides/media/qr-scan.svg" in page


def test_a_step_with_an_uploaded_picture_checks_and_shows_on_the_public_page(app, database, editor):
    _upload(editor, _png(color=(1, 2, 3)), "reader.png")
    (media,) = _kept(database)
    with database.write() as db:
        item = store.get_item(db, "guide", "juminhyo")
        body = store.published(db, item).body
        assert "illustration: media/qr-scan.svg" in body
        body = body.replace("media/qr-scan.svg", f"media/{media.name}", 1)
    with app.test_request_context():
        problems = check_document("guide", "juminhyo", body)
    assert [p for p in problems if p.error] == []
    with app.test_request_context():
        broken = check_document("guide", "juminhyo", body.replace(media.name, "uploads/gone.png"))
    (missing,) = [p for p in broken if "uploads/gone.png" in p.message]
    assert missing.error and missing.path.endswith(".illustration"), missing
    with database.write() as db:
        item = store.get_item(db, "guide", "juminhyo")
        saved = store.save_draft(
            db, Actor.cli(), "guide", "juminhyo", body, based_on=store.head(db, item).number
        )
        store.publish(db, Actor.cli(), item, saved.version.number)
    source(app).changed()
    resident = app.test_client()
    page = resident.get("/guides/juminhyo").get_data(as_text=True)
    assert f'src="/guides/media/{media.name}"' in page
    picture = resident.get(f"/guides/media/{media.name}")
    assert picture.status_code == 200
    assert picture.mimetype == "image/png"
    assert picture.headers["X-Content-Type-Options"] == "nosniff"
    assert picture.data == media.data
    assert resident.get("/guides/media/uploads/../settings.yaml").status_code == 404
    assert resident.get("/guides/media/uploads/nothere.png").status_code == 404


def test_only_staff_get_an_uploaded_picture_from_the_editor(app, database, editor):
    _upload(editor, _png(), "a.png")
    (media,) = _kept(database)
    assert app.test_client().get(f"/editor/pictures/{media.name}").status_code in (302, 401)
    assert editor.get("/editor/pictures/uploads/none.png").status_code == 404


def test_the_kiosk_bundle_carries_the_upload_and_the_kiosk_shows_it(
    app, database, editor, tmp_path
):
    from content.bundle import bundle_files
    from content.loader import load_catalog
    from content.media import kiosk_picture
    from content.speech import AudioCache

    _upload(editor, _png(), "a.png")
    (media,) = _kept(database)
    root = source(app).root()
    files, _missing = bundle_files(load_catalog(root), AudioCache(tmp_path / "audio"))
    assert files[f"media/{media.name}"] == media.data
    shown = kiosk_picture(root, f"media/{media.name}", tmp_path / "cache")
    assert shown is not None and shown.read_bytes() == media.data
    assert kiosk_picture(root, "media/uploads/gone.png", tmp_path / "cache") is None


def test_a_file_over_2_mb_is_answered_on_the_page_with_csrf_on(database, tmp_path, staff):
    """The CSRF check reads the form first: the 413 it meets is still answered kindly."""
    from .conftest import PASSWORD, build_app, english_client

    app = build_app(database, tmp_path, WTF_CSRF_ENABLED=True)
    source(app).seed()
    client = english_client(app)
    login_page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login_page).group(1)
    client.post("/login", data={"login": "admin", "password": PASSWORD, "csrf_token": token})
    page = client.get("/editor/pictures").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post(
        "/editor/pictures",
        data={
            "csrf_token": token,
            "title": "x",
            "picture": (io.BytesIO(bytes(3 * 1024 * 1024)), "big.png"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 413
    assert "The file is larger than 2 MB" in response.get_data(as_text=True)
    assert count(database, ContentMedia) == 0


def test_a_decompression_bomb_is_refused_before_it_is_decoded(database, editor):
    """A tiny file that claims 20000 × 20000 pixels (400 megapixels when decoded)."""
    out = io.BytesIO()
    Image.new("1", (20000, 20000)).save(out, format="PNG")
    assert len(out.getvalue()) < 2 * 1024 * 1024
    page = _upload(editor, out.getvalue(), "bomb.png").get_data(as_text=True)
    assert "at most 4000 pixels a side" in page
    assert count(database, ContentMedia) == 0
