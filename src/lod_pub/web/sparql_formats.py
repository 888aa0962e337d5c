"""Result formats of the SPARQL endpoint: the table, and row-by-row writers for SELECT results.

    RESULT_FORMATS   SELECT and ASK: SPARQL JSON, XML, CSV, TSV
    GRAPH_FORMATS    CONSTRUCT and DESCRIBE: Turtle, JSON-LD, N-Triples, RDF/XML (lod_pub.formats)
    by_name(name, offers) -> Format | None      the `format` parameter: a key or a media type
    write_solutions(solutions, key, out, cap) -> (rows, truncated)

SELECT results are written here in Python, one row at a time, so that the row cap can cut them
(pyoxigraph's own writers take the whole iterator). ASK results and graphs go through pyoxigraph's
writers (a graph through a capped generator). Every writer writes bytes in batches to `out`.
"""

from __future__ import annotations

import json
from typing import BinaryIO, Callable
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from ..formats import HTML, RDF_FORMATS, Format

RESULT_FORMATS: tuple[Format, ...] = (
    Format("json", "application/sparql-results+json", "srj", None, ("application/json",)),
    Format("xml", "application/sparql-results+xml", "srx", None, ("application/xml", "text/xml")),
    Format("csv", "text/csv", "csv", None),
    Format("tsv", "text/tab-separated-values", "tsv", None),
)
GRAPH_FORMATS: tuple[Format, ...] = RDF_FORMATS
NATIVE_RESULTS = {
    "json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV,
}
NATIVE_GRAPH = {
    "turtle": ox.RdfFormat.TURTLE, "jsonld": ox.RdfFormat.JSON_LD,
    "ntriples": ox.RdfFormat.N_TRIPLES, "rdfxml": ox.RdfFormat.RDF_XML,
}
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
BATCH = 512


#: Names other endpoints and clients use in `format` (SPARQLWrapper sends format=xml for RDF/XML, json for
#: JSON-LD): each is read by the kind of query it comes with.
ALIASES = {"xml": "rdfxml", "rdf": "rdfxml", "json": "jsonld", "json-ld": "jsonld", "ttl": "turtle",
           "n3": "turtle", "nt": "ntriples", "n-triples": "ntriples", "srj": "json", "srx": "xml"}


def by_name(name: str, offers: tuple[Format, ...]) -> Format | None:
    """The offer named by a `format` parameter: its key (json, turtle, ...), an alias, or a media type."""
    wanted = name.strip().lower().split(";")[0].strip()
    keys = {offer.key for offer in offers}
    if wanted not in keys and ALIASES.get(wanted) in keys:
        wanted = ALIASES[wanted]
    for offer in (*offers, HTML):
        if wanted == offer.key or wanted == offer.media_type or wanted in offer.aliases:
            return offer if offer in offers else None
    return None


# -- SPARQL 1.1 Query Results JSON -----------------------------------------------------------------
def _json_term(term) -> dict:
    kind = type(term)
    if kind is ox.NamedNode:
        return {"type": "uri", "value": term.value}
    if kind is ox.Literal:
        if term.language:
            return {"type": "literal", "value": term.value, "xml:lang": term.language}
        datatype = term.datatype.value
        if datatype == XSD_STRING:
            return {"type": "literal", "value": term.value}
        return {"type": "literal", "value": term.value, "datatype": datatype}
    if kind is ox.BlankNode:
        return {"type": "bnode", "value": term.value}
    return {"type": "triple", "value": {"subject": _json_term(term.subject),
                                        "predicate": _json_term(term.predicate),
                                        "object": _json_term(term.object)}}


def _json(names: list[str]) -> tuple[bytes, Callable, bytes, bytes]:
    head = '{"head":{"vars":%s},"results":{"bindings":[' % json.dumps(names)
    keys = [json.dumps(n) for n in names]
    dumps = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode

    def row(solution) -> str:
        return "{" + ",".join(f"{k}:{dumps(_json_term(t))}" for k, t in zip(keys, solution) if t is not None) + "}"

    return head.encode(), row, b",", b"]}}"


# -- SPARQL Query Results XML ----------------------------------------------------------------------
def _xml_term(term) -> str:
    kind = type(term)
    if kind is ox.NamedNode:
        return f"<uri>{escape(term.value)}</uri>"
    if kind is ox.Literal:
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value == XSD_STRING:
            return f"<literal>{escape(term.value)}</literal>"
        return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
    if kind is ox.BlankNode:
        return f"<bnode>{escape(term.value)}</bnode>"
    return (f"<triple><subject>{_xml_term(term.subject)}</subject><predicate>{_xml_term(term.predicate)}"
            f"</predicate><object>{_xml_term(term.object)}</object></triple>")


def _xml(names: list[str]) -> tuple[bytes, Callable, bytes, bytes]:
    head = ('<?xml version="1.0" encoding="UTF-8"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
            "<head>" + "".join(f"<variable name={quoteattr(n)}/>" for n in names) + "</head><results>")
    attrs = [quoteattr(n) for n in names]

    def row(solution) -> str:
        return "<result>" + "".join(f"<binding name={a}>{_xml_term(t)}</binding>"
                                    for a, t in zip(attrs, solution) if t is not None) + "</result>"

    return head.encode(), row, b"", b"</results></sparql>\n"


# -- SPARQL 1.1 Query Results CSV and TSV ----------------------------------------------------------
def _csv_field(term) -> str:
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


def _csv(names: list[str]) -> tuple[bytes, Callable, bytes, bytes]:
    def row(solution) -> str:
        return ",".join(_csv_field(t) for t in solution) + "\r\n"

    return (",".join(names) + "\r\n").encode(), row, b"", b""


def _tsv_field(term) -> str:
    if term is None:
        return ""
    return str(term).replace("\t", "\\t")  # N-Triples syntax; a tab inside a literal is escaped


def _tsv(names: list[str]) -> tuple[bytes, Callable, bytes, bytes]:
    def row(solution) -> str:
        return "\t".join(_tsv_field(t) for t in solution) + "\n"

    return ("\t".join(f"?{n}" for n in names) + "\n").encode(), row, b"", b""


WRITERS = {"json": _json, "xml": _xml, "csv": _csv, "tsv": _tsv}


def write_solutions(solutions: ox.QuerySolutions, key: str, out: BinaryIO, cap: int) -> tuple[int, bool]:
    """Write at most `cap` rows of a SELECT result; return (rows written, whether rows were left out)."""
    names = [v.value for v in solutions.variables]
    head, row, separator, tail = WRITERS[key](names)
    out.write(head)
    rows, truncated, batch = 0, False, []
    for solution in solutions:
        if rows >= cap:
            truncated = True
            break
        batch.append(row(solution))
        rows += 1
        if len(batch) >= BATCH:
            _flush(out, batch, separator, rows > len(batch))
            batch = []
    _flush(out, batch, separator, rows > len(batch))
    out.write(tail)
    return rows, truncated


def _flush(out: BinaryIO, batch: list[str], separator: bytes, after_earlier: bool) -> None:
    if not batch:
        return
    text = separator.decode().join(batch).encode("utf-8")
    out.write(separator + text if after_earlier and separator else text)

