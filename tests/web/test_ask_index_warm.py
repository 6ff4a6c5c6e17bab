"""The ask index is built with the content bundle (when the content changes), so that no
resident's question waits for it (issue 20; docs/ask.md)."""

from __future__ import annotations

import shutil

from content.ask import index as ask_index
from content.loader import CONTENT_DIR
from web.api.bundles import ContentBundles


def test_building_the_bundle_builds_the_ask_index_of_the_same_content(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, content)
    bundles = ContentBundles(out_dir=tmp_path / "bundles", content_dir=content)
    assert str(content) not in ask_index._built  # nothing built for this folder yet
    assert bundles.current() is not None
    built = ask_index._built.get(str(content))
    assert built is not None, "the bundle came without the ask index"
    # the question's own path finds it ready: the same index, not a new build
    assert ask_index.index_at(content) is built[1]


def test_a_started_site_warms_bundle_and_index_in_the_background(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, content)
    bundles = ContentBundles(out_dir=tmp_path / "bundles", content_dir=content)
    bundles.warm().join(timeout=120)
    assert bundles.current() is not None and str(content) in ask_index._built
