"""The embedded store: Oxigraph on disk, written once per release, opened read-only to serve.

    open_store(path)                 read-only, for the web
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph


def open_store(path: Path) -> pyoxigraph.Store:
    return pyoxigraph.Store.read_only(str(path))
