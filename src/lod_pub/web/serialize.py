"""Triples to bytes in every RDF format we serve: pyoxigraph's writers (Format.oxigraph), and our own
compacted JSON-LD (lod_pub.jsonld)."""

from __future__ import annotations

from typing import Sequence, cast

import pyoxigraph as ox

from ..formats import JSONLD, NTRIPLES, Format
from ..jsonld import Compactor
from ..vocab import PREFIXES
from .jsonld import dumps

BY_NAMESPACE = {ns: prefix for prefix, ns in PREFIXES.items()}  # every namespace ends with '/' or '#'


def _namespace(iri: str) -> str:
    return iri[:max(iri.rfind("#"), iri.rfind("/")) + 1]


def used_prefixes(triples: Sequence[ox.Triple]) -> dict[str, str]:
    """Only the prefixes the triples use, so a small description does not open with sixteen lines."""
    seen: set[str] = set()
    for t in triples:
        seen.add(_namespace(t.predicate.value))
        for term in (t.object, t.subject):
            if isinstance(term, ox.NamedNode):
                seen.add(_namespace(term.value))
            elif isinstance(term, ox.Literal):
                seen.add(_namespace(term.datatype.value))
    return {BY_NAMESPACE[ns]: ns for ns in sorted(seen) if ns in BY_NAMESPACE}


def rdf(triples: Sequence[ox.Triple], fmt: Format, compactor: Compactor) -> bytes:
    if fmt.key == JSONLD.key:
        return dumps(compactor.document(triples))
    prefixes = used_prefixes(triples) if fmt.key != NTRIPLES.key else None
    # cast: pyoxigraph's stub returns bytes | None for every call; with no output it returns the bytes
    return cast(bytes, ox.serialize(triples, format=fmt.rdf_format, prefixes=prefixes))
