"""A query worker keeps the last store it opened; a store that fails to open leaves none kept, and the
next query opens its store again, whichever it is."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from lod_pub.web.sparql.worker import Worker


def _store_at(path: Path) -> str:
    store = ox.Store(str(path))
    store.add(ox.Quad(ox.NamedNode("http://e.org/s"), ox.NamedNode("http://e.org/p"), ox.Literal("o"),
                      ox.NamedNode("http://e.org/g")))
    store.flush()
    del store  # closed: the worker opens it read-only
    return str(path)


def test_a_store_that_failed_to_open_does_not_leave_the_worker_without_one(tmp_path):
    worker = Worker(memory_mb=0)
    first = _store_at(tmp_path / "first")
    assert isinstance(worker.store(first), ox.Store)
    with pytest.raises(OSError):
        worker.store(str(tmp_path / "missing"))
    again = worker.store(first)  # the path it had open before the failure
    assert isinstance(again, ox.Store)
    assert len(list(again.quads_for_pattern(None, None, None))) == 1
