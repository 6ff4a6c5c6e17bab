"""The kiosks' JSON API under /api/v1 (contract: docs/kiosk-api.md).

`init_app` registers the blueprint and exempts it from CSRF (kiosks send no cookies,
they send a bearer token). Every error under /api/ answers in the site's one JSON shape
(web/errors.py chooses JSON for /api/), including the 404 and 405 of routing, which no
blueprint handler sees.
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from .blueprint import bp


def init_app(app: Flask) -> None:
    from .. import content_source
    from ..extensions import csrf
    from . import bookings, routes  # noqa: F401  (register the views on bp)
    from .bundles import ContentBundles
    from .ratelimit import KioskRateLimit

    app.config.setdefault("API_RATE_LIMIT", (120, 60))
    app.config.setdefault("CONTENT_BUNDLE_DIR", str(Path(app.instance_path) / "bundles"))
    app.register_blueprint(bp, url_prefix="/api/v1")
    csrf.exempt(bp)
    limit, seconds = app.config["API_RATE_LIMIT"]
    # Flask-Limiter; Redis when TSUNAGU_REDIS_URL is set (web/api/ratelimit.py)
    app.extensions["tsunagu_api_limiter"] = KioskRateLimit(app, limit, seconds)
    app.extensions["tsunagu_bundles"] = ContentBundles(
        out_dir=Path(app.config["CONTENT_BUNDLE_DIR"]),
        content_dir=lambda: content_source.source(app).root(),
        audio_dir=app.config.get("AUDIO_CACHE_DIR"),
    )
    if not app.testing:  # a served site: bundle and ask index ready before the first asker
        app.extensions["tsunagu_bundles"].warm()
