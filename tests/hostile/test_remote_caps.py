"""What reaches a remote store is bounded by that store's own limits, measured on an Oxigraph server
and on Virtuoso (benchmarks/bench_remote_caps.py; docs/remote.md): each cap is tried, on both, just
under (the real server answers, quickly, and stays up) and just over (400, the store never sees it).
The queries take the shape that costs the server most for their size: joined groups and patterns
with a variable predicate (its planner), a flat run of BINDs (its stack), a flat `||` chain (its
parser), brackets nested to the cap.
"""

from __future__ import annotations

import time

import pytest

from lod_pub.vocab import PREFIXES
from lod_pub.web import create_app
from lod_pub.web.sparql import SETTINGS
from lod_pub.web.sparql.guard import scan

DEFAULTS = {s.name: s.default for s in SETTINGS}
ASK = {"query": "ASK { ?s ?p ?o }", "format": "json"}


def groups(n: int) -> str:
    return "SELECT * { " + " ".join(f"{{ ?s{i} ?p{i} ?o{i} }}" for i in range(n - 1)) + " } LIMIT 1"


def patterns(n: int) -> str:
    return "SELECT * { " + " ".join(f"?x{i} ?p{i} ?x{i + 1} ." for i in range(n)) + " } LIMIT 1"


def binds(n: int) -> str:
    return "SELECT * { " + " ".join(f"BIND({i} AS ?v{i})" for i in range(n)) + " }"


def operators(n: int) -> str:
    return "ASK { FILTER(true" + "||true" * n + ") }"


def nesting(n: int) -> str:
    """Brackets `( )` nested n deep in all (braces are capped sooner, as groups)."""
    return "ASK { FILTER(" + "(" * (n - 2) + "true" + ")" * (n - 2) + ") }"


CAPS = {  # setting: (query of size n, what the guard counts)
    "SPARQL_REMOTE_GROUPS": (groups, lambda found: found.groups),
    "SPARQL_REMOTE_PATTERNS": (patterns, lambda found: found.patterns),
    "SPARQL_REMOTE_BINDS": (binds, lambda found: found.binds),
    "SPARQL_REMOTE_OPERATORS": (operators, lambda found: found.operators),
    "SPARQL_NESTING": (nesting, lambda found: found.depth),
}


@pytest.fixture(scope="module", params=["remote", "virtuoso"])
def remote_client(request):
    """A client of the app reading an Oxigraph server ("remote") or Virtuoso (tests/virtuoso_server.py)."""
    settings = request.getfixturevalue("virtuoso_settings" if request.param == "virtuoso" else "remote_settings")
    app = create_app(settings, SPARQL_WORKERS=2, SPARQL_TIMEOUT=60)
    yield app.test_client()
    app.extensions["lod_pub.sparql"]["pool"].close()


def sized(name: str, count: int) -> str:
    """The query whose guard count is exactly `count`."""
    build, counted = CAPS[name]
    n = count
    while counted(scan(build(n), 10_000, PREFIXES)) > count:
        n -= 1
    query = build(n)
    assert counted(scan(query, 10_000, PREFIXES)) == count, name
    return query


@pytest.mark.parametrize("name", list(CAPS))
def test_just_under_the_cap_the_store_answers_quickly(remote_client, name):
    started = time.monotonic()
    response = remote_client.post("/sparql", data={"query": sized(name, DEFAULTS[name]), "format": "json"})
    seconds = time.monotonic() - started
    assert response.status_code == 200, response.data[:300]
    assert seconds < 20, f"{name}: {seconds:.1f} s at the cap"  # measured 0.15-0.5 s; the store is shared
    assert remote_client.get("/sparql", query_string=ASK).status_code == 200


@pytest.mark.parametrize("name", list(CAPS))
def test_just_over_the_cap_is_refused_before_the_store(remote_client, name):
    response = remote_client.post("/sparql", data={"query": sized(name, DEFAULTS[name] + 1), "format": "json"})
    assert response.status_code == 400, response.data[:300]
    assert remote_client.get("/sparql", query_string=ASK).status_code == 200


def test_every_cap_at_once_is_answered(remote_client):
    """One query at every remote cap together: the server answers and stays up."""
    g, t, b = DEFAULTS["SPARQL_REMOTE_GROUPS"], DEFAULTS["SPARQL_REMOTE_PATTERNS"], DEFAULTS["SPARQL_REMOTE_BINDS"]
    body = (" ".join(f"{{ ?s{i} ?p{i} ?o{i} }}" for i in range(g - 1)) + " "
            + " ".join(f"BIND({i} AS ?v{i})" for i in range(b)) + " FILTER(true" + "||true" * 800 + ")")
    query = f"SELECT * {{ {body} }} LIMIT 1"
    found = scan(query, 100, PREFIXES)
    assert (found.groups, found.binds) == (g, b) and found.patterns <= t
    response = remote_client.post("/sparql", data={"query": query, "format": "json"})
    assert response.status_code == 200, response.data[:300]
    assert remote_client.get("/sparql", query_string=ASK).status_code == 200


def test_the_binds_that_aborted_the_store_are_refused(remote_client):
    """2,750 BINDs (45 KB) aborted an Oxigraph server with a stack overflow; every page was then 503."""
    response = remote_client.post("/sparql", data={"query": binds(2750), "format": "json"})
    assert response.status_code == 400 and b"BIND" in response.data
    response = remote_client.post("/sparql", data={"query": groups(1000), "format": "json"})
    assert response.status_code == 400 and b"groups" in response.data
    assert remote_client.get("/sparql", query_string=ASK).status_code == 200
