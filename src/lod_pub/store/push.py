"""A remote store: any SPARQL 1.1 store over HTTP, for publishers who outgrow one machine.

    RemoteStore(Endpoints.oxigraph("http://127.0.0.1:7878/"))   queries by the SPARQL 1.1 Protocol,
                                                                 loading by the Graph Store Protocol,
                                                                 switching by SPARQL 1.1 Update
    push(release, remote)                                        publish a built release into it

A release goes in whole or not at all. Its graphs are first loaded under staging names
(`urn:lod-pub:staging:{release}:{n}`; sent as N-Quads in batches of about 8 MB, or one Graph Store
Protocol PUT per graph where a store takes no quads), checked by count, and then one SPARQL Update request drops the
graphs the new release no longer has and moves every staging graph onto its real name (into an
empty store the graphs go straight to their names: there is no release to keep whole). Only new and
changed graphs are sent: the data folder notes (pushed.json) which release each store was given,
and when the store still holds exactly that release (graph names, quad count), a graph whose ledger
key is unchanged stays where it is. Afterwards
the store holds the release's graphs and nothing else (no bookkeeping graph a query could see), so
it answers exactly as the release's embedded store does; `RemoteStore.holds(release)` checks it. Stores that run one update request as one transaction
(Oxigraph, Apache Jena Fuseki) switch atomically; on others (Virtuoso runs an update request
operation by operation) readers may see a mix of releases for the length of that request. A push
that fails before the switch drops its staging graphs; the next push also drops any a killed push left.

Queries see the union of the release's graphs as their default graph only when the store is set up
that way (Oxigraph: `serve --union-default-graph`; Fuseki: `tdb2:unionDefaultGraph true`).
Nothing here fetches anything but the configured endpoints.
"""

from __future__ import annotations

import json
import os
import urllib.parse
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

from .http import Endpoints, HttpStore, RemoteError, StoreUnavailable
from ..errors import ReleaseError
from ..ledger import read_ledger
from ..published import Release, read_release

STAGING = "urn:lod-pub:staging:"
PUSHED = "pushed.json"


class RemoteStore(HttpStore):
    """The remote store as the publisher sees it: reading, and writing by Update and the Graph Store Protocol."""

    def __init__(self, endpoints: Endpoints, timeout: float = 60.0):
        super().__init__(endpoints, timeout)

    # -- reading ---------------------------------------------------------------------------------
    def rows(self, sparql: str) -> list[dict[str, str]]:
        result = self.select(sparql)
        names = [v.value for v in result.variables]
        return [{n: row[n].value for n in names if row[n] is not None} for row in result]

    def graph_sizes(self, prefix: str = "") -> dict[str, int]:
        """Quads per named graph (those whose IRI starts with prefix)."""
        filt = f'FILTER(STRSTARTS(STR(?g), {json.dumps(prefix)}))' if prefix else ""
        rows = self.rows(f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {filt} }} GROUP BY ?g")
        return {r["g"]: int(r["n"]) for r in rows}

    def holds(self, release: Release) -> bool:
        """Whether the store holds the release's graphs and as many quads (and nothing else)."""
        sizes = self.graph_sizes()
        return set(sizes) == set(release.manifest["graphs"]) and sum(sizes.values()) == release.manifest["quads"]

    # -- writing ---------------------------------------------------------------------------------
    def update(self, sparql: str) -> None:
        body = urllib.parse.urlencode({"update": sparql}).encode()
        self.request("POST", self.endpoints.update, body, {"Content-Type": "application/x-www-form-urlencoded"})

    def put_graph(self, graph: str, ntriples: bytes) -> None:
        url = f"{self.endpoints.store}?{urllib.parse.urlencode({'graph': graph})}"
        self.request("PUT", url, ntriples, {"Content-Type": "application/n-triples"})

    def post_quads(self, nquads: bytes) -> None:
        """Add quads to the dataset: a POST of N-Quads to the Graph Store endpoint, which Oxigraph and
        Fuseki accept (the Protocol itself names one graph per request)."""
        self.request("POST", self.endpoints.store, nquads, {"Content-Type": "application/n-quads"})


class _Loader:
    """Sends staged graphs in batches of about `batch` bytes of N-Quads; one PUT per graph on a store
    that refuses a POST of quads."""

    def __init__(self, remote: RemoteStore, batch: int = 8 << 20):
        self.remote, self.batch = remote, batch
        self.pending: list[bytes] = []
        self.size = 0
        self.quads_refused = False

    def add(self, staging: str, ntriples: bytes) -> None:
        if self.quads_refused:
            self.remote.put_graph(staging, ntriples)
            return
        # an N-Triples line ends with " .\n" and nowhere else (a newline in a literal is escaped)
        self.pending.append(ntriples.replace(b" .\n", f" <{staging}> .\n".encode()))
        self.size += len(self.pending[-1])
        if self.size >= self.batch:
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        data, self.pending, self.size = b"".join(self.pending), [], 0
        try:
            self.remote.post_quads(data)
        except StoreUnavailable:
            raise
        except RemoteError:
            self.quads_refused = True
            for graph, triples in _split_quads(data).items():
                self.remote.put_graph(graph, triples)


def _split_quads(nquads: bytes) -> dict[str, bytes]:
    """N-Quads as written by _Loader, back to N-Triples per graph."""
    graphs: dict[str, list[bytes]] = {}
    for line in nquads.splitlines(keepends=True):
        head, _, graph = line[:-3].rpartition(b" <")
        graphs.setdefault(graph[:-1].decode(), []).append(head + b" .\n")
    return {g: b"".join(lines) for g, lines in graphs.items()}


def _switch_request(staged: dict[str, str], dropped: set[str]) -> str:
    ops = [f"DROP SILENT GRAPH <{g}>" for g in sorted(dropped)]
    ops += [f"MOVE SILENT GRAPH <{s}> TO <{g}>" for s, g in staged.items()]
    return " ;\n".join(ops)


def _drop_staging(remote: RemoteStore, sizes: dict[str, int] | None = None) -> None:
    staged = sizes if sizes is not None else remote.graph_sizes(STAGING)
    if staged:
        remote.update(" ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in sorted(staged)))


def _record(release: Release) -> Path:
    """Where the data folder notes which release each remote store was last given."""
    return release.path.parent.parent / PUSHED


def _last_pushed(release: Release, remote: RemoteStore) -> Release | None:
    try:
        pushed = json.loads(_record(release).read_text("utf-8"))[remote.endpoints.query]
        return read_release(release.path.parent / pushed)
    except (OSError, ValueError, KeyError, TypeError, ReleaseError):
        return None


def _note_pushed(release: Release, remote: RemoteStore) -> None:
    path = _record(release)
    try:
        notes = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        notes = {}
    notes[remote.endpoints.query] = release.id
    tmp = path.with_name(f".{PUSHED}-{os.getpid()}")
    tmp.write_text(json.dumps(notes, indent=2), "utf-8")
    os.replace(tmp, path)


def _changed(release: Release, graphs: list[str], previous: Release | None, held: dict[str, int]) -> list[str]:
    """The graphs to send: those whose ledger key differs from the release the store holds, when the
    store holds exactly that release (its graphs, its quad count); else every graph."""
    if previous is None or set(held) != set(previous.manifest["graphs"]) or \
            sum(held.values()) != previous.manifest["quads"]:
        return graphs
    old, new = read_ledger(previous.path), read_ledger(release.path)
    if old is None or new is None:
        return graphs
    return [g for g in graphs if g not in old.graphs or g not in new.graphs or old.graphs[g].key != new.graphs[g].key]


def push(release: Release, remote: RemoteStore, progress: Callable[[str], None] = lambda _: None) -> int:
    """Publish a built release into the remote store: its new and changed graphs staged, then switched
    to in one update request. Returns how many graphs were sent."""
    store = release.open_store()
    graphs = sorted(g.value for g in store.named_graphs())
    sizes = remote.graph_sizes()
    leftovers = {g: n for g, n in sizes.items() if g.startswith(STAGING)}
    held = {g: n for g, n in sizes.items() if g not in leftovers}
    if leftovers:
        _drop_staging(remote, leftovers)  # what a killed push left behind
    sending = _changed(release, graphs, _last_pushed(release, remote), held)
    progress(f"sending {len(sending)} of {len(graphs)} graph(s)")
    prefix = f"{STAGING}{release.id}:"
    # into an empty store there is nothing to keep whole for readers: the graphs go straight to their
    # names (a switch of 100,000 MOVEs costs minutes and holds the whole release in one transaction)
    staged = {f"{prefix}{i}": g for i, g in enumerate(sending)} if held else {g: g for g in sending}
    expected, loader = {}, _Loader(remote)
    try:
        for i, (staging, graph) in enumerate(staged.items(), 1):
            data = store.dump(None, ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(graph)) or b""
            expected[staging] = data.count(b"\n")
            loader.add(staging, data)
            if i % 10000 == 0:
                progress(f"pushed {i}/{len(staged)} graphs")
        loader.flush()
        loaded = (remote.graph_sizes(prefix) if held else remote.graph_sizes()) if staged else {}
        if loaded != {s: n for s, n in expected.items() if n}:
            raise RemoteError(f"the remote store holds {sum(loaded.values())} staged quads, "
                              f"the release {sum(expected.values())}")
    except BaseException:
        _drop_staging(remote, {s: 0 for s in staged})
        raise
    switch = _switch_request({s: g for s, g in staged.items() if s != g}, set(held) - set(graphs))
    if switch:
        remote.update(switch)
    _note_pushed(release, remote)
    progress(f"release {release.id} is current in the remote store")
    return len(sending)
