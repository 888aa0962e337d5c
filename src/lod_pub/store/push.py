"""A remote store: any SPARQL 1.1 store over HTTP, for publishers who outgrow one machine.

    RemoteStore(Endpoints.oxigraph("http://127.0.0.1:7878/"))   queries by the SPARQL 1.1 Protocol,
                                                                 loading by the Graph Store Protocol,
                                                                 switching by SPARQL 1.1 Update
    push(release, remote)                                        publish a built release into it

A release goes in whole or not at all, and checked. Its graphs are first loaded under staging names
(`urn:lod-pub:staging:{release}:{n}`; sent as N-Quads in batches of about 8 MB, or one Graph Store
Protocol PUT per graph where a store takes no quads), checked (check: graph names, quads per graph, a
digest of each graph sent, store.digest), and then one SPARQL Update request drops the graphs the new
release no longer has, puts every staging graph onto its real name (Flavour.switch: MOVE on
Oxigraph; DROP, INSERT WHERE, DROP elsewhere) and names the release (store.http.RELEASE_GRAPH); the
store is checked again after it: its graph names (listed without reading their quads), the quads and
digests of the graphs sent and dropped; with verify_all (`push --verify-all`), the quads of every graph,
before loading and after the switch. A difference is PushCheckFailed (exit 2, a report a line a
difference): after loading, the store keeps the release it held; after the switch, it is left naming
no release (the web serves nothing from it) and the note in pushed.json is forgotten, so the next push
sends everything. Into an empty store the graphs go straight to their names: there is no release to
keep whole. While a push stages into a store that holds a release, the store names none (staged
graphs are named graphs a reader of the union would see beside the release).

Only new and changed graphs are sent: the data folder notes (pushed.json) which release each store
was given, and when the store is still named as holding that release and its graphs that hold quads are
that release's (with verify_all, with as many quads each), a graph whose ledger key is unchanged stays
where it is, its quads trusted from the note: a push reads the quads of the graphs it sends, not those
of the store. Stores that run one update
request as one transaction (Oxigraph, Apache Jena Fuseki) switch atomically; Virtuoso runs a request
operation by operation, and the release is named last. A push that fails before the switch drops its
staging graphs; the next push also drops any a killed push left.

Queries see the union of the release's graphs as their default graph only when the store is set up
that way (Oxigraph: `serve --union-default-graph`; Fuseki: `tdb2:unionDefaultGraph true`).
Nothing here fetches anything but the configured endpoints.
"""

from __future__ import annotations

import json
import os
import urllib.parse
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

import pyoxigraph as ox

from . import digest
from .http import (RELEASE_GRAPH, Endpoints, Flavour, HttpStore, RemoteError, StoreUnavailable, name_operation,
                   unname_operations)
from ..errors import ReleaseError
from ..ledger import read_ledger
from ..published import Release, read_release

STAGING = "urn:lod-pub:staging:"
PUSHED = "pushed.json"
#: Graphs a digest query names at a time.
DIGEST_BATCH = 500          # graphs one count or digest query lists, as VALUES
UNION_BATCH = 100           # the same as UNIONs (Virtuoso 7.2: a digest of 500 graphs ran out of its 400 MB
                            # compile pool, 300 passed)
DROP_BATCH = 250            # DROPs one update request holds (Virtuoso 7.2: 750 passed, 1,000 'Query too large')
#: Most quads sent whose digests are checked: about 20 s on an Oxigraph server and 10 s on the embedded
#: store per million quads (benchmarks/bench_push_check.py); a larger push is checked by counts alone.
DIGEST_LIMIT = 1_000_000


class RemoteStore(HttpStore):
    """The remote store as the publisher sees it: reading, and writing by Update and the Graph Store Protocol."""

    def __init__(self, endpoints: Endpoints, timeout: float = 60.0):
        super().__init__(endpoints, timeout)

    @property
    def flavour(self) -> Flavour:
        return self.endpoints.flavour

    # -- reading ---------------------------------------------------------------------------------
    def rows(self, sparql: str) -> list[dict[str, str]]:
        result = self.select(sparql)
        names = [v.value for v in result.variables]
        return [{n: row[n].value for n in names if row[n] is not None} for row in result]

    def graph_sizes(self) -> dict[str, int]:
        """Quads per named graph, but the store's own graphs (Flavour.own_graphs) and the release marker
        (RELEASE_GRAPH): one count over every quad of the store."""
        rows = self.rows("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
        return {r["g"]: int(r["n"]) for r in rows if self._listed(r["g"])}

    def graph_names(self) -> set[str]:
        """The named graphs that hold quads (the store's own graphs and the release marker aside), listed
        without counting their quads (Flavour.names): on an Oxigraph server the store's list of graphs,
        each asked for one quad (a graph emptied quad by quad keeps its name there, and is not listed)."""
        if self.flavour.names == "graph":
            query = "SELECT ?g WHERE { GRAPH ?g { } FILTER EXISTS { GRAPH ?g { ?s ?p ?o } } }"
        else:  # Virtuoso 7.2: without a FILTER, any, the same query took 149 s at 200,000 quads
            query = f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(?g != <{RELEASE_GRAPH}>) }}"
        return {r["g"] for r in self.rows(query) if "g" in r and self._listed(r["g"])}

    def sizes_of(self, graphs: Iterable[str]) -> dict[str, int]:
        """Quads in each graph listed that holds any (the others are left out), graph by graph: reads
        those graphs' quads, not the store's."""
        names, found, batch = sorted(set(graphs)), {}, self.batch
        for i in range(0, len(names), batch):
            rows = self.rows(count_query(names[i:i + batch], self.flavour))
            found.update({r["g"]: int(r["n"]) for r in rows if "g" in r and int(r.get("n", 0))})
        return found

    @property
    def batch(self) -> int:
        """How many graphs one count or digest query lists (UNIONs cost a store more than VALUES)."""
        return UNION_BATCH if self.flavour.lists == "union" else DIGEST_BATCH

    def _listed(self, graph: str) -> bool:
        return not graph.startswith(RELEASE_GRAPH) and not self.flavour.owns(graph)

    def unname(self) -> None:
        """Take every release name out of the store: the web serves nothing from it until a push names one."""
        ops = unname_operations(self.flavour, self.release_ids())
        if ops:
            self.update(" ;\n".join(ops))

    def digests(self, graphs: list[str]) -> dict[str, int]:
        """A digest per named graph of those listed (store.digest, of the kind Flavour.digest names),
        computed by the store."""
        found: dict[str, int] = {}
        batch = self.batch
        for i in range(0, len(graphs), batch):
            found.update(digest.parse(self.rows(digest.query(graphs[i:i + batch], self.flavour.digest,
                                                             self.flavour.lists))))
        return found

    def holds(self, release: Release) -> bool:
        """Whether the store holds exactly the release: its graphs with as many quads each (every graph
        counted) and no other graph, and named as holding it (RELEASE_GRAPH)."""
        return not check(self, release, expected_sizes(release))

    # -- writing ---------------------------------------------------------------------------------
    def drop(self, graphs: Iterable[str]) -> None:
        """Drop the graphs, DROP_BATCH to an update request (a store refuses too large a request)."""
        names = sorted(graphs)
        for i in range(0, len(names), DROP_BATCH):
            self.update(" ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in names[i:i + DROP_BATCH]))

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


def count_query(graphs: list[str], flavour: Flavour) -> str:
    """SELECT ?g ?n: the quads of each graph listed (no row for a graph that holds none)."""
    return f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ {digest.quads_of(graphs, flavour.lists)} }} GROUP BY ?g"


class PushCheckFailed(RemoteError):
    """The store does not hold what was sent: a readable report of each difference (exit 2)."""


def expected_sizes(release: Release) -> dict[str, int]:
    """Quads per graph of the release: from its ledger, or counted in its embedded store."""
    ledger = read_ledger(release.path)
    if ledger is not None and set(ledger.graphs) == set(release.manifest["graphs"]):
        return {g: e.quads for g, e in ledger.graphs.items()}
    rows = release.open_store().query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    assert isinstance(rows, ox.QuerySolutions)
    return {str(r["g"].value): int(r["n"].value) for r in rows}


def local_digests(store: ox.Store, graphs: list[str], kind: str = "md5") -> dict[str, int]:
    """The digests (store.digest, of that kind) of the release's graphs, by its embedded store."""
    found: dict[str, int] = {}
    for i in range(0, len(graphs), DIGEST_BATCH):
        result = store.query(digest.query(graphs[i:i + DIGEST_BATCH], kind))
        assert isinstance(result, ox.QuerySolutions)
        names = [v.value for v in result.variables]
        found.update(digest.parse([{n: row[n].value for n in names if row[n] is not None} for row in result]))
    return found


def compare(held: Mapping[str, int | None], expected: dict[str, int], what: str = "graph") -> list[str]:
    """The differences between quads per graph held (None: a graph held, its quads not counted) and
    expected, one line each."""
    lines = [f"{what} <{g}>: missing from the store ({n} quads expected)" for g, n in expected.items() if g not in held]
    lines += [f"{what} <{g}>: in the store{'' if n is None else f' ({n} quads)'}, not in the release"
              for g, n in held.items() if g not in expected]
    lines += [f"{what} <{g}>: the store holds {held[g]} quads, the release {n}"
              for g, n in expected.items() if held.get(g) is not None and held[g] != n]
    return sorted(lines)


def held_graphs(remote: RemoteStore, counted: Iterable[str] | None = None) -> dict[str, int | None]:
    """The store's graphs (RemoteStore.graph_sizes' list) with their quads: every graph counted, one
    pass over every quad of the store (counted None); else the graphs listed by name (graph_names)
    and only those in `counted` counted, None for the others."""
    if counted is None:
        return dict(remote.graph_sizes())
    names, wanted = remote.graph_names(), set(counted)
    sizes = remote.sizes_of(names & wanted)
    return {g: sizes.get(g, 0) if g in wanted else None for g in names}


def check(remote: RemoteStore, release: Release, expected: dict[str, int],
          digests: dict[str, int] | None = None, counted: Iterable[str] | None = None) -> list[str]:
    """What differs between the store and the release: graph names, quads per graph (of every graph,
    or of those counted: held_graphs), the digests given ({graph: digest} of some graphs), and the
    release id the store names."""
    held = held_graphs(remote, counted)
    staging = sorted(g for g in held if g.startswith(STAGING))
    lines = compare({g: n for g, n in held.items() if g not in staging}, expected)
    lines += [f"graph <{g}>: a staging graph left in the store" for g in staging]
    if digests:
        theirs = remote.digests(sorted(digests))
        lines += [f"graph <{g}>: same size, other quads (digest {theirs.get(g, 0):x}, the release's {d:x})"
                  for g, d in sorted(digests.items()) if theirs.get(g, 0) != d and held.get(g) == expected.get(g)]
    named = remote.release_id()
    if named != release.id:
        lines.append(f"the store names release {named or '(none)'}, not {release.id}")
    return lines


def report(lines: list[str], limit: int = 20) -> str:
    shown = "\n".join(f"  {line}" for line in lines[:limit])
    more = f"\n  ... and {len(lines) - limit} more" if len(lines) > limit else ""
    return f"{shown}{more}"


class _Loader:
    """Sends staged graphs in batches of about `batch` bytes of N-Quads; one PUT per graph on a store
    that refuses a POST of quads."""

    def __init__(self, remote: RemoteStore, batch: int = 8 << 20):
        self.remote, self.batch = remote, batch
        self.pending: list[bytes] = []
        self.size = 0
        self.quads_refused = not remote.flavour.quads  # a store known to take none gets PUTs

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


def switch_request(flavour: Flavour, staged: dict[str, str], dropped: set[str], release_id: str | None,
                   named: Iterable[str] = ()) -> str:
    """The switch as one update request: the release names (named) taken out first, the graphs the release
    no longer has dropped, each staging graph put onto its name (Flavour.switch), the new release named last
    (so a reader of a store that runs a request operation by operation sees no name while it runs)."""
    return " ;\n".join(op for request in _switch_operations(flavour, staged, dropped, release_id, named, 0)
                        for op in request)


def switch_requests(flavour: Flavour, staged: dict[str, str], dropped: set[str], release_id: str | None,
                    named: Iterable[str] = ()) -> list[str]:
    """The switch as the update requests the store takes: one, or where the store refuses a large request
    (Flavour.switch_graphs), that many graphs dropped or put onto their names a request, the names taken
    out in the first and the new release named in the last: no reader sees a release name in between."""
    return [" ;\n".join(ops) for ops in _switch_operations(flavour, staged, dropped, release_id, named,
                                                           flavour.switch_graphs)]


def _switch_operations(flavour: Flavour, staged: dict[str, str], dropped: set[str], release_id: str | None,
                       named: Iterable[str], per_request: int) -> list[list[str]]:
    items = [[f"DROP SILENT GRAPH <{g}>"] for g in sorted(dropped)]
    for s, g in staged.items():
        if flavour.switch == "move":
            items.append([f"MOVE SILENT GRAPH <{s}> TO <{g}>"])
        else:
            items.append([f"DROP SILENT GRAPH <{g}>",
                          f"INSERT {{ GRAPH <{g}> {{ ?s ?p ?o }} }} WHERE {{ GRAPH <{s}> {{ ?s ?p ?o }} }}",
                          f"DROP SILENT GRAPH <{s}>"])
    size = per_request or max(len(items), 1)
    requests = [[op for item in items[i:i + size] for op in item] for i in range(0, len(items), size)] or [[]]
    if release_id:
        requests[0][:0] = unname_operations(flavour, named)
        requests[-1].append(name_operation(flavour, release_id))
    return [ops for ops in requests if ops]


def _drop_staging(remote: RemoteStore, staged: Iterable[str]) -> None:
    remote.drop(staged)


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
    _write_notes(path, notes)


def _write_notes(path: Path, notes: dict[str, str]) -> None:
    tmp = path.with_name(f".{PUSHED}-{os.getpid()}")
    tmp.write_text(json.dumps(notes, indent=2), "utf-8")
    os.replace(tmp, path)


def _forget_pushed(release: Release, remote: RemoteStore) -> None:
    path = _record(release)
    try:
        notes = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return
    if notes.pop(remote.endpoints.query, None) is not None:
        _write_notes(path, notes)


def _changed(release: Release, graphs: list[str], previous: Release | None, held: dict[str, int | None],
             named: str | None) -> list[str]:
    """The graphs to send: those whose ledger key differs from the release the store holds, when the
    store names that release and holds its graphs (held: by name, and with as many quads each where
    counted); else every graph."""
    if previous is None or named != previous.id or compare(held, expected_sizes(previous)):
        return graphs
    old, new = read_ledger(previous.path), read_ledger(release.path)
    if old is None or new is None:
        return graphs
    return [g for g in graphs if g not in old.graphs or g not in new.graphs or old.graphs[g].key != new.graphs[g].key]


def push(release: Release, remote: RemoteStore, progress: Callable[[str], None] = lambda _: None,
         verify_all: bool = False) -> int:
    """Publish a built release into the remote store: its new and changed graphs staged and checked,
    then switched to (in one update request, or Flavour.switch_graphs graphs a request), then the store
    checked against the release: its graph names, the quads and digests of the graphs sent; with
    verify_all, the quads of every graph too, before and after (a pass over every quad of the store, each
    time). Returns how many graphs were sent; PushCheckFailed when the store does not hold what was sent."""
    store = release.open_store()
    graphs = sorted(g.value for g in store.named_graphs())
    expected = expected_sizes(release)
    if verify_all:
        progress("counting the quads of every graph of the store")
    found = held_graphs(remote, None if verify_all else ())
    leftovers = {g for g in found if g.startswith(STAGING)}
    held = {g: n for g, n in found.items() if g not in leftovers}
    if leftovers:
        _drop_staging(remote, leftovers)  # what a killed push left behind
    named = remote.release_id()
    sending = _changed(release, graphs, _last_pushed(release, remote), held, named)
    progress(f"sending {len(sending)} of {len(graphs)} graph(s)")
    prefix = f"{STAGING}{release.id}:"
    # into an empty store there is nothing to keep whole for readers: the graphs go straight to their
    # names (a switch of 100,000 MOVEs costs minutes and holds the whole release in one transaction)
    staged = {f"{prefix}{i}": g for i, g in enumerate(sending)} if held else {g: g for g in sending}
    names = remote.release_ids()
    if staged and names:
        # staged graphs are named graphs, so readers of the union would see both releases: the store
        # names no release until the switch (the web answers 503 meanwhile, never a mixture)
        remote.unname()
    digested = sum(expected.get(g, 0) for g in sending) <= DIGEST_LIMIT
    if not digested:
        progress(f"more than {DIGEST_LIMIT:,} quads sent: checked by graph names and counts, without digests")
    # the digests of the graphs sent, on the release's side: once, for the checks after loading and switching
    ours = local_digests(store, [g for g in sending if expected.get(g)], remote.flavour.digest) if digested else None
    try:
        _load(store, remote, staged, progress)
        _check_staged(remote, staged, expected, ours)
    except BaseException as failed:
        try:
            _drop_staging(remote, staged)
            if staged and named:  # the store holds what it held: it names it again
                remote.update(name_operation(remote.flavour, named))
        except Exception as cleanup:  # the push's own error is the one to report
            failed.add_note(f"and cleaning up after it failed too: {cleanup}")
        raise
    dropped = set(held) - set(graphs)
    requests = switch_requests(remote.flavour, {s: g for s, g in staged.items() if s != g}, dropped,
                               release.id if (staged or dropped or names != [release.id]) else None, names)
    for done, request in enumerate(requests):
        try:
            remote.update(request)
        except BaseException as failed:
            failed.add_note(f"the switch to release {release.id} stopped at update request {done + 1} of "
                            f"{len(requests)}: until a push completes, the store names no release where it named "
                            "one (the web answers 503, never a mixture of releases); the next push sends every "
                            "graph and drops what is left of this one")
            raise
    _check_switched(remote, release, expected, ours or {}, None if verify_all else [*sending, *dropped])
    _note_pushed(release, remote)
    progress(f"release {release.id} is current in the remote store, checked")
    return len(sending)


def _load(store: ox.Store, remote: RemoteStore, staged: dict[str, str], progress: Callable[[str], None]) -> None:
    loader = _Loader(remote)
    for i, (staging, graph) in enumerate(staged.items(), 1):
        loader.add(staging, store.dump(None, ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(graph)) or b"")
        if i % 10000 == 0:
            progress(f"pushed {i}/{len(staged)} graphs")
    loader.flush()


def _check_staged(remote: RemoteStore, staged: dict[str, str], expected: dict[str, int],
                  ours: dict[str, int] | None) -> None:
    """The staged graphs hold the release's quads (count and, given the release's digests (ours), digest of
    each; only those graphs are read); else PushCheckFailed, and the store keeps the release it had."""
    if not staged:
        return
    want = {s: expected.get(g, 0) for s, g in staged.items() if expected.get(g, 0)}
    lines = compare(dict(remote.sizes_of(want)), want, "staged graph")
    if not lines and ours is not None:
        theirs = remote.digests(sorted(want))
        lines = [f"staged graph <{s}> (for <{staged[s]}>): same size, other quads"
                 for s in sorted(want) if theirs.get(s) != ours.get(staged[s])]
    if lines:
        raise PushCheckFailed(f"the store did not take the release's graphs as sent; it keeps the release it "
                              f"had:\n{report(lines)}")


def _check_switched(remote: RemoteStore, release: Release, expected: dict[str, int], digests: dict[str, int],
                    counted: list[str] | None) -> None:
    """After the switch: the store holds exactly the release (graph names, the quads of each graph in
    `counted` or, None, of every graph, the digests given, the release's name); else the marker is taken
    out (the web serves nothing from the store), the note forgotten (the next push sends everything), and
    PushCheckFailed."""
    lines = check(remote, release, expected, digests, counted)
    if not lines:
        return
    _forget_pushed(release, remote)
    remote.unname()
    raise PushCheckFailed(f"after the switch the store does not hold release {release.id}; it names no release "
                          f"now, so the web serves none from it; push again to repair it:\n{report(lines)}")
