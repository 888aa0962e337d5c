"""SPARQL 1.1 Protocol, query operation: each way of sending a query, and each error case."""

from __future__ import annotations

import json
from urllib.parse import quote, urlencode

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

BASE = "https://lod.example.org/"
ARTICLE_GRAPH = BASE + "graph/article/tdi-2021-10-21-foreign-secretary-nato-delegation"
ENTITIES = BASE + "graph/entities"
OTHER_GRAPH = BASE + "graph/article/wikinews-2019-01-24-maidan-wardak-car-bomb"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
JSON = {"Accept": "application/sparql-results+json"}
SD = "http://www.w3.org/ns/sparql-service-description#"


def count(response) -> int:
    assert response.status_code == 200, response.data
    return int(json.loads(response.data)["results"]["bindings"][0]["n"]["value"])


def test_get_post_form_and_post_direct_give_the_same_answer(client, release):
    total = release.manifest["quads"]
    assert count(client.get("/sparql", query_string={"query": COUNT}, headers=JSON)) == total
    assert count(client.post("/sparql", data={"query": COUNT}, headers=JSON)) == total
    assert count(client.post("/sparql", data=COUNT, content_type="application/sparql-query", headers=JSON)) == total


def test_direct_post_with_charset_and_graph_parameters_in_the_url(client):
    whole = count(client.get("/sparql", query_string={"query": COUNT}, headers=JSON))
    part = count(client.post("/sparql?" + urlencode({"default-graph-uri": ENTITIES}), data=COUNT.encode("utf-8"),
                             content_type="application/sparql-query; charset=utf-8", headers=JSON))
    assert 0 < part < whole


def test_default_graph_is_the_union_and_named_graphs_reachable_with_graph(client):
    rows = json.loads(client.get("/sparql", headers=JSON, query_string={
        "query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g"}).data)["results"]["bindings"]
    assert [r["g"]["value"] for r in rows] == [ARTICLE_GRAPH, OTHER_GRAPH, ENTITIES]


def test_default_and_named_graph_parameters_define_the_dataset(client):
    by_graph = {}
    for graph in (ARTICLE_GRAPH, ENTITIES):
        by_graph[graph] = count(client.get("/sparql", headers=JSON,
                                           query_string={"query": COUNT, "default-graph-uri": graph}))
    both = count(client.get("/sparql", headers=JSON, query_string=[
        ("query", COUNT), ("default-graph-uri", ARTICLE_GRAPH), ("default-graph-uri", ENTITIES)]))
    assert both == sum(by_graph.values())
    # named-graph-uri alone: the default graph is empty, GRAPH sees only the graph named
    assert count(client.get("/sparql", headers=JSON, query_string={"query": COUNT, "named-graph-uri": ENTITIES})) == 0
    rows = json.loads(client.get("/sparql", headers=JSON, query_string={
        "query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", "named-graph-uri": ENTITIES}).data)
    assert [r["g"]["value"] for r in rows["results"]["bindings"]] == [ENTITIES]


def test_from_in_the_query_restricts_the_default_graph(client):
    whole = count(client.get("/sparql", query_string={"query": COUNT}, headers=JSON))
    q = f"SELECT (COUNT(*) AS ?n) FROM <{ENTITIES}> WHERE {{ ?s ?p ?o }}"
    part = count(client.get("/sparql", query_string={"query": q}, headers=JSON))
    assert 0 < part < whole
    q = f"SELECT (COUNT(*) AS ?n) FROM NAMED <{ENTITIES}> WHERE {{ ?s ?p ?o }}"
    assert count(client.get("/sparql", query_string={"query": q}, headers=JSON)) == 0


def test_protocol_parameters_override_from(client):
    q = f"SELECT (COUNT(*) AS ?n) FROM <{ENTITIES}> WHERE {{ ?s ?p ?o }}"
    entities = count(client.get("/sparql", query_string={"query": q}, headers=JSON))
    article = count(client.get("/sparql", query_string={"query": q, "default-graph-uri": ARTICLE_GRAPH},
                               headers=JSON))
    assert article != entities


@pytest.mark.parametrize("params", [
    {"query": "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }"},
    {"query": "SELECT * FROM NAMED <http://example.org/remote.ttl> WHERE { GRAPH ?g { ?s ?p ?o } }"},
])
def test_from_naming_a_graph_the_release_does_not_hold_is_refused_never_fetched(client, params):
    response = client.get("/sparql", query_string=params, headers=JSON)
    assert response.status_code == 400
    assert b"does not hold" in response.data and b"never fetched" in response.data


DATA0 = "http://kasei.us/2009/09/sparql/data/data0.rdf"  # what the W3C protocol tests name as default graph


@pytest.mark.parametrize("params", [
    {"query": COUNT, "default-graph-uri": "http://example.org/remote.ttl"},
    {"query": COUNT, "default-graph-uri": "file:///etc/passwd"},
    {"query": COUNT, "named-graph-uri": "file:///etc/passwd"},
    {"query": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", "named-graph-uri": "http://example.org/x"},
])
def test_a_graph_parameter_naming_a_graph_the_release_does_not_hold_is_an_empty_graph(client, params):
    """The W3C protocol tests (and Fuseki, and Oxigraph's server) read such a graph as empty, never as 400."""
    assert count(client.get("/sparql", query_string=params, headers=JSON)) == 0


def test_the_w3c_protocol_tests_default_graph_data0(client):
    """Regression: query_get, query_post_form and query_content_type_* name data0.rdf, which no service
    holds, and expect 2xx (an ASK {} is true on an empty graph)."""
    response = client.get(f"/sparql?query=ASK%20%7B%7D&default-graph-uri={quote(DATA0, safe='')}")
    assert response.status_code == 200 and json.loads(response.data)["boolean"] is True
    response = client.post(f"/sparql?default-graph-uri={quote(DATA0, safe='')}", data="query=ASK%20%7B%7D",
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200 and json.loads(response.data)["boolean"] is True
    graph = client.post(f"/sparql?default-graph-uri={quote(DATA0, safe='')}", data="CONSTRUCT { <s> <p> 1 } WHERE {}",
                        content_type="application/sparql-query")
    assert graph.status_code == 200 and graph.mimetype == "text/turtle"


def test_a_known_and_an_unknown_graph_together(client):
    """The unknown one adds nothing to the default graph, and is a named graph with nothing in it."""
    alone = count(client.get("/sparql", headers=JSON, query_string={"query": COUNT, "default-graph-uri": ENTITIES}))
    both = count(client.get("/sparql", headers=JSON, query_string=[
        ("query", COUNT), ("default-graph-uri", ENTITIES), ("default-graph-uri", DATA0)]))
    assert both == alone > 0
    rows = json.loads(client.get("/sparql", headers=JSON, query_string=[
        ("query", "SELECT ?g WHERE { GRAPH ?g { } } ORDER BY ?g"), ("named-graph-uri", ENTITIES),
        ("named-graph-uri", DATA0)]).data)["results"]["bindings"]
    assert [r["g"]["value"] for r in rows] == [DATA0, ENTITIES]


def test_relative_iris_in_a_query_resolve_against_the_endpoint(client):
    """The Protocol leaves a query's base to the service ("which MAY be the service endpoint"); here it is
    {base}sparql, as Oxigraph's server and Fuseki take their endpoint's URL."""
    response = client.post("/sparql", data="CONSTRUCT { <s> <p> <#o> } WHERE {}", content_type="application/sparql-query",
                           headers={"Accept": "application/n-triples"})
    assert response.status_code == 200, response.data
    assert response.data.decode().strip() == f"<{BASE}s> <{BASE}p> <{BASE}sparql#o> ."
    own = client.get("/sparql", headers=JSON, query_string={"query": "BASE <http://a.example/> SELECT (<x> AS ?x) {}"})
    assert json.loads(own.data)["results"]["bindings"][0]["x"]["value"] == "http://a.example/x"


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { SERVICE SILENT <http://example.org/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { VALUES ?e { <http://example.org/sparql> } SERVICE ?e { ?s ?p ?o } }",
])
def test_service_is_refused_with_the_reason(client, query):
    response = client.get("/sparql", query_string={"query": query}, headers=JSON)
    assert response.status_code == 400
    assert b"SERVICE" in response.data and b"no outbound requests" in response.data


def test_malformed_query_gives_the_parser_message_and_position(client):
    response = client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p }"}, headers=JSON)
    assert response.status_code == 400
    assert response.content_type.startswith("text/plain")
    assert b"malformed query" in response.data and b"1:25" in response.data


@pytest.mark.parametrize("send", [
    lambda c: c.get("/sparql", query_string={"update": "CLEAR ALL"}),
    lambda c: c.get("/sparql", query_string={"query": "INSERT DATA { <http://a> <http://b> <http://c> }"}),
    lambda c: c.post("/sparql", data={"update": "CLEAR ALL"}),
    lambda c: c.post("/sparql", data="CLEAR ALL", content_type="application/sparql-update"),
    lambda c: c.post("/sparql", data="DROP ALL", content_type="application/sparql-query"),
])
def test_updates_are_refused_at_the_query_endpoint(client, send):
    response = send(client)
    assert response.status_code == 400
    assert b"Update" in response.data


def test_two_queries_are_refused(client):
    response = client.get("/sparql?" + urlencode([("query", "ASK {}"), ("query", "ASK {}")]))
    assert response.status_code == 400 and b"2 queries" in response.data
    response = client.post("/sparql?query=ASK%20%7B%7D", data={"query": "ASK {}"})
    assert response.status_code == 400
    response = client.post("/sparql?query=ASK%20%7B%7D", data="ASK {}", content_type="application/sparql-query")
    assert response.status_code == 400


@pytest.mark.parametrize("send", [
    lambda c: c.post("/sparql", data={"format": "json"}),
    lambda c: c.post("/sparql", data="", content_type="application/x-www-form-urlencoded"),
    lambda c: c.get("/sparql", query_string={"default-graph-uri": ENTITIES}),
])
def test_a_missing_query_is_refused(client, send):
    response = send(client)
    assert response.status_code == 400 and b"no query" in response.data


@pytest.mark.parametrize("content_type", ["text/plain", "application/json", "multipart/form-data; boundary=x", None])
def test_wrong_content_type_is_415(client, content_type):
    kwargs = {"content_type": content_type} if content_type else {}
    response = client.post("/sparql", data="ASK {}", **kwargs)
    assert response.status_code == 415 and b"application/sparql-query" in response.data


def test_oversize_query_is_413(make_app):
    app = make_app(SPARQL_MAX_QUERY=1000, SPARQL_WORKERS=1)
    long = "ASK { " + "# padding\n" * 200 + "}"
    response = app.test_client().get("/sparql", query_string={"query": long})
    assert response.status_code == 413 and b"up to 1000" in response.data
    response = app.test_client().post("/sparql", data={"query": long})
    assert response.status_code == 413


def test_oversize_body_is_413(make_app):
    app = make_app(MAX_CONTENT_LENGTH=4096, SPARQL_WORKERS=1)
    body = "ASK { " + "#" * 10000 + "\n}"
    for kwargs in ({"data": body, "content_type": "application/sparql-query"}, {"data": {"query": body}}):
        response = app.test_client().post("/sparql", **kwargs)
        assert response.status_code == 413, response.data
        assert b"larger than" in response.data


@pytest.mark.parametrize("accept, query", [
    ("text/turtle", "SELECT * WHERE { ?s ?p ?o } LIMIT 1"),
    ("application/sparql-results+json", "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1"),
    ("image/png", "ASK {}"),
])
def test_nothing_acceptable_is_406(client, accept, query):
    response = client.get("/sparql", query_string={"query": query}, headers={"Accept": accept})
    assert response.status_code == 406 and b"can be sent as" in response.data


def test_format_parameter_overrides_accept(client):
    response = client.get("/sparql", query_string={"query": "ASK {}", "format": "xml"}, headers=JSON)
    assert response.content_type.startswith("application/sparql-results+xml")
    response = client.get("/sparql", query_string={"query": "ASK {}", "format": "application/sparql-results+json"})
    assert response.content_type.startswith("application/sparql-results+json")


@pytest.mark.parametrize("query_string, media", [
    # SPARQLWrapper's setReturnFormat(RDFXML): format=rdf+xml first, then the media type
    ("format=rdf%2Bxml&format=application%2Frdf%2Bxml", "application/rdf+xml"),
    ("format=rdf%2Bxml", "application/rdf+xml"),
    # a raw `+`, which form decoding reads as a space
    ("format=application/rdf+xml", "application/rdf+xml"),
    ("format=text/turtle&format=rdf+xml", "text/turtle"),
])
def test_format_names_clients_send_for_a_graph(client, query_string, media):
    query = quote("CONSTRUCT WHERE { ?s a schema:Person }")
    response = client.get(f"/sparql?query={query}&{query_string}")
    assert response.status_code == 200 and response.mimetype == media, response.data[:300]


@pytest.mark.parametrize("query_string, accept, media", [
    ("format=application/sparql-results+json", None, "application/sparql-results+json"),  # a raw `+`
    ("format=application/sparql-results+xml", None, "application/sparql-results+xml"),
    ("format=sparql-results+xml&format=xml", None, "application/sparql-results+xml"),  # the first it can satisfy
    ("format=json&format=xml", None, "application/sparql-results+json"),
    ("format=turtle", "text/csv", "text/csv"),  # none fits an ASK: Accept chooses
    ("format=rdf%2Bxml&format=", "application/sparql-results+xml", "application/sparql-results+xml"),
    ("format=tsv&format=text%2Ftab-separated-values", None, "text/tab-separated-values"),
    ("format=json-ld&format=application%2Fld%2Bjson", None, "application/sparql-results+json"),
])
def test_format_takes_the_first_value_it_can_satisfy_then_accept(client, query_string, accept, media):
    headers = {"Accept": accept} if accept else {}
    response = client.get(f"/sparql?query=ASK%20%7B%7D&{query_string}", headers=headers)
    assert response.status_code == 200 and response.mimetype == media, response.data[:300]


def test_no_format_value_and_no_accept_that_fits_is_406(client):
    response = client.get("/sparql?query=ASK%20%7B%7D&format=turtle", headers={"Accept": "image/png"})
    assert response.status_code == 406
    assert b"neither format=turtle nor Accept fits" in response.data and b"can be sent as" in response.data


def test_cors_for_any_origin_without_credentials(client):
    response = client.get("/sparql", query_string={"query": "ASK {}"}, headers={"Origin": "https://a.example"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response.headers
    assert "X-SPARQL-Truncated" in response.headers["Access-Control-Expose-Headers"]
    error = client.get("/sparql", query_string={"query": "ASK {"})
    assert error.headers["Access-Control-Allow-Origin"] == "*"
    preflight = client.options("/sparql", headers={"Origin": "https://a.example",
                                                   "Access-Control-Request-Method": "POST",
                                                   "Access-Control-Request-Headers": "content-type"})
    assert preflight.status_code == 204
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]
    assert "Content-Type" in preflight.headers["Access-Control-Allow-Headers"]
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize("accept, fmt", [("text/turtle", "turtle"), ("application/ld+json", "json-ld"),
                                         ("application/rdf+xml", "xml"), ("application/n-triples", "nt")])
def test_service_description_by_accept(client, release, accept, fmt):
    response = client.get("/sparql", headers={"Accept": accept})
    assert response.status_code == 200 and response.content_type.startswith(accept)
    g = Graph().parse(data=response.data, format=fmt)
    service = URIRef("http://localhost/sparql")
    assert (service, RDF.type, URIRef(SD + "Service")) in g
    assert (service, URIRef(SD + "endpoint"), service) in g
    assert (service, URIRef(SD + "feature"), URIRef(SD + "UnionDefaultGraph")) in g
    names = {str(o) for o in g.objects(None, URIRef(SD + "name"))}
    assert names == set(release.manifest["graphs"])


def test_no_release_yet_is_503(make_app, tmp_path):
    from lod_pub.settings import Settings
    from lod_pub.web import create_app

    app = create_app(Settings(data_dir=tmp_path), SPARQL_WORKERS=1)
    try:
        response = app.test_client().get("/sparql", query_string={"query": "ASK {}"})
        assert response.status_code == 503 and b"nothing to query yet" in response.data
    finally:
        app.extensions["lod_pub.sparql"]["pool"].close()


@pytest.mark.parametrize("name, query, media", [
    ("xml", "CONSTRUCT WHERE { ?s a schema:Person }", "application/rdf+xml"),
    ("json", "CONSTRUCT WHERE { ?s a schema:Person }", "application/ld+json"),
    ("n3", "CONSTRUCT WHERE { ?s a schema:Person }", "text/turtle"),
    ("xml", "SELECT * WHERE { ?s a schema:Person }", "application/sparql-results+xml"),
    ("srj", "ASK {}", "application/sparql-results+json"),
])
def test_format_names_other_clients_send_are_read_by_the_query_form(client, name, query, media):
    response = client.get("/sparql", query_string={"query": query, "format": name})
    assert response.status_code == 200 and response.content_type.startswith(media)


def test_every_setting_is_documented_with_its_default():
    from pathlib import Path

    from lod_pub.web.sparql import SETTINGS

    doc = (Path(__file__).resolve().parents[2] / "docs" / "sparql.md").read_text("utf-8")
    for s in SETTINGS:
        assert f"| `{s.name}` | `{s.default!r}` |" in doc, s.name


def test_settings_from_the_environment():
    from lod_pub.settings import read_environment, web_config

    env = {"LOD_PUB_SPARQL_TIMEOUT": "12.5", "LOD_PUB_SPARQL_WORKERS": "3", "LOD_PUB_SPARQL_REWRITE": "off",
           "LOD_PUB_SPARQL_SERVICE_ALLOW": "https://a.example/sparql https://b.example/sparql", "OTHER": "x"}
    assert web_config(read_environment(env)) == {"SPARQL_TIMEOUT": 12.5, "SPARQL_WORKERS": 3, "SPARQL_REWRITE": False,
                                       "SPARQL_SERVICE_ALLOW": ("https://a.example/sparql", "https://b.example/sparql")}


@pytest.mark.parametrize("body, content_type", [
    ("ASK {}".encode("utf-16"), "application/sparql-query; charset=UTF-16"),
    (b"ASK { ?s ?p \"\xff\" }", "application/sparql-query"),
])
def test_a_query_body_not_in_utf8_is_refused(client, body, content_type):
    response = client.post("/sparql", data=body, content_type=content_type)
    assert response.status_code == 400 and b"UTF-8" in response.data


def test_other_methods_are_refused(client):
    for method in (client.put, client.delete, client.patch):
        response = method("/sparql", query_string={"query": "ASK {}"})
        assert response.status_code == 405 and "GET" in response.headers["Allow"]


def test_service_and_remote_from_never_open_a_connection(client):
    """A listener on a loopback port: nothing the endpoint is sent may connect to it."""
    import socket

    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        listener.settimeout(0.5)
        url = f"http://127.0.0.1:{listener.getsockname()[1]}/sparql"
        for query in (f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
                      f"SELECT * WHERE {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }}",
                      f"SELECT * FROM <{url}> WHERE {{ ?s ?p ?o }}",
                      f"SELECT * FROM NAMED <{url}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"):
            assert client.get("/sparql", query_string={"query": query}).status_code == 400
        assert count(client.get("/sparql", query_string={"query": COUNT, "default-graph-uri": url},
                                headers=JSON)) == 0  # an empty graph: nothing is fetched
        with pytest.raises(socket.timeout):
            listener.accept()


def test_an_allow_listed_service_that_fails_is_502(make_app):
    from sparql_support import free_port

    url = f"http://127.0.0.1:{free_port()}/sparql"  # nothing listens there
    client = make_app(SPARQL_SERVICE_ALLOW=(url,), SPARQL_WORKERS=1).test_client()
    response = client.get("/sparql", query_string={"query": f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}"})
    assert response.status_code == 502 and b"SERVICE endpoint failed" in response.data
