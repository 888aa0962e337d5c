"""The one module that mints IRIs, and the one that turns an IRI into a path of the site. Nothing else
concatenates the base or cuts it off.

Shape of every IRI (under the configured base):
    {base}id/{kind}/{slug}          the thing itself
    {base}doc/{kind}/{slug}         the document describing it
    {base}graph/article/{slug}      the named graph of one article's facts
    {base}graph/export/{slug}       the named graph of one event export (GDELT: gdelt-export-{stamp})
    {base}graph/entities            the named graph of shared entity descriptions
    {base}graph/data/{slug}         the named graph of a file served as it is (serve --data)

Site paths (site_path, Minter.site_path, Minter.path_of): what follows the base, after a '/', never
beginning with '//'; the project's vocabulary and shapes (DIP_ONTOLOGY..., fixed whatever the base)
are answered under /ns/dip, and the CAMEO concept scheme (CAMEO_SCHEME) under /ns/cameo.

Slugs are the editors' identifiers. They may hold any Unicode letter or digit and '-', '_', '.';
in the IRI they are percent-encoded as UTF-8, so the IRI is plain ASCII and round-trips through
any HTTP stack. Every minted IRI is checked by Oxigraph's strict IRI parser.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import quote, unquote

import pyoxigraph
from rdflib import URIRef

from .errors import IriError
from .settings import DEFAULT_BASE
from .vocab import CAMEO_SCHEME, DIP_ONTOLOGY

KINDS = ("article", "event", "person", "organization", "place", "post", "statement", "partnership", "role",
         "document", "curator", "export")
SLUG = re.compile(r"^[^\W_](?:[\w.-]*[^\W_])?$", re.UNICODE)
MAX_SLUG = 200
#: Where the site answers for the project's vocabulary: DIP_ONTOLOGY + rest is at VOCABULARY_PATH + rest.
VOCABULARY_PATH = "/ns/dip"
#: The kinds of unit (corpus.Article.kind) that have a named graph of their own: graph/{kind}/{slug}.
UNIT_KINDS = ("article", "export")
#: Where the site answers for the CAMEO concept scheme: CAMEO_SCHEME + rest (#042) is at CAMEO_PATH + rest.
CAMEO_PATH = "/ns/cameo"


def check_iri(value: str) -> str:
    """Return value if it is an absolute IRI by RFC 3987 (Oxigraph's parser), else raise IriError."""
    if any(c in value for c in ' <>"{}|\\^`\n\r\t') or not value.isprintable():
        raise IriError(f"not a valid IRI: {value!r}")
    try:
        pyoxigraph.NamedNode(value)
    except ValueError as exc:
        raise IriError(f"not a valid IRI: {value!r} ({exc})") from None
    return value


def site_path(iri: str, base: str) -> str | None:
    """The same-site path of an IRI under base: '/' + what follows the base, with a '/' that it begins
    with percent-encoded; None for an IRI not under base. `{base}/evil.example/x` (a slash too many)
    would otherwise give `//evil.example/x`, which a browser reads as a link to another host;
    `/%2Fevil.example/x` stays here."""
    if not iri.startswith(base):
        return None
    rest = iri[len(base):]
    return "/%2F" + rest[1:] if rest.startswith("/") else "/" + rest


def valid_slug(slug: str) -> bool:
    return isinstance(slug, str) and len(slug) <= MAX_SLUG and bool(SLUG.match(slug))


@dataclass(frozen=True)
class Minter:
    base: str = DEFAULT_BASE

    def __post_init__(self) -> None:
        if not self.base.endswith("/"):
            raise IriError(f"the base IRI must end with '/': {self.base!r}")
        check_iri(self.base)

    def _mint(self, *parts: str) -> URIRef:
        return URIRef(check_iri(self.base + "/".join(quote(p, safe="-._~") for p in parts)))

    @lru_cache(maxsize=1 << 16)  # popular entities are minted over and over while mapping
    def entity(self, kind: str, slug: str) -> URIRef:
        if kind not in KINDS:
            raise IriError(f"unknown kind {kind!r}; known: {', '.join(KINDS)}")
        if not valid_slug(slug):
            raise IriError(f"not a valid identifier: {slug!r}")
        return self._mint("id", kind, slug)

    def part(self, kind: str, slug: str, fragment: str) -> URIRef:
        """A part of a thing that has no document of its own, e.g. an article's image: {entity}#{fragment}."""
        if not valid_slug(fragment):
            raise IriError(f"not a valid fragment: {fragment!r}")
        return URIRef(check_iri(f"{self.entity(kind, slug)}#{quote(fragment, safe='-._~')}"))

    def document(self, kind: str, slug: str, extension: str | None = None) -> URIRef:
        self.entity(kind, slug)
        tail = f"{slug}.{extension}" if extension else slug
        return self._mint("doc", kind, tail)

    def unit_graph(self, kind: str, slug: str) -> URIRef:
        """The named graph of one unit of the corpus (an article, an event export): graph/{kind}/{slug}."""
        if kind not in UNIT_KINDS:
            raise IriError(f"no unit graph for kind {kind!r}; known: {', '.join(UNIT_KINDS)}")
        if not valid_slug(slug):
            raise IriError(f"not a valid identifier: {slug!r}")
        return self._mint("graph", kind, slug)

    def article_graph(self, slug: str) -> URIRef:
        """The named graph of an article (graph/article/{slug}); an export's is unit_graph("export", slug)."""
        return self.unit_graph("article", slug)

    def units_of_graphs(self, graphs: list[str]) -> list[str]:
        """The IRI of the unit of each unit graph IRI: the same kind and slug under id/ rather than graph/
        (checked when the graph was minted; the heads are checked here)."""
        heads = {f"{self._mint('graph', kind)}/": f"{self._mint('id', kind)}/" for kind in UNIT_KINDS}
        out = []
        for g in graphs:
            head = next((h for h in heads if g.startswith(h)), None)
            if head is None:
                raise IriError(f"not an article's or an export's graph: {g!r}")
            out.append(heads[head] + g[len(head):])
        return out

    def data_graph(self, slug: str) -> URIRef:
        """The named graph of a file published as it is (`lod-pub serve --data`): {base}graph/data/{slug}."""
        if not valid_slug(slug):
            raise IriError(f"not a valid identifier: {slug!r}")
        return self._mint("graph", "data", slug)

    def entities_graph(self) -> URIRef:
        return self._mint("graph", "entities")

    def dataset(self) -> URIRef:
        return self._mint("void")

    def page(self, *parts: str) -> URIRef:
        """Any other page of the site, e.g. page('sparql') or page('dumps', 'graph.ttl')."""
        return self._mint(*parts)

    def path_of(self, iri: str) -> str | None:
        """The site path that answers for an IRI: a thing's document (/doc/...) for its IRI (/id/...),
        the IRI's own path (site_path) for any other under the base, the vocabulary's page
        (VOCABULARY_PATH) for a term of the vocabulary or the shapes, the CAMEO scheme's (CAMEO_PATH) for one
        of its concepts; None for an IRI elsewhere."""
        path = self.site_path(iri)
        if path is not None:
            return "/doc/" + path[len("/id/"):] if path.startswith("/id/") else path
        if iri.startswith(DIP_ONTOLOGY):
            return VOCABULARY_PATH + iri[len(DIP_ONTOLOGY):]
        if iri.startswith(CAMEO_SCHEME):
            return CAMEO_PATH + iri[len(CAMEO_SCHEME):]
        return None

    def site_path(self, iri: str) -> str | None:
        """The IRI's own site path (see site_path), or None for an IRI not under the base."""
        return site_path(iri, self.base)

    def split(self, iri: str) -> tuple[str, str, str] | None:
        """('id'|'doc', kind, slug) for an IRI this minter makes, else None. Inverse of entity/document."""
        if not iri.startswith(self.base):
            return None
        parts = iri[len(self.base):].split("/")
        if len(parts) != 3 or parts[0] not in ("id", "doc") or parts[1] not in KINDS:
            return None
        return parts[0], parts[1], unquote(parts[2])
