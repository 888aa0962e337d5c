"""The WSGI entry point for production servers: `gunicorn -w 2 'lod_pub.web.wsgi:app'`.

Settings come from the environment, read here at the edge and nowhere else in the web:
LOD_PUB_DATA_DIR (default ./var), LOD_PUB_BASE, LOD_PUB_PROJECT. The store is opened lazily by each
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


app = create_app(settings_from_environment())
