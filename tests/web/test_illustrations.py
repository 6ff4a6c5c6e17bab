"""Guide step pictures on the web: the public guide page and the printed handout show one
per illustrated step, loaded from our own origin as SVG, decorative (alt="")."""

from __future__ import annotations

import re

import pytest

from content import load_catalog

IMG = re.compile(r'<img class="step__picture" src="([^"]+)" alt="" width="320" height="240">')


@pytest.fixture
def visitor(app):
    return app.test_client()


def illustrated(guide_id: str) -> list[str]:
    return [s.illustration for s in load_catalog().guide(guide_id).steps if s.illustration]


@pytest.mark.parametrize("guide_id", [g.id for g in load_catalog().active_guides])
def test_the_guide_page_has_one_picture_per_illustrated_step_served_as_svg(visitor, guide_id):
    html = visitor.get(f"/guides/{guide_id}").get_data(as_text=True)
    sources = IMG.findall(html)
    expected = illustrated(guide_id)
    assert len(expected) >= 2
    assert sources == [f"/guides/media/{name.removeprefix('media/')}" for name in expected]
    for source in set(sources):
        response = visitor.get(source)
        assert response.status_code == 200, source
        assert response.mimetype == "image/svg+xml"
        assert response.get_data(as_text=True).lstrip().startswith("<svg")
        assert "default-src 'none'" in response.headers["Content-Security-Policy"]


def test_the_printed_guide_handout_shows_the_pictures_too(as_role, ward):
    html = as_role("instructor").get("/handouts/guides/mynaportal-login").get_data(as_text=True)
    assert IMG.findall(html) == [
        f"/guides/media/{n.removeprefix('media/')}" for n in illustrated("mynaportal-login")
    ]


@pytest.mark.parametrize(
    "path",
    [
        "/guides/media/nothing.svg",  # no such picture
        "/guides/media/../guides/juminhyo.yaml",  # out of media/
        "/guides/media/%2e%2e/settings.sample.yaml",  # the same, encoded
        "/guides/media/pin-pad.png",  # only SVG is served
    ],
)
def test_only_svg_files_inside_media_are_served(visitor, path):
    assert visitor.get(path).status_code == 404
