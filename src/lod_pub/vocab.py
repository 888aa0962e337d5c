"""Namespaces used across the project. Terms are referenced as attributes, e.g. SCHEMA.name."""

from rdflib import Namespace
from rdflib.namespace import DCAT, DCTERMS, OWL, PROV, RDF, RDFS, SH, SKOS, VOID, XSD

SCHEMA = Namespace("http://schema.org/")
#: The project's own vocabulary. Fixed: it does not move with the deployment's base IRI.
DIP = Namespace("https://lod.example.org/ns/dip#")
DIP_ONTOLOGY = "https://lod.example.org/ns/dip"
DIP_SHAPES = "https://lod.example.org/ns/dip-shapes"
ORG = Namespace("http://www.w3.org/ns/org#")
OA = Namespace("http://www.w3.org/ns/oa#")
SEM = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
WIKIDATA = Namespace("http://www.wikidata.org/entity/")

PREFIXES: dict[str, str] = {
    "schema": str(SCHEMA),
    "dip": str(DIP),
    "org": str(ORG),
    "prov": str(PROV),
    "oa": str(OA),
    "sem": str(SEM),
    "skos": str(SKOS),
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

def bind(graph) -> None:
    """Bind the project's prefixes on an rdflib graph, replacing rdflib's own (its `schema` is https)."""
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True, replace=True)


__all__ = [
    "bind",
    "SCHEMA", "DIP", "DIP_ONTOLOGY", "DIP_SHAPES", "ORG", "OA", "SEM", "WIKIDATA", "PREFIXES",
    "DCAT", "DCTERMS", "OWL", "PROV", "RDF", "RDFS", "SH", "SKOS", "VOID", "XSD",
]
