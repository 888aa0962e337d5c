"""The web: a Flask app, read-only over the current release. Never imports mapping/ or sources/.

    create_app(settings=None, **config) -> Flask

Blueprints: resources (home, /id, /doc, vocabulary, search), sparql (/sparql), files (/dumps, /void,
sitemap); before any route, inbound (UTF-8, Host, Range) and options (OPTIONS, on every route but
/sparql). The current release is picked up on the next request after a build switches it; no restart.
Behind LOD_PUB_PROXIES trusted reverse proxies, werkzeug's ProxyFix reads the public scheme and host.
"""

from __future__ import annotations

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from ..store.http import Endpoints, HttpStore
from ..settings import Settings
from .state import ReleaseHolder


def create_app(settings: Settings | None = None, **config: object) -> Flask:
    settings = settings or Settings()
    app = Flask(__name__)
    app.config.update(
        LOD_PUB_SETTINGS=settings,
        MAX_CONTENT_LENGTH=1 << 20,
        JSON_SORT_KEYS=False,
    )
    app.config.update(config)
    remote = None
    if settings.remote:
        remote = HttpStore(Endpoints.of(settings.remote, settings.fuseki_dataset),
                           timeout=float(app.config.get("LOD_PUB_REMOTE_TIMEOUT", 30)))
    app.extensions["lod_pub"] = ReleaseHolder(settings.data_dir, remote)
    from . import files, inbound, options, resources, sparql

    for module in (inbound, options, resources, sparql, files):
        module.register(app)
    proxies = int(app.config.get("LOD_PUB_PROXIES", 0) or 0)
    if proxies > 0:  # the scheme and host every Location and Link is built from: the public ones, from the proxy
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)  # type: ignore[method-assign]
    return app
