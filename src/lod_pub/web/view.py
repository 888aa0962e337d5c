"""From a description's triples to what a person reads: names, types, grouped properties, incoming
links, evidence, and an article's text with its evidence spans marked. Pure: no Flask, no store.

The templates get plain objects and print them through Jinja's autoescaping; nothing here builds HTML.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Callable, Iterable, TypedDict

import pyoxigraph as ox

from ..vocab import DCTERMS, DIP, OA, PROV, RDF, RDFS, SCHEMA, SEM, SKOS, curie
from .reading import Term, value_of

TYPE = str(RDF.type)
NAME = str(SCHEMA.name)
EVIDENCE = str(DIP.evidence)
HIDDEN = {TYPE, EVIDENCE, str(SCHEMA.articleBody)}
GROUPS: tuple[tuple[str, set[str]], ...] = (
    ("Names and description", {str(t) for t in (SCHEMA.name, SCHEMA.alternateName, SCHEMA.headline, SCHEMA.givenName,
                                                SCHEMA.familyName, SCHEMA.honorificPrefix, SCHEMA.jobTitle,
                                                SCHEMA.description, SCHEMA.caption, SKOS.prefLabel, RDFS.label,
                                                SCHEMA.text, DIP.reportingVerb)}),
    ("Dates", {str(t) for t in (SCHEMA.startDate, SCHEMA.endDate, SCHEMA.datePublished, SCHEMA.dateCreated,
                                SEM.hasEarliestBeginTimeStamp, SEM.hasLatestEndTimeStamp)}),
    ("Sources and identity", {str(t) for t in (PROV.wasDerivedFrom, SCHEMA.sameAs, SCHEMA.url, SCHEMA.inLanguage,
                                               SCHEMA.publisher, SCHEMA.dateline, SCHEMA.locationCreated)}),
)
LINKS_GROUP, OTHER_GROUP = "Related", "Other details"


@dataclass(frozen=True)
class Value:
    text: str
    href: str | None = None      # a link, when the value is a resource
    iri: str | None = None
    lang: str | None = None
    datatype: str | None = None  # a short name of the datatype, when not a plain string


@dataclass
class Row:
    prop: str
    label: str
    anchor: str
    values: list[Value] = field(default_factory=list)


@dataclass(frozen=True)
class Evidence:
    prop_label: str
    prop_anchor: str
    value: Value | None
    quote: str | None
    prefix: str
    suffix: str
    article: Value | None
    href: str | None             # the quote in the article's page
    inference: str | None


@dataclass(frozen=True)
class Fact:
    subject: Value
    prop_label: str
    href: str                    # the fact's row on its subject's page
    value: Value | None


@dataclass
class Span:
    start: int
    end: int
    quote: str
    facts: list[Fact] = field(default_factory=list)

    @property
    def id(self) -> str:
        return f"q-{self.start}-{self.end}"


@dataclass(frozen=True)
class Segment:
    text: str
    span: Span | None            # the innermost span covering it, if any
    starts: tuple[Span, ...]     # spans that start here (anchors)


@dataclass
class Section:
    """A part of the resource with an IRI of its own under the resource's (R#participation-…, R#claim-…,
    R#tenure-…): shown on R's page, at its fragment."""

    value: Value
    anchor: str
    types: list[Value]
    rows: list[Row]
    evidence: list[Evidence]


@dataclass
class Page:
    iri: str
    title: str
    types: list[Value]
    groups: list[tuple[str, list[Row]]]
    incoming: list[tuple[Row, list[Value]]]
    evidence: list[Evidence]
    parts: list[tuple[Value, list[Row]]]
    sections: list[Section] = field(default_factory=list)


class EvidenceRow(TypedDict):
    """One row of an article's evidence (web.resources.ARTICLE_EVIDENCE): a fact about `node`, quoted
    from the article's text between `start` and `end`."""

    node: Term
    prop: ox.NamedNode
    value: Term | None      # the fact's value, when the evidence names it
    start: ox.Literal
    end: ox.Literal


class Labeller:
    """Names and links of resources, labels of properties; given by the web layer."""

    def __init__(self, href: Callable[[str], str | None], label: Callable[[str], str], names: dict[str, str]):
        self.href, self.label, self.names = href, label, names

    def anchor(self, prop: str) -> str:
        return "p-" + curie(prop).replace(":", "-").replace("/", "-").replace("#", "-")

    def value(self, term: Term) -> Value:
        if isinstance(term, ox.NamedNode):
            return Value(self.names.get(term.value) or self.label(term.value), self.href(term.value), term.value)
        if isinstance(term, ox.BlankNode):
            return Value(f"_:{term.value}", f"#b-{term.value}")
        if isinstance(term, ox.Triple):
            raise TypeError(f"a triple term has no value to show: {term}")
        datatype = term.datatype.value
        short = None if datatype in (str(RDF.langString), "http://www.w3.org/2001/XMLSchema#string") \
            else curie(datatype)
        return Value(term.value, lang=term.language, datatype=short)


NAMING = {NAME: 0, str(DCTERMS.title): 1, str(SKOS.prefLabel): 2, str(RDFS.label): 3,
          "http://xmlns.com/foaf/0.1/name": 4}


def names_in(triples: Iterable[ox.Triple]) -> dict[str, str]:
    """The name of every named subject: schema:name, else dcterms:title, skos:prefLabel, rdfs:label,
    foaf:name; English first."""
    best: dict[str, tuple[int, bool]] = {}
    names: dict[str, str] = {}
    for t in triples:
        rank = NAMING.get(t.predicate.value)
        if rank is None or not isinstance(t.subject, ox.NamedNode) or not isinstance(t.object, ox.Literal):
            continue
        key = (rank, t.object.language != "en")
        if t.subject.value not in best or key < best[t.subject.value]:
            best[t.subject.value], names[t.subject.value] = key, t.object.value
    return names


def _rows(pairs: Iterable[tuple[str, Term]], lab: Labeller) -> list[Row]:
    rows: dict[str, Row] = {}
    for prop, obj in pairs:
        row = rows.setdefault(prop, Row(prop, lab.label(prop), lab.anchor(prop)))
        value = lab.value(obj)
        if value not in row.values:
            row.values.append(value)
    return sorted(rows.values(), key=lambda r: (r.prop != NAME, r.label))


def _group_of(prop: str, obj: Term) -> str:
    for name, props in GROUPS:
        if prop in props:
            return name
    return LINKS_GROUP if isinstance(obj, ox.NamedNode) else OTHER_GROUP


def _by_subject(triples: Iterable[ox.Triple]) -> dict[Term, list[ox.Triple]]:
    found: defaultdict[Term, list[ox.Triple]] = defaultdict(list)
    for t in triples:
        found[t.subject].append(t)
    return found


def _selector(parts: dict[Term, list[ox.Triple]], target: Term) -> dict[str, str]:
    """The values of the selectors of an annotation's target (oa:exact, oa:start, …)."""
    out: dict[str, str] = {}
    for t in parts.get(target, []):
        if t.predicate.value == str(OA.hasSelector):
            for s in parts.get(t.object, []):
                out[s.predicate.value] = value_of(s.object)
    return out


def _source(parts: dict[Term, list[ox.Triple]], target: Term | None) -> Term | None:
    """The article an annotation's target is in: the target itself when it is the article (a fact
    inferred without a quote), else the target's oa:hasSource."""
    if target is None or isinstance(target, ox.NamedNode):
        return target
    return next((t.object for t in parts.get(target, []) if t.predicate.value == str(OA.hasSource)), None)


def _evidence(subject: ox.NamedNode, own: list[ox.Triple], parts: dict[Term, list[ox.Triple]],
              lab: Labeller) -> list[Evidence]:
    found = []
    for t in own:
        if t.predicate.value != EVIDENCE:
            continue
        props = {p.predicate.value: p.object for p in parts.get(t.object, [])}
        target = props.get(str(OA.hasTarget))
        sel = _selector(parts, target) if target is not None else {}
        prop = props.get(str(DIP.supportsProperty))
        source = _source(parts, target)
        start, end = sel.get(str(OA.start)), sel.get(str(OA.end))
        article = lab.value(source) if source is not None else None
        href = f"{article.href}#q-{start}-{end}" if article and article.href and start is not None else None
        inference = props.get(str(DIP.inference))
        value = props.get(str(DIP.supportsValue))
        found.append(Evidence(
            lab.label(value_of(prop)) if prop else "", lab.anchor(value_of(prop)) if prop else "",
            lab.value(value) if value is not None else None, sel.get(str(OA.exact)),
            sel.get(str(OA.prefix), ""), sel.get(str(OA.suffix), ""), article, href,
            value_of(inference) if inference is not None else None))
    return sorted(found, key=lambda e: (e.prop_label, e.quote or ""))


def page(iri: str, triples: tuple[ox.Triple, ...], lab: Labeller) -> Page:
    subject = ox.NamedNode(iri)
    by_subject = _by_subject(triples)
    own = by_subject.get(subject, [])
    types = sorted((lab.value(t.object) for t in own if t.predicate.value == TYPE), key=lambda v: v.text)
    grouped: dict[str, list[tuple[str, Term]]] = defaultdict(list)
    for t in own:
        if t.predicate.value not in HIDDEN and not isinstance(t.object, ox.BlankNode):
            grouped[_group_of(t.predicate.value, t.object)].append((t.predicate.value, t.object))
    order = [name for name, _ in GROUPS] + [LINKS_GROUP, OTHER_GROUP]
    groups = [(name, _rows(grouped[name], lab)) for name in order if grouped.get(name)]
    incoming: defaultdict[str, list[Value]] = defaultdict(list)
    for t in triples:
        if t.object == subject and isinstance(t.subject, ox.NamedNode):
            incoming[t.predicate.value].append(lab.value(t.subject))
    inc = [(Row(p, lab.label(p), lab.anchor(p)), sorted(set(v), key=lambda x: x.text))
           for p, v in sorted(incoming.items(), key=lambda kv: lab.label(kv[0]))]
    parts = [(lab.value(t.object), _rows(((p.predicate.value, p.object) for p in by_subject.get(t.object, [])), lab))
             for t in own if isinstance(t.object, ox.BlankNode) and t.predicate.value != EVIDENCE]
    title = lab.names.get(iri) or lab.label(iri)
    return Page(iri, title, types, groups, inc, _evidence(subject, own, by_subject, lab), parts,
                _sections(iri, by_subject, lab))


def _sections(iri: str, by_subject: dict[Term, list[ox.Triple]], lab: Labeller) -> list[Section]:
    """The parts of iri with IRIs of their own (iri#…) among the described subjects, by name."""
    found = []
    for node, own in by_subject.items():
        if not isinstance(node, ox.NamedNode) or not node.value.startswith(iri + "#"):
            continue
        types = sorted((lab.value(t.object) for t in own if t.predicate.value == TYPE), key=lambda v: v.text)
        rows = _rows(((t.predicate.value, t.object) for t in own if t.predicate.value not in HIDDEN
                      and not isinstance(t.object, ox.BlankNode)), lab)
        found.append(Section(lab.value(node), node.value[len(iri) + 1:], types, rows,
                             _evidence(node, own, by_subject, lab)))
    return sorted(found, key=lambda s: (s.value.text.lower(), s.anchor))


def segments(text: str, spans: list[Span]) -> list[Segment]:
    """The text cut at every span boundary; each piece knows the innermost span that covers it."""
    spans = [s for s in spans if 0 <= s.start < s.end <= len(text)]
    cuts = sorted({0, len(text), *(s.start for s in spans), *(s.end for s in spans)})
    out: list[Segment] = []
    for a, b in pairwise(cuts):
        covering = [s for s in spans if s.start <= a and s.end >= b]
        inner = min(covering, key=lambda s: (s.end - s.start, s.start)) if covering else None
        starts = tuple(s for s in spans if s.start == a)
        out.append(Segment(text[a:b], inner, starts))
    return out


def article_spans(text: str, rows: Iterable[EvidenceRow], lab: Labeller) -> list[Span]:
    """Spans of an article's text, from rows of (node, prop, value, start, end), each with its facts."""
    spans: dict[tuple[int, int], Span] = {}
    for row in rows:
        start, end = int(row["start"].value), int(row["end"].value)
        span = spans.setdefault((start, end), Span(start, end, text[start:end]))
        subject = lab.value(row["node"])
        value = row["value"]
        href = subject.href or ""  # a part (R#claim-…) is linked to its own section of R's page
        fact = Fact(subject, lab.label(row["prop"].value),
                    href if "#" in href else f"{href}#{lab.anchor(row['prop'].value)}",
                    lab.value(value) if value is not None else None)
        if fact not in span.facts:
            span.facts.append(fact)
    return sorted(spans.values(), key=lambda s: (s.start, s.end))

