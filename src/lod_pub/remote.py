"""A remote store: any SPARQL 1.1 store over HTTP, for publishers who outgrow one machine.

    RemoteStore(Endpoints.oxigraph("http://127.0.0.1:7878/"))   queries by the SPARQL 1.1 Protocol,
                                                                 loading by the Graph Store Protocol,
                                                                 switching by SPARQL 1.1 Update
    push(release, remote)                                        publish a built release into it

A release goes in whole or not at all. Its graphs are first loaded under staging names
(`urn:lod-pub:staging:{release}:{n}`), checked by count, and then one SPARQL Update request drops the
graphs the new release no longer has, moves every staging graph onto its real name and records the
release as current in `urn:lod-pub:catalog`. Stores that run one update request as one transaction
(Oxigraph, Apache Jena Fuseki) switch atomically; on others (Virtuoso runs an update request
operation by operation) readers may see a mix of releases for the length of that request. A push
that fails before the switch drops its staging graphs; the next push also drops any a killed push left.

Queries see the union of the release's graphs as their default graph only when the store is set up
that way (Oxigraph: `serve --union-default-graph`; Fuseki: `tdb2:unionDefaultGraph true`).
Nothing here fetches anything but the configured endpoints.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

import pyoxigraph as ox

from .errors import ReleaseError
from .published import Release

CATALOG = "urn:lod-pub:catalog"
CURRENT = "urn:lod-pub:current"
RELEASE = "urn:lod-pub:release"
STAGING = "urn:lod-pub:staging:"


class RemoteError(ReleaseError):
    """The remote store could not be reached, or refused a request."""


@dataclass(frozen=True)
class Endpoints:
    query: str
    update: str
    store: str  # Graph Store Protocol

    @classmethod
    def oxigraph(cls, base: str) -> "Endpoints":
        base = base.rstrip("/") + "/"
        return cls(base + "query", base + "update", base + "store")

    @classmethod
    def fuseki(cls, base: str, dataset: str) -> "Endpoints":
        root = f"{base.rstrip('/')}/{dataset}/"
        return cls(root + "query", root + "update", root + "data")


class RemoteStore:
    def __init__(self, endpoints: Endpoints, timeout: float = 60.0):
        self.endpoints, self.timeout = endpoints, timeout

    # -- HTTP ------------------------------------------------------------------------------------
    def _request(self, url: str, data: bytes | None, headers: dict, method: str) -> tuple[str, bytes]:
        request = urllib.request.Request(url, data=data, headers=headers, method=method)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return response.headers.get("Content-Type", ""), response.read()
        except urllib.error.HTTPError as exc:
            body = exc.read()[:500].decode("utf-8", "replace")
            raise RemoteError(f"{method} {url}: HTTP {exc.code}: {body}") from None
        except (urllib.error.URLError, OSError) as exc:
            raise RemoteError(f"{method} {url}: {getattr(exc, 'reason', exc)}") from None

    # -- reading ---------------------------------------------------------------------------------
    def query(self, sparql: str, *, prefixes: dict[str, str] | None = None):
        """Like pyoxigraph's Store.query: QuerySolutions, a bool, or a list of Triples."""
        head = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in (prefixes or {}).items())
        body = urllib.parse.urlencode({"query": head + sparql}).encode()
        accept = "application/sparql-results+json, application/n-triples;q=0.9"
        ctype, data = self._request(self.endpoints.query, body, {
            "Content-Type": "application/x-www-form-urlencoded", "Accept": accept}, "POST")
        if ctype.startswith("application/sparql-results+json"):
            result = ox.parse_query_results(data, ox.QueryResultsFormat.JSON)
            return bool(result) if isinstance(result, ox.QueryBoolean) else result
        if ctype.startswith("application/n-triples"):
            return [q.triple for q in ox.parse(data, ox.RdfFormat.N_TRIPLES)]
        raise RemoteError(f"unexpected answer of type {ctype!r} from {self.endpoints.query}")

    def rows(self, sparql: str) -> list[dict[str, str]]:
        result = self.query(sparql)
        names = [v.value for v in result.variables]
        return [{n: row[n].value for n in names if row[n] is not None} for row in result]

    def graph_sizes(self, prefix: str = "") -> dict[str, int]:
        """Quads per named graph (those whose IRI starts with prefix)."""
        filt = f'FILTER(STRSTARTS(STR(?g), {json.dumps(prefix)}))' if prefix else ""
        rows = self.rows(f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {filt} }} GROUP BY ?g")
        return {r["g"]: int(r["n"]) for r in rows}

    def current_release(self) -> str | None:
        rows = self.rows(f"SELECT ?id WHERE {{ GRAPH <{CATALOG}> {{ <{CURRENT}> <{RELEASE}> ?id }} }}")
        return rows[0]["id"] if rows else None

    # -- writing ---------------------------------------------------------------------------------
    def update(self, sparql: str) -> None:
        body = urllib.parse.urlencode({"update": sparql}).encode()
        self._request(self.endpoints.update, body, {"Content-Type": "application/x-www-form-urlencoded"}, "POST")

    def put_graph(self, graph: str, ntriples: bytes) -> None:
        url = f"{self.endpoints.store}?{urllib.parse.urlencode({'graph': graph})}"
        self._request(url, ntriples, {"Content-Type": "application/n-triples"}, "PUT")


def _switch_request(release_id: str, staged: dict[str, str], old: set[str]) -> str:
    ops = [f"DROP SILENT GRAPH <{g}>" for g in sorted(old - set(staged.values()))]
    ops += [f"MOVE SILENT GRAPH <{s}> TO <{g}>" for s, g in staged.items()]
    ops.append(f"DROP SILENT GRAPH <{CATALOG}>")
    ops.append(f"INSERT DATA {{ GRAPH <{CATALOG}> {{ <{CURRENT}> <{RELEASE}> {json.dumps(release_id)} }} }}")
    return " ;\n".join(ops)


def _drop_staging(remote: RemoteStore, sizes: dict[str, int] | None = None) -> None:
    staged = sizes if sizes is not None else remote.graph_sizes(STAGING)
    if staged:
        remote.update(" ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in sorted(staged)))


def push(release: Release, remote: RemoteStore, progress=lambda _: None) -> None:
    """Publish a built release into the remote store: whole, then switched to in one update request."""
    store = release.open_store()
    graphs = sorted(g.value for g in store.named_graphs())
    before = {g: n for g, n in remote.graph_sizes().items() if not g.startswith(STAGING) and g != CATALOG}
    _drop_staging(remote)  # what a killed push left behind
    prefix = f"{STAGING}{release.id}:"
    staged = {f"{prefix}{i}": g for i, g in enumerate(graphs)}
    expected = {}
    try:
        for i, (staging, graph) in enumerate(staged.items(), 1):
            data = store.dump(None, ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(graph))
            expected[staging] = data.count(b"\n")
            remote.put_graph(staging, data)
            if i % 1000 == 0:
                progress(f"pushed {i}/{len(staged)} graphs")
        loaded = remote.graph_sizes(prefix)
        if loaded != {s: n for s, n in expected.items() if n}:
            raise RemoteError(f"the remote store holds {sum(loaded.values())} staged quads, "
                              f"the release {sum(expected.values())}")
    except BaseException:
        _drop_staging(remote, {s: 0 for s in staged})
        raise
    remote.update(_switch_request(release.id, staged, set(before)))
    progress(f"release {release.id} is current in the remote store")
