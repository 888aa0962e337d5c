"""Files: the dumps, the dataset description, the sitemap and the JSON-LD context.

    GET /dumps/                 the list of whole-graph dumps (HTML), with size and sha256
    GET /dumps/SHA256SUMS       every dump file, whole and parts, as `sha256sum -c` reads it
    GET /dumps/{name}           one dump (graph.nq.gz; /dumps/parts/0007.nq.gz, a part): its media type,
                                Content-Length, ETag (its sha256), ranges, Content-Disposition; only
                                names the release's manifest lists
    GET /void, /.well-known/void   VoID + DCAT, negotiated like any document (and /void.{ext})
    GET /sitemap.xml            every document of the release
    GET /context.jsonld         the JSON-LD context every JSON-LD answer embeds
    GET /robots.txt             crawlers: the sitemap, and not the SPARQL endpoint
    GET /favicon.ico            the site's icon
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable
from xml.sax.saxutils import escape

import pyoxigraph as ox
from flask import Blueprint, Flask, Response, abort, render_template, send_file

from ..errors import WebError
from ..formats import HTML, Format
from ..published import DumpEntry
from ..store.http import RemoteError
from . import serialize, view
from .card import card
from .respond import Document, absolute, answer, cors
from .site import Site, site

bp = Blueprint("files", __name__)
bp.after_request(cors)
TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


class BeingWritten(WebError):
    """The dumps and VoID of a release published from files (`serve --data`) are still being written: 503,
    try again later (the release that holds them follows; lod_pub.adhoc)."""

    status, retry_after = 503, 30
    public = ("The dumps and the dataset description (VoID) of this release are being written; they will be "
              "here in a few minutes. The SPARQL endpoint and every page answer already.")


def _written(s: Site) -> Site:
    """s, once the dumps and VoID of its release are written; BeingWritten until then."""
    if s.release.writing:
        raise BeingWritten(f"release {s.release.id}: its dumps and VoID are being written")
    return s


def _all_dumps(s: Site) -> list[DumpEntry]:
    return s.release.manifest.get("dumps", []) + s.release.manifest.get("parts", [])


def _dump(s: Site, name: str) -> DumpEntry:
    for dump in _all_dumps(s):
        if dump["name"] == name:
            return dump
    abort(404)


@bp.get("/dumps/")
def dumps() -> str:
    s = site()
    parts = len({p["part"] for p in s.release.manifest.get("parts", [])})
    return render_template("dumps.html", dumps=s.release.manifest.get("dumps", []), parts=parts, release=s.release)


@bp.get("/dumps/SHA256SUMS")
def checksums() -> Response:
    s = _written(site())
    body = "".join(f"{d['sha256']}  {d['name']}\n" for d in _all_dumps(s))
    return Response(body, content_type="text/plain; charset=utf-8")


@bp.get("/dumps/<name>")
def dump(name: str) -> Response:
    return _send_dump(name)


@bp.get("/dumps/parts/<name>")
def dump_part(name: str) -> Response:
    return _send_dump(f"parts/{name}")


def _send_dump(name: str) -> Response:
    s = _written(site())
    meta = _dump(s, name)
    response = send_file(s.release.dumps_dir / meta["name"], mimetype=meta["media_type"], as_attachment=True,
                         download_name=meta["name"].rsplit("/", 1)[-1], etag=f"{meta['sha256']}", conditional=True,
                         last_modified=s.modified, max_age=3600)
    response.headers["Digest"] = f"sha-256={meta['sha256']}"
    return response


def _void_doc(s: Site) -> Document:
    from .resources import OFFERS, href

    triples = s.meta_graph("void")
    dataset = str(s.minter.dataset())

    def render(fmt: Format) -> bytes:
        if fmt is HTML:
            names = view.names_in(s.meta_graph("void"))
            store_name = _namer(s)
            found = card(triples, dataset, lambda iri: href(s, iri), lambda iri: names.get(iri) or store_name(iri))
            formats = [(f, f"/void.{f.extension}") for f in OFFERS]
            return render_template("void.html", card=found, iri=dataset, formats=formats).encode("utf-8")
        return serialize.rdf(triples, fmt, s.compactor)

    return Document("void", "/void", OFFERS, render, fixed=lambda fmt: f"/void.{fmt.extension}")


def _namer(s: Site) -> Callable[[str], str]:
    """Names from the store, or labels once a remote store could not be reached (asked no more in this
    page): VoID comes from the release's files and is served while the store is down."""
    down = False

    def name(iri: str) -> str:
        nonlocal down
        if not down:
            try:
                return s.name_of(iri)
            except RemoteError:
                down = True
        return s.label(iri)
    return name


@bp.get("/void")
@bp.get("/.well-known/void")
def void() -> Response:
    s = _written(site())
    return answer(s, _void_doc(s))


@bp.get("/void.<ext>")
def void_fixed(ext: str) -> Response:
    s = _written(site())
    doc = _void_doc(s)
    fixed = {f.extension: f for f in doc.offers}.get(ext)
    if fixed is None:
        abort(404)
    return answer(s, doc, fixed)


SITEMAP = Format("sitemap", "application/xml", "xml", None)
SITEMAP_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'


def _sitemap_paths(s: Site) -> list[str]:
    from .resources import href

    from .resources import VOCABULARIES

    paths = ["/", "/void", *(f"/ns/{name}" for name, (graph, _) in VOCABULARIES.items() if s.meta_graph(graph)),
             "/dumps/"]
    # every entity is typed (the shapes see to it): its rdf:type triples name them all, and a scan of
    # those is 13 times faster than SELECT DISTINCT ?s ... ORDER BY ?s over the whole store
    entities = {q.subject.value for q in s.store.quads_for_pattern(None, TYPE, None)
                if isinstance(q.subject, ox.NamedNode)}
    for iri in sorted(entities):
        split = s.minter.split(iri)
        if split and split[0] == "id" and "#" not in iri:  # a part (R#image) is on R's page, which is listed
            path = href(s, iri)
            if path is not None:  # always: an entity's IRI is under the base
                paths.append(path)
    return paths


def _sitemap_pieces(s: Site) -> list[str]:
    """The sitemap's text cut where the site's root URL goes: built once per release, whatever the host.
    A request's sitemap is its root joined with the pieces, a join of strings (the URLs must be absolute)."""
    kept = s.cache.get(("sitemap", "pieces"))
    if isinstance(kept, list):
        pieces: list[str] = kept
    else:
        day = s.modified.date().isoformat()
        paths = _sitemap_paths(s)
        pieces = [f"{SITEMAP_HEAD}<url><loc>"]
        pieces += [f"{escape(p)}</loc><lastmod>{day}</lastmod></url>\n<url><loc>" for p in paths[:-1]]
        pieces.append(f"{escape(paths[-1])}</loc><lastmod>{day}</lastmod></url>\n</urlset>\n")
        s.cache.put(("sitemap", "pieces"), pieces)
    return pieces


@bp.get("/sitemap.xml")
def sitemap() -> Response:
    """Every document, at the request's own root. Kept whole (plain and gzipped) only for the root of the
    release's base, the one host crawlers are told about; any other host gets it built from the pieces,
    so that no number of Host values can fill the cache."""
    s = site()
    root = absolute("")
    pieces = _sitemap_pieces(s)
    doc = Document(f"sitemap@{root}", "/sitemap.xml", (SITEMAP,),
                   lambda fmt: escape(root).join(pieces).encode("utf-8"), cached=root == _base_root(s))
    return answer(s, doc, SITEMAP)


def _base_root(s: Site) -> str:
    return s.release.base.rstrip("/")


@bp.get("/robots.txt")
def robots() -> Response:
    body = f"User-agent: *\nDisallow: /sparql\nSitemap: {absolute('/sitemap.xml')}\n"
    return Response(body, content_type="text/plain; charset=utf-8")


@bp.get("/favicon.ico")
def favicon() -> Response:
    """The site's icon where browsers look for it first (pages also name static/favicon.svg)."""
    return send_file(Path(__file__).parent / "static" / "favicon.ico", mimetype="image/vnd.microsoft.icon",
                     conditional=True, max_age=86400)


@bp.get("/context.jsonld")
def context() -> Response:
    s = site()
    return send_file(s.release.file("context.jsonld"), mimetype="application/ld+json", conditional=True,
                     last_modified=s.modified, max_age=3600)


def register(app: Flask) -> None:
    app.register_blueprint(bp)



