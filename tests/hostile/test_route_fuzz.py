"""A fuzz of every public route: hypothesis builds requests (method, path, parameters, headers, body) from
the app's own URL map and from hostile pieces, and the app must answer each without a 5xx or a crash
(503 with Retry-After and the 504 of the SPARQL time limit are answers, not failures).

Bounded for CI: FUZZ_EXAMPLES requests per test (LOD_PUB_FUZZ_EXAMPLES), no deadline per example.
"""

from __future__ import annotations

import pytest

import os
import re
from urllib.parse import quote

from hypothesis import HealthCheck, given, settings, strategies as st

FUZZ_EXAMPLES = int(os.environ.get("LOD_PUB_FUZZ_EXAMPLES", "1000"))
FUZZ = settings(max_examples=FUZZ_EXAMPLES, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

PIECES = ("..", "%2e%2e", "%2f", "/", "%00", "\x00", "%ff", "%ED%A0%80", "sohail-mahmood", "nato", "person",
          "organization", "article", "entities", "dip", ".ttl", ".html", ".jsonld", ".nt", ".rdf", "graph.nt.gz", "parts/0000.nq.gz",
          "graph.nt.gz", "<script>", "' OR 1=1", "%", "?", "#", ";", "~", "\u202e", "\U0001f600", "a" * 300)
KEYS = ("q", "class", "page", "query", "format", "default-graph-uri", "named-graph-uri", "update", "x")
QUERIES = ("ASK {}", "SELECT * WHERE { ?s ?p ?o } LIMIT 3", "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 2",
           "DESCRIBE <https://lod.example.org/id/person/sohail-mahmood>", "SELECT * {", "INSERT DATA {}",
           "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> {} }", "SELECT * FROM <file:///etc/passwd> {}")
MEDIA = ("text/html", "text/turtle", "application/ld+json", "application/n-triples", "application/rdf+xml",
         "application/sparql-results+json", "text/csv", "*/*", "text/*", "application/xml", "image/png", "")
CONTENT_TYPES = ("application/x-www-form-urlencoded", "application/sparql-query", "application/sparql-update",
                 "application/sparql-query; charset=latin-1", "multipart/form-data; boundary=x", "text/plain", "")


#: Paths that exist, so that parameters and headers reach the code behind a found resource too.
REAL = ("/doc/person/sohail-mahmood", "/doc/person/sohail-mahmood.html", "/id/organization/nato",
        "/graph/entities", "/graph/entities.ttl", "/dumps/graph.nt", "/dumps/graph.nt.gz", "/void.jsonld",
        "/ns/dip.html", "/search", "/sparql")


def templates(app) -> list[str]:
    """Every rule of the app's URL map, and the real paths, twice each so they come up as often."""
    return sorted({rule.rule for rule in app.url_map.iter_rules()}) + list(REAL) * 2


segment = st.one_of(st.sampled_from(PIECES), st.text(max_size=20),
                    st.lists(st.sampled_from(PIECES), min_size=1, max_size=4).map("".join))
accept = st.one_of(st.sampled_from(MEDIA), st.text(max_size=40),
                   st.lists(st.tuples(st.sampled_from(MEDIA), st.sampled_from(("", ";q=0", ";q=0.5", ";q=x", ";charset=utf-8",
                                                                              ";profile=\"x\""))),
                            max_size=5).map(lambda items: ", ".join(m + p for m, p in items)))
value = st.one_of(st.sampled_from(QUERIES), st.sampled_from(PIECES), st.text(max_size=60))


def fill(template: str, parts: list[str]) -> str:
    """A path from a rule like /doc/<kind>/<name>, its parameters replaced by the generated parts."""
    it = iter(quote(part.encode("utf-8", "surrogatepass"), safe="%/.;~") for part in parts)
    return re.sub(r"<[^>]+>", lambda _: next(it, "x"), template)


@st.composite
def requests_(draw, rules: list[str]):
    template = draw(st.sampled_from(rules))
    path = fill(template, draw(st.lists(segment, min_size=3, max_size=3)))
    params = draw(st.lists(st.tuples(st.sampled_from(KEYS), value), max_size=4))
    method = draw(st.sampled_from(("GET", "GET", "HEAD", "POST", "OPTIONS", "PUT", "DELETE")))
    headers = {"Accept": draw(accept)}
    if draw(st.booleans()):
        headers["Accept-Encoding"] = draw(st.sampled_from(("gzip", "gzip;q=0", "br", "*", "identity;q=0", "x")))
    for name in ("If-None-Match", "If-Modified-Since", "Range"):
        if draw(st.integers(0, 4)) == 0:
            headers[name] = draw(st.one_of(st.sampled_from(("*", '"x"', "bytes=0-10", "bytes=-5", "bytes=10-0",
                                                            "bytes=0-0,1-1,2-2", "Sat, 28 Nov 2026 00:00:00 GMT",
                                                            "yesterday")), st.text(max_size=20)))
    body = None
    if method == "POST":
        headers["Content-Type"] = draw(st.sampled_from(CONTENT_TYPES))
        body = draw(st.one_of(st.binary(max_size=200), value.map(lambda v: v.encode("utf-8", "surrogatepass")),
                              st.lists(st.tuples(st.sampled_from(KEYS), value), max_size=3).map(
                                  lambda kv: "&".join(f"{k}={v}" for k, v in kv).encode("utf-8", "surrogatepass"))))
    return method, path, params, headers, body


def acceptable(response) -> bool:
    status = response.status_code
    if status == 503:
        return "Retry-After" in response.headers or b"stopped" in response.data or b"store" in response.data
    return status < 500 or status == 504


@pytest.mark.slow
def test_every_route_survives_generated_requests(hostile_app):
    client = hostile_app.test_client()
    rules = templates(hostile_app)

    @FUZZ
    @given(request=requests_(rules))
    def check(request):
        method, path, params, headers, body = request
        headers = {k: re.sub(r"[\r\n]", " ", v).encode("utf-8", "surrogatepass").decode("latin-1")  # as on the wire
                   for k, v in headers.items()}
        response = client.open(path, method=method, query_string=[(k, v.encode("utf-8", "surrogatepass"))
                                                                   for k, v in params],
                               headers=headers, data=body)
        data = response.get_data()
        response.close()
        assert acceptable(response), (method, path, params, headers, body, response.status_code, data[:300])

    check()


def test_sparql_survives_generated_queries(hostile_app):
    """Queries built from SPARQL's own pieces, so that many parse and reach a worker."""
    client = hostile_app.test_client()
    words = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE", "WHERE", "{", "}", "(", ")", "[", "]", "?s", "?p", "?o", "*",
             ".", ";", ",", "a", "schema:name", "<https://lod.example.org/id/person/sohail-mahmood>", '"x"', "'y'@en",
             "1", "FILTER", "REGEX(?o, \"(a+)+$\")", "OPTIONAL", "UNION", "MINUS", "GRAPH", "?g", "VALUES", "BIND",
             "AS", "LIMIT", "10", "ORDER BY", "GROUP BY", "COUNT(*)", "SERVICE", "FROM", "NAMED", "<file:///etc/passwd>",
             "#", "\n", "PREFIX", "x:", "<http://x/>", "BASE", "/", "|", "^", "+", "!", "&&", "||", "EXISTS", "NOT")
    query = st.lists(st.sampled_from(words), max_size=40).map(" ".join)

    @FUZZ
    @given(query=query, fmt=st.sampled_from(("json", "xml", "csv", "tsv", "turtle", "jsonld", "ntriples", "html", "x")))
    def check(query, fmt):
        response = client.post("/sparql", data={"query": query, "format": fmt})
        data = response.get_data()
        assert acceptable(response), (query, fmt, response.status_code, data[:300])

    check()
