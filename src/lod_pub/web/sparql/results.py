"""Result formats of the SPARQL endpoint, and row-by-row writers for SELECT results.

    RESULT_FORMATS   SELECT and ASK: SPARQL JSON, XML, CSV, TSV (lod_pub.formats)
    GRAPH_FORMATS    CONSTRUCT and DESCRIBE: Turtle, JSON-LD, N-Triples, RDF/XML (lod_pub.formats)
    NATIVE_RESULTS, NATIVE_GRAPH   key -> Oxigraph's writer of the format (Format.oxigraph)
    by_name(name, offers) -> Format | None      the `format` parameter: a key, a name or a media type
    write_solutions(solutions, key, out, cap, byte_cap) -> (rows, truncated)
    representable(triples, key) -> triples      raises FormatError for what the format cannot carry

SELECT results are written here in Python, one row at a time, so that the row cap can cut them
(pyoxigraph's own writers take the whole iterator), and stopped before the row that would take the
answer past `byte_cap` bytes. ASK results and graphs go through pyoxigraph's writers (a graph through
a capped generator). Every writer writes bytes in batches of at most BATCH rows or BATCH_BYTES
bytes to `out`.
"""

from __future__ import annotations

import json
import re
from typing import Callable, Iterable, Iterator, NotRequired, Protocol, TypedDict
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from ...formats import HTML, RDF_FORMATS, RESULT_FORMATS, Format
from ..reading import Term

__all__ = ["RESULT_FORMATS", "GRAPH_FORMATS", "NATIVE_RESULTS", "NATIVE_GRAPH", "FormatError", "by_name",
           "write_solutions", "representable"]

GRAPH_FORMATS: tuple[Format, ...] = RDF_FORMATS
NATIVE_RESULTS: dict[str, ox.QueryResultsFormat] = {f.key: f.results_format for f in RESULT_FORMATS}
NATIVE_GRAPH: dict[str, ox.RdfFormat] = {f.key: f.rdf_format for f in GRAPH_FORMATS}
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
BATCH = 512
BATCH_BYTES = 1 << 16
#: Characters XML 1.0 cannot carry at all, not even as character references.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
#: The end of an IRI that RDF/XML can write as an element name (an NCName, ASCII letters or beyond).
NCNAME_TAIL = re.compile(r"[^\W\d][\w.\-]*$")


class FormatError(ValueError):
    """The answer holds something the chosen format cannot carry; another format can."""


class Sink(Protocol):
    """Where a writer puts its bytes: a binary file, or the worker's Spill."""

    def write(self, data: bytes, /) -> int: ...


#: A term in SPARQL 1.1 Query Results JSON (§3.2.2), a triple term as SPARQL 1.2 writes it.
JsonTerm = TypedDict("JsonTerm", {"type": str, "value": "str | JsonTriple", "xml:lang": NotRequired[str],
                                  "datatype": NotRequired[str]})


class JsonTriple(TypedDict):
    subject: JsonTerm
    predicate: JsonTerm
    object: JsonTerm


#: A writer of one result format: (head, one row's text, separator between rows, tail).
RowWriter = tuple[bytes, Callable[[ox.QuerySolution], str], bytes, bytes]


def by_name(name: str, offers: tuple[Format, ...]) -> Format | None:
    """The offer named by a `format` parameter: its key (json, turtle, ...), one of its names (Format.names:
    SPARQLWrapper sends format=xml for RDF/XML, json for JSON-LD), or a media type. A key wins over a
    name, so `json` is SPARQL JSON among result formats and JSON-LD among graph formats. A space inside
    is a `+` sent raw, which form decoding reads as a space (`application/sparql-results+json`, `rdf+xml`)."""
    wanted = name.strip().lower().split(";")[0].strip().replace(" ", "+")
    if all(wanted != offer.key for offer in offers):
        wanted = next((offer.key for offer in offers if wanted in offer.names), wanted)
    for offer in (*offers, HTML):
        if wanted == offer.key or wanted == offer.media_type or wanted in offer.aliases:
            return offer if offer in offers else None
    return None


# -- SPARQL 1.1 Query Results JSON -----------------------------------------------------------------
def _json_term(term: Term) -> JsonTerm:
    if type(term) is ox.NamedNode:
        return {"type": "uri", "value": term.value}
    if type(term) is ox.Literal:
        if term.language:
            return {"type": "literal", "value": term.value, "xml:lang": term.language}
        datatype = term.datatype.value
        if datatype == XSD_STRING:
            return {"type": "literal", "value": term.value}
        return {"type": "literal", "value": term.value, "datatype": datatype}
    if type(term) is ox.BlankNode:
        return {"type": "bnode", "value": term.value}
    return {"type": "triple", "value": {"subject": _json_term(term.subject),
                                        "predicate": _json_term(term.predicate),
                                        "object": _json_term(term.object)}}


def _json(names: list[str]) -> RowWriter:
    head = '{"head":{"vars":%s},"results":{"bindings":[' % json.dumps(names)
    keys = [json.dumps(n) for n in names]
    dumps = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode

    def row(solution: ox.QuerySolution) -> str:
        return "{" + ",".join(f"{k}:{dumps(_json_term(t))}" for k, t in zip(keys, solution) if t is not None) + "}"

    return head.encode(), row, b",", b"]}}"


# -- SPARQL Query Results XML ----------------------------------------------------------------------
def _xml_text(value: str) -> str:
    if NOT_XML.search(value):
        raise FormatError("the answer holds a control character, which XML 1.0 cannot carry; "
                          "ask for SPARQL JSON, CSV or TSV instead")
    return escape(value)


def _xml_term(term: Term) -> str:
    if type(term) is ox.NamedNode:
        return f"<uri>{_xml_text(term.value)}</uri>"
    if type(term) is ox.Literal:
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{_xml_text(term.value)}</literal>"
        if term.datatype.value == XSD_STRING:
            return f"<literal>{_xml_text(term.value)}</literal>"
        return f"<literal datatype={quoteattr(term.datatype.value)}>{_xml_text(term.value)}</literal>"
    if type(term) is ox.BlankNode:
        return f"<bnode>{_xml_text(term.value)}</bnode>"
    return (f"<triple><subject>{_xml_term(term.subject)}</subject><predicate>{_xml_term(term.predicate)}"
            f"</predicate><object>{_xml_term(term.object)}</object></triple>")


def _xml(names: list[str]) -> RowWriter:
    head = ('<?xml version="1.0" encoding="UTF-8"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
            "<head>" + "".join(f"<variable name={quoteattr(n)}/>" for n in names) + "</head><results>")
    attrs = [quoteattr(n) for n in names]

    def row(solution: ox.QuerySolution) -> str:
        return "<result>" + "".join(f"<binding name={a}>{_xml_term(t)}</binding>"
                                    for a, t in zip(attrs, solution) if t is not None) + "</result>"

    return head.encode(), row, b"", b"</results></sparql>\n"


# -- SPARQL 1.1 Query Results CSV and TSV ----------------------------------------------------------
def _csv_field(term: Term | None) -> str:
    if term is None:
        return ""
    if type(term) is ox.BlankNode:
        value = f"_:{term.value}"
    elif type(term) is ox.Triple:
        value = str(term)
    else:
        value = term.value
    if any(c in value for c in ',"\r\n'):
        return '"' + value.replace('"', '""') + '"'
    return value


def _csv(names: list[str]) -> RowWriter:
    def row(solution: ox.QuerySolution) -> str:
        return ",".join(_csv_field(t) for t in solution) + "\r\n"

    return (",".join(names) + "\r\n").encode(), row, b"", b""


def _tsv_field(term: Term | None) -> str:
    if term is None:
        return ""
    return str(term).replace("\t", "\\t")  # N-Triples syntax; a tab inside a literal is escaped


def _tsv(names: list[str]) -> RowWriter:
    def row(solution: ox.QuerySolution) -> str:
        return "\t".join(_tsv_field(t) for t in solution) + "\n"

    return ("\t".join(f"?{n}" for n in names) + "\n").encode(), row, b"", b""


def representable(triples: Iterable[ox.Triple], key: str) -> Iterator[ox.Triple]:
    """The triples, checked on the way for what RDF/XML and JSON-LD cannot write."""
    check = {"rdfxml": _xml_writable, "jsonld": _jsonld_writable}.get(key)
    for triple in triples:
        if check is not None:
            check(triple)
        yield triple


def _xml_writable(triple: ox.Triple) -> None:
    if not NCNAME_TAIL.search(triple.predicate.value):
        raise FormatError(f"RDF/XML cannot write the predicate <{triple.predicate.value}> (its IRI does not end "
                          "in a name an XML element can have); ask for Turtle, N-Triples or JSON-LD instead")
    for term in (triple.subject, triple.object):
        if type(term) is ox.Triple:
            _xml_writable(term)
        elif NOT_XML.search(term.value):
            raise FormatError("the answer holds a control character, which XML 1.0 cannot carry; "
                              "ask for Turtle, N-Triples or JSON-LD instead")


def _jsonld_writable(triple: ox.Triple) -> None:
    if type(triple.subject) is ox.Triple or type(triple.object) is ox.Triple:
        raise FormatError("the answer holds a triple term, which JSON-LD 1.1 cannot carry; "
                          "ask for Turtle or N-Triples instead")


WRITERS = {"json": _json, "xml": _xml, "csv": _csv, "tsv": _tsv}


def write_solutions(solutions: ox.QuerySolutions, key: str, out: Sink, cap: int,
                    byte_cap: int | None = None) -> tuple[int, bool]:
    """Write at most `cap` rows and `byte_cap` bytes of a SELECT result, always a whole document;
    return (rows written, whether rows were left out)."""
    names = [v.value for v in solutions.variables]
    head, row, separator, tail = WRITERS[key](names)
    out.write(head)
    budget = (byte_cap if byte_cap is not None else 1 << 62) - len(head) - len(tail)
    rows, truncated, size = 0, False, 0
    batch: list[bytes] = []
    for solution in solutions:
        data = row(solution).encode("utf-8")
        cost = len(data) + (len(separator) if rows else 0)
        if rows >= cap or cost > budget:
            truncated = True
            break
        budget -= cost
        batch.append(data)
        size += len(data)
        rows += 1
        if len(batch) >= BATCH or size >= BATCH_BYTES:
            _flush(out, batch, separator, rows > len(batch))
            batch, size = [], 0
    _flush(out, batch, separator, rows > len(batch))
    out.write(tail)
    return rows, truncated


def _flush(out: Sink, batch: list[bytes], separator: bytes, after_earlier: bool) -> None:
    if not batch:
        return
    data = separator.join(batch)
    out.write(separator + data if after_earlier and separator else data)
