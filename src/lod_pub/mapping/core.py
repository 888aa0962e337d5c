"""Records to RDF: the register's graph, and one graph per article (the article itself, its curation,
then its events, statements and claims, documents and relations, each in a module of its own)."""

from __future__ import annotations

from functools import partial
from typing import Callable, Iterable

from rdflib import Literal, URIRef

from ..iris import Minter
from ..sources.corpus import Article, Corpus, Record, as_list
from ..sources.yamlfile import Path_
from ..vocab import DCTERMS, ORG, PROV, RDF, SCHEMA, XSD
from .base import ArticleMapper, Mapped, Mapper, add_types, date_literal, text
from .documents import map_document
from .events import map_event
from .gdelt import map_export
from .evidence import Triples
from .relations import map_relation
from .statements import add_claim, map_statement
from .terms import (CURATION_TYPES, CURATOR_TYPES, DOCUMENT_TYPES, EVENT_TYPES, ORGANIZATION_TYPES,
                    PARTNERSHIP_TYPES, PERSON_TYPES, PLACE_TYPES, POST_TYPES, STATEMENT_TYPES)

#: record section -> how one of its items is mapped, in the order they are mapped
SECTIONS: tuple[tuple[str, Callable[[ArticleMapper, Record, Path_], None]], ...] = (
    ("events", map_event), ("statements", map_statement), ("documents", map_document),
    ("relations", map_relation))


class RegisterMapper(Mapper):
    """The shared graph: names, types, confirmed sameAs and standing links of register entities."""

    def map(self, only: set[str] | None = None) -> Triples:
        """The register's triples; with only, those of the entities whose ids are in it."""
        g: Triples = set()
        data = self.corpus.register.data

        def items(section: str) -> list[tuple[int, Record]]:
            return [(i, item) for i, item in enumerate(as_list(data.get(section))) if only is None or item["id"] in only]

        for i, item in items("people"):
            self._common(g, item, ("people", i), PERSON_TYPES)
            for key in ("givenName", "familyName", "honorificPrefix"):
                if item.get(key):
                    g.add((self.iri(item["id"]), SCHEMA[key], text(item[key])))
        for i, item in items("organizations"):
            node = self._common(g, item, ("organizations", i), ORGANIZATION_TYPES[item["type"]])
            self._link(g, node, SCHEMA.parentOrganization, item.get("parentOrganization"))
            self._link(g, node, SCHEMA.location, item.get("location"))
            if item.get("parentOrganization"):
                g.add((node, ORG.subOrganizationOf, self.iri(item["parentOrganization"])))
        for i, item in items("places"):
            node = self._common(g, item, ("places", i), PLACE_TYPES[item["type"]])
            self._link(g, node, SCHEMA.containedInPlace, item.get("containedInPlace"))
        for i, item in items("posts"):
            node = self._common(g, item, ("posts", i), POST_TYPES)
            self._link(g, node, ORG.postIn, item.get("postIn"))
        return g

    def _common(self, g: Triples, item: Record, path: Path_, types: Iterable[URIRef]) -> URIRef:
        node = self.iri(item["id"])
        self.origin(node, self.corpus.register, path)
        add_types(g, node, types)
        g.add((node, SCHEMA.name, text(item["name"])))
        for alt in as_list(item.get("alternateNames")):
            g.add((node, SCHEMA.alternateName, text(alt)))
        if item.get("description"):
            g.add((node, SCHEMA.description, text(item["description"])))
        if item.get("sameAs"):
            g.add((node, SCHEMA.sameAs, URIRef(item["sameAs"])))
        return node

    def _link(self, g: Triples, node: URIRef, prop: URIRef, slug: str | None) -> None:
        if slug:
            g.add((node, prop, self.iri(slug)))


def map_article(corpus: Corpus, minter: Minter, mapped: Mapped, article: Article) -> ArticleMapper:
    """One article's named graph: the article, its events, statements, claims, documents and relations,
    with evidence. Returns the mapper, whose `g` holds the graph and `node` the article's IRI."""
    m = ArticleMapper(corpus, minter, mapped, article)
    m.claim = partial(add_claim, m)
    if article.kind == "export":  # a GDELT export: its events and what they name (mapping.gdelt)
        map_export(m)
        _origins(m)
        return m
    _curation(m)
    _article(m)
    for section, map_item in SECTIONS:
        for i, item in enumerate(as_list(m.record.get(section))):
            map_item(m, item, (section, i))
    for node in sorted(m.mentioned - {m.node}):
        m.g.add((m.node, SCHEMA.mentions, node))
    _origins(m)
    return m


def _origins(m: ArticleMapper) -> None:
    """Every subject of the graph has a record line (e.g. roles, the image, the curation: the article's)."""
    head = "export" if "export" in m.record else "article"
    for subject in {t[0] for t in m.g if isinstance(t[0], URIRef)}:
        m.origin(subject, m.source, (head,))


def _curation(m: ArticleMapper) -> None:
    """Who recorded the article's facts, and when: a prov:Activity every annotation was generated by."""
    curation = m.record["article"].get("curation")
    if not isinstance(curation, dict):
        return
    kind = curation.get("type") or "Person"
    slug = "-".join("".join(c if c.isalnum() else " " for c in curation["by"].lower()).split()) or "curator"
    curator = m.minter.entity("curator", slug)
    add_types(m.g, curator, CURATOR_TYPES[kind])
    m.g.add((curator, SCHEMA.name, text(curation["by"])))
    m.curation = node = m.minter.part("article", m.slug, "curation")
    add_types(m.g, node, CURATION_TYPES)
    m.g.add((node, SCHEMA.name, text(f"Curation of {m.record['article']['name']}")))
    for prop, obj in ((PROV.wasAssociatedWith, curator), (SCHEMA.agent, curator), (PROV.used, m.node),
                      (SCHEMA.object, m.node), (DCTERMS.date, Literal(curation["on"], datatype=XSD.date))):
        m.g.add((node, prop, obj))


def _article(m: ArticleMapper) -> None:
    a, g, node = m.record["article"], m.g, m.node
    m.origin(node, m.source, ("article",))
    g.add((node, RDF.type, SCHEMA.NewsArticle))
    g.add((node, SCHEMA.name, text(a["name"])))
    if a.get("headline"):
        g.add((node, SCHEMA.headline, text(a["headline"])))
    g.add((node, SCHEMA.inLanguage, Literal(a["inLanguage"])))
    g.add((node, SCHEMA.articleBody, Literal(m.text, lang=a["inLanguage"])))
    if a.get("url"):
        g.add((node, SCHEMA.url, URIRef(a["url"])))
    m.fact(node, SCHEMA.datePublished, a["datePublished"], date_literal)
    m.fact(node, SCHEMA.publisher, a["publisher"], m.ref)
    m.facts(node, SCHEMA.author, a.get("author"), m.ref)
    m.facts(node, SCHEMA.about, a.get("about"), m.ref)
    if a.get("dateline"):
        place = m.fact(node, SCHEMA.locationCreated, a["dateline"], m.ref)
        if place is not None:
            g.add((node, SCHEMA.dateline, Literal(m.name_of(place))))
    for keyword in as_list(a.get("keywords")):
        g.add((node, SCHEMA.keywords, text(keyword)))
    if a.get("caption"):
        image = m.minter.part("article", a["id"], "image")
        g.add((node, SCHEMA.associatedMedia, image))
        g.add((image, RDF.type, SCHEMA.ImageObject))
        g.add((image, SCHEMA.caption, text(a["caption"])))


def map_register(corpus: Corpus, minter: Minter, only: set[str] | None = None) -> Mapped:
    """The shared graph of register entities alone (with only: of the entities whose ids are in it)."""
    mapped = Mapped()
    mapped.graphs[minter.entities_graph()] = RegisterMapper(corpus, minter, mapped).map(only)
    return mapped


def map_articles(corpus: Corpus, minter: Minter, articles: list[Article]) -> Mapped:
    """The named graphs of some articles (the corpus supplies what they refer to)."""
    mapped = Mapped()
    for article in articles:
        mapper = map_article(corpus, minter, mapped, article)
        mapped.graphs[minter.unit_graph(article.kind, article.slug)] = mapper.g
        mapped.articles.append(mapper.node)
    return mapped


def map_corpus(corpus: Corpus, minter: Minter) -> Mapped:
    mapped = map_register(corpus, minter)
    rest = map_articles(corpus, minter, corpus.articles)
    mapped.graphs.update(rest.graphs)
    mapped.articles += rest.articles
    mapped.origins.update(rest.origins)
    return mapped


def declared_types(corpus: Corpus, minter: Minter, iris: Iterable[URIRef]) -> Triples:
    """rdf:type triples of the given IRIs as their records declare them, wherever they are defined.

    Checking a batch of articles on its own needs the types of what it refers to elsewhere
    (an attendee from the register, a super-event from another article) for sh:class."""
    tables: dict[str, Callable[[Record], tuple[URIRef, ...]]] = {
        "person": lambda r: PERSON_TYPES, "post": lambda r: POST_TYPES,
        "organization": lambda r: ORGANIZATION_TYPES[r["type"]], "place": lambda r: PLACE_TYPES[r["type"]],
        "event": lambda r: EVENT_TYPES[r["type"]], "statement": lambda r: STATEMENT_TYPES,
        "document": lambda r: DOCUMENT_TYPES[r["type"]],
        "partnership": lambda r: PARTNERSHIP_TYPES, "article": lambda r: (SCHEMA.NewsArticle,)}
    triples: Triples = set()
    for iri in iris:
        split = minter.split(str(iri))
        if split is None or split[2] not in corpus.ids:
            continue
        kind, source, path = corpus.ids[split[2]]
        for t in tables[kind](source.at(path[:-1])):
            triples.add((iri, RDF.type, t))
    return triples
