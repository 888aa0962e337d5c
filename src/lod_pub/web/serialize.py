"""Triples to bytes in every RDF format we serve: pyoxigraph's serializers, and our own compacted JSON-LD."""

from __future__ import annotations

from typing import Sequence

import pyoxigraph as ox

from ..formats import Format
from ..vocab import PREFIXES
from .jsonld import Compactor, dumps

OX_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES, "rdfxml": ox.RdfFormat.RDF_XML}


def used_prefixes(triples: Sequence[ox.Triple]) -> dict[str, str]:
    """Only the prefixes the triples use, so a small description does not open with sixteen lines."""
    seen = set()
    for t in triples:
        for term in (t.predicate, t.object, t.subject):
            if isinstance(term, ox.NamedNode):
                seen.add(term.value)
            elif isinstance(term, ox.Literal):
                seen.add(term.datatype.value)
    return {p: ns for p, ns in PREFIXES.items() if any(iri.startswith(ns) for iri in seen)}


def rdf(triples: Sequence[ox.Triple], fmt: Format, compactor: Compactor) -> bytes:
    if fmt.key == "jsonld":
        return dumps(compactor.document(triples))
    prefixes = used_prefixes(triples) if fmt.key != "ntriples" else None
    return ox.serialize(triples, format=OX_FORMATS[fmt.key], prefixes=prefixes)
