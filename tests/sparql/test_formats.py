"""Every result format, read back by a parser that is not ours and compared with what the engine says."""

from __future__ import annotations

import csv
import io

import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.query import Result

from lod_pub.vocab import PREFIXES
from sparql_support import expected_rows

SELECT = r"""
SELECT ?s ?name ?date ?tricky ?missing ?b WHERE {
  ?s schema:name ?name .
  OPTIONAL { ?s schema:startDate ?date }
  OPTIONAL { ?s <http://example.org/none> ?missing }
  BIND("comma, \"quote\"\nnew line\tand tab ünïcödé" AS ?tricky)
  BIND(BNODE() AS ?b)
} ORDER BY ?s ?name"""
CONSTRUCT = """CONSTRUCT { ?e ?p ?o } WHERE { ?e a schema:Event ; ?p ?o . FILTER(!isBlank(?o)) }"""
MEDIA = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
         "csv": "text/csv", "tsv": "text/tab-separated-values"}


def key(term) -> tuple:
    """A comparable form of an rdflib or pyoxigraph term (blank nodes compare by kind only)."""
    if isinstance(term, (URIRef, ox.NamedNode)):
        return ("iri", str(term.value if isinstance(term, ox.NamedNode) else term))
    if isinstance(term, (BNode, ox.BlankNode)):
        return ("bnode",)
    if isinstance(term, ox.Literal):
        return ("literal", term.value, term.language, None if term.language else term.datatype.value)
    datatype = str(term.datatype) if term.datatype else (None if term.language else
                                                         "http://www.w3.org/2001/XMLSchema#string")
    return ("literal", str(term), term.language, datatype)


def expected(store):
    return [{k: key(v) for k, v in row.items()} for row in expected_rows(store, SELECT)]


@pytest.mark.parametrize("fmt", ["json", "xml", "tsv"])
def test_select_formats_read_back_by_rdflib(client, store, fmt):
    response = client.get("/sparql", query_string={"query": SELECT}, headers={"Accept": MEDIA[fmt]})
    assert response.status_code == 200 and response.content_type.startswith(MEDIA[fmt])
    result = Result.parse(io.BytesIO(response.data), format=fmt)
    assert [str(v) for v in result.vars] == ["s", "name", "date", "tricky", "missing", "b"]
    got = [{str(k): key(v) for k, v in row.asdict().items() if v is not None} for row in result]
    want = expected(store)
    assert len(want) > 20 and got == want
    assert int(response.headers["X-SPARQL-Rows"]) == len(want)
    assert response.headers["X-SPARQL-Truncated"] == "false"


def test_select_csv_read_back_by_the_csv_module(client, store):
    response = client.get("/sparql", query_string={"query": SELECT, "format": "csv"})
    assert response.content_type.startswith("text/csv")
    assert b"\r\n" in response.data
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8"), newline="")))
    assert rows[0] == ["s", "name", "date", "tricky", "missing", "b"]
    want = expected_rows(store, SELECT)
    assert len(rows) == len(want) + 1
    for line, row in zip(rows[1:], want):
        assert line[:5] == [row[n].value if n in row else "" for n in ("s", "name", "date", "tricky", "missing")]
        assert line[5].startswith("_:")


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_ask_formats(client, fmt):
    for query, answer in (("ASK { ?s a schema:Event }", True), ("ASK { ?s a schema:Unicorn }", False)):
        response = client.get("/sparql", query_string={"query": query, "format": fmt})
        assert Result.parse(io.BytesIO(response.data), format=fmt).askAnswer is answer


@pytest.mark.parametrize("fmt, media, parser", [
    ("turtle", "text/turtle", "turtle"), ("jsonld", "application/ld+json", "json-ld"),
    ("ntriples", "application/n-triples", "nt"), ("rdfxml", "application/rdf+xml", "xml"),
])
def test_graph_formats_read_back_by_rdflib(client, store, fmt, media, parser):
    response = client.get("/sparql", query_string={"query": CONSTRUCT}, headers={"Accept": media})
    assert response.status_code == 200 and response.content_type.startswith(media)
    got = Graph().parse(data=response.data, format=parser)
    triples = store.query(CONSTRUCT, prefixes=PREFIXES, use_default_graph_as_union=True)
    want = Graph().parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), format="nt")
    assert len(want) > 30 and isomorphic(got, want)


def test_describe(client):
    response = client.get("/sparql", headers={"Accept": "application/n-triples"}, query_string={
        "query": "DESCRIBE ?p WHERE { ?p schema:name \"Sohail Mahmood\"@en }"})
    g = Graph().parse(data=response.data, format="nt")
    assert Literal("Sohail Mahmood", lang="en") in set(g.objects())


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_row_cap_cuts_and_says_so(make_app, fmt):
    app = make_app(SPARQL_ROW_CAP=5, SPARQL_WORKERS=1)
    client = app.test_client()
    response = client.get("/sparql", query_string={"query": SELECT, "format": fmt})
    assert response.headers["X-SPARQL-Truncated"] == "true"
    assert response.headers["X-SPARQL-Rows"] == "5"
    if fmt == "csv":
        assert len(list(csv.reader(io.StringIO(response.data.decode(), newline="")))) == 6
    else:
        assert len(Result.parse(io.BytesIO(response.data), format=fmt).bindings) == 5
    response = client.get("/sparql", query_string={"query": SELECT + " LIMIT 5", "format": fmt})
    assert response.headers["X-SPARQL-Truncated"] == "false"


def test_row_cap_applies_to_graphs(make_app):
    client = make_app(SPARQL_ROW_CAP=7, SPARQL_WORKERS=1).test_client()
    response = client.get("/sparql", query_string={"query": CONSTRUCT, "format": "ntriples"})
    assert response.headers["X-SPARQL-Truncated"] == "true"
    assert len(Graph().parse(data=response.data, format="nt")) == 7


def test_large_results_are_streamed_from_a_file_not_built_in_memory(make_app):
    client = make_app(SPARQL_INLINE_BYTES=4096, SPARQL_WORKERS=1).test_client()
    response = client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p ?o }", "format": "tsv"},
                          buffered=False)
    assert response.is_streamed
    size = int(response.headers["Content-Length"])
    assert size > 4096 and size == len(response.get_data())
    response.close()


def test_a_large_result_never_read_leaves_no_file(make_app):
    app = make_app(SPARQL_INLINE_BYTES=1000, SPARQL_WORKERS=1)
    pool = app.extensions["lod_pub.sparql"]["pool"]
    client = app.test_client()
    response = client.head("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p ?o }", "format": "tsv"})
    assert response.status_code == 200 and int(response.headers["Content-Length"]) > 1000
    response.close()  # what a WSGI server does once the response is sent
    response = client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p ?o }", "format": "tsv"},
                          buffered=False)
    response.close()  # the client goes away without reading
    assert list(pool._spool.iterdir()) == []
