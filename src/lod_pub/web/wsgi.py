"""The WSGI entry point for production servers: `gunicorn -w 2 'lod_pub.web.wsgi:app'`.

Settings come from the environment, read here at the edge and nowhere else in the web:
LOD_PUB_DATA_DIR (default ./var), LOD_PUB_BASE, LOD_PUB_PROJECT, and two tuning knobs,
LOD_PUB_CACHE_SIZE (rendered documents kept per worker, default 4096; 0 turns the cache off) and
LOD_PUB_PAGE_SIZE (links per description page, default 500). The store is opened lazily by each
worker on its first request, so workers forked by gunicorn never share a store handle.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..settings import Settings
from . import create_app


def settings_from_environment(env=os.environ) -> Settings:
    return Settings().with_(
        base=env.get("LOD_PUB_BASE") or None,
        data_dir=Path(env["LOD_PUB_DATA_DIR"]) if env.get("LOD_PUB_DATA_DIR") else None,
        project_dir=Path(env["LOD_PUB_PROJECT"]) if env.get("LOD_PUB_PROJECT") else None,
    )


def config_from_environment(env=os.environ) -> dict:
    return {key: int(env[key]) for key in ("LOD_PUB_CACHE_SIZE", "LOD_PUB_PAGE_SIZE") if env.get(key)}


app = create_app(settings_from_environment(), **config_from_environment())
