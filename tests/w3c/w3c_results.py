"""Query results as the W3C test rules compare them: read from any format, compared term by term.

    Answer                            a boolean, solutions (variables and rows) or a graph (triples)
    read_answer(data, media, base)    an Answer from bytes: SPARQL XML/JSON/CSV/TSV, an RDF graph,
                                      or a result set written in RDF (the rs: vocabulary)
    from_engine(result)               an Answer from pyoxigraph's own query result
    as_csv(answer), by_value(answer)  the answer as CSV says it; with numbers and booleans as values
    difference(expected, got, ordered) -> str | None   None when they are the same, else what differs

Terms are tuples: ("iri", v), ("bnode", label), ("literal", lexical form, datatype, language), ("triple",
s, p, o), and ("csv", text) for a CSV cell, which says no more. Solutions are compared as a bag (a list
in order when the query has ORDER BY), graphs as sets of triples, both up to a renaming of blank
nodes (isomorphism). Literals are compared as terms (`"01"^^xsd:integer` is not `"1"^^xsd:integer`),
language tags case-insensitively, a plain literal as an xsd:string.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass, field
from typing import Any
from decimal import Decimal

import pyoxigraph as ox
from rdflib import Graph, Namespace
from rdflib.term import BNode, Literal, Node, URIRef

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
RS = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/result-set#")
Term = tuple[Any, ...]  # ("iri", v) | ("bnode", label) | ("literal", v, datatype, lang) | ("triple", s, p, o) | ("csv", v)
Row = dict[str, Term]

RESULT_MEDIA = {"application/sparql-results+xml": ox.QueryResultsFormat.XML,
                "application/sparql-results+json": ox.QueryResultsFormat.JSON,
                "text/tab-separated-values": ox.QueryResultsFormat.TSV}
GRAPH_MEDIA = {"text/turtle": ox.RdfFormat.TURTLE, "application/n-triples": ox.RdfFormat.N_TRIPLES,
               "application/rdf+xml": ox.RdfFormat.RDF_XML, "application/ld+json": ox.RdfFormat.JSON_LD}
BY_EXTENSION = {"srx": "application/sparql-results+xml", "srj": "application/sparql-results+json",
                "tsv": "text/tab-separated-values", "csv": "text/csv", "ttl": "text/turtle",
                "nt": "application/n-triples", "rdf": "application/rdf+xml"}


@dataclass
class Answer:
    kind: str                                   # "boolean", "solutions" or "graph"
    boolean: bool | None = None
    variables: list[str] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)  # a graph's triples as rows {s, p, o}

    def __str__(self) -> str:
        if self.kind == "boolean":
            return str(self.boolean)
        shown = "\n  ".join(str(dict(sorted(r.items()))) for r in self.rows[:20])
        more = f"\n  ... {len(self.rows) - 20} more" if len(self.rows) > 20 else ""
        return f"{self.kind} {self.variables} ({len(self.rows)}):\n  {shown}{more}"


# -- terms -----------------------------------------------------------------------------------------
def ox_term(term: object) -> Term:
    if isinstance(term, ox.NamedNode):
        return ("iri", term.value)
    if isinstance(term, ox.BlankNode):
        return ("bnode", term.value)
    if isinstance(term, ox.Literal):
        language = (term.language or "").lower()
        return ("literal", term.value, LANG_STRING if language else term.datatype.value, language)
    if isinstance(term, ox.Triple):
        return ("triple", ox_term(term.subject), ox_term(term.predicate), ox_term(term.object))
    raise TypeError(f"not an RDF term: {term!r}")


def rdflib_term(term: Node) -> Term:
    if isinstance(term, URIRef):
        return ("iri", str(term))
    if isinstance(term, BNode):
        return ("bnode", str(term))
    if isinstance(term, Literal):
        language = (term.language or "").lower()
        datatype = LANG_STRING if language else str(term.datatype or XSD_STRING)
        return ("literal", str(term), datatype, language)
    raise TypeError(f"not an RDF term: {term!r}")


# -- reading ---------------------------------------------------------------------------------------
def read_answer(data: bytes, media: str, base: str) -> Answer:
    """The answer in `data`, a document of media type `media` (parameters ignored); relative IRIs
    against `base`."""
    media = media.split(";")[0].strip()
    if media in RESULT_MEDIA:
        return from_engine(ox.parse_query_results(data, RESULT_MEDIA[media]))
    if media == "text/csv":
        return _csv(data)
    if media == "text/turtle" and b"result-set#" in data:
        return _rdf_result_set(data, base)
    if media in GRAPH_MEDIA:
        triples = ox.parse(data, GRAPH_MEDIA[media], base_iri=base)
        return Answer("graph", variables=["s", "p", "o"], rows=[_triple_row(t) for t in triples])
    raise ValueError(f"no reader for {media}")


def _triple_row(triple: ox.Triple | ox.Quad) -> Row:
    return {"s": ox_term(triple.subject), "p": ox_term(triple.predicate), "o": ox_term(triple.object)}


def from_engine(result: object) -> Answer:
    """An Answer from pyoxigraph: QueryBoolean, QuerySolutions, QueryTriples (or parsed results)."""
    if isinstance(result, ox.QueryBoolean):
        return Answer("boolean", boolean=bool(result))
    if isinstance(result, ox.QuerySolutions):
        names = [v.value for v in result.variables]
        rows = [{n: ox_term(s[n]) for n in names if s[n] is not None} for s in result]
        return Answer("solutions", variables=names, rows=rows)
    if isinstance(result, ox.QueryTriples):
        return Answer("graph", variables=["s", "p", "o"], rows=[_triple_row(t) for t in result])
    raise TypeError(f"not a query result: {result!r}")


def as_csv(answer: Answer) -> Answer:
    """The solutions as CSV says them: the text of each term (a blank node stays one)."""
    def cell(term: Term) -> Term:
        return term if term[0] == "bnode" else ("csv", term[1])

    return Answer("solutions", variables=answer.variables,
                  rows=[{n: cell(t) for n, t in row.items()} for row in answer.rows])


def _csv(data: bytes) -> Answer:
    reader = csv.reader(io.StringIO(data.decode("utf-8"), newline=""))
    names = next(reader)
    rows = []
    for record in reader:
        rows.append({n: ("bnode", v[2:]) if v.startswith("_:") else ("csv", v)
                     for n, v in zip(names, record) if v != ""})
    return Answer("solutions", variables=names, rows=rows)


def _rdf_result_set(data: bytes, base: str) -> Answer:
    """A result set written in RDF (rs:ResultSet, rs:solution, rs:binding), as a few expected results are."""
    g = Graph().parse(data=data, format="turtle", publicID=base)
    result_set = next(g.subjects(predicate=None, object=RS.ResultSet))
    if (boolean := g.value(result_set, RS.boolean)) is not None:
        return Answer("boolean", boolean=bool(boolean.toPython()))
    names = sorted(str(v) for v in g.objects(result_set, RS.resultVariable))
    rows = []
    for solution in g.objects(result_set, RS.solution):
        rows.append({str(g.value(b, RS.variable)): rdflib_term(g.value(b, RS.value))
                     for b in g.objects(solution, RS.binding)})
    return Answer("solutions", variables=names, rows=rows)


# -- values ----------------------------------------------------------------------------------------
XSD = "http://www.w3.org/2001/XMLSchema#"
INTEGERS = {XSD + t for t in ("integer", "long", "int", "short", "byte", "nonNegativeInteger", "positiveInteger",
                              "nonPositiveInteger", "negativeInteger", "unsignedLong", "unsignedInt",
                              "unsignedShort", "unsignedByte")}
FLOATS = {XSD + "float", XSD + "double"}


def by_value(answer: Answer) -> Answer:
    """The answer with each number and boolean replaced by its value (an integer of any derived type as an
    xsd:integer), and a CSV cell that reads as a number by that number: what stays of an answer when only
    lexical forms are set aside."""
    return Answer(answer.kind, answer.boolean, answer.variables,
                  [{n: _value(t) for n, t in row.items()} for row in answer.rows])


def _value(term: Term) -> Term:
    kind, text = term[0], term[1]
    try:
        if kind == "csv":
            return ("number", float(text))
        if kind == "literal" and term[2] in INTEGERS | {XSD + "decimal"}:
            return ("number", Decimal(text.strip()).normalize(), "decimal")
        if kind == "literal" and term[2] in FLOATS:
            return ("number", float(text.strip().replace("INF", "inf")), term[2])
        if kind == "literal" and term[2] == XSD + "boolean":
            return ("boolean", text.strip() in ("true", "1"))
    except (ValueError, ArithmeticError):
        return term
    return term


# -- comparing -------------------------------------------------------------------------------------
def difference(expected: Answer, got: Answer, ordered: bool = False) -> str | None:
    """None when `got` is `expected` as the W3C rules compare them, else what differs."""
    if expected.kind != got.kind:
        return f"a {got.kind} answer where a {expected.kind} one was expected"
    if expected.kind == "boolean":
        return None if expected.boolean == got.boolean else f"{got.boolean} where {expected.boolean} was expected"
    if expected.kind == "solutions" and set(expected.variables) != set(got.variables):
        return f"variables {sorted(got.variables)} where {sorted(expected.variables)} were expected"
    rows = got.rows
    if expected.kind == "graph":  # a graph is a set: a writer may repeat a triple
        rows = [dict(r) for r in {tuple(sorted(r.items())) for r in rows}]
        want = [dict(r) for r in {tuple(sorted(r.items())) for r in expected.rows}]
        expected = Answer("graph", variables=expected.variables, rows=want)
    if len(rows) != len(expected.rows):
        return f"{len(rows)} rows where {len(expected.rows)} were expected"
    if not _match(expected.rows, rows, ordered):
        return "the rows differ" + (" (in order)" if ordered else "") + _unmatched(expected.rows, rows)
    return None


def _unmatched(expected: list[Row], got: list[Row]) -> str:
    """The rows of each side the other does not hold, blank nodes aside (for the message)."""
    want, have = Counter(_key(r) for r in expected), Counter(_key(r) for r in got)
    missing, extra = list((want - have).elements()), list((have - want).elements())
    if not missing and not extra:
        return ""
    return f"; expected, not got: {[dict(r) for r in missing[:10]]}; got, not expected: {[dict(r) for r in extra[:10]]}"


def _has_bnode(term: Term) -> bool:
    return term[0] == "bnode" or (term[0] == "triple" and any(_has_bnode(t) for t in term[1:]))


def _match(expected: list[Row], got: list[Row], ordered: bool) -> bool:
    """Whether one renaming of blank nodes makes `got` the same bag (or list) of rows as `expected`."""
    if not any(_has_bnode(t) for row in expected + got for t in row.values()):
        if ordered:
            return expected == got
        return Counter(_key(r) for r in expected) == Counter(_key(r) for r in got)
    order = sorted(range(len(expected)), key=lambda i: sum(_has_bnode(t) for t in expected[i].values()))
    if ordered:
        order = list(range(len(expected)))
    return _extend(expected, got, order, 0, {}, {}, set(), ordered)


def _key(row: Row) -> tuple[tuple[str, Term], ...]:
    return tuple(sorted(row.items()))


def _extend(expected: list[Row], got: list[Row], order: list[int], at: int, forward: dict[str, str],
            backward: dict[str, str], used: set[int], ordered: bool) -> bool:
    if at == len(order):
        return True
    row = expected[order[at]]
    candidates = [order[at]] if ordered else [j for j in range(len(got)) if j not in used]
    for j in candidates:
        pairs = _row_pairs(row, got[j])
        if pairs is None:
            continue
        f, b = dict(forward), dict(backward)
        if all(_bind(e, g, f, b) for e, g in pairs) and \
                _extend(expected, got, order, at + 1, f, b, used | {j}, ordered):
            return True
    return False


def _row_pairs(want: Row, have: Row) -> list[tuple[Term, Term]] | None:
    if want.keys() != have.keys():
        return None
    return [(want[k], have[k]) for k in want]


def _bind(want: Term, have: Term, forward: dict[str, str], backward: dict[str, str]) -> bool:
    """Whether the two terms are the same under the renaming, which this extends."""
    if want[0] != have[0]:
        return False
    if want[0] == "bnode":
        if forward.get(want[1], have[1]) != have[1] or backward.get(have[1], want[1]) != want[1]:
            return False
        forward[want[1]], backward[have[1]] = have[1], want[1]
        return True
    if want[0] == "triple":
        return all(_bind(w, h, forward, backward) for w, h in zip(want[1:], have[1:]))
    return want == have
