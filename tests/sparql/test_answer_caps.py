"""Every answer has a byte cap besides its row cap, with the same sign of truncation, and stays a whole
document in its format; the HTML page holds a bounded part of a result; an answer the chosen format
cannot carry is a 406 that names the formats that can, never a 503 or a document that does not parse.
"""

from __future__ import annotations

import csv
import io
import json
import tracemalloc
import xml.dom.minidom

import pyoxigraph as ox
import pytest

from lod_pub.web import create_app
from lod_pub.web.sparql.table import link

MIB = 1 << 20
# 400 rows of a 1 MiB string, from a query of under 500 bytes: REPLACE multiplies a string 32 times a step.
X32 = "x" * 32
TWENTY = " ".join(map(str, range(20)))
BIG_ROWS = ('SELECT ?i ?j ?a WHERE { VALUES ?i { %s } VALUES ?j { %s } BIND(REPLACE(REPLACE(REPLACE(REPLACE('
            '"x", "x", "%s"), "x", "%s"), "x", "%s"), "x", "%s") AS ?a) }' % (TWENTY, TWENTY, X32, X32, X32, X32))
BIG_GRAPH = BIG_ROWS.replace("SELECT ?i ?j ?a WHERE", "CONSTRUCT { ?s <http://example.org/p> ?a } WHERE") \
                    .replace("} BIND(REPLACE", "} BIND(IRI(CONCAT('http://example.org/s', STR(?i), '-', STR(?j))) AS ?s) "
                                               "BIND(REPLACE")


@pytest.fixture(scope="module", params=["embedded", "remote", pytest.param("virtuoso", marks=pytest.mark.slow)])
def capped(request, release, settings):
    """An app whose answers are capped at 3 MiB, on each store (Virtuoso takes 10 to 22 s a test to
    make the answer: slow there)."""
    if request.param in ("remote", "virtuoso"):
        settings = request.getfixturevalue("virtuoso_settings" if request.param == "virtuoso" else "remote_settings")
    app = create_app(settings, SPARQL_WORKERS=1, SPARQL_TIMEOUT=60, SPARQL_BYTE_CAP=3 * MIB)
    yield app.test_client()
    app.extensions["lod_pub.sparql"]["pool"].close()


def _parse_results(fmt: str, data: bytes) -> int:
    """Rows of a SELECT answer, parsed as a client would."""
    if fmt == "json":
        return len(json.loads(data)["results"]["bindings"])
    if fmt == "xml":
        return len(xml.dom.minidom.parseString(data).getElementsByTagName("result"))
    if fmt == "csv":
        csv.field_size_limit(4 * MIB)
        return len(list(csv.reader(io.StringIO(data.decode("utf-8"))))) - 1
    return len(data.decode("utf-8").splitlines()) - 1


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_select_answers_stop_at_the_byte_cap(capped, fmt):
    assert len(BIG_ROWS) < 500
    response = capped.post("/sparql", data={"query": BIG_ROWS, "format": fmt})
    assert response.status_code == 200, response.data[:300]
    assert len(response.data) <= 3 * MIB
    assert response.headers["X-SPARQL-Truncated"] == "true"
    rows = _parse_results(fmt, response.data)
    assert rows == int(response.headers["X-SPARQL-Rows"]) == 2  # 1 MiB each: a third would pass 3 MiB


@pytest.mark.parametrize("fmt, rdf", [("turtle", ox.RdfFormat.TURTLE), ("ntriples", ox.RdfFormat.N_TRIPLES),
                                      ("jsonld", ox.RdfFormat.JSON_LD), ("rdfxml", ox.RdfFormat.RDF_XML)])
def test_graph_answers_stop_at_the_byte_cap(capped, fmt, rdf):
    response = capped.post("/sparql", data={"query": BIG_GRAPH, "format": fmt})
    assert response.status_code == 200, response.data[:300]
    assert len(response.data) <= 3 * MIB + 64 * 1024  # a writer's buffer past the last check, at most
    assert response.headers["X-SPARQL-Truncated"] == "true"
    triples = list(ox.parse(response.data, rdf))
    assert 1 <= len(triples) == int(response.headers["X-SPARQL-Rows"]) <= 3


def test_the_default_byte_cap_bounds_what_is_spooled(make_app):
    """400 MiB of answer asked for by a 500-byte query: 64 MiB are written, cut and marked."""
    client = make_app(SPARQL_WORKERS=1, SPARQL_TIMEOUT=60).test_client()
    response = client.post("/sparql", data={"query": BIG_ROWS, "format": "tsv"})
    assert response.status_code == 200
    assert 60 * MIB < len(response.data) <= 64 * MIB
    assert response.headers["X-SPARQL-Truncated"] == "true"


def test_the_results_page_holds_a_bounded_part_of_a_result(make_app):
    """The HTML page read the whole result (400 MiB: a 2.4 GB peak under gunicorn); it now reads at most
    SPARQL_HTML_BYTES (2 MiB) of it and shows each value cut at 2,000 characters."""
    client = make_app(SPARQL_WORKERS=1, SPARQL_TIMEOUT=60).test_client()
    tracemalloc.start()
    try:
        response = client.post("/sparql", data={"query": BIG_ROWS}, headers={"Accept": "text/html"})
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert response.status_code == 200
    assert response.headers["X-SPARQL-Truncated"] == "true"
    assert b"Truncated" in response.data and b"1,048,576 characters" in response.data
    assert len(response.data) < 200_000
    assert peak < 32 * MIB, f"peak {peak / MIB:.1f} MiB of Python allocations for one page"


def test_xml_answers_never_hold_what_xml_cannot(client):
    query = 'SELECT ?x WHERE { BIND("a\\u0001b" AS ?x) }'
    response = client.post("/sparql", data={"query": query, "format": "xml"})
    assert response.status_code == 406 and b"XML 1.0" in response.data and b"JSON" in response.data
    response = client.post("/sparql", data={"query": query, "format": "json"})
    assert response.status_code == 200 and json.loads(response.data)["results"]["bindings"][0]["x"]["value"] == "a\x01b"
    graph = 'CONSTRUCT { <http://example.org/s> <http://example.org/p> ?x } WHERE { BIND("a\\u0001b" AS ?x) }'
    assert client.post("/sparql", data={"query": graph, "format": "rdfxml"}).status_code == 406
    assert client.post("/sparql", data={"query": graph, "format": "ntriples"}).status_code == 200


@pytest.mark.parametrize("predicate", ["http://example.org/1", "http://example.org/", "urn:x:"])
def test_rdfxml_refuses_predicates_it_cannot_write(client, predicate):
    """pyoxigraph wrote `<oxprefix: xmlns:oxprefix="http://example.org/1">`: not well-formed XML."""
    graph = f'CONSTRUCT {{ <http://example.org/s> <{predicate}> "v" }} WHERE {{}}'
    response = client.post("/sparql", data={"query": graph, "format": "rdfxml"})
    assert response.status_code == 406 and b"RDF/XML cannot write the predicate" in response.data
    turtle = client.post("/sparql", data={"query": graph, "format": "turtle"})
    assert turtle.status_code == 200 and len(list(ox.parse(turtle.data, ox.RdfFormat.TURTLE))) == 1


def test_rdfxml_that_is_sent_is_well_formed(client):
    graph = 'CONSTRUCT { <http://example.org/s> <http://example.org/p> "a <b> & c" } WHERE {}'
    response = client.post("/sparql", data={"query": graph, "format": "rdfxml"})
    assert response.status_code == 200
    xml.dom.minidom.parseString(response.data)


def test_a_triple_term_in_json_ld_is_406_not_503(client):
    graph = ("CONSTRUCT { <http://example.org/s> <http://example.org/p> <<( <http://example.org/a> "
             "<http://example.org/b> <http://example.org/c> )>> } WHERE {}")
    response = client.post("/sparql", data={"query": graph, "format": "jsonld"})
    assert response.status_code == 406 and b"triple term" in response.data, response.data[:300]
    assert client.post("/sparql", data={"query": graph, "format": "ntriples"}).status_code == 200


@pytest.mark.parametrize("content_type, body", [
    ("application/x-www-form-urlencoded", "query=ASK%20%7B%7D"),
    ("application/sparql-query", "ASK {}"),
])
def test_an_update_parameter_on_a_post_is_refused_not_ignored(client, content_type, body):
    response = client.post("/sparql?update=DROP%20ALL", data=body, content_type=content_type)
    assert response.status_code == 400 and b"Update" in response.data


def test_result_links_never_leave_the_site():
    base = "https://lod.example.org/"
    assert link(base + "/evil.example/x", base) == "/%2Fevil.example/x"
    assert link(base + "id/person/a", base) == "/id/person/a"
    assert link("javascript:alert(1)", base) is None
