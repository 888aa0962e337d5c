"""The WSGI entry point for production servers: `gunicorn -w 2 'lod_pub.web.wsgi:app'`.

Settings come from the environment, read here at the edge through lod_pub.settings.read_environment
(every variable is in lod_pub.settings.TABLE and listed in docs/deploy.md or docs/sparql.md). The
store is opened lazily by each worker on its first request, so workers forked by gunicorn never
share a store handle.
"""

from __future__ import annotations

import os

from ..settings import read_environment, settings_from, web_config
from . import create_app

_values = read_environment(os.environ)
app = create_app(settings_from(_values), **web_config(_values))
