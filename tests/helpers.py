"""Small helpers shared by tests (import as `from helpers import ...`)."""

from __future__ import annotations

import pyoxigraph as ox

from lod_pub.vocab import PREFIXES


def select(store: ox.Store, query: str) -> list[dict[str, str]]:
    """Rows of a SELECT over the union of all graphs, values as plain strings."""
    result = store.query(query, prefixes=PREFIXES, use_default_graph_as_union=True)
    names = [v.value for v in result.variables]
    return [{n: row[n].value for n in names if row[n] is not None} for row in result]
