"""Records to RDF. One mapper per article, one for the register; both pure."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from ..iris import Minter
from ..sources.corpus import Article, Corpus, Source, as_list, fact_parts
from ..vocab import DIP, ORG, PROV, RDF, SCHEMA, SEM, SKOS, XSD
from .evidence import add_evidence
from .terms import (EVENT_LINKS, EVENT_TYPES, ORGANIZATION_TYPES, PARTNERSHIP_TYPES, PERSON_TYPES,
                    PLACE_TYPES, POST_TYPES, ROLE_TYPES, STATEMENT_TYPES)

LANG = "en"


@dataclass
class Mapped:
    """The mapped corpus: named graphs, and where each subject's record is."""

    graphs: dict[URIRef, set[tuple[Node, Node, Node]]] = field(default_factory=dict)
    articles: list[URIRef] = field(default_factory=list)
    origins: dict[Node, str] = field(default_factory=dict)

    def quads(self) -> Iterator[tuple[Node, Node, Node, URIRef]]:
        for name, graph in self.graphs.items():
            for s, p, o in graph:
                yield s, p, o, name

    def nquads(self) -> str:
        """The whole mapping as N-Quads text."""
        return "".join(f"{_nt(s)} {_nt(p)} {_nt(o)} {_nt(g)} .\n" for s, p, o, g in self.quads())

    def union(self) -> Graph:
        g = Graph()
        for graph in self.graphs.values():
            g.addN((s, p, o, g) for s, p, o in graph)
        return g

    def __len__(self) -> int:
        return sum(len(g) for g in self.graphs.values())


_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def _nt(term: Node) -> str:
    """N-Triples form of a term. Written here because rdflib's n3() gives Turtle's long strings."""
    if isinstance(term, Literal):
        body = f'"{str(term).translate(_ESCAPES)}"'
        if term.language:
            return f"{body}@{term.language}"
        if term.datatype and term.datatype != XSD.string:
            return f"{body}^^<{term.datatype}>"
        return body
    return term.n3()


def date_literal(value: str) -> Literal:
    datatype = {0: XSD.gYear, 1: XSD.gYearMonth, 2: XSD.date}[value.count("-")]
    return Literal(value, datatype=datatype)


def text(value: str) -> Literal:
    return Literal(value, lang=LANG)


def _types(g: set, node: URIRef, types) -> None:
    for t in types:
        g.add((node, RDF.type, t))


class _Mapper:
    def __init__(self, corpus: Corpus, minter: Minter, mapped: Mapped):
        self.corpus, self.minter, self.mapped = corpus, minter, mapped

    def iri(self, slug: str) -> URIRef:
        return self.minter.entity(self.corpus.kind(slug), slug)

    def origin(self, node: URIRef, source: Source, path: tuple) -> None:
        self.mapped.origins.setdefault(node, source.where(path))


class RegisterMapper(_Mapper):
    """The shared graph: names, types, confirmed sameAs and standing links of register entities."""

    def map(self, only: set[str] | None = None) -> set:
        """The register's triples; with only, those of the entities whose ids are in it."""
        g: set = set()
        data = self.corpus.register.data

        def items(section: str):
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

    def _common(self, g: set, item: dict, path: tuple, types) -> URIRef:
        node = self.iri(item["id"])
        self.origin(node, self.corpus.register, path)
        _types(g, node, types)
        g.add((node, SCHEMA.name, text(item["name"])))
        for alt in as_list(item.get("alternateNames")):
            g.add((node, SCHEMA.alternateName, text(alt)))
        if item.get("description"):
            g.add((node, SCHEMA.description, text(item["description"])))
        if item.get("sameAs"):
            g.add((node, SCHEMA.sameAs, URIRef(item["sameAs"])))
        return node

    def _link(self, g: set, node: URIRef, prop: URIRef, slug: str | None) -> None:
        if slug:
            g.add((node, prop, self.iri(slug)))


class ArticleMapper(_Mapper):
    """One article's named graph: the article, its events, statements and relations, with evidence."""

    def __init__(self, corpus: Corpus, minter: Minter, mapped: Mapped, article: Article):
        super().__init__(corpus, minter, mapped)
        self.source, self.text = article.source, article.text
        self.record = article.record
        self.node = self.minter.entity("article", article.slug)
        self.g: set = set()
        self.mentioned: set[URIRef] = set()

    def map(self) -> set:
        self._article()
        for i, event in enumerate(as_list(self.record.get("events"))):
            self._event(event, ("events", i))
        for i, statement in enumerate(as_list(self.record.get("statements"))):
            self._statement(statement, ("statements", i))
        for i, relation in enumerate(as_list(self.record.get("relations"))):
            getattr(self, f"_{relation['type']}")(relation, ("relations", i))
        for node in sorted(self.mentioned - {self.node}):
            self.g.add((self.node, SCHEMA.mentions, node))
        for subject in {t[0] for t in self.g if isinstance(t[0], URIRef)}:  # e.g. roles and the image
            self.origin(subject, self.source, ("article",))
        return self.g

    # -- facts -------------------------------------------------------------------------------
    def fact(self, node: URIRef, prop: URIRef, raw, to_term) -> Node:
        """Add one fact (plain or {value, evidence, inferred}) and its evidence; return the object."""
        parts = fact_parts(raw)
        obj = to_term(parts["value"])
        self.g.add((node, prop, obj))
        if parts.get("evidence") or parts.get("inferred"):
            add_evidence(self.g, node, prop, obj, self.node, self.text, parts.get("evidence"), parts.get("inferred"))
        return obj

    def ref(self, slug: str) -> URIRef:
        node = self.iri(slug)
        self.mentioned.add(node)
        return node

    def facts(self, node: URIRef, prop: URIRef, raws, to_term) -> list[Node]:
        return [self.fact(node, prop, raw, to_term) for raw in as_list(raws)]

    def derived(self, node: URIRef, path: tuple, types, name: str) -> None:
        self.origin(node, self.source, path)
        _types(self.g, node, types)
        self.g.add((node, SCHEMA.name, text(name)))
        self.g.add((node, PROV.wasDerivedFrom, self.node))
        self.mentioned.add(node)

    # -- records -----------------------------------------------------------------------------
    def _article(self) -> None:
        a, g, node = self.record["article"], self.g, self.node
        self.origin(node, self.source, ("article",))
        g.add((node, RDF.type, SCHEMA.NewsArticle))
        g.add((node, SCHEMA.name, text(a["name"])))
        for key in ("headline",):
            if a.get(key):
                g.add((node, SCHEMA[key], text(a[key])))
        g.add((node, SCHEMA.inLanguage, Literal(a["inLanguage"])))
        g.add((node, SCHEMA.articleBody, Literal(self.text, lang=a["inLanguage"])))
        if a.get("url"):
            g.add((node, SCHEMA.url, URIRef(a["url"])))
        self.fact(node, SCHEMA.datePublished, a["datePublished"], date_literal)
        self.fact(node, SCHEMA.publisher, a["publisher"], self.ref)
        self.facts(node, SCHEMA.author, a.get("author"), self.ref)
        self.facts(node, SCHEMA.about, a.get("about"), self.ref)
        if a.get("dateline"):
            place = self.fact(node, SCHEMA.locationCreated, a["dateline"], self.ref)
            g.add((node, SCHEMA.dateline, Literal(self._name_of(place))))
        for keyword in as_list(a.get("keywords")):
            g.add((node, SCHEMA.keywords, text(keyword)))
        if a.get("caption"):
            image = self.minter.part("article", a["id"], "image")
            g.add((node, SCHEMA.associatedMedia, image))
            g.add((image, RDF.type, SCHEMA.ImageObject))
            g.add((image, SCHEMA.caption, text(a["caption"])))

    def _name_of(self, node: URIRef) -> str:
        slug = self.minter.split(str(node))[2]
        _, source, path = self.corpus.ids[slug]
        return source.data[path[0]][path[1]]["name"]

    def _event(self, e: dict, path: tuple) -> None:
        node = self.iri(e["id"])
        self.derived(node, path, EVENT_TYPES[e["type"]], e["name"])
        for alt in as_list(e.get("alternateNames")):
            self.g.add((node, SCHEMA.alternateName, text(alt)))
        if e.get("description"):
            self.fact(node, SCHEMA.description, e["description"], text)
        for key, prop in (("startDate", SCHEMA.startDate), ("endDate", SCHEMA.endDate),
                          ("earliestBegin", SEM.hasEarliestBeginTimeStamp), ("latestEnd", SEM.hasLatestEndTimeStamp)):
            if e.get(key):
                self.fact(node, prop, e[key], date_literal)
        for key, prop in EVENT_LINKS.items():
            for obj in self.facts(node, prop, e.get(key), self.ref):
                if prop == SCHEMA.superEvent:
                    self.g.add((obj, SCHEMA.subEvent, node))

    def _statement(self, s: dict, path: tuple) -> None:
        node = self.iri(s["id"])
        author = self.ref(fact_parts(s["author"])["value"])
        verb = s.get("verb", "stated")
        self.derived(node, path, STATEMENT_TYPES, f"{self._name_of(author)} {verb}: {s['text']}")
        self.fact(node, SCHEMA.author, s["author"], self.ref)
        self.g.add((node, SCHEMA.text, text(s["text"])))
        self.g.add((node, DIP.reportingVerb, text(verb)))
        self.facts(node, SCHEMA.about, s.get("about"), self.ref)
        if s.get("statedAt"):
            self.fact(node, DIP.statedAt, s["statedAt"], self.ref)
        if s.get("date"):
            self.fact(node, SCHEMA.dateCreated, s["date"], date_literal)
        if s.get("evidence"):
            add_evidence(self.g, node, SCHEMA.text, None, self.node, self.text, s["evidence"], None)

    def _holds(self, r: dict, path: tuple) -> None:
        person, post = self.ref(r["person"]), self.ref(r["post"])
        self.origin(person, self.source, path)
        _, source, post_path = self.corpus.ids[r["post"]]
        post_record = source.data[post_path[0]][post_path[1]]
        organization = self.ref(post_record["postIn"])
        for node, prop, obj in ((person, ORG.holds, post), (post, ORG.heldBy, person),
                                (person, SCHEMA.jobTitle, text(post_record["name"])),
                                (person, SCHEMA.worksFor, organization)):
            self.g.add((node, prop, obj))
        add_evidence(self.g, person, ORG.holds, post, self.node, self.text, r["evidence"], None)

    def _heads(self, r: dict, path: tuple) -> None:
        person, organization = self.ref(r["person"]), self.ref(r["organization"])
        self.g.add((person, ORG.headOf, organization))
        add_evidence(self.g, person, ORG.headOf, organization, self.node, self.text, r["evidence"], None)

    def _partnership(self, r: dict, path: tuple) -> None:
        node = self.iri(r["id"])
        member, organization = self.ref(r["member"]), self.ref(r["organization"])
        name = f"{self._name_of(member)} – {self._name_of(organization)} partnership ({r['role']})"
        self.derived(node, path, PARTNERSHIP_TYPES, name)
        role = self.minter.entity("role", _role_slug(r["role"]))
        _types(self.g, role, ROLE_TYPES)
        self.g.add((role, SCHEMA.name, text(r["role"])))
        self.g.add((role, SKOS.prefLabel, text(r["role"])))
        for prop, obj in ((ORG.member, member), (ORG.organization, organization), (ORG.role, role)):
            self.g.add((node, prop, obj))
        add_evidence(self.g, node, ORG.member, member, self.node, self.text, r["evidence"], None)


def _role_slug(role: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in role.lower()).split())


def map_register(corpus: Corpus, minter: Minter, only: set[str] | None = None) -> Mapped:
    """The shared graph of register entities alone (with only: of the entities whose ids are in it)."""
    mapped = Mapped()
    mapped.graphs[minter.entities_graph()] = RegisterMapper(corpus, minter, mapped).map(only)
    return mapped


def map_articles(corpus: Corpus, minter: Minter, articles: list[Article]) -> Mapped:
    """The named graphs of some articles (the corpus supplies what they refer to)."""
    mapped = Mapped()
    for article in articles:
        mapper = ArticleMapper(corpus, minter, mapped, article)
        mapped.graphs[minter.article_graph(article.slug)] = mapper.map()
        mapped.articles.append(mapper.node)
    return mapped


def map_corpus(corpus: Corpus, minter: Minter) -> Mapped:
    mapped = map_register(corpus, minter)
    rest = map_articles(corpus, minter, corpus.articles)
    mapped.graphs.update(rest.graphs)
    mapped.articles += rest.articles
    mapped.origins.update(rest.origins)
    return mapped


def declared_types(corpus: Corpus, minter: Minter, iris) -> set[tuple[Node, Node, Node]]:
    """rdf:type triples of the given IRIs as their records declare them, wherever they are defined.

    Checking a batch of articles on its own needs the types of what it refers to elsewhere
    (an attendee from the register, a super-event from another article) for sh:class."""
    tables = {"person": lambda r: PERSON_TYPES, "post": lambda r: POST_TYPES,
              "organization": lambda r: ORGANIZATION_TYPES[r["type"]], "place": lambda r: PLACE_TYPES[r["type"]],
              "event": lambda r: EVENT_TYPES[r["type"]], "statement": lambda r: STATEMENT_TYPES,
              "partnership": lambda r: PARTNERSHIP_TYPES, "article": lambda r: (SCHEMA.NewsArticle,)}
    triples = set()
    for iri in iris:
        split = minter.split(str(iri))
        if split is None or split[2] not in corpus.ids:
            continue
        kind, source, path = corpus.ids[split[2]]
        record = source.data
        for part in path[:-1]:
            record = record[part]
        for t in tables[kind](record):
            triples.add((iri, RDF.type, t))
    return triples
