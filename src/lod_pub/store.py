"""The embedded store: Oxigraph on disk, written once per release, opened read-only to serve.

    write_store(path, nquads_path)   bulk-load a release's N-Quads into a new on-disk store
    open_store(path)                 read-only, for the web
    memory_store(nquads_path)        in memory, for tests and small releases
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph


def write_store(path: Path, nquads: Path) -> int:
    store = pyoxigraph.Store(str(path))
    store.bulk_load(path=str(nquads), format=pyoxigraph.RdfFormat.N_QUADS)
    store.optimize()
    store.flush()
    count = len(store)
    del store
    return count


def open_store(path: Path) -> pyoxigraph.Store:
    return pyoxigraph.Store.read_only(str(path))


def memory_store(nquads: Path) -> pyoxigraph.Store:
    store = pyoxigraph.Store()
    store.bulk_load(path=str(nquads), format=pyoxigraph.RdfFormat.N_QUADS)
    return store
