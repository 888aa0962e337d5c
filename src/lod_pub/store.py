"""The embedded store: Oxigraph on disk, written once per release, opened read-only to serve.

    open_store(path)                 read-only, for the web
    memory_store(nquads_path)        in memory, for tests and small releases
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph


def open_store(path: Path) -> pyoxigraph.Store:
    return pyoxigraph.Store.read_only(str(path))


def memory_store(nquads: Path) -> pyoxigraph.Store:
    store = pyoxigraph.Store()
    store.bulk_load(path=str(nquads), format=pyoxigraph.RdfFormat.N_QUADS)
    return store
