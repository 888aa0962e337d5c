"""lod_pub.formats is the one registry of formats: every module finds a format's media type, extension,
Oxigraph format and rdflib name there. The expected Oxigraph formats are the tables the dumps, the web's
serializer and the SPARQL endpoint kept before."""

from __future__ import annotations

import pickle

import pyoxigraph as ox
import pytest

from lod_pub.formats import (BY_EXTENSION, BY_KEY, DATASET_FORMATS, FORMATS, GRAPH, HTML, RDF_FORMATS, RESULT_FORMATS,
                             RESULTS, TEXT)
from lod_pub.web.sparql.results import GRAPH_FORMATS, NATIVE_GRAPH, NATIVE_RESULTS, by_name

OXIGRAPH = {
    "nquads": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG, "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD, "rdfxml": ox.RdfFormat.RDF_XML,
    "json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV,
    "html": None, "text": None,
}


@pytest.mark.parametrize("key", sorted(OXIGRAPH))
def test_each_format_knows_oxigraph_s_format_for_it(key):
    assert BY_KEY[key].oxigraph == OXIGRAPH[key]


def test_the_kinds_split_the_registry():
    assert [f.key for f in RDF_FORMATS] == ["turtle", "jsonld", "ntriples", "rdfxml"]
    assert [f.key for f in DATASET_FORMATS] == ["nquads", "trig"]
    assert [f.key for f in RESULT_FORMATS] == ["json", "xml", "csv", "tsv"]
    assert all(isinstance(f.oxigraph, ox.RdfFormat) for f in FORMATS if f.kind == GRAPH)
    assert all(isinstance(f.oxigraph, ox.QueryResultsFormat) for f in FORMATS if f.kind == RESULTS)
    assert HTML.kind is None and TEXT.kind is None


def test_keys_and_extensions_name_one_format_each():
    assert len(BY_KEY) == len(BY_EXTENSION) == len(FORMATS)


def test_the_endpoint_s_writers_are_looked_up_in_the_registry():
    assert NATIVE_RESULTS == {k: OXIGRAPH[k] for k in ("json", "xml", "csv", "tsv")}
    assert NATIVE_GRAPH == {k: OXIGRAPH[k] for k in ("turtle", "jsonld", "ntriples", "rdfxml")}


@pytest.mark.parametrize("name, graph, results", [
    ("json", "jsonld", "json"), ("xml", "rdfxml", "xml"), ("rdf", "rdfxml", None), ("json-ld", "jsonld", None),
    ("ttl", "turtle", None), ("n3", "turtle", None), ("nt", "ntriples", None), ("n-triples", "ntriples", None),
    ("srj", None, "json"), ("srx", None, "xml"), ("csv", None, "csv"), ("TURTLE", "turtle", None),
    ("application/json", "jsonld", "json"), ("application/xml; charset=utf-8", "rdfxml", "xml"),
    ("text/plain", "ntriples", None), ("text/html", None, None), ("html", None, None), ("nquads", None, None),
])
def test_a_format_parameter_names_a_format_by_key_name_or_media_type(name, graph, results):
    """The names clients send (SPARQLWrapper: format=xml for RDF/XML, json for JSON-LD) mean one format
    among the graph formats and another among the result formats."""
    assert getattr(by_name(name, GRAPH_FORMATS), "key", None) == graph
    assert getattr(by_name(name, RESULT_FORMATS), "key", None) == results


def test_a_format_pickles():
    assert pickle.loads(pickle.dumps(BY_KEY["turtle"])) == BY_KEY["turtle"]
