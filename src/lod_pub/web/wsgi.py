"""The WSGI entry point for production servers: `gunicorn -w 2 'lod_pub.web.wsgi:app'`.

Settings come from the environment, read here at the edge and nowhere else in the web:
LOD_PUB_DATA_DIR (default ./var), LOD_PUB_BASE, LOD_PUB_PROJECT, and two tuning knobs,
LOD_PUB_CACHE_SIZE (rendered documents kept per worker, default 4096; 0 turns the cache off) and
LOD_PUB_PAGE_SIZE (links per description page, default 500), and the SPARQL endpoint's limits
(LOD_PUB_SPARQL_TIMEOUT and the rest, docs/sparql.md). The store is opened lazily by each
worker on its first request, so workers forked by gunicorn never share a store handle.
"""

from __future__ import annotations

from . import create_app
from .environment import config_from_environment, settings_from_environment


app = create_app(settings_from_environment(), **config_from_environment())
