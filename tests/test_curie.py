"""vocab.curie: the one way an IRI is shortened to a prefixed name (the site's pages, the vocabulary and
shapes documentation, the SPARQL results table). The expected names are what the two shorteners it
replaced gave (the site's `Site.curie` and the results table's `short`), recorded before they went."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from lod_pub.jsonld import Compactor, context
from lod_pub.vocab import CURIES, DSH, PREFIXES, PrefixTable, curie

SHORTENED = [
    ("http://schema.org/Person", "schema:Person"),
    ("http://schema.org/name", "schema:name"),
    ("http://schema.org/", "http://schema.org/"),
    ("https://schema.org/name", "https://schema.org/name"),
    ("https://w3id.org/lod-pub/ns/dip#evidence", "dip:evidence"),
    ("https://w3id.org/lod-pub/ns/dip#", "https://w3id.org/lod-pub/ns/dip#"),
    ("https://w3id.org/lod-pub/ns/dip", "https://w3id.org/lod-pub/ns/dip"),
    ("https://w3id.org/lod-pub/ns/dip-shapes#EventShape", "dsh:EventShape"),
    ("https://w3id.org/lod-pub/ns/dip-shapes#Event-name-language", "dsh:Event-name-language"),
    ("https://w3id.org/lod-pub/ns/dip-shapes", "https://w3id.org/lod-pub/ns/dip-shapes"),
    ("http://www.w3.org/ns/org#memberOf", "org:memberOf"),
    ("http://www.w3.org/ns/prov#wasDerivedFrom", "prov:wasDerivedFrom"),
    ("http://www.w3.org/ns/oa#hasSelector", "oa:hasSelector"),
    ("http://semanticweb.cs.vu.nl/2009/11/sem/hasEarliestBeginTimeStamp", "sem:hasEarliestBeginTimeStamp"),
    ("http://www.w3.org/2004/02/skos/core#prefLabel", "skos:prefLabel"),
    ("http://www.w3.org/1999/02/22-rdf-syntax-ns#type", "rdf:type"),
    ("http://www.w3.org/1999/02/22-rdf-syntax-ns#langString", "rdf:langString"),
    ("http://www.w3.org/2000/01/rdf-schema#label", "rdfs:label"),
    ("http://www.w3.org/2002/07/owl#Class", "owl:Class"),
    ("http://www.w3.org/2001/XMLSchema#gYearMonth", "xsd:gYearMonth"),
    ("http://www.w3.org/ns/shacl#path", "sh:path"),
    ("http://purl.org/dc/terms/title", "dcterms:title"),
    ("http://www.w3.org/ns/dcat#Dataset", "dcat:Dataset"),
    ("http://rdfs.org/ns/void#triples", "void:triples"),
    ("http://www.wikidata.org/entity/Q843", "wd:Q843"),
    ("https://lod.example.org/id/person/sohail-mahmood", "https://lod.example.org/id/person/sohail-mahmood"),
    ("https://lod.example.org/graph/entities", "https://lod.example.org/graph/entities"),
    ("http://example.org/x", "http://example.org/x"),
    ("urn:isbn:0451450523", "urn:isbn:0451450523"),
    ("http://schema.org/a/b#c", "schema:a/b#c"),
    ("http://schema.org/caf%C3%A9", "schema:caf%C3%A9"),
    ("http://www.w3.org/ns/org#", "http://www.w3.org/ns/org#"),
]


@pytest.mark.parametrize("iri, expected", SHORTENED)
def test_curie_gives_what_the_shorteners_it_replaced_gave(iri, expected):
    assert curie(iri) == expected


def test_the_shapes_prefix_is_for_reading_only():
    """dsh: names shapes on the site; it is not a prefix of the data (dumps, SPARQL, rdflib)."""
    assert "dsh" in CURIES and "dsh" not in PREFIXES and CURIES == {**PREFIXES, "dsh": str(DSH)}


def test_the_sample_holds_no_iri_the_results_table_shows_otherwise_than_before(store):
    """The results table shortened with PREFIXES alone, so a dsh: IRI it now shortens was shown whole;
    the sample's store holds none, so the table reads as it did."""
    iris = {t.value for q in store for t in (q.subject, q.predicate, q.object) if isinstance(t, ox.NamedNode)}
    assert iris and not any(i.startswith(str(DSH)) for i in iris)


def test_the_longest_namespace_wins():
    table = PrefixTable({"a": "http://e.org/", "ab": "http://e.org/b/"})
    assert table.curie("http://e.org/b/c") == "ab:c"
    assert table.curie("http://e.org/c") == "a:c"


def test_json_ld_terms_use_the_same_shortening_with_the_context_s_prefixes():
    compactor = Compactor(context())
    assert compactor.term("http://schema.org/startDate") == "startDate"      # @vocab
    assert compactor.term("http://schema.org/a-b") == "http://schema.org/a-b"   # not a term; schema is @vocab only
    assert compactor.term("http://www.w3.org/ns/oa#hasSelector") == "oa:hasSelector"
    assert compactor.term("http://www.w3.org/ns/shacl#path") == "http://www.w3.org/ns/shacl#path"  # not in the context
