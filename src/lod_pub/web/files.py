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
"""

from __future__ import annotations

from xml.sax.saxutils import escape

import pyoxigraph as ox
from flask import Blueprint, Flask, Response, abort, render_template, send_file

from ..formats import HTML, Format
from . import serialize
from .describe import describe
from .respond import Document, absolute, answer, cors
from .site import Site, site

bp = Blueprint("files", __name__)
bp.after_request(cors)
TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


def _all_dumps(s: Site) -> list[dict]:
    return s.release.manifest.get("dumps", []) + s.release.manifest.get("parts", [])


def _dump(s: Site, name: str) -> dict:
    for dump in _all_dumps(s):
        if dump["name"] == name:
            return dump
    abort(404)


@bp.get("/dumps/")
def dumps():
    s = site()
    parts = len({p["part"] for p in s.release.manifest.get("parts", [])})
    return render_template("dumps.html", dumps=s.release.manifest.get("dumps", []), parts=parts, release=s.release)


@bp.get("/dumps/SHA256SUMS")
def checksums():
    s = site()
    body = "".join(f"{d['sha256']}  {d['name']}\n" for d in _all_dumps(s))
    return Response(body, content_type="text/plain; charset=utf-8")


@bp.get("/dumps/<name>")
def dump(name: str):
    return _send_dump(name)


@bp.get("/dumps/parts/<name>")
def dump_part(name: str):
    return _send_dump(f"parts/{name}")


def _send_dump(name: str):
    s = site()
    meta = _dump(s, name)
    response = send_file(s.release.dumps_dir / meta["name"], mimetype=meta["media_type"], as_attachment=True,
                         download_name=meta["name"].rsplit("/", 1)[-1], etag=f"{meta['sha256']}", conditional=True,
                         last_modified=s.modified, max_age=3600)
    response.headers["Digest"] = f"sha-256={meta['sha256']}"
    return response


def _void_doc(s: Site) -> Document:
    from .resources import OFFERS, _html

    triples = s.meta_graph("void")
    dataset = str(s.minter.dataset())

    def render(fmt: Format) -> bytes:
        if fmt is HTML:
            return _html(s, describe(s.meta, dataset, 1, 10_000)).encode("utf-8")
        return serialize.rdf(triples, fmt, s.compactor)

    return Document("void", "/void", OFFERS, render, fixed=lambda fmt: f"/void.{fmt.extension}")


@bp.get("/void")
@bp.get("/.well-known/void")
def void():
    s = site()
    return answer(s, _void_doc(s))


@bp.get("/void.<ext>")
def void_fixed(ext: str):
    s = site()
    doc = _void_doc(s)
    fixed = {f.extension: f for f in doc.offers}.get(ext)
    if fixed is None:
        abort(404)
    return answer(s, doc, fixed)


SITEMAP = Format("sitemap", "application/xml", "xml", None)
SITEMAP_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'


def _sitemap_paths(s: Site) -> list[str]:
    from .resources import href

    paths = ["/", "/void", "/ns/dip", "/ns/dip-shapes", "/dumps/"]
    # every entity is typed (the shapes see to it): its rdf:type triples name them all, and a scan of
    # those is 13 times faster than SELECT DISTINCT ?s ... ORDER BY ?s over the whole store
    entities = {q.subject.value for q in s.store.quads_for_pattern(None, TYPE, None)
                if isinstance(q.subject, ox.NamedNode)}
    for iri in sorted(entities):
        split = s.minter.split(iri)
        if split and split[0] == "id":
            paths.append(href(s, iri))
    return paths


def _sitemap_pieces(s: Site) -> list[str]:
    """The sitemap's text cut where the site's root URL goes: built once per release, whatever the host.
    A request's sitemap is its root joined with the pieces, a join of strings (the URLs must be absolute)."""
    pieces = s.cache.get(("sitemap", "pieces"))
    if pieces is None:
        day = s.modified.date().isoformat()
        paths = _sitemap_paths(s)
        pieces = [f"{SITEMAP_HEAD}<url><loc>"]
        pieces += [f"{escape(p)}</loc><lastmod>{day}</lastmod></url>\n<url><loc>" for p in paths[:-1]]
        pieces.append(f"{escape(paths[-1])}</loc><lastmod>{day}</lastmod></url>\n</urlset>\n")
        s.cache.put(("sitemap", "pieces"), pieces)
    return pieces


@bp.get("/sitemap.xml")
def sitemap():
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
def robots():
    body = f"User-agent: *\nDisallow: /sparql\nSitemap: {absolute('/sitemap.xml')}\n"
    return Response(body, content_type="text/plain; charset=utf-8")


@bp.get("/context.jsonld")
def context():
    s = site()
    return send_file(s.release.file("context.jsonld"), mimetype="application/ld+json", conditional=True,
                     last_modified=s.modified, max_age=3600)


def register(app: Flask) -> None:
    app.register_blueprint(bp)



