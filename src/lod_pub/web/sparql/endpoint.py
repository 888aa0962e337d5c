"""/sparql: the SPARQL 1.1 Protocol (query operation), the Service Description and the query page.

    register(app)    adds GET/POST/OPTIONS /sparql; settings from app.config (SETTINGS below)

One request, in order (each step can refuse, with the status the Protocol gives):
    protocol   GET ?query= | POST form | POST application/sparql-query      400 415 413
    guard      length cap, lexical scan: nesting cap, updates, SERVICE, FROM   413 400
    dataset    FROM must name graphs of the release (a parameter naming another: an empty graph)   400
    format     the first `format` value that fits, else Accept (lod_pub.formats.negotiate)   406
    run        a worker process of the pool; time limit, row cap            503 504 400
    cache      a GET: 304 to a client holding the answer (ETag), else the answer kept from an earlier GET
    answer     the result file streamed in chunks; X-SPARQL-Truncated; ETag on a GET; CORS; one log line
A GET without a query answers the Service Description (RDF by Accept) or, for a browser, the page.
"""

from __future__ import annotations

import hashlib
import logging
import time
from dataclasses import dataclass, field, replace
from typing import Any, Mapping, Protocol, Sequence, TypedDict

from flask import Blueprint, Flask, Response, current_app, render_template, request, url_for
from werkzeug.exceptions import RequestEntityTooLarge

from ...formats import HTML, Format, negotiate
from ...iris import Minter
from ...settings import SPARQL_SETTINGS
from ...vocab import PREFIXES
from ..errors import render_error
from ..inbound import is_utf8
from ..respond import MAX_AGE
from .cache import Cached, ResultCache
from .examples import page_examples
from .results import GRAPH_FORMATS, RESULT_FORMATS, by_name
from .guard import Rejected, Scan, scan
from .table import read_table
from .messages import Answer, Job
from .pool import Busy, QueryPool, QueryResult, TimedOut, WorkerLost
from .rewrite import rewrite
from .service import SD_FORMATS, service_description
from ..state import NoRelease, holder

log = logging.getLogger("lod_pub.sparql")
CHUNK = 1 << 16
EXTENSION = "lod_pub.sparql"
CACHE_CONTROL = f"public, max-age={MAX_AGE}"  # every GET answer: releases do not change


SETTINGS = SPARQL_SETTINGS  # the endpoint's part of lod_pub.settings.TABLE
CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "X-SPARQL-Truncated, X-SPARQL-Rows, X-SPARQL-Cache, Retry-After, Content-Length, "
                                     "ETag",
}


@dataclass(frozen=True)
class SparqlConfig:
    """The endpoint's settings (SETTINGS), each from the app's config, else its default."""

    SPARQL_TIMEOUT: float
    SPARQL_ROW_CAP: int
    SPARQL_WORKERS: int
    SPARQL_MAX_QUERY: int
    SPARQL_NESTING: int
    SPARQL_SERVICE_ALLOW: Sequence[str]
    SPARQL_MEMORY_MB: int
    SPARQL_BYTE_CAP: int
    SPARQL_HTML_ROWS: int
    SPARQL_HTML_BYTES: int
    SPARQL_INLINE_BYTES: int
    SPARQL_REWRITE: bool
    SPARQL_REMOTE_OPERATORS: int
    SPARQL_REMOTE_GROUPS: int
    SPARQL_REMOTE_PATTERNS: int
    SPARQL_REMOTE_BINDS: int
    SPARQL_RETRY_AFTER: int
    SPARQL_QUEUE_SECONDS: float
    SPARQL_QUEUE: int
    SPARQL_SHARE_SLOTS: bool
    SPARQL_QUEUE_STALL: float
    SPARQL_CACHE_ENTRIES: int
    SPARQL_CACHE_BYTES: int

    @classmethod
    def of(cls, config: Mapping[str, Any]) -> SparqlConfig:
        """The settings of an app's config, else their defaults. Any: a Flask app's config is untyped; a value
        read from the environment has its setting's type (lod_pub.settings.Setting.read), and one given to
        create_app is taken to have it."""
        values: dict[str, Any] = {s.name: config.get(s.name, s.default) for s in SETTINGS}
        return cls(**values)


class Extension(TypedDict):
    """What register() keeps in app.extensions[EXTENSION]."""

    config: SparqlConfig
    pool: QueryPool
    cache: ResultCache


def _extension() -> Extension:
    found: Extension = current_app.extensions[EXTENSION]  # Flask's extensions are untyped
    return found


def _config() -> SparqlConfig:
    return _extension()["config"]


class Params(Protocol):
    """Request parameters (a query string or a form): every value of a name."""

    def getlist(self, key: str) -> list[str]: ...


class DatasetOptions(TypedDict):
    """The RDF dataset a query runs on (messages.Job's fields)."""

    union: bool
    default_graph: list[str] | None
    named_graphs: list[str] | None


#: The query page's link to a download of the same query in another format.
DownloadArgs = TypedDict("DownloadArgs", {"query": str | None, "format": str, "default-graph-uri": list[str],
                                          "named-graph-uri": list[str]})


# -- the protocol ----------------------------------------------------------------------------------
@dataclass
class Operation:
    """A query operation as the Protocol carries it."""

    query: str | None
    default_graphs: list[str] = field(default_factory=list)
    named_graphs: list[str] = field(default_factory=list)
    formats: list[str] = field(default_factory=list)    # `format` values, in the order sent


def _params(source: Params) -> tuple[list[str], list[str], list[str]]:
    return source.getlist("default-graph-uri"), source.getlist("named-graph-uri"), source.getlist("format")


def read_operation() -> Operation:
    """The query operation of this request, per SPARQL 1.1 Protocol §2.1; raises Rejected."""
    if "update" in request.args:
        raise Rejected(400, "this is the query endpoint: SPARQL Update is not accepted (read-only)")
    source: Params
    if request.method in ("GET", "HEAD"):
        source, queries = request.args, request.args.getlist("query")
    else:
        source, queries = _post_source()
    defaults, named, formats = _params(source)
    formats = formats or request.args.getlist("format")
    if len(queries) > 1:
        raise Rejected(400, f"the request carries {len(queries)} queries; send exactly one `query` parameter")
    if not queries and request.method == "POST":
        raise Rejected(400, "no query: send it as the `query` parameter or as an application/sparql-query body")
    if not queries and (defaults or named):
        raise Rejected(400, "no query: default-graph-uri and named-graph-uri need a `query` parameter")
    return Operation(queries[0] if queries else None, defaults, named, formats)


def _post_source() -> tuple[Params, list[str]]:
    mimetype = request.mimetype
    if mimetype == "application/x-www-form-urlencoded":
        try:
            if not is_utf8(request.get_data(cache=True)):  # the form is parsed from the cached bytes
                raise Rejected(400, "the form body is not UTF-8 once percent-decoded (SPARQL 1.1 Protocol 2.1.2)")
            form = request.form
        except RequestEntityTooLarge:
            raise Rejected(413, "the request body is larger than the server accepts") from None
        if "update" in form:
            raise Rejected(400, "this is the query endpoint: SPARQL Update is not accepted (read-only)")
        if "query" in request.args:
            raise Rejected(400, "the query is in both the URL and the body; send it once")
        return _Merged(form, request.args), form.getlist("query")
    if mimetype == "application/sparql-query":
        if "query" in request.args:
            raise Rejected(400, "a direct POST carries the query in its body; remove the `query` URL parameter")
        return request.args, [_body_text()]
    if mimetype == "application/sparql-update":
        raise Rejected(400, "this is the query endpoint: SPARQL Update is not accepted (read-only)")
    raise Rejected(415, f"a POST must be application/x-www-form-urlencoded or application/sparql-query, "
                        f"not {mimetype or 'untyped'}")


class _Merged:
    """Form fields first, then URL parameters (graph parameters may sit in either)."""

    def __init__(self, *sources: Params) -> None:
        self.sources = sources

    def getlist(self, key: str) -> list[str]:
        for source in self.sources:
            if values := source.getlist(key):
                return values
        return []


def _body_text() -> str:
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    if limit and (request.content_length or 0) > limit:
        raise Rejected(413, f"the request body is larger than the {limit} bytes the server accepts")
    charset = request.mimetype_params.get("charset", "utf-8")
    if charset.lower().replace("-", "") != "utf8":
        raise Rejected(400, f"a query must be sent in UTF-8 (SPARQL 1.1 Protocol 2.1.3), not {charset}")
    try:
        return request.get_data(cache=False).decode("utf-8")
    except RequestEntityTooLarge:
        raise Rejected(413, f"the request body is larger than the {limit} bytes the server accepts") from None
    except UnicodeDecodeError as exc:
        raise Rejected(400, f"the query is not valid UTF-8: {exc}") from None


# -- guard and dataset -----------------------------------------------------------------------------
def guard(query: str, remote: bool = False) -> Scan:
    config = _config()
    cap = config.SPARQL_MAX_QUERY
    if len(query) > cap:
        raise Rejected(413, f"the query is {len(query)} characters long; this endpoint accepts up to {cap}")
    found = scan(query, config.SPARQL_NESTING, PREFIXES)
    if remote:
        remote_caps(found)
    allowed = set(config.SPARQL_SERVICE_ALLOW)
    for target in found.services:
        if target not in allowed:
            raise Rejected(400, f"SERVICE {target} refused: this endpoint makes no outbound requests "
                                "(federated queries are off unless the operator allow-lists an endpoint)")
    return found


REMOTE_CAPS = (
    ("SPARQL_REMOTE_OPERATORS", "operators", "operators (UNION, OPTIONAL, ||, +, / and the like)",
     "Write long alternatives as VALUES."),
    ("SPARQL_REMOTE_GROUPS", "groups", "groups `{ }`", "Split it into several queries."),
    ("SPARQL_REMOTE_PATTERNS", "patterns", "triple patterns", "Split it into several queries, or use the dumps."),
    ("SPARQL_REMOTE_BINDS", "binds", "BINDs", "Pass constants as VALUES."),
)


def remote_caps(found: Scan) -> None:
    """Refuse (400) what a remote store would crash on or plan for minutes: its own limits, measured."""
    for name, attribute, what, advice in REMOTE_CAPS:
        count, most = getattr(found, attribute), getattr(_config(), name)
        if count > most:
            raise Rejected(400, f"the query holds {count} {what}; this endpoint passes at most {most} to its "
                                f"store. {advice}")


def dataset(op: Operation, found: Scan, held: frozenset[str]) -> DatasetOptions:
    """Worker options for the RDF dataset; the Protocol's parameters override the query's FROM.
    A parameter naming a graph the release does not hold names an empty graph (as the W3C protocol tests,
    Fuseki and Oxigraph read it); FROM naming one is refused, as a FROM that expects a fetch. Nothing is fetched."""
    if op.default_graphs or op.named_graphs:
        defaults, named, where = op.default_graphs, op.named_graphs, "default-graph-uri/named-graph-uri"
    elif found.has_dataset:
        defaults, named, where = found.from_default, found.from_named, "FROM/FROM NAMED"
    else:
        return {"union": True, "default_graph": None, "named_graphs": None}
    unknown = [g for g in (*defaults, *named) if g not in held]
    if unknown and where == "FROM/FROM NAMED":  # a parameter naming a graph not held names an empty graph
        raise Rejected(400, f"{where} names {', '.join(unknown)}, which this dataset does not hold; graphs are "
                            "never fetched from elsewhere. The graphs held are listed in the service "
                            "description (GET /sparql with Accept: text/turtle).")
    return {"union": False, "default_graph": list(defaults), "named_graphs": list(named)}


def choose_format(op: Operation, found: Scan) -> Format:
    """The first `format` value that fits the query form (SPARQLWrapper sends `format=rdf+xml` and then the
    media type), else the Accept header's choice; 406 when neither fits."""
    offers = GRAPH_FORMATS if found.is_graph else RESULT_FORMATS
    for name in op.formats:
        chosen = by_name(name, (*offers, HTML))
        if chosen is not None:
            return chosen
    chosen = negotiate(request.headers.get("Accept"), (*offers, HTML))
    if chosen is None:
        types = ", ".join(f.media_type for f in offers)
        asked = f"neither format={' nor format='.join(op.formats)} nor Accept fits" if op.formats else \
            "nothing acceptable"
        raise Rejected(406, f"{asked}: a {found.form} result can be sent as {types}")
    return chosen


# -- answering -------------------------------------------------------------------------------------
@dataclass
class QueryLog:
    """What the log line says about one query."""

    query: str = ""
    started: float = field(default_factory=time.monotonic)
    status: int = 200
    rows: int = 0
    format: str = "-"

    def write(self) -> None:
        digest = hashlib.sha256(self.query.encode("utf-8", "replace")).hexdigest()[:16]
        log.info("sparql time=%s duration_ms=%.1f rows=%d status=%d format=%s query_sha256=%s",
                 time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), (time.monotonic() - self.started) * 1000,
                 self.rows, self.status, self.format, digest)


def _pool() -> QueryPool:
    return _extension()["pool"]


@dataclass(frozen=True)
class Planned:
    """A query operation read, guarded and given its format and dataset: what runs, on which release."""

    fmt: Format
    found: Scan
    job: Job
    release: str        # the release's id


def plan(op: Operation, record: QueryLog) -> Planned:
    """Guard the operation and make its worker job. Raises Rejected with the status to answer."""
    assert op.query is not None
    record.query = op.query
    try:
        opened = holder().get()
    except NoRelease as exc:
        raise Rejected(503, f"nothing to query yet: {exc}") from None
    found = guard(op.query, remote=opened.remote)
    options = dataset(op, found, opened.release.graphs)
    fmt = choose_format(op, found)
    record.format = fmt.key
    base = str(Minter(opened.release.base).page("sparql"))  # the base of relative IRIs in the query
    return Planned(fmt, found, worker_job(op.query, opened.location, found, fmt, options, base), opened.release.id)


def run_planned(planned: Planned, record: QueryLog) -> QueryResult:
    """Run a planned query in a worker; Rejected for what the worker could not answer."""
    outcome = execute(planned.job)
    if not outcome.answer.ok:
        outcome.discard()
        raise refusal(outcome.answer, planned.found)
    record.rows = outcome.answer.rows
    return outcome


def worker_job(query: str, store: str, found: Scan, fmt: Format, options: DatasetOptions,
               base_iri: str | None = None) -> Job:
    """What the worker is sent: the page reads JSON or N-Triples."""
    config = _config()
    wire = fmt.key if fmt is not HTML else ("ntriples" if found.is_graph else "json")
    rows, size = config.SPARQL_ROW_CAP, config.SPARQL_BYTE_CAP
    if fmt is HTML:
        rows, size = min(rows, config.SPARQL_HTML_ROWS), min(size, config.SPARQL_HTML_BYTES)
    rewritten = rewrite(query) if config.SPARQL_REWRITE else None
    return Job(store=store, query=rewritten or query, original=query if rewritten else None,
               plan=config.SPARQL_REWRITE, format=wire, row_cap=rows, byte_cap=size, prefixes=PREFIXES, inline_max=config.SPARQL_INLINE_BYTES,
               base_iri=base_iri, **options)


def execute(job: Job) -> QueryResult:
    try:
        return _pool().run(job, _config().SPARQL_TIMEOUT)
    except Busy as exc:
        raise Rejected(503, f"every query worker is busy ({exc.reason}); try again shortly",
                       {"Retry-After": str(_config().SPARQL_RETRY_AFTER)}) from None
    except TimedOut:
        raise Rejected(504, f"the query ran past the time limit of {_config().SPARQL_TIMEOUT:g} s and was "
                            "stopped; narrow it (a LIMIT, a more selective pattern) or use the dumps") from None
    except WorkerLost:
        raise Rejected(503, "the query was stopped: it needed more memory than a query may use, or the "
                            "engine failed on it; narrow it or use the dumps") from None


def refusal(answer: Answer, found: Scan) -> Rejected:
    """The status and message for a query the worker could not answer."""
    kind, message = answer.error, answer.message
    if kind == "syntax":
        return Rejected(400, f"malformed query: {message}")
    if kind == "io":
        return Rejected(502, f"a SERVICE endpoint failed: {message}") if found.services else \
            Rejected(503, f"the store could not be read: {message}",
                     {"Retry-After": str(_config().SPARQL_RETRY_AFTER)})
    if kind == "format":
        return Rejected(406, message)
    if kind == "memory":
        return Rejected(503, "the query was stopped: it needed more memory than a query may use; narrow it "
                             "or use the dumps")
    return Rejected(400, f"the query could not be evaluated: {message}")


def stream_answer(fmt: Format, outcome: QueryResult) -> Response:
    size = outcome.size
    body = outcome.body if outcome.body is not None else outcome.chunks(CHUNK)
    response = Response(body, content_type=fmt.content_type, direct_passthrough=outcome.body is None)
    response.call_on_close(outcome.discard)  # a HEAD, or a client gone before the first chunk
    response.content_length = size
    _answer_headers(response, outcome.answer.rows, outcome.answer.truncated)
    return response


def _answer_headers(response: Response, rows: int, truncated: bool) -> None:
    response.headers["X-SPARQL-Rows"] = str(rows)
    response.headers["X-SPARQL-Truncated"] = "true" if truncated else "false"
    response.headers["Vary"] = "Accept"


# -- answers that do not change (a release never does) ------------------------------------------------
def answer_key(planned: Planned) -> str:
    """What an answer depends on, digested: the release, the job (the query and its rewrite, the format, the
    dataset, the caps, the base IRI, the store) and the media type it is sent as."""
    job = replace(planned.job, spool="")
    text = f"{planned.release}\x1f{planned.fmt.content_type}\x1f".encode("utf-8") + job.line()
    return f"{planned.release}-{hashlib.sha256(text).hexdigest()[:32]}"


def request_key(release: str) -> str:
    """The cache's key for a GET: the release, the query string as sent and the Accept header, the whole of
    what the answer depends on besides the app's settings (the cache is the app's own). A repeated request
    is answered from it before the guard, the rewrite and the negotiation, which would only come to the
    same answer again."""
    text = b"\x1f".join((release.encode("utf-8"), request.query_string,
                         request.headers.get("Accept", "").encode("utf-8", "replace")))
    return hashlib.sha256(text).hexdigest()


def repeated_answer(op: Operation, record: QueryLog) -> Response | None:
    """A GET answered from the result cache (or 304), or None when it is not there."""
    try:
        release = holder().get().release.id
    except NoRelease:
        return None
    hit = _extension()["cache"].get(request_key(release))
    if hit is None:
        return None
    record.query, record.format, record.rows = op.query or "", hit.format, hit.rows
    if request.if_none_match.contains_weak(hit.etag):
        record.status = 304
        return _cache_headers(Response(status=304), hit.etag, "revalidated")
    response = Response(hit.body, content_type=hit.content_type)
    _answer_headers(response, hit.rows, hit.truncated)
    return _cache_headers(response, hit.etag, "hit")


def cacheable_answer(planned: Planned, record: QueryLog) -> Response:
    """A GET's answer not in the cache: 304 for a client holding it, else run (and kept when it passed in
    memory). Every one carries the ETag and Cache-Control of the answer."""
    key = answer_key(planned)
    if request.if_none_match.contains_weak(key):
        record.status = 304
        return _cache_headers(Response(status=304), key, "revalidated")
    outcome = run_planned(planned, record)
    if outcome.body is not None:
        kept = Cached(outcome.body, outcome.answer.rows, outcome.answer.truncated, key, planned.fmt.content_type,
                      planned.fmt.key)
        _extension()["cache"].put(request_key(planned.release), kept)
    return _cache_headers(stream_answer(planned.fmt, outcome), key, "miss")


def _cache_headers(response: Response, key: str, how: str) -> Response:
    # written as strings: werkzeug's ETag and CacheControl objects cost a tenth of a cached answer's time
    response.headers.update({"ETag": f'"{key}"', "Cache-Control": CACHE_CONTROL, "Vary": "Accept",
                             "X-SPARQL-Cache": how})
    return response


def error_response(exc: Rejected, op: Operation | None) -> Response:
    """The refusal, rendered like every error (web.errors.render_error); a browser gets it on the query page."""
    query = op.query if op and op.query else ""
    return render_error(exc.status, exc.message, headers=exc.headers, html=_wants_html(op), template="sparql.html",
                  context={**page_context(query), "error": exc.message})


def _wants_html(op: Operation | None) -> bool:
    if op is not None and op.formats:
        return any(by_name(name, (HTML,)) is HTML for name in op.formats)
    best = negotiate(request.headers.get("Accept"), (*RESULT_FORMATS, HTML))
    return best is HTML


def endpoint() -> Response:
    if request.method == "OPTIONS":
        return _preflight()
    record: QueryLog | None = QueryLog()
    op: Operation | None = None
    try:
        op = read_operation()
        if op.query is None:
            record = None
            return service_or_page()
        assert record is not None  # None only on the branch that returned
        if request.method in ("GET", "HEAD"):
            repeated = repeated_answer(op, record)
            if repeated is not None:
                return repeated
        planned = plan(op, record)
        if planned.fmt is HTML:
            return results_page(op, planned.found, run_planned(planned, record))
        if request.method in ("GET", "HEAD"):
            return cacheable_answer(planned, record)
        return stream_answer(planned.fmt, run_planned(planned, record))
    except Rejected as exc:
        if record is not None:
            record.status = exc.status
        return error_response(exc, op)
    finally:
        if record is not None:
            record.write()


def _preflight() -> Response:
    response = Response(status=204)
    response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
    response.headers["Access-Control-Allow-Headers"] = "Accept, Content-Type"
    response.headers["Access-Control-Max-Age"] = "86400"
    return response


# -- the service description and the page ----------------------------------------------------------
def service_or_page() -> Response:
    chosen = negotiate(request.headers.get("Accept"), (*SD_FORMATS, HTML))
    if chosen is None:
        types = ", ".join(f.media_type for f in (*SD_FORMATS, HTML))
        raise Rejected(406, f"nothing acceptable: the service description can be sent as {types}")
    if chosen is HTML:
        return Response(render_template("sparql.html", **page_context("")), content_type=HTML.content_type,
                        headers={"Vary": "Accept"})
    try:
        graphs = holder().get().release.manifest.get("graphs", [])
    except NoRelease:
        graphs = []
    body = service_description(request.base_url, graphs, chosen)
    return Response(body, content_type=chosen.content_type, headers={"Vary": "Accept"})


def prologue() -> str:
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())


def page_context(query: str) -> dict[str, object]:
    base = current_app.config["LOD_PUB_SETTINGS"].base
    examples = [(title, prologue() + "\n" + text) for title, text in page_examples()]
    return {"query": query or examples[0][1], "examples": examples, "base": base, "prefixes": PREFIXES,
            "settings": _config(), "results": None, "error": None}


def results_page(op: Operation, found: Scan, outcome: QueryResult) -> Response:
    table = read_table(outcome.read(), found.is_graph, current_app.config["LOD_PUB_SETTINGS"].base)
    offers = GRAPH_FORMATS if found.is_graph else RESULT_FORMATS
    downloads = [(f, _download(op, f)) for f in offers]
    context = {**page_context(op.query or ""), "results": table, "downloads": downloads,
               "truncated": outcome.answer.truncated, "form": found.form, "seconds": outcome.seconds}
    response = Response(render_template("sparql.html", **context), content_type=HTML.content_type)
    response.headers["X-SPARQL-Truncated"] = "true" if outcome.answer.truncated else "false"
    response.headers["Vary"] = "Accept"
    return response


def _download(op: Operation, fmt: Format) -> str:
    args: DownloadArgs = {"query": op.query, "format": fmt.key, "default-graph-uri": op.default_graphs,
                          "named-graph-uri": op.named_graphs}
    return url_for("sparql.endpoint", **args)


# -- wiring ----------------------------------------------------------------------------------------
def worker_network(config: SparqlConfig, remote: bool) -> str:
    """What the query workers may reach (worker.py's NETWORK): nothing, unless SERVICE endpoints are
    allow-listed; with a remote store, only the thread that talks to it."""
    if config.SPARQL_SERVICE_ALLOW:
        return "any"
    return "store" if remote else "none"


def slot_group(config: SparqlConfig, data_dir: object) -> str | None:
    """The key under which sibling server processes (gunicorn's workers) serving the same data folder lend
    each other query slots (pool.py); None when the operator turned sharing off."""
    if not config.SPARQL_SHARE_SLOTS:
        return None
    return hashlib.sha256(str(data_dir).encode("utf-8", "replace")).hexdigest()[:12]


def register(app: Flask) -> None:
    config = SparqlConfig.of(app.config)
    settings = app.config["LOD_PUB_SETTINGS"]
    pool = QueryPool(int(config.SPARQL_WORKERS), float(config.SPARQL_TIMEOUT), int(config.SPARQL_MEMORY_MB),
                     worker_network(config, bool(settings.remote)), wait=float(config.SPARQL_QUEUE_SECONDS),
                     queue=int(config.SPARQL_QUEUE), group=slot_group(config, settings.data_dir),
                     stall=float(config.SPARQL_QUEUE_STALL))
    # a remote store is not the web's own (it may be down, or changed by other means): its answers are not kept
    cache = ResultCache(0 if settings.remote else int(config.SPARQL_CACHE_ENTRIES), int(config.SPARQL_CACHE_BYTES))
    app.extensions[EXTENSION] = {"config": config, "pool": pool, "cache": cache}
    blueprint = Blueprint("sparql", __name__)
    blueprint.add_url_rule("/sparql", "endpoint", endpoint, methods=["GET", "POST", "OPTIONS"],
                           provide_automatic_options=False)

    @blueprint.after_request
    def cors(response: Response) -> Response:
        response.headers.update(CORS)
        return response

    app.register_blueprint(blueprint)

