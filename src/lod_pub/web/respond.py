"""Answering with a representation: negotiation, headers, conditional GET and compression, in one place.

    choose(offers)                     the Format asked for, or a 406 naming the alternatives
    represent(doc, fmt, negotiated)    the 200 (or 304) answer for one representation of a document

Every answer carries `ETag` (release id + resource + format, `-gz` when compressed), `Last-Modified`
(the release's time), `Cache-Control`, `Link` headers to every alternate with its media type, and
`Content-Location` of the fixed-format URL when it was negotiated, with `Vary: Accept`. Bodies are
rendered once per release and kept in the Site's cache, plain and gzipped, under what they depend on
(the resource, page and format: never the request's host).
"""

from __future__ import annotations

import gzip
import hashlib
from dataclasses import dataclass, field
from typing import Callable

from flask import Response, abort, request

from ..formats import Format, negotiate
from .errors import render_error
from .site import Site

MAX_AGE = 60


@dataclass
class Document:
    """One thing the server describes, at a site path, in several formats."""

    key: str                                  # what it is, for ETags and the cache (e.g. the IRI + page)
    path: str                                 # site path of the negotiated document, e.g. /doc/person/x
    offers: tuple[Format, ...]                # in the server's order of preference
    render: Callable[[Format], bytes]         # the body in one format
    fixed: Callable[[Format], str] | None = None  # site path of the fixed-format URL of a format
    links: list[str] = field(default_factory=list)  # extra Link header values (rel=next, describes…)
    cached: bool = True                       # False: rendered for each request, never kept

    def url_of(self, fmt: Format) -> str:
        return self.fixed(fmt) if self.fixed else self.path


def absolute(path: str) -> str:
    return request.root_url.rstrip("/") + path


def alternates(doc: Document) -> list[str]:
    return [f'<{absolute(doc.url_of(f))}>; rel="alternate"; type="{f.media_type}"' for f in doc.offers]


def not_acceptable(doc: Document) -> Response:
    lines = ["None of the media types in your Accept header is available here.",
             "", f"Accept: {request.headers.get('Accept', '')}", "", "Available:"]
    lines += [f"  {f.media_type}  {absolute(doc.url_of(f))}" for f in doc.offers]
    response = render_error(406, "\n".join(lines), html=False)
    for link in alternates(doc):
        response.headers.add("Link", link)
    return response


def choose(doc: Document) -> Format:
    fmt = negotiate(request.headers.get("Accept"), doc.offers)
    if fmt is None:
        abort(not_acceptable(doc))
    return fmt


def _etag(site: Site, doc: Document, fmt: Format, zipped: bool) -> str:
    digest = hashlib.sha1(f"{doc.key}\x1f{fmt.key}".encode("utf-8")).hexdigest()[:16]
    return f"{site.release.id}-{digest}{'-gz' if zipped else ''}"


def _wants_gzip() -> bool:
    return request.accept_encodings.quality("gzip") > 0


def _body(site: Site, doc: Document, fmt: Format, zipped: bool) -> bytes:
    if not doc.cached:
        fresh = doc.render(fmt)
        return gzip.compress(fresh, 6, mtime=0) if zipped else fresh
    key = (doc.key, fmt.key)
    plain = site.cache.get(key)
    if not isinstance(plain, bytes):  # None: not rendered yet
        plain = doc.render(fmt)
        site.cache.put(key, plain)
    if not zipped:
        return plain
    packed = site.cache.get(key + ("gz",))
    if not isinstance(packed, bytes):
        packed = gzip.compress(plain, 6, mtime=0)
        site.cache.put(key + ("gz",), packed)
    return packed


EXPOSED = "Link, Content-Location, ETag, Last-Modified, Location"


def cors(response: Response) -> Response:
    """Any page may read our documents from a browser script (Comunica, YASGUI); no credentials."""
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Expose-Headers"] = EXPOSED
    return response


def _headers(response: Response, site: Site, doc: Document, fmt: Format, negotiated: bool) -> None:
    response.headers["Vary"] = "Accept, Accept-Encoding" if negotiated else "Accept-Encoding"
    if negotiated:
        response.headers["Content-Location"] = absolute(doc.url_of(fmt))
    response.last_modified = site.modified
    response.cache_control.public = True
    response.cache_control.max_age = MAX_AGE
    for link in alternates(doc) + doc.links:
        response.headers.add("Link", link)


def represent(site: Site, doc: Document, fmt: Format, negotiated: bool) -> Response:
    zipped = _wants_gzip()
    etag = _etag(site, doc, fmt, zipped)
    if request.if_none_match.contains_weak(etag) or (
            not request.if_none_match and request.if_modified_since
            and request.if_modified_since >= site.modified.replace(microsecond=0)):
        response = Response(status=304)
    else:
        response = Response(_body(site, doc, fmt, zipped), content_type=fmt.content_type)
        if zipped:
            response.headers["Content-Encoding"] = "gzip"
    response.set_etag(etag)
    _headers(response, site, doc, fmt, negotiated)
    return response


def answer(site: Site, doc: Document, fixed: Format | None = None) -> Response:
    """The negotiated answer (fixed is None) or the one at a fixed-format URL."""
    if fixed is not None:
        return represent(site, doc, fixed, negotiated=False)
    return represent(site, doc, choose(doc), negotiated=True)
