"""/sparql: the SPARQL 1.1 Protocol (query operation), the Service Description and the query page.

    register(app)    adds GET/POST/OPTIONS /sparql; settings from app.config (SETTINGS below)

One request, in order (each step can refuse, with the status the Protocol gives):
    protocol   GET ?query= | POST form | POST application/sparql-query      400 415 413
    guard      length cap, lexical scan: nesting cap, updates, SERVICE, FROM   413 400
    dataset    default-graph-uri / named-graph-uri / FROM must name graphs of the release   400
    format     `format` parameter, else Accept (lod_pub.formats.negotiate)    406
    run        a worker process of the pool; time limit, row cap            503 504 400
    answer     the result file streamed in chunks; X-SPARQL-Truncated; CORS; one log line
A GET without a query answers the Service Description (RDF by Accept) or, for a browser, the page.
"""

from __future__ import annotations

import hashlib
import logging
import time
from dataclasses import dataclass, field

from flask import Blueprint, Flask, Response, current_app, render_template, request, url_for
from werkzeug.exceptions import RequestEntityTooLarge

from ...formats import HTML, Format, negotiate
from ...settings import SPARQL_SETTINGS
from ...vocab import PREFIXES
from ..errors import render_error
from ..inbound import is_utf8
from .examples import EXAMPLES
from .results import GRAPH_FORMATS, RESULT_FORMATS, by_name
from .guard import Rejected, Scan, scan
from .table import read_table
from .messages import Answer, Job
from .pool import Busy, QueryPool, QueryResult, TimedOut, WorkerLost
from .rewrite import rewrite
from .service import SD_FORMATS, service_description
from ..state import NoRelease

log = logging.getLogger("lod_pub.sparql")
CHUNK = 1 << 16
EXTENSION = "lod_pub.sparql"


SETTINGS = SPARQL_SETTINGS  # the endpoint's part of lod_pub.settings.TABLE
CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "X-SPARQL-Truncated, X-SPARQL-Rows, Retry-After, Content-Length",
}


def setting(name: str):
    return current_app.extensions[EXTENSION]["config"][name]


# -- the protocol ----------------------------------------------------------------------------------
@dataclass
class Operation:
    """A query operation as the Protocol carries it."""

    query: str | None
    default_graphs: list[str] = field(default_factory=list)
    named_graphs: list[str] = field(default_factory=list)
    format: str | None = None


def _params(source) -> tuple[list[str], list[str], list[str]]:
    return source.getlist("default-graph-uri"), source.getlist("named-graph-uri"), source.getlist("format")


def read_operation() -> Operation:
    """The query operation of this request, per SPARQL 1.1 Protocol §2.1; raises Rejected."""
    if "update" in request.args:
        raise Rejected(400, "this is the query endpoint: SPARQL Update is not accepted (read-only)")
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
    return Operation(queries[0] if queries else None, defaults, named, formats[0] if formats else None)


def _post_source():
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

    def __init__(self, *sources):
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
    cap = setting("SPARQL_MAX_QUERY")
    if len(query) > cap:
        raise Rejected(413, f"the query is {len(query)} characters long; this endpoint accepts up to {cap}")
    found = scan(query, setting("SPARQL_NESTING"), PREFIXES)
    if remote:
        remote_caps(found)
    allowed = set(setting("SPARQL_SERVICE_ALLOW"))
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
        count, most = getattr(found, attribute), setting(name)
        if count > most:
            raise Rejected(400, f"the query holds {count} {what}; this endpoint passes at most {most} to its "
                                f"store. {advice}")


def dataset(op: Operation, found: Scan, held: frozenset[str]) -> dict:
    """Worker options for the RDF dataset; the Protocol's parameters override the query's FROM."""
    if op.default_graphs or op.named_graphs:
        defaults, named, where = op.default_graphs, op.named_graphs, "default-graph-uri/named-graph-uri"
    elif found.has_dataset:
        defaults, named, where = found.from_default, found.from_named, "FROM/FROM NAMED"
    else:
        return {"union": True, "default_graph": None, "named_graphs": None}
    unknown = [g for g in (*defaults, *named) if g not in held]
    if unknown:
        raise Rejected(400, f"{where} names {', '.join(unknown)}, which this dataset does not hold; graphs are "
                            "never fetched from elsewhere. The graphs held are listed in the service "
                            "description (GET /sparql with Accept: text/turtle).")
    return {"union": False, "default_graph": list(defaults), "named_graphs": list(named)}


def choose_format(op: Operation, found: Scan) -> Format:
    offers = GRAPH_FORMATS if found.is_graph else RESULT_FORMATS
    if op.format:
        chosen = by_name(op.format, (*offers, HTML))
        if chosen is None:
            keys = ", ".join(f.key for f in offers)
            raise Rejected(406, f"format={op.format} does not fit a {found.form} query; choose one of {keys}")
        return chosen
    chosen = negotiate(request.headers.get("Accept"), (*offers, HTML))
    if chosen is None:
        types = ", ".join(f.media_type for f in offers)
        raise Rejected(406, f"nothing acceptable: a {found.form} result can be sent as {types}")
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
    return current_app.extensions[EXTENSION]["pool"]


def run_query(op: Operation, record: QueryLog):
    """Run the operation; return (Format, Scan, QueryResult). Raises Rejected with the status to answer."""
    assert op.query is not None
    record.query = op.query
    try:
        opened = current_app.extensions["lod_pub"].get()
    except NoRelease as exc:
        raise Rejected(503, f"nothing to query yet: {exc}") from None
    found = guard(op.query, remote=opened.remote)
    options = dataset(op, found, opened.release.graphs)
    fmt = choose_format(op, found)
    record.format = fmt.key
    outcome = execute(worker_job(op.query, opened.location, found, fmt, options))
    if not outcome.answer.ok:
        outcome.discard()
        raise refusal(outcome.answer, found)
    record.rows = outcome.answer.rows
    return fmt, found, outcome


def worker_job(query: str, store: str, found: Scan, fmt: Format, options: dict) -> Job:
    """What the worker is sent: the page reads JSON or N-Triples."""
    wire = fmt.key if fmt is not HTML else ("ntriples" if found.is_graph else "json")
    rows, size = setting("SPARQL_ROW_CAP"), setting("SPARQL_BYTE_CAP")
    if fmt is HTML:
        rows, size = min(rows, setting("SPARQL_HTML_ROWS")), min(size, setting("SPARQL_HTML_BYTES"))
    rewritten = rewrite(query) if setting("SPARQL_REWRITE") else None
    return Job(store=store, query=rewritten or query, original=query if rewritten else None, format=wire,
               row_cap=rows, byte_cap=size, prefixes=PREFIXES, inline_max=setting("SPARQL_INLINE_BYTES"), **options)


def execute(job: Job) -> QueryResult:
    try:
        return _pool().run(job, setting("SPARQL_TIMEOUT"))
    except Busy:
        raise Rejected(503, "every query worker is busy; try again shortly",
                       {"Retry-After": str(setting("SPARQL_RETRY_AFTER"))}) from None
    except TimedOut:
        raise Rejected(504, f"the query ran past the time limit of {setting('SPARQL_TIMEOUT'):g} s and was "
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
                     {"Retry-After": str(setting("SPARQL_RETRY_AFTER"))})
    if kind == "format":
        return Rejected(406, message)
    if kind == "memory":
        return Rejected(503, "the query was stopped: it needed more memory than a query may use; narrow it "
                             "or use the dumps")
    return Rejected(400, f"the query could not be evaluated: {message}")


def stream_answer(fmt: Format, outcome) -> Response:
    size = outcome.size
    body = outcome.body if outcome.body is not None else outcome.chunks(CHUNK)
    response = Response(body, content_type=fmt.content_type, direct_passthrough=outcome.body is None)
    response.call_on_close(outcome.discard)  # a HEAD, or a client gone before the first chunk
    response.content_length = size
    response.headers["X-SPARQL-Rows"] = str(outcome.answer.rows)
    response.headers["X-SPARQL-Truncated"] = "true" if outcome.answer.truncated else "false"
    response.headers["Vary"] = "Accept"
    return response


def error_response(exc: Rejected, op: Operation | None) -> Response:
    """The refusal, rendered like every error (web.errors.render_error); a browser gets it on the query page."""
    query = op.query if op and op.query else ""
    return render_error(exc.status, exc.message, headers=exc.headers, html=_wants_html(op), template="sparql.html",
                  context={**page_context(query), "error": exc.message})


def _wants_html(op: Operation | None) -> bool:
    if op is not None and op.format:
        return op.format == "html"
    best = negotiate(request.headers.get("Accept"), (*RESULT_FORMATS, HTML))
    return best is HTML


def endpoint() -> Response:
    if request.method == "OPTIONS":
        return _preflight()
    record, op = QueryLog(), None
    try:
        op = read_operation()
        if op.query is None:
            record = None
            return service_or_page()
        fmt, found, outcome = run_query(op, record)
        if fmt is HTML:
            return results_page(op, found, outcome)
        return stream_answer(fmt, outcome)
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
        graphs = current_app.extensions["lod_pub"].get().release.manifest.get("graphs", [])
    except NoRelease:
        graphs = []
    body = service_description(request.base_url, graphs, chosen)
    return Response(body, content_type=chosen.content_type, headers={"Vary": "Accept"})


def prologue() -> str:
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())


def page_context(query: str) -> dict:
    base = current_app.config["LOD_PUB_SETTINGS"].base
    examples = [(title, prologue() + "\n" + text) for title, text in EXAMPLES]
    return {"query": query or examples[0][1], "examples": examples, "base": base,
            "settings": current_app.extensions[EXTENSION]["config"], "results": None, "error": None}


def results_page(op: Operation, found: Scan, outcome) -> Response:
    table = read_table(outcome.read(), found.is_graph, current_app.config["LOD_PUB_SETTINGS"].base)
    offers = GRAPH_FORMATS if found.is_graph else RESULT_FORMATS
    downloads = [(f, url_for("sparql.endpoint", query=op.query, format=f.key,
                             **{"default-graph-uri": op.default_graphs, "named-graph-uri": op.named_graphs}))
                 for f in offers]
    context = {**page_context(op.query or ""), "results": table, "downloads": downloads,
               "truncated": outcome.answer.truncated, "form": found.form, "seconds": outcome.seconds}
    response = Response(render_template("sparql.html", **context), content_type=HTML.content_type)
    response.headers["X-SPARQL-Truncated"] = "true" if outcome.answer.truncated else "false"
    response.headers["Vary"] = "Accept"
    return response


# -- wiring ----------------------------------------------------------------------------------------
def worker_network(config: dict, remote: bool) -> str:
    """What the query workers may reach (worker.py's NETWORK): nothing, unless SERVICE endpoints are
    allow-listed; with a remote store, only the thread that talks to it."""
    if config["SPARQL_SERVICE_ALLOW"]:
        return "any"
    return "store" if remote else "none"


def register(app: Flask) -> None:
    config = {s.name: app.config.get(s.name, s.default) for s in SETTINGS}
    pool = QueryPool(int(config["SPARQL_WORKERS"]), float(config["SPARQL_TIMEOUT"]), int(config["SPARQL_MEMORY_MB"]),
                     worker_network(config, bool(app.config["LOD_PUB_SETTINGS"].remote)))
    app.extensions[EXTENSION] = {"config": config, "pool": pool}
    blueprint = Blueprint("sparql", __name__)
    blueprint.add_url_rule("/sparql", "endpoint", endpoint, methods=["GET", "POST", "OPTIONS"],
                           provide_automatic_options=False)

    @blueprint.after_request
    def cors(response: Response) -> Response:
        response.headers.update(CORS)
        return response

    app.register_blueprint(blueprint)

