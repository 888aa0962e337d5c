"""A SPARQL 1.1 store over HTTP, read the way pyoxigraph's Store is read; the client of every remote store.

    Endpoints.oxigraph(base) / Endpoints.fuseki(base, dataset) / Endpoints.of(base, fuseki_dataset)
    Endpoints(query, update, store)
    HttpStore(endpoints, timeout).query(sparql, substitutions=, prefixes=, use_default_graph_as_union=,
                                        default_graph=, named_graphs=, stream=)
    HttpStore(endpoints, timeout).select(sparql, ...)                             a SELECT's solutions
    HttpStore(endpoints, timeout).quads_for_pattern(s, p, o, g)
    HttpStore(endpoints, timeout).request(method, url, body, headers, stream=)   any other request
    HttpStore.close()                                                            every connection, every stream

The web (entity documents, the SPARQL endpoint's workers) and `lod-pub push` (store.push) talk to a
remote store through this module alone. Answers come back as pyoxigraph values: QuerySolutions for
SELECT, a QueryBoolean for ASK, an iterator of Triples for CONSTRUCT and DESCRIBE, so code written
against the embedded store runs unchanged. Requests use the SPARQL 1.1 Protocol (POST, form-encoded).
Nothing is fetched from anywhere but the configured endpoints.

Connections are urllib3's (a PoolManager): kept alive and pooled, up to POOL_SIZE idle ones per host
(more threads at once make more, dropped when done); no retries, no redirects followed; `timeout`
seconds to connect and to wait for each read. No connection is opened before a request, and each is
opened by the thread that sends the request: a query worker (web/sparql/worker.py) in its `store`
network mode lets only the thread that reads the remote store create sockets (web/sparql/sandbox.py),
wherever the client was made. urllib3 is imported with this module, so before a worker seals a thread
(urllib3 opens a socket when imported, to learn whether the machine has IPv6).

A streamed answer (`stream=True`) is parsed as it is read from its connection; the connection goes
back to the pool when the answer has been read to its end, and is closed when the same thread sends
its next request first (a thread reads one streamed answer at a time) or at close().

Substitutions (pyoxigraph binds variables before evaluation) are sent as the query text with the
variable written as the term itself (store.embedded.bind_variables), so the remote planner sees a
constant. The union default graph is the store's own setting (Oxigraph: `serve --union-default-graph`;
Fuseki: `tdb2:unionDefaultGraph true`).

Errors: StoreUnavailable (not reachable, timed out, a 5xx: try again later) and RemoteError (the
store refused the request, a 4xx). `str()` of either is the public text, fit for an HTTP answer: it says
what went wrong but never where (no URL, host or port of the store); `.detail` adds the method and URL
of the request, for logs and for the operator.
"""

from __future__ import annotations

import http.client
import io
import json
import socket
import threading
import urllib.parse
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any

import pyoxigraph as ox
import urllib3
from urllib3.exceptions import HTTPError, MaxRetryError, NameResolutionError, ProtocolError, ReadTimeoutError

from ..errors import ReleaseError
from ..formats import NTRIPLES, SPARQL_JSON
from ..sparql_lex import LexError, lex
from .embedded import bind_variables

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

#: What the store is asked to answer in: SPARQL JSON for SELECT and ASK, N-Triples for graphs.
SELECT_ACCEPT = SPARQL_JSON.media_type
GRAPH_ACCEPT = NTRIPLES.media_type
#: Most bytes read into memory for one answer that is not streamed.
MAX_ANSWER = 256 << 20
#: Idle connections kept per host; a web process runs about eight threads (docs/deploy.md).
POOL_SIZE = 16
#: Bytes a streamed answer reads from its connection at a time.
STREAM_BUFFER = 64 << 10
FORM = "application/x-www-form-urlencoded"

#: What query() gives back: solutions (SELECT), a boolean (ASK), or triples (CONSTRUCT, DESCRIBE).
Result = ox.QuerySolutions | ox.QueryBoolean | Iterator[ox.Triple]
Subject = ox.NamedNode | ox.BlankNode | ox.Triple
Object = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
Graph = ox.NamedNode | ox.BlankNode | ox.DefaultGraph
#: What request() gives back: the answer's content type, and its bytes or (streamed) a reader of them.
Answer = tuple[str, bytes | IO[bytes]]
#: Failures of a request or of reading its answer: urllib3's, and the socket's and http.client's beneath.
NETWORK_ERRORS = (HTTPError, OSError, http.client.HTTPException)


class RemoteError(ReleaseError):
    """The remote store refused a request. str(): what happened, without the store's address (safe to
    answer with); .detail: the same with the request's method and URL (for logs)."""

    def __init__(self, message: str, detail: str | None = None):
        super().__init__(message)
        self.detail = detail or message


class StoreUnavailable(RemoteError):
    """The remote store could not be reached, timed out, or failed (HTTP 5xx): worth trying again."""


#: How `push` names the release a store holds, written last in the switch (Flavour.marker): an empty
#: graph `urn:lod-pub:release:{id}` (no query over the data sees it), or, on a store that keeps no
#: empty graph, one triple `<urn:lod-pub:release> dcterms:identifier "{id}"` in the graph `urn:lod-pub:release`.
RELEASE_GRAPH = "urn:lod-pub:release"
RELEASE_ID = "http://purl.org/dc/terms/identifier"


def release_graph(release_id: str) -> str:
    return f"{RELEASE_GRAPH}:{urllib.parse.quote(release_id, safe='')}"


def unname_operations(flavour: Flavour, named: Iterable[str]) -> list[str]:
    """Update operations that take the release names given out of the store."""
    if flavour.marker == "triple":
        return [f"DROP SILENT GRAPH <{RELEASE_GRAPH}>"]
    return [f"DROP SILENT GRAPH <{release_graph(n)}>" for n in sorted(set(named))]


def name_operation(flavour: Flavour, release_id: str) -> str:
    if flavour.marker == "triple":
        literal = json.dumps(release_id)  # a JSON string is a SPARQL string literal
        return f"INSERT DATA {{ GRAPH <{RELEASE_GRAPH}> {{ <{RELEASE_GRAPH}> <{RELEASE_ID}> {literal} }} }}"
    return f"CREATE SILENT GRAPH <{release_graph(release_id)}>"


@dataclass(frozen=True)
class Flavour:
    """What differs between stores, as measured (docs/remote.md, "Stores"):
        name          oxigraph, fuseki, virtuoso, or generic (any other SPARQL 1.1 store)
        switch        how a staging graph is put onto its real name: "move" (`MOVE SILENT GRAPH`), or
                      "insert" (`DROP SILENT GRAPH <g> ; INSERT { GRAPH <g> { ?s ?p ?o } } WHERE { GRAPH <s>
                      { ?s ?p ?o } } ; DROP SILENT GRAPH <s>`, which every store tested does right)
        quads         takes a POST of N-Quads at its Graph Store endpoint (else one PUT per graph)
        own_graphs    prefixes of graphs the store keeps for itself: never the release's, never dropped
        digest        how push checks a graph's quads beyond their count (store.digest): "md5", or
                      "length" where the store's MD5 differs from the text's UTF-8 bytes
        marker        how the store names its release (RELEASE_GRAPH): "graph", an empty graph, where
                      the store keeps empty graphs (Oxigraph); else "triple", seen by queries
        names         how push lists the store's graphs without counting their quads: "graph", `GRAPH ?g { }`
                      (SPARQL's way: the store's list of graphs), or "quads", `SELECT DISTINCT ?g` over
                      its quads, where `GRAPH ?g { }` gives no graph (Virtuoso 7.2: one solution, ?g unbound)
        lists         how a query names the graphs whose quads it counts or digests: "values", a VALUES
                      block, or "union", a group a graph, where a VALUES block reads more (Virtuoso 7.2)
        switch_graphs graphs one update request of the switch puts onto their names or drops; 0: the whole
                      switch in one request (Virtuoso 7.2 refuses a large one: 250 graphs put in one
                      request passed, 300 'Query too large', so 100)
    """

    name: str
    switch: str = "insert"
    quads: bool = True
    own_graphs: tuple[str, ...] = ()
    digest: str = "md5"
    marker: str = "triple"
    names: str = "graph"
    lists: str = "values"
    switch_graphs: int = 0

    def owns(self, graph: str) -> bool:
        return graph.startswith(self.own_graphs) if self.own_graphs else False


#: Oxigraph's MOVE is correct onto a graph it holds (tests/test_remote.py) and cheaper than copying.
OXIGRAPH = Flavour("oxigraph", switch="move", marker="graph")
#: Fuseki's MOVE, COPY and DROP;ADD lost quads onto a graph TDB2 held (4.5.0), and before 4.6.0 (JENA-2326)
#: a MOVE from a named graph did nothing: INSERT WHERE it is.
FUSEKI = Flavour("fuseki", switch="insert")
#: Virtuoso 7.2 answers a POST of N-Quads to /sparql-graph-crud with 200 and an HTML form, loading
#: nothing; its default graph is the union of every graph, its own among them.
#: Its MD5 of a string beyond ASCII is not that of the UTF-8 bytes: graphs are checked by length. `GRAPH ?g { }`
#: lists no graph there, and a VALUES block of graphs reads more than those graphs (docs/remote.md).
VIRTUOSO = Flavour("virtuoso", switch="insert", quads=False, own_graphs=(
    "http://www.openlinksw.com/schemas/", "http://www.w3.org/ns/ldp#", "http://localuriqaserver/"),
    digest="length", names="quads", lists="union", switch_graphs=100)
GENERIC = Flavour("generic")


@dataclass(frozen=True)
class Endpoints:
    query: str
    update: str
    store: str  # Graph Store Protocol
    flavour: Flavour = GENERIC

    @classmethod
    def oxigraph(cls, base: str) -> Endpoints:
        base = base.rstrip("/") + "/"
        return cls(base + "query", base + "update", base + "store", OXIGRAPH)

    @classmethod
    def fuseki(cls, base: str, dataset: str) -> Endpoints:
        root = f"{base.rstrip('/')}/{dataset}/"
        return cls(root + "query", root + "update", root + "data", FUSEKI)

    @classmethod
    def virtuoso(cls, sparql: str) -> Endpoints:
        """Virtuoso's /sparql for queries and updates (the SPARQL user needs the SPARQL_UPDATE role),
        /sparql-graph-crud for the Graph Store Protocol."""
        return cls(sparql, sparql, sparql + "-graph-crud", VIRTUOSO)

    @classmethod
    def of(cls, base: str, fuseki_dataset: str | None = None) -> Endpoints:
        """The endpoints of --remote URL: Fuseki's with a dataset; Virtuoso's for a URL ending in /sparql;
        else an Oxigraph server's."""
        if fuseki_dataset:
            return cls.fuseki(base, fuseki_dataset)
        if urllib.parse.urlsplit(base).path.rstrip("/").endswith("/sparql"):
            return cls.virtuoso(base.rstrip("/"))
        return cls.oxigraph(base)


# -- the store -------------------------------------------------------------------------------------
class HttpStore:
    """A remote SPARQL 1.1 store with the reading methods of pyoxigraph's Store that the web uses."""

    def __init__(self, endpoints: Endpoints, timeout: float = 30.0):
        self.endpoints, self.timeout = endpoints, timeout
        self._pool = urllib3.PoolManager(maxsize=POOL_SIZE, block=False, retries=False,
                                         timeout=urllib3.Timeout(connect=timeout, read=timeout))
        self._local = threading.local()  # .streamed: the thread's streamed answer still open
        self._lock = threading.Lock()
        self._streams: set[_Stream] = set()  # every open streamed answer of every thread, for close()

    def close(self) -> None:
        """Close every streamed answer (of every thread) and every idle connection."""
        with self._lock:
            streams, self._streams = self._streams, set()
        for stream in streams:
            stream.close()
        self._pool.clear()

    def __repr__(self) -> str:
        return f"HttpStore({self.endpoints.query!r})"

    # -- HTTP --------------------------------------------------------------------------------------
    def request(self, method: str, url: str, body: bytes | None = None, headers: Mapping[str, str] | None = None,
                stream: bool = False) -> Answer:
        """(content type, body bytes) or, when stream, (content type, a reader of the body as it arrives)."""
        self._end_stream()
        try:
            response = self._pool.urlopen(method, url, body=body, headers=dict(headers or {}),
                                          preload_content=False, redirect=False)
        except NETWORK_ERRORS as exc:
            raise _unreachable(method, url, exc) from None
        ctype = response.headers.get("Content-Type", "")
        if response.status >= 300:
            raise _refusal(method, url, response)
        if stream:
            return ctype, self._start_stream(_Stream(response, method, url))
        return ctype, _read(method, url, response)

    def _start_stream(self, stream: _Stream) -> IO[bytes]:
        with self._lock:
            self._streams.add(stream)
        self._local.streamed = stream
        return io.BufferedReader(stream, STREAM_BUFFER)

    def _end_stream(self) -> None:
        """Close this thread's streamed answer, if it is still open (read to its end, it is a no-op)."""
        stream: _Stream | None = self._local.__dict__.pop("streamed", None)
        if stream is not None:
            with self._lock:
                self._streams.discard(stream)
            stream.close()

    # -- reading -----------------------------------------------------------------------------------
    def query(self, query: str, *, substitutions: Mapping[ox.Variable, object] | None = None,
              prefixes: Mapping[str, str] | None = None, use_default_graph_as_union: bool = True,
              default_graph: Iterable[ox.NamedNode] | None = None,
              named_graphs: Iterable[ox.NamedNode] | None = None, stream: bool = False) -> Result:
        """Like pyoxigraph's Store.query. The union default graph is the store's own setting; a
        default_graph or named_graphs list is sent as the Protocol's default-graph-uri/named-graph-uri."""
        head = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in (prefixes or {}).items())
        form = [("query", base_first(head + bind_variables(query, substitutions or {})))]
        form += [("default-graph-uri", g.value) for g in default_graph or ()]
        form += [("named-graph-uri", g.value) for g in named_graphs or ()]
        ctype, body = self.request("POST", self.endpoints.query, urllib.parse.urlencode(form).encode(), {
            "Content-Type": FORM, "Accept": accept(form[0][1])}, stream=stream)
        return _parse(ctype, body, self.endpoints.query)

    def select(self, query: str, **options: Any) -> ox.QuerySolutions:
        """The solutions of a SELECT query (query()'s options); RemoteError for an answer of another form."""
        result = self.query(query, **options)
        if not isinstance(result, ox.QuerySolutions):
            public = f"the store answered a SELECT query with {type(result).__name__}, not solutions"
            raise RemoteError(public, f"{self.endpoints.query}: {public}")
        return result

    def release_ids(self) -> list[str]:
        """The ids of the releases the store is named as holding (RELEASE_GRAPH): one after a push
        that finished; none while one stages or switches, or after one failed its check."""
        if self.endpoints.flavour.marker == "triple":
            query = f"SELECT ?id WHERE {{ GRAPH <{RELEASE_GRAPH}> {{ <{RELEASE_GRAPH}> <{RELEASE_ID}> ?id }} }}"
        else:
            query = f'SELECT (?g AS ?id) WHERE {{ GRAPH ?g {{ }} FILTER(STRSTARTS(STR(?g), "{RELEASE_GRAPH}:")) }}'
        ids = {str(row["id"].value) for row in self.select(query) if row["id"] is not None}
        prefix = len(RELEASE_GRAPH) + 1
        return sorted(urllib.parse.unquote(i[prefix:]) if i.startswith(f"{RELEASE_GRAPH}:") else i for i in ids)

    def is_named(self, release_id: str) -> bool:
        """Whether the store is named as holding that release (one ASK: cheap however many graphs the
        store holds; a store named as holding several is not named as holding any)."""
        if self.endpoints.flavour.marker == "triple":
            return self.release_ids() == [release_id]
        return bool(self.query(f"ASK {{ GRAPH <{release_graph(release_id)}> {{ }} }}"))

    def release_id(self) -> str | None:
        """The id of the release `push` last switched the store to, or None (see release_ids)."""
        ids = self.release_ids()
        return ids[0] if len(ids) == 1 else None

    def quads_for_pattern(self, subject: Subject | None = None, predicate: ox.NamedNode | None = None,
                          object: Object | None = None, graph_name: Graph | None = None) -> Iterator[ox.Quad]:
        """Quads of the named graphs matching the pattern (None: any; DefaultGraph: the store's default
        graph, the union of the named graphs in a store set up for lod-pub)."""
        pattern = " ".join(_pattern_term(t, n) for t, n in ((subject, "s"), (predicate, "p"), (object, "o")))
        if isinstance(graph_name, ox.DefaultGraph):
            where = f"{{ {pattern} }}"
        else:
            where = f"{{ GRAPH {_pattern_term(graph_name, 'g')} {{ {pattern} }} }}"
        for row in self.select(f"SELECT * WHERE {where}"):
            graph = ox.DefaultGraph() if isinstance(graph_name, ox.DefaultGraph) else graph_name or row["g"]
            yield ox.Quad(subject or row["s"], predicate or row["p"], object or row["o"], graph)


def base_first(query: str) -> str:
    """The query with its prologue written as SPARQL 1.0 and Virtuoso 7.2 read one: at most one BASE,
    first, then the PREFIX declarations. SPARQL 1.1 allows BASE and PREFIX in any order and any number;
    the web's endpoint writes its prefixes, then the endpoint's BASE, then the query, which may declare
    a BASE of its own. What each declaration means is kept: every BASE is resolved against the one
    before it and every PREFIX's IRI against the BASE in force where it is declared (by pyoxigraph's
    Turtle parser, whose prologue is SPARQL's and whose IRI resolution is the embedded store's); then
    the last BASE is written first and each prefix's last IRI, resolved, after it. A query whose
    prologue is SPARQL 1.0's already, or that cannot be read so (a relative IRI with no BASE before
    it), is sent as it is."""
    try:
        tokens = lex(query).tokens
    except LexError:
        return query
    declarations, end = _prologue(tokens)
    kinds = [text.upper() for text, *_ in declarations]
    if "BASE" not in kinds or (kinds.count("BASE") == 1 and kinds[0] == "BASE"):
        return query
    text = "".join(" ".join(parts) + "\n" for parts in declarations)
    parser = ox.parse(text.encode(), ox.RdfFormat.TURTLE)
    try:
        list(parser)
    except (SyntaxError, ValueError):
        return query
    head = "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in parser.prefixes.items())
    return f"BASE <{parser.base_iri}>\n{head}{query[end:]}"


def _prologue(tokens: list[tuple[str, str, int, int]]) -> tuple[list[tuple[str, ...]], int]:
    """The BASE and PREFIX declarations a query begins with, each as its tokens' texts, and where the
    first thing after them begins."""
    declarations: list[tuple[str, ...]] = []
    i, end = 0, 0
    while i < len(tokens) and tokens[i][0] == "word":
        word = tokens[i][1].upper()
        if word == "BASE" and i + 1 < len(tokens) and tokens[i + 1][0] == "iri":
            size = 2
        elif word == "PREFIX" and i + 2 < len(tokens) and tokens[i + 1][0] == "pname" \
                and tokens[i + 1][1].endswith(":") and tokens[i + 2][0] == "iri":
            size = 3
        else:
            break
        declarations.append(tuple(t[1] for t in tokens[i:i + size]))
        end = tokens[i + size - 1][3]
        i += size
    return declarations, end


def accept(query: str) -> str:
    """The one media type a query's answer is asked in: N-Triples for CONSTRUCT and DESCRIBE, SPARQL JSON
    for SELECT and ASK (its first keyword of those four, by lod_pub.sparql_lex). Virtuoso 7.2 answers
    in the first type an Accept header lists, whatever its q-values: SELECT as N-Triples, CONSTRUCT as
    SPARQL JSON it writes its own way. A query the lexer cannot read gets both, JSON first."""
    try:
        tokens = lex(query).tokens
    except LexError:
        return f"{SELECT_ACCEPT}, {GRAPH_ACCEPT};q=0.9"
    for kind, text, _, _ in tokens:
        if kind == "word" and text.upper() in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
            return GRAPH_ACCEPT if text.upper() in ("CONSTRUCT", "DESCRIBE") else SELECT_ACCEPT
    return f"{SELECT_ACCEPT}, {GRAPH_ACCEPT};q=0.9"


def _pattern_term(term: Subject | Object | Graph | None, name: str) -> str:
    return str(term) if term is not None else f"?{name}"


#: Virtuoso names blank nodes "nodeID://b10000" in SPARQL JSON, which is no blank node label
#: pyoxigraph reads (its N-Triples answers say _:b10000): the prefix is taken out as the answer is read.
VIRTUOSO_BNODE = b'"type": "bnode", "value": "nodeID://'
BNODE = b'"type": "bnode", "value": "'


def _parse(ctype: str, body: bytes | IO[bytes], where: str) -> Result:
    if ctype.startswith(SELECT_ACCEPT):
        read: bytes | IO[bytes] = body.replace(VIRTUOSO_BNODE, BNODE) if isinstance(body, bytes) else \
            io.BufferedReader(_Replaced(body), STREAM_BUFFER)
        return _virtuoso_ask(ox.parse_query_results(read, SPARQL_JSON.results_format))
    if ctype.startswith(GRAPH_ACCEPT):
        return (quad.triple for quad in ox.parse(body, NTRIPLES.rdf_format))
    public = f"the store answered with type {ctype[:100]!r}, neither SPARQL JSON results nor N-Triples"
    raise RemoteError(public, f"{where}: {public}")


# -- answers ---------------------------------------------------------------------------------------
class _Stream(io.RawIOBase):
    """A streamed answer's body, read from its connection as it arrives. A failure to read it is a
    StoreUnavailable; closed, it gives its connection back to the pool (closed, unless read to its end)."""

    def __init__(self, response: urllib3.BaseHTTPResponse, method: str, url: str):
        super().__init__()
        self._response, self._method, self._url = response, method, url

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: WriteableBuffer) -> int:
        with memoryview(buffer) as view:
            try:
                data = self._response.read(len(view)) or b""
            except NETWORK_ERRORS as exc:
                raise _unreachable(self._method, self._url, exc) from None
            view[:len(data)] = data
        return len(data)

    def close(self) -> None:
        if not self.closed:
            _let_go(self._response)
        super().close()


#: Virtuoso 7.2 answers ASK in SPARQL JSON as solutions of this one variable: a row (1) for true, none for false.
VIRTUOSO_ASK = ox.Variable("__ASK_RETVAL")


def _virtuoso_ask(result: ox.QuerySolutions | ox.QueryBoolean) -> ox.QuerySolutions | ox.QueryBoolean:
    """Virtuoso's answer to an ASK read as the boolean it stands for; any other answer as it is."""
    if not isinstance(result, ox.QuerySolutions) or result.variables != [VIRTUOSO_ASK]:
        return result
    value = any(str(getattr(row[VIRTUOSO_ASK], "value", "0")) not in ("0", "false") for row in result)
    answer = ox.parse_query_results(b'{"head": {}, "boolean": %s}' % (b"true" if value else b"false"),
                                    SPARQL_JSON.results_format)
    assert isinstance(answer, ox.QueryBoolean)
    return answer


class _Replaced(io.RawIOBase):
    """A streamed SPARQL JSON answer with VIRTUOSO_BNODE read as BNODE; a match cut between two reads is
    held back until the next."""

    def __init__(self, raw: IO[bytes]):
        super().__init__()
        self._raw, self._held, self._out = raw, b"", b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: WriteableBuffer) -> int:
        with memoryview(buffer) as view:
            while not self._out:
                chunk = self._raw.read(STREAM_BUFFER)
                data = (self._held + chunk).replace(VIRTUOSO_BNODE, BNODE)
                if not chunk:
                    self._out, self._held = data, b""
                    break
                keep = len(VIRTUOSO_BNODE) - 1
                self._out, self._held = data[:-keep], data[-keep:]
            n = min(len(view), len(self._out))
            view[:n], self._out = self._out[:n], self._out[n:]
        return n

    def close(self) -> None:
        self._raw.close()
        super().close()


def _read(method: str, url: str, response: urllib3.BaseHTTPResponse) -> bytes:
    """The whole body of an answer that is not streamed, up to MAX_ANSWER bytes."""
    try:
        data = response.read(MAX_ANSWER + 1)
    except NETWORK_ERRORS as exc:
        raise _unreachable(method, url, exc) from None
    finally:
        _let_go(response)
    if len(data) > MAX_ANSWER:
        public = f"the store's answer is larger than {MAX_ANSWER} bytes"
        raise RemoteError(public, f"{method} {url}: {public}")
    return data


def _let_go(response: urllib3.BaseHTTPResponse) -> None:
    """Give the answer's connection back to the pool. urllib3 has given it back already when the answer
    was read to its end; otherwise it is closed first (what is left of the answer would be read as the
    next one's)."""
    response.close()
    response.release_conn()


def _refusal(method: str, url: str, response: urllib3.BaseHTTPResponse) -> RemoteError:
    """An answer of HTTP 3xx, 4xx or 5xx: StoreUnavailable for a 5xx, else RemoteError; the store's own
    words, without its address, in the public text."""
    try:
        text = response.read(2000).decode("utf-8", "replace").strip()
    except NETWORK_ERRORS:
        text = "(its answer could not be read)"
    finally:
        _let_go(response)
    kind = StoreUnavailable if response.status >= 500 else RemoteError
    said = f"HTTP {response.status}: {text}"
    what = "failed" if response.status >= 500 else "refused the request"
    return kind(f"the store {what}: {_without_address(said, url)}", f"{method} {url}: {said}")


# -- errors ----------------------------------------------------------------------------------------
_WHY: tuple[tuple[type[BaseException] | tuple[type[BaseException], ...], str], ...] = (
    ((TimeoutError, ReadTimeoutError), "it did not answer in time"),
    (ConnectionRefusedError, "it refused the connection"),
    ((ConnectionResetError, BrokenPipeError, http.client.RemoteDisconnected), "it closed the connection"),
    ((socket.gaierror, NameResolutionError), "its host name does not resolve"))


def _unreachable(method: str, url: str, exc: BaseException) -> StoreUnavailable:
    """The store could not be reached: why, in words that name no address; the address in .detail."""
    causes = _causes(exc)
    why = next((text for cause in reversed(causes) for kinds, text in _WHY if isinstance(cause, kinds)),
               f"a network error ({type(causes[-1]).__name__})")
    return StoreUnavailable(f"the store could not be reached: {why}", f"{method} {url}: {exc}")


def _causes(exc: BaseException) -> list[BaseException]:
    """The exception and those beneath it, outermost first: urllib3 wraps the socket's and http.client's
    errors (NewConnectionError around ConnectionRefusedError, ProtocolError around RemoteDisconnected)."""
    chain = [exc]
    while len(chain) < 10:
        last = chain[-1]
        inner = last.reason if isinstance(last, MaxRetryError) else last.__cause__
        if isinstance(last, ProtocolError) and len(last.args) > 1 and isinstance(last.args[1], BaseException):
            inner = last.args[1]
        if inner is None:
            break
        chain.append(inner)
    return chain


def _without_address(text: str, url: str) -> str:
    """The text a store sent, cut short, with its URL, host:port and host name taken out."""
    parts = urllib.parse.urlsplit(url)
    for secret in sorted({url, f"{parts.scheme}://{parts.netloc}", parts.netloc, parts.hostname or ""},
                         key=len, reverse=True):
        if secret:
            text = text.replace(secret, "the store")
    return text[:1000]
