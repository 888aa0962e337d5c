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


def class_counts(quads: list[ox.Quad]) -> Counter:
    """Entities per class: distinct subjects of rdf:type, counted once per class."""
    typed = {(q.subject.value, q.object.value) for q in quads
             if q.predicate.value == str(RDF.type) and isinstance(q.subject, ox.NamedNode)}
    return Counter(cls for _, cls in typed)


def describe(quads: list[ox.Quad], minter: Minter, dumps: list[DumpFile], sources: list[str], *,
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
    subjects = {q.subject.value for q in quads if isinstance(q.subject, ox.NamedNode)}
    entities = [s for s in subjects if minter.split(s) is not None]
    g.add((ds, VOID.triples, Literal(len({q.triple for q in quads}))))
    g.add((ds, VOID.entities, Literal(len(entities))))
    g.add((ds, VOID.distinctSubjects, Literal(len(subjects))))
    g.add((ds, VOID.uriSpace, Literal(str(minter.page("id")) + "/")))
    g.add((ds, VOID.sparqlEndpoint, minter.page("sparql")))
    for vocabulary in ("schema", "dip", "org", "prov", "oa", "sem", "skos"):
        g.add((ds, VOID.vocabulary, URIRef(PREFIXES[vocabulary])))
    for example in sorted(entities)[:5]:
        g.add((ds, VOID.exampleResource, URIRef(example)))
    for cls, count in sorted(class_counts(quads).items()):
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
