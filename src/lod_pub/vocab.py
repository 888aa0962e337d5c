"""Namespaces used across the project, and the one way an IRI is shortened to a prefixed name.

    PREFIXES                 the data's prefixes: Turtle and TriG heads, SPARQL, rdflib
    curie(iri) -> str        the IRI as people read it: schema:name, dsh:EventShape, else the IRI
    PrefixTable(prefixes)    the same over another table (a JSON-LD context's prefixes)

Terms are referenced as attributes, e.g. SCHEMA.name.
"""

from __future__ import annotations

from typing import Mapping

from rdflib import Graph, Namespace
from rdflib.namespace import DCAT, DCTERMS, OWL, PROV, RDF, RDFS, SH, SKOS, TIME, VOID, XSD

SCHEMA = Namespace("http://schema.org/")
#: The project's own vocabulary. Fixed: it does not move with the deployment's base IRI.
DIP = Namespace("https://w3id.org/lod-pub/ns/dip#")
DIP_ONTOLOGY = "https://w3id.org/lod-pub/ns/dip"
DIP_SHAPES = "https://w3id.org/lod-pub/ns/dip-shapes"
#: The CAMEO event codes as a SKOS concept scheme (lod_pub.cameo), published with the vocabulary.
CAMEO_SCHEME = "https://w3id.org/lod-pub/ns/cameo"
CAMEO = Namespace(CAMEO_SCHEME + "#")
ORG = Namespace("http://www.w3.org/ns/org#")
OA = Namespace("http://www.w3.org/ns/oa#")
SEM = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
WIKIDATA = Namespace("http://www.wikidata.org/entity/")

PREFIXES: dict[str, str] = {
    "schema": str(SCHEMA),
    "dip": str(DIP),
    "cameo": str(CAMEO),
    "org": str(ORG),
    "prov": str(PROV),
    "oa": str(OA),
    "sem": str(SEM),
    "skos": str(SKOS),
    "time": str(TIME),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "sh": str(SH),
    "dcterms": str(DCTERMS),
    "dcat": str(DCAT),
    "void": str(VOID),
    "wd": str(WIKIDATA),
}

#: The names of the shapes (shapes.ttl). Not a namespace of the data, so not one of PREFIXES.
DSH = Namespace(DIP_SHAPES + "#")
#: The prefixes of names people read on the site: the data's, and the shapes'.
CURIES: dict[str, str] = {**PREFIXES, "dsh": str(DSH)}


class PrefixTable:
    """Shortens IRIs to prefixed names with one table of prefixes (prefix -> namespace IRI)."""

    def __init__(self, prefixes: Mapping[str, str]):
        self._longest_first = sorted(((ns, prefix) for prefix, ns in prefixes.items()), key=lambda e: -len(e[0]))

    def curie(self, iri: str) -> str:
        """prefix:local in the longest namespace that holds the IRI with a local part; else the IRI."""
        for ns, prefix in self._longest_first:
            if iri.startswith(ns) and len(iri) > len(ns):
                return f"{prefix}:{iri[len(ns):]}"
        return iri


_READABLE = PrefixTable(CURIES)


def curie(iri: str) -> str:
    """The IRI as a prefixed name of CURIES (schema:name, dsh:EventShape), or the IRI itself."""
    return _READABLE.curie(iri)


def bind(graph: Graph) -> None:
    """Bind the project's prefixes on an rdflib graph, replacing rdflib's own (its `schema` is https)."""
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True, replace=True)


__all__ = [
    "bind", "curie", "PrefixTable",
    "SCHEMA", "DIP", "CAMEO", "CAMEO_SCHEME", "DIP_ONTOLOGY", "DIP_SHAPES", "DSH", "ORG", "OA", "SEM", "WIKIDATA",
    "PREFIXES", "CURIES",
    "DCAT", "DCTERMS", "OWL", "PROV", "RDF", "RDFS", "SH", "SKOS", "TIME", "VOID", "XSD",
]
