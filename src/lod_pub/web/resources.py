"""Resources: the home page, search, /id (303) and /doc (descriptions), the vocabulary and the shapes.

    GET /                              what the dataset holds, search, examples, SPARQL, dumps
    GET /search?q=NAME                 resources whose name or alternate name contains NAME
    GET /id/{kind}/{slug}              303 See Other to the document in the format Accept asks for
    GET /doc/{kind}/{slug}[?page=N]    the description, negotiated (Vary: Accept, Content-Location)
    GET /doc/{kind}/{slug}.{ext}       the same at a fixed format: html ttl jsonld nt rdf
    GET /ns/dip[.{ext}]                the vocabulary: RDF, or HTML documentation of every term
    GET /ns/dip-shapes[.{ext}]         the SHACL shapes, likewise

IRIs are resolved by path, so canonical IRIs under the configured base answer on any host and port.
"""

from __future__ import annotations

import pyoxigraph as ox
from flask import Blueprint, Flask, abort, current_app, redirect, render_template, request, url_for

from ..formats import HTML, RDF_FORMATS, Format
from ..iris import KINDS
from ..errors import IriError
from ..vocab import DIP_ONTOLOGY, DIP_SHAPES, PREFIXES, SCHEMA, curie
from . import errors, serialize, view
from .describe import describe
from .jsonld import script_json
from .respond import Document, absolute, answer, choose, cors
from .site import Site, site
from .vocabulary import shapes_doc, vocabulary_doc

bp = Blueprint("resources", __name__)
bp.after_request(cors)

#: What a document offers, in the server's order of preference: curl's */* gets Turtle, browsers HTML.
OFFERS: tuple[Format, ...] = (RDF_FORMATS[0], HTML, *RDF_FORMATS[1:])
DOC_EXTENSIONS = {f.extension: f for f in OFFERS}
VOCABULARIES = {"dip": (DIP_ONTOLOGY, "ontology"), "dip-shapes": (DIP_SHAPES, "shapes")}
SEARCH = """
SELECT DISTINCT ?q ?s ?name WHERE {
  ?s schema:name|schema:alternateName ?label .
  FILTER(isIRI(?s) && CONTAINS(LCASE(STR(?label)), LCASE(STR(?q))))
  ?s schema:name ?name
} ORDER BY STRLEN(STR(?name)) ?name LIMIT 50"""
INSTANCES = """
SELECT DISTINCT ?c ?s ?name WHERE { ?s a ?c FILTER(isIRI(?s)) OPTIONAL { ?s schema:name ?name } }
ORDER BY ?name ?s LIMIT 501"""
ARTICLE_EVIDENCE = """
SELECT ?r ?node ?prop ?value ?start ?end WHERE {
  ?node dip:evidence ?ev . ?ev oa:hasSource ?r ; dip:supportsProperty ?prop ; oa:hasSelector ?sel .
  ?sel oa:start ?start ; oa:end ?end .
  OPTIONAL { ?ev dip:supportsValue ?value }
}"""
GRAPH_HELD = "ASK { GRAPH ?g { ?s ?p ?o } }"
MAX_QUERY = 200


# -- links ---------------------------------------------------------------------------------------
def href(s: Site, iri: str) -> str | None:
    """Where a resource is on this server (Minter.path_of), the IRI itself when it is on the web elsewhere,
    or None (no link) for any other scheme: a `javascript:` IRI in the data must not become a link."""
    path = s.minter.path_of(iri)
    if path is not None:
        return request.script_root + path
    return iri if iri.lower().startswith(("http://", "https://")) else None


def labeller(s: Site, triples) -> view.Labeller:
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
    candidates = [(name, None)]
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


def _page_number() -> int:
    raw = request.args.get("page", "1")
    if not raw.isdigit() or not 1 <= int(raw) <= 1_000_000:
        abort(404)
    return int(raw)


def _description_doc(s: Site, iri: str, page: int, fixed: Format | None = None) -> Document:
    """The description as a Document; rel=next/prev stay in the fixed format when one was asked for."""
    size = current_app.config.get("LOD_PUB_PAGE_SIZE", 500)
    key = f"{iri}?page={page}&size={size}"
    described = s.cache.get(("description", key))
    if described is None:
        described = describe(s.store, iri, page, size, s.cache)
        if not described:  # a page past the last: not kept, or each page number would take a place
            abort(404)
        s.cache.put(("description", key), described)
    doc_path = site_path(s, str(s.minter.document(*s.minter.split(iri)[1:])))
    query = f"?page={page}" if page > 1 else ""
    doc = Document(key, doc_path + query, OFFERS, lambda fmt: _render(s, described, fmt),
                   fixed=lambda fmt: f"{doc_path}.{fmt.extension}{query}")
    doc.links.append(f'<{absolute(site_path(s, iri))}>; rel="describes"')
    pages = absolute(f"{doc_path}.{fixed.extension}" if fixed else doc_path)
    if described.has_next:
        doc.links.append(f'<{pages}?page={page + 1}>; rel="next"')
    if page > 1:
        doc.links.append(f'<{pages}{"?page=" + str(page - 1) if page > 2 else ""}>; rel="prev"')
    return doc


def _render(s: Site, described, fmt: Format) -> bytes:
    if fmt is HTML:
        return _html(s, described).encode("utf-8")
    return serialize.rdf(described.triples, fmt, s.compactor)


def _article(s: Site, iri: str, triples) -> tuple[list, list] | None:
    body = next((t.object.value for t in triples
                 if t.subject.value == iri and t.predicate.value == str(SCHEMA.articleBody)), None)
    if body is None:
        return None
    rows = [{"node": r["node"], "prop": r["prop"], "value": r["value"], "start": r["start"], "end": r["end"]}
            for r in s.store.query(ARTICLE_EVIDENCE, prefixes=PREFIXES, use_default_graph_as_union=True,
                                   substitutions={ox.Variable("r"): ox.NamedNode(iri)})]
    named = {r[k].value for r in rows for k in ("node", "value") if isinstance(r[k], ox.NamedNode)}
    names = {n: s.name_of(n) for n in named}
    lab = view.Labeller(lambda i: href(s, i), s.label, names)
    spans = view.article_spans(body, rows, lab)
    return view.segments(body, spans), spans


def _formats(doc_path: str, query: str = "") -> list[tuple[Format, str]]:
    return [(f, f"{doc_path}.{f.extension}{query}") for f in OFFERS]


def _html(s: Site, described) -> str:
    iri = described.iri
    lab = labeller(s, described.triples)
    model = view.page(iri, described.triples, lab)
    doc_path = href(s, iri)
    query = f"?page={described.page}" if described.page > 1 else ""
    return render_template(
        "resource.html", page=model, iri=iri, article=_article(s, iri, described.triples),
        formats=_formats(doc_path, query), jsonld=script_json(s.compactor.document(described.triples)),
        number=described.page, has_next=described.has_next, doc_path=doc_path)


# -- routes --------------------------------------------------------------------------------------
@bp.get("/id/<kind>/<slug>")
def thing(kind: str, slug: str):
    s = site()
    iri, fixed = _resolve(s, kind, slug)
    if fixed is not None:  # /id/person/x.ttl names no thing: extensions are for documents
        abort(404)
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
def document(kind: str, name: str):
    s = site()
    iri, fixed = _resolve(s, kind, name)
    return answer(s, _description_doc(s, iri, _page_number(), fixed), fixed)


@bp.get("/")
def home():
    s = site()
    counts = [(url_for("resources.search", **{"class": c}), s.label(c), curie(c), n) for c, n in s.class_counts]
    examples = [(href(s, iri), name, iri) for iri, name in s.examples]
    return render_template("home.html", counts=counts, examples=examples, release=s.release,
                           dumps=s.release.manifest.get("dumps", []), label=s.label)


@bp.get("/search")
def search():
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


def _rows(s: Site, query: str, var: ox.Variable, value) -> list[tuple[str, str, str]]:
    rows = s.store.query(query, prefixes=PREFIXES, use_default_graph_as_union=True, substitutions={var: value})
    seen, out = set(), []
    for row in rows:
        iri = row["s"].value
        if iri not in seen:
            seen.add(iri)
            out.append((href(s, iri), row["name"].value if row["name"] else s.name_of(iri), iri))
    return out


@bp.get("/ns/<name>")
def vocabulary(name: str):
    s = site()
    stem, dot, ext = name.rpartition(".")
    fixed = None
    if dot and ext in DOC_EXTENSIONS and stem in VOCABULARIES:
        name, fixed = stem, DOC_EXTENSIONS[ext]
    if name not in VOCABULARIES:
        abort(404)
    graph, which = VOCABULARIES[name]
    triples = s.meta_graph(graph)
    build = vocabulary_doc if which == "ontology" else shapes_doc

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
def graph(rest: str):
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


def register(app: Flask) -> None:
    app.register_blueprint(bp)
    errors.register(app)

