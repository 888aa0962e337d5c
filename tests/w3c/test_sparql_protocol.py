"""The W3C SPARQL 1.1 Protocol tests (sparql11/protocol) and Service Description tests, run over HTTP
against the project's app on a real server (conftest.py: w3c_server).

The protocol manifest writes each test as HTTP exchanges (the ht: vocabulary): method, path, headers and
body of each request, and of each response the status class expected (mf:expectedStatus), the kind of
answer (mf:expectedFormat: "boolean", "tabular", "RDF") and for an ASK its value (mf:expectedBoolean).
Each request is sent exactly as written (path and body bytes unchanged, only the manifest's `/sparql/`
made this endpoint's `/sparql`) and each response checked against what the manifest expects: status,
Content-Type among the formats of that kind, and the answer read back in it.

The graphs the tests name (http://kasei.us/2009/09/sparql/data/data1.rdf ... data3.rdf) are in the
release, read from the suite's data1.nt ... data3.nt; data0.rdf, which several tests name as their
default graph, is not: the service answers it as an empty graph, as the tests expect.

The Service Description tests are written in prose; each is a test below (test_service_description_*).
"""

from __future__ import annotations

import http.client
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF
from rdflib.term import Node

from w3c_manifests import BASE, MF, ROOT, W3CTest, manifest_tests
from w3c_results import read_answer

HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
STATUS = Namespace("http://www.w3.org/2011/http-statusCodes#")
W3F = "http://www.w3.org/ns/formats/"

#: Content types a response of each mf:expectedFormat may have (the manifest's test names list them).
KINDS = {
    "boolean": ("application/sparql-results+xml", "application/sparql-results+json"),
    "tabular": ("application/sparql-results+xml", "application/sparql-results+json", "text/csv",
                "text/tab-separated-values"),
    "RDF": ("application/rdf+xml", "text/turtle", "application/n-triples"),
}
READ_ONLY = "SPARQL Update over the Protocol, expecting 2xx: this is a read-only query service, which refuses " \
            "updates (400)"
#: Protocol tests that cannot apply to this service, and why. Their first request is still sent: it must be
#: refused with 400, saying the endpoint does not take updates.
NOT_APPLICABLE = {name: READ_ONLY for name in (
    "update_dataset_default_graph", "update_dataset_default_graphs", "update_dataset_named_graphs",
    "update_dataset_full", "update_post_form", "update_post_direct", "update_base_uri")}


@dataclass(frozen=True)
class Exchange:
    """One request of a protocol test and what its response must be."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    statuses: tuple[str, ...]        # "2xx", "3xx", "4xx"
    kind: str | None                 # "boolean", "tabular", "RDF"
    boolean: bool | None


def _exchange(g: Graph, request: Node) -> Exchange:
    headers = {str(g.value(h, HT.fieldName)): str(g.value(h, HT.fieldValue))
               for lst in g.objects(request, HT.headers) for h in Collection(g, lst)}
    body = g.value(request, HT.body)
    data = None
    if body is not None:
        data = str(g.value(body, CNT.chars)).encode(str(g.value(body, CNT.characterEncoding) or "UTF-8"))
    response = g.value(request, HT.resp)
    statuses = tuple(sorted(str(s).rsplit("StatusCode", 1)[-1] for s in g.objects(response, MF.expectedStatus)))
    kind, boolean = g.value(response, MF.expectedFormat), g.value(response, MF.expectedBoolean)
    path = str(g.value(request, HT.absolutePath))
    assert path.startswith("/sparql/"), path
    return Exchange(str(g.value(request, HT.methodName)), "/sparql" + path[len("/sparql/"):], headers, data,
                    statuses, str(kind) if kind is not None else None,
                    bool(boolean.toPython()) if boolean is not None else None)


def exchanges() -> dict[str, list[Exchange]]:
    """Each protocol test's exchanges, in order, by test name."""
    path = ROOT / "protocol" / "manifest.ttl"
    g = Graph().parse(path, format="turtle", publicID=BASE + "protocol/manifest.ttl")
    found = {}
    for test in g.subjects(RDF.type, MF.ProtocolTest):
        connection = g.value(test, MF.action)
        requests = Collection(g, g.value(connection, HT.requests))
        found[str(test).rsplit("#", 1)[-1]] = [_exchange(g, r) for r in requests]
    return found


EXCHANGES = exchanges()
TESTS = manifest_tests("protocol")


def send(base: str, exchange: Exchange) -> http.client.HTTPResponse:
    """The request exactly as the manifest writes it (no header added but Host and Content-Length)."""
    where = urlsplit(base)
    connection = http.client.HTTPConnection(where.hostname, where.port, timeout=30)
    connection.request(exchange.method, exchange.path, body=exchange.body, headers=exchange.headers)
    return connection.getresponse()


def check(response: http.client.HTTPResponse, exchange: Exchange) -> None:
    body = response.read()
    said = f"{exchange.method} {exchange.path[:120]}: {response.status} {body[:300]!r}"
    assert f"{response.status // 100}xx" in exchange.statuses, said
    if exchange.kind is None:
        return
    media = (response.getheader("Content-Type") or "").split(";")[0].strip()
    assert media in KINDS[exchange.kind], f"{said}: {media} is not a {exchange.kind} format"
    answer = read_answer(body, media, "http://www.example/sparql")
    assert answer.kind == {"boolean": "boolean", "tabular": "solutions", "RDF": "graph"}[exchange.kind], said
    if exchange.boolean is not None:
        assert answer.boolean is exchange.boolean, said


@pytest.mark.parametrize("test", TESTS, ids=lambda t: t.name)
def test_protocol(w3c_server: str, test: W3CTest) -> None:
    if test.name in NOT_APPLICABLE:
        response = send(w3c_server, EXCHANGES[test.name][0])
        refusal = response.read()
        assert response.status == 400 and b"Update" in refusal, refusal[:300]
        pytest.skip(NOT_APPLICABLE[test.name])
    for exchange in EXCHANGES[test.name]:
        check(send(w3c_server, exchange), exchange)


def test_every_protocol_test_is_read() -> None:
    assert set(EXCHANGES) == {t.name for t in TESTS}
    assert set(NOT_APPLICABLE) <= set(EXCHANGES)


# -- the Service Description tests (sparql11/service-description, written in prose) ----------------
def _description(base: str) -> tuple[Graph, str]:
    response = send(base, Exchange("GET", "/sparql", {"Accept": "text/turtle"}, None, ("2xx",), None, None))
    assert response.status == 200
    assert (response.getheader("Content-Type") or "").startswith("text/turtle")
    return Graph().parse(data=response.read(), format="turtle"), base + "/sparql"


def test_service_description_returns_rdf(w3c_server: str) -> None:
    """returns-rdf: GET on the endpoint, without a query, answers RDF; every RDF format asked for."""
    for media, parser in (("text/turtle", "turtle"), ("application/rdf+xml", "xml"),
                          ("application/n-triples", "nt"), ("application/ld+json", "json-ld")):
        response = send(w3c_server, Exchange("GET", "/sparql", {"Accept": media}, None, ("2xx",), None, None))
        assert response.status == 200 and response.getheader("Content-Type", "").startswith(media)
        assert len(Graph().parse(data=response.read(), format=parser)) > 0, media


def test_service_description_has_a_matching_endpoint_triple(w3c_server: str) -> None:
    """has-endpoint-triple: the description holds `?service sd:endpoint <the URL it was read from>`."""
    g, url = _description(w3c_server)
    assert (None, SD.endpoint, URIRef(url)) in g


def test_service_description_conforms_to_the_schema(w3c_server: str) -> None:
    """conforms-to-schema: a sd:Service with an endpoint, languages and features of the vocabulary, result
    formats named by their W3C format IRIs, and a default dataset whose graphs are sd:Graph and whose
    named graphs have an IRI for name."""
    g, _ = _description(w3c_server)
    services = list(g.subjects(RDF.type, SD.Service))
    assert len(services) == 1
    service = services[0]
    assert set(g.objects(service, SD.supportedLanguage)) <= {SD.SPARQL10Query, SD.SPARQL11Query, SD.SPARQL11Update}
    assert SD.SPARQL11Query in set(g.objects(service, SD.supportedLanguage))
    assert all(str(f).startswith(str(SD)) for f in g.objects(service, SD.feature))
    formats = set(g.objects(service, SD.resultFormat))
    assert formats and all(str(f).startswith(W3F) for f in formats)
    dataset = g.value(service, SD.defaultDataset)
    assert (dataset, RDF.type, SD.Dataset) in g
    assert (g.value(dataset, SD.defaultGraph), RDF.type, SD.Graph) in g
    named = list(g.objects(dataset, SD.namedGraph))
    assert named and all((n, RDF.type, SD.NamedGraph) in g and isinstance(g.value(n, SD.name), URIRef)
                         for n in named)
    assert URIRef("http://kasei.us/2009/09/sparql/data/data1.rdf") in {g.value(n, SD.name) for n in named}
