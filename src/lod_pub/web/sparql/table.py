"""Results as an HTML table: IRIs shown as prefixed names (vocab.curie) and linked to their pages."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pyoxigraph as ox

from ...formats import NTRIPLES
from ...iris import site_path
from ...vocab import curie
from ..reading import Term
from .results import JsonTerm


#: The most characters of one value a results page shows; the download has it whole.
CELL_CHARS = 2000


@dataclass(frozen=True)
class Cell:
    text: str
    href: str | None = None
    note: str = ""          # language tag or datatype, shown small


@dataclass(frozen=True)
class Table:
    columns: list[str]
    rows: list[list[Cell | None]]
    boolean: bool | None = None


def link(iri: str, base: str) -> str | None:
    """Where a table links an IRI: this site's own page for IRIs under the base (iris.site_path: never a
    `//` link to another host), else the IRI if web."""
    path = site_path(iri, base)
    if path is not None:
        return path
    if iri.startswith(("http://", "https://")):
        return iri
    return None  # never link javascript:, data:, file: and the like


def _cut(text: str) -> tuple[str, str]:
    """The text as shown, and a note when it was cut."""
    if len(text) <= CELL_CHARS:
        return text, ""
    return text[:CELL_CHARS] + "…", f"({len(text):,} characters; the download holds them all)"


def _literal(value: str, note: str) -> Cell:
    shown, cut = _cut(value)
    return Cell(shown, None, f"{note} {cut}".strip())


def _json_cell(term: JsonTerm, base: str) -> Cell:
    kind, value = term["type"], term["value"]
    if kind == "triple" or not isinstance(value, str):  # a triple term's value is its three terms
        return _literal(json.dumps(value), "")
    if kind == "uri":
        return Cell(_cut(curie(value))[0], link(value, base))
    if kind == "bnode":
        return Cell(f"_:{value}")
    note = f"@{term['xml:lang']}" if "xml:lang" in term else curie(term["datatype"]) if "datatype" in term else ""
    return _literal(value, note)


def _ox_cell(term: Term, base: str) -> Cell:
    if isinstance(term, ox.NamedNode):
        return Cell(_cut(curie(term.value))[0], link(term.value, base))
    if isinstance(term, ox.Literal):
        return _literal(term.value, f"@{term.language}" if term.language else curie(term.datatype.value))
    return _literal(str(term), "")


def read_table(data: bytes, is_graph: bool, base: str) -> Table:
    """The table of a result the worker wrote as N-Triples (graphs) or SPARQL JSON (the rest)."""
    rows: list[list[Cell | None]]
    if is_graph:
        rows = [[_ox_cell(q.subject, base), _ox_cell(q.predicate, base), _ox_cell(q.object, base)]
                for q in ox.parse(data, format=NTRIPLES.rdf_format)]
        return Table(["subject", "predicate", "object"], rows)
    answer = json.loads(data)
    if "boolean" in answer:
        return Table([], [], bool(answer["boolean"]))
    names = answer["head"]["vars"]
    rows = [[_json_cell(b[n], base) if n in b else None for n in names] for b in answer["results"]["bindings"]]
    return Table(names, rows)
