"""Resources: the home page, search, /id (303) and /doc (descriptions), the vocabulary and the shapes.

    GET /                              what the dataset holds, search, examples, SPARQL, dumps
    GET /search?q=NAME                 resources whose name or alternate name contains NAME
    GET /id/{kind}/{slug}              303 See Other to the document in the format Accept asks for
    GET /doc/{kind}/{slug}[?page=N]    the description, negotiated (Vary: Accept, Content-Location)
    GET /doc/{kind}/{slug}.{ext}       the same at a fixed format: html ttl jsonld nt rdf
    GET /ns/dip[.{ext}]                the vocabulary: RDF, or HTML documentation of every term
    GET /ns/dip-shapes[.{ext}]         the SHACL shapes, likewise
    GET /ns/cameo[.{ext}]              the CAMEO event codes (a SKOS concept scheme), likewise; cameo#042 is a
                                       concept of it

IRIs are resolved by path, so canonical IRIs under the configured base answer on any host and port.
"""

from __future__ import annotations

import difflib
import logging
from typing import Iterable, TypedDict

import pyoxigraph as ox
from flask import Blueprint, Flask, Response, abort, current_app, redirect, render_template, request, url_for
from werkzeug.exceptions import NotFound
from werkzeug.sansio.response import Response as SansIOResponse
from werkzeug.wrappers import Response as BaseResponse

from ..formats import HTML, RDF_FORMATS, Format
from ..iris import KINDS
from ..store.http import RemoteError
from ..errors import IriError, ReleaseError, WebError
from ..vocab import CAMEO_SCHEME, DIP_ONTOLOGY, DIP_SHAPES, PREFIXES, SCHEMA, curie
from . import coded, errors, serialize, view
from .describe import Description, describe
from .jsonld import script_json
from .reading import solutions
from .respond import Document, absolute, answer, choose, cors
from .site import Site, site
from .vocabulary import concepts_doc, shapes_doc, vocabulary_doc

log = logging.getLogger("lod_pub.web")

bp = Blueprint("resources", __name__)
bp.after_request(cors)

#: What a document offers, in the server's order of preference: curl's */* gets Turtle, browsers HTML.
OFFERS: tuple[Format, ...] = (RDF_FORMATS[0], HTML, *RDF_FORMATS[1:])
DOC_EXTENSIONS = {f.extension: f for f in OFFERS}
VOCABULARIES = {"dip": (DIP_ONTOLOGY, "ontology"), "dip-shapes": (DIP_SHAPES, "shapes"),
                "cameo": (CAMEO_SCHEME, "concepts")}
BUILDERS = {"ontology": vocabulary_doc, "shapes": shapes_doc, "concepts": concepts_doc}
#: What a search reads: every property that names a resource (site.LABEL_PROPERTIES), and alternate names.
SEARCHED = "schema:name|schema:alternateName|skos:prefLabel|skos:altLabel|rdfs:label|foaf:name|dcterms:title"
SEARCH = f"""
SELECT DISTINCT ?q ?s ?name WHERE {{
  ?s {SEARCHED} ?label .
  FILTER(isIRI(?s) && isLiteral(?label) && CONTAINS(LCASE(STR(?label)), LCASE(STR(?q))))
  OPTIONAL {{ ?s schema:name ?own FILTER(LANG(?own) = "" || LANGMATCHES(LANG(?own), "en")) }}
  BIND(COALESCE(?own, ?label) AS ?name)
}} ORDER BY STRLEN(STR(?name)) ?name ?s LIMIT 50"""
INSTANCES = """
SELECT DISTINCT ?c ?s ?name WHERE { ?s a ?c FILTER(isIRI(?s)) OPTIONAL { ?s schema:name ?name } }
ORDER BY ?name ?s LIMIT 501"""
SEARCH_PREFIXES = {**PREFIXES, "foaf": "http://xmlns.com/foaf/0.1/"}
ARTICLE_EVIDENCE = """
SELECT ?r ?node ?prop ?value ?start ?end WHERE {
  ?node dip:evidence ?ev . ?ev dip:supportsProperty ?prop ; oa:hasTarget ?target .
  ?target oa:hasSource ?r ; oa:hasSelector ?sel . ?sel oa:start ?start ; oa:end ?end .
  OPTIONAL { ?ev dip:supportsValue ?value }
}"""
GRAPH_HELD = "ASK { GRAPH ?g { ?s ?p ?o } }"
MAX_QUERY = 200
#: The search page's arguments for one class (`class` is a keyword: url_for takes it from a dict).
ClassSearch = TypedDict("ClassSearch", {"class": str})


# -- links ---------------------------------------------------------------------------------------
def href(s: Site, iri: str) -> str | None:
    """Where a resource is on this server (Minter.path_of), the IRI itself when it is on the web elsewhere
    (for a release from files: its page here, /resource?iri=, as the data describes it), or None (no
    link) for any other scheme: a `javascript:` IRI in the data must not become a link."""
    path = s.minter.path_of(iri)
    if path is not None:
        return request.script_root + path
    if not iri.lower().startswith(("http://", "https://")):
        return None
    return foreign_href(iri) if s.from_files else iri


def foreign_href(iri: str) -> str:
    """The page of a resource whose IRI is not under the base: /resource?iri=…"""
    return url_for("resources.foreign", iri=iri)


def local_href(s: Site, iri: str) -> str | None:
    """Where a resource found in the data is shown on this server: its own page, or /resource?iri=…"""
    path = s.minter.path_of(iri)
    if path is not None:
        return request.script_root + path
    return foreign_href(iri) if iri.lower().startswith(("http://", "https://", "urn:")) else None


def labeller(s: Site, triples: Iterable[ox.Triple]) -> view.Labeller:
    """Resources named from the triples, else from the store (a dataset page links to resources whose
    names are not in its own triples), else from the words of their IRI."""
    def name(iri: str) -> str:
        return s.name_of(iri) if iri.startswith(s.release.base) else s.label(iri)
    return view.Labeller(lambda iri: href(s, iri), name, view.names_in(triples))


def site_path(s: Site, iri: str) -> str:
    """The site path of an IRI minted under the base (never `//…`: see lod_pub.iris.site_path)."""
    path = s.minter.site_path(iri)
    if path is None:
        raise IriError(f"not under the base {s.release.base}: {iri}")
    return path


# -- descriptions --------------------------------------------------------------------------------
def _resolve(s: Site, kind: str, name: str) -> tuple[str, Format | None]:
    """(entity IRI, fixed format or None) for /doc/{kind}/{name}; 404 when there is no such resource."""
    if kind not in KINDS:
        abort(404)
    candidates: list[tuple[str, Format | None]] = [(name, None)]
    stem, dot, ext = name.rpartition(".")
    if dot and ext in DOC_EXTENSIONS:
        candidates.append((stem, DOC_EXTENSIONS[ext]))
    for slug, fmt in candidates:
        try:
            iri = str(s.minter.entity(kind, slug))
        except IriError:
            continue
        if s.exists(iri):
            return iri, fmt
    abort(404)


def _page_number(name: str = "page") -> int:
    raw = request.args.get(name, "1")
    if not raw.isdigit() or not 1 <= int(raw) <= 1_000_000:
        abort(404)
    return int(raw)


def _description_doc(s: Site, iri: str, page: int, fixed: Format | None = None) -> Document:
    """The description as a Document; rel=next/prev stay in the fixed format when one was asked for."""
    size = current_app.config.get("LOD_PUB_PAGE_SIZE", 500)
    events = _page_number("events")
    key = f"{iri}?page={page}&size={size}"
    kept = s.cache.get(("description", key))
    if isinstance(kept, Description):
        described = kept
    else:
        described = describe(s.store, iri, page, size, s.cache)
        if not described:  # a page past the last: not kept, or each page number would take a place
            abort(404)
        s.cache.put(("description", key), described)
    split = s.minter.split(iri)
    if split is None:  # never: _resolve minted the IRI
        raise IriError(f"not an IRI of a thing under the base {s.release.base}: {iri}")
    doc_path = site_path(s, str(s.minter.document(*split[1:])))
    query = "&".join(f"{name}={n}" for name, n in (("page", page), ("events", events)) if n > 1)
    query = f"?{query}" if query else ""
    doc = Document(f"{key}&events={events}", doc_path + query, OFFERS,
                   lambda fmt: _render(s, described, fmt, events),
                   fixed=lambda fmt: f"{doc_path}.{fmt.extension}{query}")
    doc.links.append(f'<{absolute(site_path(s, iri))}>; rel="describes"')
    pages = absolute(f"{doc_path}.{fixed.extension}" if fixed else doc_path)
    if described.has_next:
        doc.links.append(f'<{pages}?page={page + 1}>; rel="next"')
    if page > 1:
        doc.links.append(f'<{pages}{"?page=" + str(page - 1) if page > 2 else ""}>; rel="prev"')
    return doc


def _render(s: Site, described: Description, fmt: Format, events: int = 1) -> bytes:
    if fmt is HTML:
        return _html(s, described, events=events).encode("utf-8")
    return serialize.rdf(described.triples, fmt, s.compactor)


def _article(s: Site, iri: str, triples: Iterable[ox.Triple]) -> tuple[list[view.Segment], list[view.Span]] | None:
    body = next((t.object.value for t in triples
                 if isinstance(t.subject, ox.NamedNode) and t.subject.value == iri
                 and t.predicate.value == str(SCHEMA.articleBody) and not isinstance(t.object, ox.Triple)), None)
    if body is None:
        return None
    rows: list[view.EvidenceRow] = [
        {"node": r["node"], "prop": r["prop"], "value": r["value"], "start": r["start"], "end": r["end"]}
        for r in solutions(s.store.query(ARTICLE_EVIDENCE, prefixes=PREFIXES, use_default_graph_as_union=True,
                                         substitutions={ox.Variable("r"): ox.NamedNode(iri)}))]
    named = {t.value for r in rows for t in (r["node"], r["value"]) if isinstance(t, ox.NamedNode)}
    names = {n: s.name_of(n) for n in named}
    lab = view.Labeller(lambda i: href(s, i), s.label, names)
    spans = view.article_spans(body, rows, lab)
    return view.segments(body, spans), spans


def _formats(doc_path: str, query: str = "") -> list[tuple[Format, str]]:
    return [(f, f"{doc_path}.{f.extension}{query}") for f in OFFERS]


def _html(s: Site, described: Description, formats: list[tuple[Format, str]] | None = None, events: int = 1) -> str:
    """The page of a description: at its own document (under the base), or with the formats given (a
    resource elsewhere, /resource?iri=…)."""
    iri = described.iri
    lab = labeller(s, described.triples)
    model = view.page(iri, described.triples, lab)
    doc_path = href(s, iri) if formats is None else foreign_href(iri)
    if doc_path is None:  # never: what the site describes is under its base
        raise IriError(f"no page on this site for {iri}")
    query = f"?page={described.page}" if described.page > 1 else ""

    def link(target: str) -> str | None:
        return href(s, target)

    size = min(100, current_app.config.get("LOD_PUB_PAGE_SIZE", 500))
    return render_template(
        "resource.html", page=model, iri=iri, article=_article(s, iri, described.triples),
        coded=coded.summary(s.store, iri, s.label, link),
        coded_events=coded.events_of(s.store, iri, events, size, s.label, link),
        formats=formats if formats is not None else _formats(doc_path, query),
        jsonld=script_json(s.compactor.document(described.triples)), number=described.page,
        has_next=described.has_next, doc_path=doc_path, elsewhere=formats is not None)


# -- routes --------------------------------------------------------------------------------------
@bp.get("/id/<kind>/<slug>")
def thing(kind: str, slug: str) -> BaseResponse:
    s = site()
    iri, fixed = _resolve(s, kind, slug)
    if fixed is not None:  # /id/person/x.ttl names no thing: extensions are for documents, so its document
        stem = slug.rpartition(".")[0]
        return redirect(absolute(site_path(s, str(s.minter.document(kind, stem))) + f".{fixed.extension}"), 303)
    doc_path = site_path(s, str(s.minter.document(kind, slug)))
    doc = Document(iri, doc_path, OFFERS, lambda fmt: b"", fixed=lambda fmt: f"{doc_path}.{fmt.extension}")
    fmt = choose(doc)
    response = redirect(absolute(doc.url_of(fmt)), 303)
    response.headers["Vary"] = "Accept"
    response.headers["Link"] = f'<{absolute(doc.url_of(fmt))}>; rel="describedby"; type="{fmt.media_type}"'
    response.set_data(f"303 See Other: {iri} is described by {absolute(doc.url_of(fmt))}\n")
    response.content_type = "text/plain; charset=utf-8"
    return response


@bp.get("/doc/<kind>/<name>")
def document(kind: str, name: str) -> Response:
    s = site()
    iri, fixed = _resolve(s, kind, name)
    return answer(s, _description_doc(s, iri, _page_number(), fixed), fixed)


@bp.get("/resource")
def foreign() -> BaseResponse:
    """A resource whose IRI is not under the base, as the data describes it (?iri=…; &format=ttl, …): an
    IRI with a page of its own here is sent there."""
    s = site()
    iri = request.args.get("iri", "").strip()
    fixed = DOC_EXTENSIONS.get(request.args.get("format", ""))
    if request.args.get("format") and fixed is None:
        abort(404)
    own = s.minter.path_of(iri)
    if own is not None:
        return redirect(request.script_root + own, 303)
    try:
        node = ox.NamedNode(iri)
    except ValueError:
        abort(404)
    if not iri or not s.exists(node.value):
        abort(404)
    size = current_app.config.get("LOD_PUB_PAGE_SIZE", 500)
    path = foreign_href(iri)

    def at(fmt: Format) -> str:
        return url_for("resources.foreign", iri=iri, format=fmt.extension)

    def render(fmt: Format) -> bytes:
        described = describe(s.store, iri, 1, size, s.cache)
        if fmt is HTML:
            return _html(s, described, [(f, at(f)) for f in OFFERS]).encode("utf-8")
        return serialize.rdf(described.triples, fmt, s.compactor)

    doc = Document(f"resource {iri}", path, OFFERS, render, fixed=at)
    return answer(s, doc, fixed)


@bp.get("/")
def home() -> str:
    """The dataset's front page. Its counts and examples are read from the store; with a remote store that
    cannot be reached they are left out and the page says so (the rest comes from the release's files)."""
    s = site()
    try:
        counts = [(_class_search(c), s.label(c), curie(c), n) for c, n in s.class_counts]
        examples = [(local_href(s, iri), name, iri) for iri, name in s.examples]
        store_down = False
    except RemoteError as exc:
        log.warning("home page without the store's figures: %s", exc.detail)
        counts, examples, store_down = [], [], True
    return render_template("home.html", counts=counts, examples=examples, release=s.release, store_down=store_down,
                           dumps=s.release.manifest.get("dumps", []), label=s.label)


def _class_search(cls: str) -> str:
    """The search page listing every resource of a class."""
    args: ClassSearch = {"class": cls}
    return url_for("resources.search", **args)


@bp.get("/search")
def search() -> str:
    """By name (?q=), or every resource of a class (?class=IRI, as the home page's counts link)."""
    s = site()
    q = request.args.get("q", "").strip()[:MAX_QUERY]
    cls = request.args.get("class", "").strip()[:MAX_QUERY]
    if cls:
        try:
            results = _rows(s, INSTANCES, ox.Variable("c"), ox.NamedNode(cls))
        except ValueError:
            abort(404)
        return render_template("search.html", q="", cls=(cls, s.label(cls), curie(cls)), results=results[:500],
                               more=len(results) > 500)
    return render_template("search.html", q=q, results=_rows(s, SEARCH, ox.Variable("q"), ox.Literal(q)) if q else [])


def _rows(s: Site, query: str, var: ox.Variable, value: ox.NamedNode | ox.Literal) -> list[tuple[str | None, str, str]]:
    rows = solutions(s.store.query(query, prefixes=SEARCH_PREFIXES, use_default_graph_as_union=True,
                                   substitutions={var: value}))
    seen: set[str] = set()
    out: list[tuple[str | None, str, str]] = []
    for row in rows:
        iri = row["s"].value
        if iri not in seen:
            seen.add(iri)
            out.append((local_href(s, iri), row["name"].value if row["name"] else s.name_of(iri), iri))
    return out


@bp.get("/ns/<name>")
def vocabulary(name: str) -> Response:
    s = site()
    stem, dot, ext = name.rpartition(".")
    fixed: Format | None = None
    if dot and ext in DOC_EXTENSIONS and stem in VOCABULARIES:
        name, fixed = stem, DOC_EXTENSIONS[ext]
    if name not in VOCABULARIES:
        abort(404)
    graph, which = VOCABULARIES[name]
    triples = s.meta_graph(graph)
    if not triples:  # a release from before the file was written
        abort(404)
    build = BUILDERS[which]

    def render(fmt: Format) -> bytes:
        if fmt is HTML:
            return render_template(f"{which}.html", doc=build(s, triples, lambda iri: href(s, iri)),
                                   formats=_formats(f"/ns/{name}")).encode("utf-8")
        return serialize.rdf(triples, fmt, s.compactor)

    doc = Document(f"ns/{name}", f"/ns/{name}", OFFERS, render, fixed=lambda fmt: f"/ns/{name}.{fmt.extension}")
    return answer(s, doc, fixed)


def _graph_triples(s: Site, graph: ox.NamedNode) -> list[ox.Triple]:
    return sorted((q.triple for q in s.store.quads_for_pattern(None, None, None, graph)), key=str)


@bp.get("/graph/<path:rest>")
def graph(rest: str) -> Response:
    """A named graph (an article's facts, the entity register): its triples, or a page listing them."""
    s = site()
    name, dot, ext = rest.rpartition(".")
    fixed = DOC_EXTENSIONS.get(ext) if dot else None
    name = name if fixed else rest
    try:
        graph_iri = ox.NamedNode(str(s.minter.page("graph", *name.split("/"))))
    except IriError:
        abort(404)
    if not s.store.query(GRAPH_HELD, substitutions={ox.Variable("g"): graph_iri}, use_default_graph_as_union=True):
        abort(404)
    path = site_path(s, graph_iri.value)

    def render(fmt: Format) -> bytes:
        triples = _graph_triples(s, graph_iri)
        if fmt is not HTML:
            return serialize.rdf(triples, fmt, s.compactor)
        names = view.names_in(triples)
        subjects = sorted({t.subject.value for t in triples if isinstance(t.subject, ox.NamedNode)},
                          key=lambda i: (names.get(i) or i).lower())
        return render_template("graph.html", iri=graph_iri.value, count=len(triples), formats=_formats(path),
                               subjects=[(href(s, i), names.get(i) or s.label(i), i) for i in subjects]).encode()

    doc = Document(f"graph {graph_iri.value}", path, OFFERS, render, fixed=lambda fmt: f"{path}.{fmt.extension}")
    return answer(s, doc, fixed)


# -- near misses ---------------------------------------------------------------------------------
SLUGS = """SELECT DISTINCT ?s WHERE { ?s a ?t FILTER(isIRI(?s) && STRSTARTS(STR(?s), STR(?prefix))) } LIMIT 20000"""


def _slugs(s: Site, kind: str) -> list[str]:
    """The slugs of the things of a kind (at most 20,000: enough to suggest from), kept per release."""
    kept = s.cache.get(("slugs", kind))
    if isinstance(kept, list):
        return kept
    prefix = str(s.minter.page("id", kind)) + "/"
    rows = solutions(s.store.query(SLUGS, substitutions={ox.Variable("prefix"): ox.Literal(prefix)},
                                   use_default_graph_as_union=True))
    found = sorted({row["s"].value[len(prefix):] for row in rows} - {""})
    found = [slug for slug in found if "#" not in slug and "/" not in slug]
    s.cache.put(("slugs", kind), found)
    return found


def near_miss(s: Site, path: str) -> str | list[tuple[str, str]]:
    """What a path under /id/ or /doc/ that names nothing was meant to be: the path to send it to (the same
    with its trailing slash taken off), or (path, name) of the things it may have meant (another case,
    a close slug, a known one with an unknown extension); none for any other path."""
    parts = path.split("/")
    if len(parts) < 4 or parts[1] not in ("id", "doc"):
        return []
    if len(parts) > 4 and not "".join(parts[4:]) and parts[3]:  # /id/kind/slug/ (or //)
        return "/".join(parts[:4])
    if len(parts) != 4:
        return []
    kind, name = parts[2], parts[3]
    stem = name.rpartition(".")[0] or name
    found: list[tuple[str, str]] = []
    for known in (k for k in KINDS if k.lower() == kind.lower()):
        slugs = _slugs(s, known)
        same = [slug for slug in slugs if slug.lower() in (name.lower(), stem.lower())]
        close = difflib.get_close_matches(name, slugs, n=5, cutoff=0.8)
        for slug in dict.fromkeys(same + close):
            try:
                iri = str(s.minter.entity(known, slug))
            except IriError:  # a slug the data holds that this server never mints
                continue
            link = href(s, iri)
            if link is not None and link not in (f for f, _ in found):
                found.append((link, s.name_of(iri)))
    return found[:5]


def _not_found(exc: NotFound) -> SansIOResponse:
    """404, or where a mistyped /id/ or /doc/ path was meant to go (near_miss)."""
    if exc.response is not None:
        return exc.response
    try:
        s = site()
    except (WebError, ReleaseError):
        return errors.render_error(404, errors.EXPLAIN[404])
    meant = near_miss(s, request.path)
    if isinstance(meant, str):
        query = request.query_string.decode("latin-1")
        return redirect(request.script_root + meant + (f"?{query}" if query else ""), 301)
    return errors.render_error(404, errors.EXPLAIN[404], context={"suggestions": meant})


def frame() -> dict[str, object]:
    """What every page's frame (base.html) tells apart: a release from files (`from_files`: its texts say
    nothing of articles) and the vocabulary pages it has (`vocabularies`: names under /ns/)."""
    try:
        s = site()
    except (WebError, ReleaseError):  # nothing published yet: the frame of an error page
        return {"from_files": False, "vocabularies": []}
    return {"from_files": s.from_files, "vocabularies": [n for n, (g, _) in VOCABULARIES.items() if s.meta_graph(g)]}


def register(app: Flask) -> None:
    app.register_blueprint(bp)
    app.context_processor(frame)
    errors.register(app)
    app.register_error_handler(NotFound, _not_found)

