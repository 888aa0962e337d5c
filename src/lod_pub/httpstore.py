"""A SPARQL 1.1 store over HTTP, read the way pyoxigraph's Store is read.

    Endpoints.oxigraph(base) / Endpoints.fuseki(base, dataset) / Endpoints(query, update, store)
    HttpStore(endpoints).query(sparql, substitutions=, prefixes=, use_default_graph_as_union=,
                               default_graph=, named_graphs=, stream=)
    HttpStore(endpoints).quads_for_pattern(s, p, o, g)

The web (entity documents, the SPARQL endpoint's workers) and `lod-pub push` talk to a remote store
through this module alone. Answers come back as pyoxigraph values: QuerySolutions for SELECT, a
QueryBoolean for ASK, an iterator of Triples for CONSTRUCT and DESCRIBE, so code written against the
embedded store runs unchanged. Requests use the SPARQL 1.1 Protocol (POST, form-encoded); each thread
keeps one keep-alive connection. Nothing is fetched from anywhere but the configured endpoints.

Substitutions (pyoxigraph binds variables before evaluation) are sent as the query text with the
variable written as the term itself, so the remote planner sees a constant; a substituted variable in
the SELECT projection becomes `(TERM AS ?var)`. Variables are found by lod_pub.sparql_lex, so a `?x`
inside a string, an IRI or a comment is never taken for one. The union default graph is the store's
own setting (Oxigraph: `serve --union-default-graph`; Fuseki: `tdb2:unionDefaultGraph true`).

Errors: StoreUnavailable (not reachable, timed out, a 5xx: try again later) and RemoteError (the
store refused the request, a 4xx). `str()` of either is the public text, fit for an HTTP answer: it says
what went wrong but never where (no URL, host or port of the store); `.detail` adds the method and URL
of the request, for logs and for the operator.
"""

from __future__ import annotations

import http.client
import socket
import threading
import urllib.parse
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterator

import pyoxigraph as ox

from .errors import ReleaseError
from .formats import NTRIPLES, SPARQL_JSON
from .sparql_lex import LexError, lex

#: What the store is asked to answer in: SPARQL JSON for SELECT and ASK, N-Triples for graphs.
SELECT_ACCEPT = SPARQL_JSON.media_type
GRAPH_ACCEPT = NTRIPLES.media_type
#: Most bytes read into memory for one answer that is not streamed.
MAX_ANSWER = 256 << 20


class RemoteError(ReleaseError):
    """The remote store refused a request. str(): what happened, without the store's address (safe to
    answer with); .detail: the same with the request's method and URL (for logs)."""

    def __init__(self, message: str, detail: str | None = None):
        super().__init__(message)
        self.detail = detail or message


class StoreUnavailable(RemoteError):
    """The remote store could not be reached, timed out, or failed (HTTP 5xx): worth trying again."""


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

    @classmethod
    def of(cls, base: str, fuseki_dataset: str | None = None) -> "Endpoints":
        return cls.fuseki(base, fuseki_dataset) if fuseki_dataset else cls.oxigraph(base)


# -- substitutions ---------------------------------------------------------------------------------
def bind_variables(query: str, substitutions: dict[ox.Variable, object]) -> str:
    """The query with each substituted variable written as its term (see the module's docstring). A query
    the lexer cannot read is left as it is: the store refuses it with its own syntax error."""
    terms = {v.value: str(t) for v, t in substitutions.items()}
    if not terms:
        return query
    out, done = [], 0
    for name, start, end, projected in _variables(query):
        if name in terms:
            out += [query[done:start], f"({terms[name]} AS ?{name})" if projected else terms[name]]
            done = end
    return "".join(out) + query[done:]


@lru_cache(maxsize=256)  # the web's queries are a few fixed texts, each lexed once
def _variables(query: str) -> tuple[tuple[str, int, int, bool], ...]:
    """(name, start, end, in a SELECT projection) of every variable of the query, by lod_pub.sparql_lex."""
    try:
        tokens = lex(query).tokens
    except LexError:
        return ()
    found, projecting = [], False
    for kind, text, start, end in tokens:
        if kind == "word" and text.upper() == "SELECT":
            projecting = True
        elif (kind == "word" and text.upper() == "WHERE") or (kind == "punct" and text == "{"):
            projecting = False
        elif kind == "var":
            found.append((text[1:], start, end, projecting))
    return tuple(found)


def _pattern_term(term, name: str) -> str:
    return str(term) if term is not None else f"?{name}"


# -- the store -------------------------------------------------------------------------------------
class HttpStore:
    """A remote SPARQL 1.1 store with the reading methods of pyoxigraph's Store that the web uses."""

    def __init__(self, endpoints: Endpoints, timeout: float = 30.0):
        self.endpoints, self.timeout = endpoints, timeout
        self._local = threading.local()
        self._lock = threading.Lock()
        self._open: set = set()  # every connection and streamed answer of every thread, for close()

    def close(self) -> None:
        """Close every connection (of every thread) and every streamed answer."""
        with self._lock:
            opened, self._open = self._open, set()
        for thing in opened:
            thing.close()

    def __del__(self) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"HttpStore({self.endpoints.query!r})"

    # -- HTTP --------------------------------------------------------------------------------------
    def _connection(self, url: urllib.parse.SplitResult, fresh: bool) -> http.client.HTTPConnection:
        kind = http.client.HTTPSConnection if url.scheme == "https" else http.client.HTTPConnection
        streamed = self._local.__dict__.pop("streamed", None)  # a thread reads one streamed answer at a time
        if streamed is not None:
            self._forget(streamed)
        if fresh:
            return self._remember(kind(url.hostname, url.port, timeout=self.timeout))
        pool = self._local.__dict__.setdefault("connections", {})
        key = (url.scheme, url.hostname, url.port)
        if key not in pool:
            pool[key] = self._remember(kind(url.hostname, url.port, timeout=self.timeout))
        return pool[key]

    def _remember(self, thing):
        with self._lock:
            self._open.add(thing)
        return thing

    def _forget(self, thing) -> None:
        with self._lock:
            self._open.discard(thing)
        thing.close()

    def _drop(self, url: urllib.parse.SplitResult) -> None:
        connection = self._local.__dict__.get("connections", {}).pop((url.scheme, url.hostname, url.port), None)
        if connection is not None:
            self._forget(connection)

    def request(self, method: str, url: str, body: bytes | None = None, headers: dict | None = None,
                stream: bool = False) -> tuple[str, object]:
        """(content type, body bytes) or, when stream, (content type, the open response to read from).
        A kept-alive connection the store closed meanwhile is retried once on a new one."""
        parts = urllib.parse.urlsplit(url)
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        for attempt in (1, 2):
            connection = self._connection(parts, fresh=stream)
            try:
                connection.request(method, target, body=body, headers=headers or {})
                response = connection.getresponse()
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError) as exc:
                self._drop(parts)
                if attempt == 1 and not stream:
                    continue
                raise _unreachable(method, url, exc) from None
            except (OSError, http.client.HTTPException) as exc:
                self._drop(parts)
                self._forget(connection)
                raise _unreachable(method, url, exc) from None
            if stream:  # hand the socket to the answer: it is closed when the answer is read or closed
                with self._lock:
                    self._open.discard(connection)
                if connection.sock is not None:
                    connection.sock.close()  # a socket with an open reader closes when the reader does
                    connection.sock = None
            return self._answer(method, url, parts, response, stream)
        raise AssertionError("unreachable")

    def _answer(self, method: str, url: str, parts, response, stream: bool) -> tuple[str, object]:
        ctype = response.getheader("Content-Type", "")
        if response.status >= 300:
            text = response.read(2000).decode("utf-8", "replace").strip()
            response.close()
            self._drop(parts)
            kind = StoreUnavailable if response.status >= 500 else RemoteError
            said = f"HTTP {response.status}: {text}"
            what = "failed" if response.status >= 500 else "refused the request"
            raise kind(f"the store {what}: {_without_address(said, url)}", f"{method} {url}: {said}")
        if stream:
            self._local.streamed = self._remember(response)
            return ctype, response
        try:
            data = response.read(MAX_ANSWER + 1)
        except (OSError, http.client.HTTPException) as exc:
            self._drop(parts)
            raise _unreachable(method, url, exc) from None
        if len(data) > MAX_ANSWER:
            self._drop(parts)
            public = f"the store's answer is larger than {MAX_ANSWER} bytes"
            raise RemoteError(public, f"{method} {url}: {public}")
        if response.will_close:
            self._drop(parts)
        return ctype, data

    # -- reading -----------------------------------------------------------------------------------
    def query(self, query: str, *, substitutions: dict | None = None, prefixes: dict[str, str] | None = None,
              use_default_graph_as_union: bool = True, default_graph=None, named_graphs=None,
              stream: bool = False):
        """Like pyoxigraph's Store.query. The union default graph is the store's own setting; a
        default_graph or named_graphs list is sent as the Protocol's default-graph-uri/named-graph-uri."""
        head = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in (prefixes or {}).items())
        form = [("query", head + bind_variables(query, substitutions or {}))]
        form += [("default-graph-uri", g.value) for g in default_graph or ()]
        form += [("named-graph-uri", g.value) for g in named_graphs or ()]
        ctype, body = self.request("POST", self.endpoints.query, urllib.parse.urlencode(form).encode(), {
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": f"{SELECT_ACCEPT}, {GRAPH_ACCEPT};q=0.9"}, stream=stream)
        return _parse(ctype, body, self.endpoints.query)

    def quads_for_pattern(self, subject=None, predicate=None, object=None, graph_name=None) -> Iterator[ox.Quad]:
        """Quads of the named graphs matching the pattern (None: any)."""
        pattern = " ".join(_pattern_term(t, n) for t, n in ((subject, "s"), (predicate, "p"), (object, "o")))
        graph = _pattern_term(graph_name, "g")
        rows = self.query(f"SELECT * WHERE {{ GRAPH {graph} {{ {pattern} }} }}")
        for row in rows:
            yield ox.Quad(subject or row["s"], predicate or row["p"], object or row["o"], graph_name or row["g"])


def _parse(ctype: str, body, where: str):
    if ctype.startswith(SELECT_ACCEPT):
        return ox.parse_query_results(body, SPARQL_JSON.oxigraph)
    if ctype.startswith(GRAPH_ACCEPT):
        return (quad.triple for quad in ox.parse(body, NTRIPLES.oxigraph))
    public = f"the store answered with type {ctype[:100]!r}, neither SPARQL JSON results nor N-Triples"
    raise RemoteError(public, f"{where}: {public}")


# -- errors ----------------------------------------------------------------------------------------
_WHY = ((TimeoutError, "it did not answer in time"), (ConnectionRefusedError, "it refused the connection"),
        ((ConnectionResetError, BrokenPipeError, http.client.RemoteDisconnected), "it closed the connection"),
        (socket.gaierror, "its host name does not resolve"))


def _unreachable(method: str, url: str, exc: BaseException) -> StoreUnavailable:
    """The store could not be reached: why, in words that name no address; the address in .detail."""
    why = next((text for kinds, text in _WHY if isinstance(exc, kinds)), f"a network error ({type(exc).__name__})")
    return StoreUnavailable(f"the store could not be reached: {why}", f"{method} {url}: {exc}")


def _without_address(text: str, url: str) -> str:
    """The text a store sent, cut short, with its URL, host:port and host name taken out."""
    parts = urllib.parse.urlsplit(url)
    for secret in sorted({url, f"{parts.scheme}://{parts.netloc}", parts.netloc, parts.hostname or ""},
                         key=len, reverse=True):
        if secret:
            text = text.replace(secret, "the store")
    return text[:1000]
