"""What every mapper shares: the mapped corpus, literals, and the article mapper's way with facts.

    Mapped                         named graphs, and the record line of every subject
    ArticleMapper.fact(...)        one fact: asserted with its evidence, or made a claim of a statement
    ArticleMapper.part(...)        the IRI of a part of a thing (a participation, a tenure, a claim)

A fact in a record is a plain value or {value, evidence, inferred, claim, note}. Asserted, it becomes one
triple and, when it has evidence or an inference, one Web Annotation (evidence.py). With `claim`, the
triple is not asserted: the statement that makes the claim gets a dip:Claim node naming it (claims.py).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator, TypeVar

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from ..errors import IriError
from ..iris import MAX_SLUG, Minter, valid_slug
from ..sources.corpus import Article, Corpus, Record, Source, as_list, fact_parts
from ..sources.yamlfile import Path_
from ..vocab import PROV, RDF, SCHEMA, XSD
from . import evidence
from .evidence import Triples

LANG = "en"
T = TypeVar("T", bound=Node)


@dataclass
class Mapped:
    """The mapped corpus: named graphs, and where each subject's record is."""

    graphs: dict[URIRef, Triples] = field(default_factory=dict)
    articles: list[URIRef] = field(default_factory=list)
    origins: dict[Node, str] = field(default_factory=dict)

    def quads(self) -> Iterator[tuple[Node, Node, Node, URIRef]]:
        for name, graph in self.graphs.items():
            for s, p, o in graph:
                yield s, p, o, name

    def nquads(self) -> str:
        """The whole mapping as N-Quads text."""
        iris: dict[Node, str] = {}  # an IRI's form, written once: IRIs repeat (graph, predicates, classes, subjects)

        def nt(term: Node) -> str:
            if type(term) is not URIRef:
                return _nt(term)
            text = iris.get(term)
            if text is None:
                text = iris[term] = _nt(term)
            return text
        return "".join(f"{nt(s)} {nt(p)} {nt(o)} {nt(g)} .\n" for s, p, o, g in self.quads())

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


def count(value: str) -> Literal:
    return Literal(int(value), datatype=XSD.integer)


def add_types(g: Triples, node: URIRef, types: Iterable[URIRef]) -> None:
    for t in types:
        g.add((node, RDF.type, t))


def fragment(prefix: str, *ids: str) -> str:
    """A fragment naming a part by the ids it joins ("participation-sohail-mahmood-host"); a digest of
    them when the joined ids would be too long for an identifier."""
    joined = "-".join((prefix, *ids))
    if len(joined) <= MAX_SLUG and valid_slug(joined):
        return joined
    return f"{prefix}-{hashlib.sha1('|'.join(ids).encode('utf-8')).hexdigest()[:12]}"


class Mapper:
    def __init__(self, corpus: Corpus, minter: Minter, mapped: Mapped):
        self.corpus, self.minter, self.mapped = corpus, minter, mapped

    def iri(self, slug: str) -> URIRef:
        return self.minter.entity(self.corpus.kind(slug), slug)

    def origin(self, node: URIRef, source: Source, path: Path_) -> None:
        self.mapped.origins.setdefault(node, source.where(path))

    def record_of(self, slug: str) -> Record:
        """The record (register entry, event, statement, …) that defines an id."""
        _, source, path = self.corpus.ids[slug]
        found: Record = source.at(path[:2])
        return found

    def slug_of(self, node: URIRef) -> str:
        split = self.minter.split(str(node))
        if split is None:
            raise IriError(f"not an entity IRI under {self.minter.base}: {node}")
        return split[2]

    def name_of(self, node: Node) -> str:
        """What a node is called: its record's name (the id of a record without one); a literal's text."""
        if isinstance(node, Literal):
            return str(node)
        if not isinstance(node, URIRef) or self.minter.split(str(node)) is None:
            return str(node)
        slug = self.slug_of(node)
        name = self.record_of(slug).get("name")
        return name if isinstance(name, str) else slug


class ArticleMapper(Mapper):
    """The state of one article's mapping: its graph, what it mentions, and how a fact is added."""

    def __init__(self, corpus: Corpus, minter: Minter, mapped: Mapped, article: Article):
        super().__init__(corpus, minter, mapped)
        self.source, self.text = article.source, article.text
        self.record = article.record
        self.slug = article.slug
        self.node = self.minter.entity(article.kind, article.slug)
        self.g: Triples = set()
        self.mentioned: set[URIRef] = set()
        self.curation: URIRef | None = None
        #: which statement makes a claim: called with (statement id, subject, property, object, fact)
        self.claim: Callable[[str, URIRef, URIRef, Node, Record], None] = _no_claims

    @property
    def evidence_source(self) -> evidence.Source:
        return evidence.Source(self.node, self.text, self.curation)

    def fact(self, node: URIRef, prop: URIRef, raw: object, to_term: Callable[[str], T]) -> T | None:
        """Add one fact (plain or a mapping) and its evidence; return its object, or None when the fact
        is only a statement's claim (then not asserted)."""
        parts = fact_parts(raw)
        obj = to_term(parts["value"])
        if parts.get("claim"):
            self.claim(parts["claim"], node, prop, obj, parts)
            return None
        self.g.add((node, prop, obj))
        self.annotate(node, prop, obj, parts)
        return obj

    def facts(self, node: URIRef, prop: URIRef, raws: object, to_term: Callable[[str], T]) -> list[T]:
        """The asserted objects of a field that holds a list of facts (claims left out)."""
        return [obj for raw in as_list(raws) if (obj := self.fact(node, prop, raw, to_term)) is not None]

    def annotate(self, node: URIRef, prop: URIRef, obj: Node | None, parts: Record) -> BNode | None:
        """The annotation of a fact that has evidence or an inference (None for a plain value)."""
        if not (parts.get("evidence") or parts.get("inferred")):
            return None
        return evidence.add_evidence(self.g, self.evidence_source, node, prop, obj, parts.get("evidence"),
                                     parts.get("inferred"))

    def ref(self, slug: str) -> URIRef:
        """The IRI of an id the article names; it is listed among the article's schema:mentions."""
        node = self.iri(slug)
        self.mentioned.add(node)
        return node

    def derived(self, node: URIRef, path: Path_, types: Iterable[URIRef], name: str, mention: bool = True) -> None:
        """A node the article's record defines: its types, name and source; mentioned unless it is a
        part of another (a participation, a tenure, a claim: the text does not name those)."""
        self.origin(node, self.source, path)
        add_types(self.g, node, types)
        self.g.add((node, SCHEMA.name, text(name)))
        self.g.add((node, PROV.wasDerivedFrom, self.node))
        if mention:
            self.mentioned.add(node)

    def part(self, owner: URIRef, prefix: str, *ids: str) -> URIRef:
        """A part of the thing owner names (owner#prefix-ids), e.g. a participation of an event."""
        split = self.minter.split(str(owner))
        if split is None:
            raise IriError(f"not an entity IRI under {self.minter.base}: {owner}")
        return self.minter.part(split[1], split[2], fragment(prefix, *ids))


def _no_claims(statement: str, node: URIRef, prop: URIRef, obj: Node, parts: Record) -> None:
    raise RuntimeError(f"a claim of {statement!r} before the article mapper knows its statements")
