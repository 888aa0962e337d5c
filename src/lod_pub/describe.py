"""The dataset description: VoID + DCAT, with counts, example resources, endpoint, dumps, licence."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, Namespace, URIRef

from .dumps import DumpFile
from .iris import Minter
from .vocab import DCAT, DCTERMS, PREFIXES, RDF, SCHEMA, VOID, XSD, bind

SPDX = Namespace("http://spdx.org/rdf/terms#")
IANA = "https://www.iana.org/assignments/media-types/"


def _rows(store: ox.Store, query: str) -> list[dict[str, str]]:
    result = store.query(query, use_default_graph_as_union=True)
    names = [v.value for v in result.variables]
    return [{n: row[n].value for n in names if row[n] is not None} for row in result]


def class_counts(store: ox.Store) -> Counter:
    """Entities per class: distinct IRI subjects of rdf:type, counted once per class."""
    rows = _rows(store, "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c FILTER(isIRI(?s)) } GROUP BY ?c")
    return Counter({r["c"]: int(r["n"]) for r in rows})


def describe(store: ox.Store, minter: Minter, dumps: list[DumpFile], sources: list[str], *,
             release_id: str, created: datetime, licence: str) -> Graph:
    g = Graph()
    bind(g)
    g.bind("spdx", SPDX)
    ds = minter.dataset()
    g.add((ds, RDF.type, VOID.Dataset))
    g.add((ds, RDF.type, DCAT.Dataset))
    g.add((ds, DCTERMS.title, Literal("lod-pub: diplomatic events reported in the news", lang="en")))
    g.add((ds, DCTERMS.description, Literal(
        "Events, people, organisations, places, posts and statements reported in news articles, "
        "each fact traced to the words of its article.", lang="en")))
    g.add((ds, DCTERMS.license, URIRef(licence)))
    g.add((ds, DCTERMS.modified, Literal(created.isoformat(timespec="seconds"), datatype=XSD.dateTime)))
    g.add((ds, DCTERMS.identifier, Literal(release_id)))
    for source in sources:
        g.add((ds, DCTERMS.source, URIRef(source)))
    uri_space = str(minter.page("id")) + "/"
    subjects = _rows(store, "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o FILTER(isIRI(?s)) }")[0]["n"]
    entities = _rows(store, f"""SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s ?p ?o
        FILTER(isIRI(?s) && STRSTARTS(STR(?s), "{uri_space}") && !CONTAINS(STR(?s), "#")) }}""")[0]["n"]
    g.add((ds, VOID.triples, Literal(len(store))))
    g.add((ds, VOID.entities, Literal(int(entities))))
    g.add((ds, VOID.distinctSubjects, Literal(int(subjects))))
    g.add((ds, VOID.uriSpace, Literal(str(minter.page("id")) + "/")))
    g.add((ds, VOID.sparqlEndpoint, minter.page("sparql")))
    for vocabulary in ("schema", "dip", "org", "prov", "oa", "sem", "skos"):
        g.add((ds, VOID.vocabulary, URIRef(PREFIXES[vocabulary])))
    for row in _rows(store, """SELECT ?s WHERE { { SELECT ?c (MIN(STR(?x)) AS ?s) WHERE { ?x a ?c FILTER(isIRI(?x)) }
                                 GROUP BY ?c } FILTER(?c IN (<http://schema.org/Event>, <http://schema.org/Person>,
                                 <http://schema.org/Organization>, <http://schema.org/Place>,
                                 <http://schema.org/NewsArticle>)) } ORDER BY ?s"""):
        g.add((ds, VOID.exampleResource, URIRef(row["s"])))
    for cls, count in sorted(class_counts(store).items()):
        part = BNode()
        g.add((ds, VOID.classPartition, part))
        g.add((part, VOID["class"], URIRef(cls)))
        g.add((part, VOID.entities, Literal(count)))
    for dump in dumps:
        _distribution(g, ds, minter.page("dumps", dump.name), dump)
    g.add((ds, DCTERMS.conformsTo, URIRef(str(SCHEMA))))
    return g


def _distribution(g: Graph, ds: URIRef, url: URIRef, dump: DumpFile) -> None:
    dist = BNode()
    g.add((ds, VOID.dataDump, url))
    g.add((ds, DCAT.distribution, dist))
    g.add((dist, RDF.type, DCAT.Distribution))
    g.add((dist, DCAT.downloadURL, url))
    g.add((dist, DCAT.mediaType, URIRef(IANA + dump.format.media_type)))
    if dump.gzip:
        g.add((dist, DCAT.compressFormat, URIRef(IANA + "application/gzip")))
    g.add((dist, DCAT.byteSize, Literal(dump.size, datatype=XSD.nonNegativeInteger)))
    checksum = BNode()
    g.add((dist, SPDX.checksum, checksum))
    g.add((checksum, RDF.type, SPDX.Checksum))
    g.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
    g.add((checksum, SPDX.checksumValue, Literal(dump.sha256, datatype=XSD.hexBinary)))
