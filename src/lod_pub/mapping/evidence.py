"""Evidence: pin a fact to the words of the article with Web Annotation selectors.

    <node> dip:evidence [ a oa:SpecificResource ; oa:hasSource <article> ;
                          dip:supportsProperty <p> ; dip:supportsValue <o> ;
                          oa:hasSelector [ a oa:TextQuoteSelector ; oa:exact ; oa:prefix ; oa:suffix ],
                                         [ a oa:TextPositionSelector ; oa:start ; oa:end ] ]

Blank nodes: evidence has no identity of its own outside the node it supports. The selectors of one
quote are shared by every fact that quote supports, so a sentence cited five times costs its seven
selector triples once.
"""

from __future__ import annotations

import hashlib

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from ..vocab import DIP, OA, RDF, XSD

CONTEXT = 32  # characters of prefix and suffix, enough to disambiguate a repeated quote
#: Web Annotation gives oa:start/oa:end the range xsd:nonNegativeInteger, but Oxigraph stores every
#: integer type as xsd:integer, so the store would no longer equal the dumps. xsd:integer it is.
OFFSET = XSD.integer


def _bnode(*parts: object) -> BNode:
    """A blank node whose label depends only on what it describes, so rebuilds give the same dumps."""
    digest = hashlib.sha1("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()[:20]
    return BNode(f"e{digest}")


def add_evidence(g: set, node: URIRef, prop: URIRef, value: Node | None, article: URIRef, text: str,
                 quote: str | None, inferred: str | None) -> BNode:
    """Add the evidence of one fact (node, prop, value) to the triple set g."""
    ev = _bnode(article, node, prop, value, quote, inferred)  # per article: blank nodes never span graphs
    g.add((node, DIP.evidence, ev))
    g.add((ev, RDF.type, OA.SpecificResource))
    g.add((ev, OA.hasSource, article))
    g.add((ev, DIP.supportsProperty, prop))
    if value is not None:
        g.add((ev, DIP.supportsValue, value))
    if inferred:
        g.add((ev, DIP.inference, Literal(inferred, lang="en")))
    if quote:
        quote_sel, pos_sel = _bnode(article, quote, "quote"), _bnode(article, quote, "position")
        g.add((ev, OA.hasSelector, quote_sel))
        g.add((ev, OA.hasSelector, pos_sel))
        if (quote_sel, RDF.type, OA.TextQuoteSelector) not in g:
            _selectors(g, quote_sel, pos_sel, text, quote)
    return ev


def _selectors(g: set, quote_sel: BNode, pos_sel: BNode, text: str, quote: str) -> None:
    start = text.find(quote)
    end = start + len(quote)
    g.add((quote_sel, RDF.type, OA.TextQuoteSelector))
    g.add((quote_sel, OA.exact, Literal(quote)))
    g.add((quote_sel, OA.prefix, Literal(text[max(0, start - CONTEXT):start])))
    g.add((quote_sel, OA.suffix, Literal(text[end:end + CONTEXT])))
    g.add((pos_sel, RDF.type, OA.TextPositionSelector))
    g.add((pos_sel, OA.start, Literal(start, datatype=OFFSET)))
    g.add((pos_sel, OA.end, Literal(end, datatype=OFFSET)))
