"""The SPARQL 1.1 Service Description of the endpoint (GET /sparql without a query)."""

from __future__ import annotations

from rdflib import BNode, Graph, Literal, Namespace, URIRef

from ...formats import RDF_FORMATS, Format
from ...vocab import RDF, VOID

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
W3F = Namespace("http://www.w3.org/ns/formats/")
SD_FORMATS: tuple[Format, ...] = RDF_FORMATS
RESULT_FORMAT_IRIS = ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                      "Turtle", "JSON-LD", "N-Triples", "RDF_XML")


def service_description(endpoint: str, graphs: list[str], fmt: Format) -> str:
    if fmt.rdflib is None:
        raise ValueError(f"the service description is RDF: {fmt.label or fmt.key} is not an RDF format")
    g = Graph()
    g.bind("sd", SD)
    g.bind("void", VOID)
    service, ds, default = URIRef(endpoint), BNode(), BNode()
    g.add((service, RDF.type, SD.Service))
    g.add((service, SD.endpoint, service))
    g.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    g.add((service, SD.feature, SD.UnionDefaultGraph))
    g.add((service, SD.defaultEntailmentRegime, URIRef("http://www.w3.org/ns/entailment/Simple")))
    for name in RESULT_FORMAT_IRIS:
        g.add((service, SD.resultFormat, W3F[name]))
    g.add((service, SD.defaultDataset, ds))
    g.add((ds, RDF.type, SD.Dataset))
    g.add((ds, SD.defaultGraph, default))
    g.add((default, RDF.type, SD.Graph))
    g.add((default, URIRef("http://www.w3.org/2000/01/rdf-schema#comment"),
           Literal("The union of all named graphs of the dataset.", lang="en")))
    for name in graphs:
        named = BNode()
        g.add((ds, SD.namedGraph, named))
        g.add((named, RDF.type, SD.NamedGraph))
        g.add((named, SD.name, URIRef(name)))
    return g.serialize(format=fmt.rdflib)
