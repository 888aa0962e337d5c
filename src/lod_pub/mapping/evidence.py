"""Evidence: pin a fact to the words of the article with a whole Web Annotation.

    <node> dip:evidence _:a .
    _:a a oa:Annotation ; oa:motivatedBy dip:evidencing ; oa:hasBody <node> ;
        dip:supportsProperty <p> ; dip:supportsValue <o> ;          # which fact of <node>
        dip:inference "why"@en ;                                    # an inferred value only
        prov:wasGeneratedBy <article#curation> ;                    # who recorded it, and when
        oa:hasTarget _:t .                                          # the article itself when there is no quote
    _:t a oa:SpecificResource ; oa:hasSource <article> ;
        oa:hasSelector [ a oa:TextQuoteSelector ; oa:exact ; oa:prefix ; oa:suffix ],
                       [ a oa:TextPositionSelector ; oa:start ; oa:end ] .

Blank nodes: evidence has no identity of its own outside the node it supports. The target and
selectors of one quote are shared by every fact that quote supports, so a sentence cited five times
costs its target and selector triples once. Labels are digests of what a node describes, so one
mapping gives the same labels every time (the dumps relabel them canonically in any case).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from ..vocab import DIP, OA, PROV, RDF, XSD

Triples = set[tuple[Node, Node, Node]]

CONTEXT = 32  # characters of prefix and suffix, enough to disambiguate a repeated quote
#: Web Annotation gives oa:start/oa:end the range xsd:nonNegativeInteger, but Oxigraph stores every
#: integer type as xsd:integer, so the store would no longer equal the dumps. xsd:integer it is.
OFFSET = XSD.integer


def bnode(*parts: object) -> BNode:
    """A blank node whose label depends only on what it describes, so rebuilds give the same dumps."""
    digest = hashlib.sha1("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()[:20]
    return BNode(f"e{digest}")


@dataclass(frozen=True)
class Source:
    """The article the evidence is taken from: its IRI, its text, and the curation that recorded it."""

    article: URIRef
    text: str
    curation: URIRef | None = None


def add_evidence(g: Triples, source: Source, node: URIRef, prop: URIRef, value: Node | None,
                 quote: str | None, inferred: str | None) -> BNode:
    """Add the annotation of one fact (node, prop, value) to the triple set g; return it."""
    a = bnode(source.article, node, prop, value, quote, inferred)  # per article: blank nodes never span graphs
    g.add((node, DIP.evidence, a))
    g.add((a, RDF.type, OA.Annotation))
    g.add((a, OA.motivatedBy, DIP.evidencing))
    g.add((a, OA.hasBody, node))
    g.add((a, DIP.supportsProperty, prop))
    if value is not None:
        g.add((a, DIP.supportsValue, value))
    if inferred:
        g.add((a, DIP.inference, Literal(inferred, lang="en")))
    if source.curation is not None:
        g.add((a, PROV.wasGeneratedBy, source.curation))
    g.add((a, OA.hasTarget, _target(g, source, quote) if quote else source.article))
    return a


def _target(g: Triples, source: Source, quote: str) -> BNode:
    """The passage of the article a quote selects (made once per quote)."""
    target = bnode(source.article, quote, "target")
    if (target, RDF.type, OA.SpecificResource) in g:
        return target
    quote_sel, pos_sel = bnode(source.article, quote, "quote"), bnode(source.article, quote, "position")
    g.add((target, RDF.type, OA.SpecificResource))
    g.add((target, OA.hasSource, source.article))
    g.add((target, OA.hasSelector, quote_sel))
    g.add((target, OA.hasSelector, pos_sel))
    start = source.text.find(quote)
    end = start + len(quote)
    g.add((quote_sel, RDF.type, OA.TextQuoteSelector))
    g.add((quote_sel, OA.exact, Literal(quote)))
    g.add((quote_sel, OA.prefix, Literal(source.text[max(0, start - CONTEXT):start])))
    g.add((quote_sel, OA.suffix, Literal(source.text[end:end + CONTEXT])))
    g.add((pos_sel, RDF.type, OA.TextPositionSelector))
    g.add((pos_sel, OA.start, Literal(start, datatype=OFFSET)))
    g.add((pos_sel, OA.end, Literal(end, datatype=OFFSET)))
    return target
