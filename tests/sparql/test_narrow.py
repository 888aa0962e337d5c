"""Closure paths answered first (web/sparql/narrow.py): the same answers with and without (property-based, on
random graphs), applied only where the pattern reads the active graph, and used by the query worker."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from lod_pub.web.sparql import worker as worker_module
from sparql_support import bag, edge_store, plan_job, run_in_worker
from lod_pub.web.sparql.narrow import narrow
from lod_pub.web.sparql.worker import _counter, _prober, _rows

EX = "http://example.org/"
PREFIXES = {"ex": EX}
PREDICATES = ("ex:p", "ex:q", "a")
NODES = [ox.NamedNode(f"{EX}n{i}") for i in range(6)]
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"

edges = st.lists(st.tuples(st.integers(0, 5), st.sampled_from(PREDICATES), st.integers(0, 5)), max_size=30)
steps = st.lists(st.tuples(st.sampled_from(PREDICATES), st.sampled_from(["", "*", "+", "?"])), min_size=1, max_size=3)
#: Groups around a closure pattern P (and a second one, Q): joins, OPTIONAL, UNION, MINUS, BIND, a sub-select,
#: an aggregate, the constant at either end, a literal end.
SHAPES = (
    "SELECT * WHERE {{ {P} ; ex:p ?o }}",
    "SELECT * WHERE {{ ?s a ?t . {P} }}",
    "SELECT * WHERE {{ ?x ex:p ?s OPTIONAL {{ {P} . ?s ex:q ?y }} }}",
    "SELECT * WHERE {{ OPTIONAL {{ ?s ex:q ?y }} {P} }}",
    "SELECT * WHERE {{ {{ {P} }} UNION {{ ?s ex:p ?o }} }}",
    "SELECT * WHERE {{ ?s ex:p ?o MINUS {{ {P} }} }}",
    "SELECT * WHERE {{ ?x ex:p ?o BIND(?o AS ?s) {P} }}",
    "SELECT ?s (COUNT(*) AS ?n) WHERE {{ {P} . {Q} }} GROUP BY ?s",
    "SELECT * WHERE {{ ?x ex:q ?s {{ SELECT ?s WHERE {{ {P} }} }} }}",
    "SELECT * WHERE {{ <{EX}n{c}> {PATH} ?s . ?s ex:p ?o }}",
    "ASK {{ {P} ; ex:q <{EX}n{d}> }}",
)







@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(graph=edges, path=steps, other=steps, shape=st.sampled_from(SHAPES), c=st.integers(0, 5),
       d=st.integers(0, 5), limit=st.sampled_from([1, 3, 1000]))
def test_narrowed_queries_give_the_same_answers(graph, path, other, shape, c, d, limit):
    text = "/".join(p + m for p, m in path)
    second = "/".join(p + m for p, m in other)
    query = shape.format(P=f"?s {text} <{EX}n{c}>", Q=f"?s {second} <{EX}n{d}>", PATH=text, EX=EX, c=c, d=d)
    store = edge_store(graph, NODES, EX)
    narrowed = narrow(query, _prober(_rows(store, plan_job(PREFIXES))), limit=limit)
    if not any(m in ("*", "+") for _, m in path + other):
        assert narrowed is None
        return
    event("narrowed" if narrowed else "left to the engine")
    if narrowed is not None:
        assert "VALUES ?s {" in narrowed
        assert bag(store, narrowed, PREFIXES) == bag(store, query, PREFIXES), narrowed


def test_a_small_path_is_bound_before_its_block_and_a_large_one_is_not():
    store = edge_store([(i, "ex:p", 0) for i in range(1, 6)] + [(1, "ex:q", 2)], NODES, EX)
    query = "SELECT * WHERE { ?x ex:r ?y . ?s ex:p* ex:n0 ; ex:q ?o }"
    assert narrow(query, _prober(_rows(store, plan_job(PREFIXES)))) == \
        "SELECT * WHERE { VALUES ?s { <http://example.org/n0> <http://example.org/n1> <http://example.org/n2> " \
        "<http://example.org/n3> <http://example.org/n4> <http://example.org/n5> } ?x ex:r ?y . " \
        "?s ex:p* ex:n0 ; ex:q ?o }"
    assert narrow(query, _prober(_rows(store, plan_job(PREFIXES))), limit=5) is None  # six nodes: left to the engine


def test_the_probe_reads_the_jobs_dataset():
    store = ox.Store()
    graph = ox.NamedNode(EX + "g")
    store.add(ox.Quad(NODES[1], ox.NamedNode(EX + "p"), NODES[0], graph))
    store.add(ox.Quad(NODES[2], ox.NamedNode(EX + "p"), NODES[0]))
    query = "SELECT ?s WHERE { ?s ex:p+ ex:n0 }"
    assert "<http://example.org/n1>" in narrow(query, _prober(_rows(store, plan_job(PREFIXES, default_graph=[EX + "g"]))))
    assert "<http://example.org/n2>" in narrow(query, _prober(_rows(store, plan_job(PREFIXES))))


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { ?s ex:p/ex:q ex:n0 }",                          # no closure
    "SELECT * WHERE { ?s ex:p* ?o }",                                 # no constant end
    "SELECT * WHERE { ex:n1 ex:p* ex:n0 }",                           # no variable end
    "SELECT * WHERE { _:b ex:p* ex:n0 }",                             # a blank node end
    "SELECT * WHERE { [] ex:p* ex:n0 }",
    "SELECT * WHERE { GRAPH ?g { ?s ex:p* ex:n0 } }",                 # another active graph
    "SELECT * WHERE { GRAPH ex:g { ?s ex:p* ex:n0 } }",
    "SELECT * FROM ex:g WHERE { ?s ex:p* ex:n0 }",                    # another dataset
    "SELECT * WHERE { ?x ex:p ?y FILTER EXISTS { ?x ex:p* ex:n0 } }",  # EXISTS substitutes
    "SELECT * WHERE { ?x ex:p ?y FILTER(NOT EXISTS { ?x ex:p* ex:n0 }) }",
    "CONSTRUCT WHERE { ?s ex:p* ex:n0 }",                             # the group is the template
    "SELECT * WHERE { VALUES ?s { ex:n1 } }",
    'SELECT * WHERE { ?s ex:name "?s ex:p* ex:n0" }',                 # inside a string
    "SELECT * WHERE { ?s ex:p ?o FILTER(?o * 2 > 1) }",               # a product, not a path
])
def test_left_alone(query):
    def probe(text: str) -> list[str]:
        raise AssertionError(f"probed: {text}")
    assert narrow(query, probe) is None


def test_a_construct_template_is_left_as_written():
    query = "CONSTRUCT { ?s ex:p* ex:n0 } WHERE { ?s ex:p* ex:n0 }"
    narrowed = narrow(query, lambda text: ["<http://example.org/n1>"])
    assert narrowed == "CONSTRUCT { ?s ex:p* ex:n0 } WHERE { VALUES ?s { <http://example.org/n1> } ?s ex:p* ex:n0 }"


def test_a_blank_node_or_a_failed_probe_binds_nothing():
    store = ox.Store()
    store.add(ox.Quad(ox.BlankNode("b"), ox.NamedNode(EX + "p"), NODES[0]))
    assert narrow("SELECT * WHERE { ?s ex:p+ ex:n0 }", _prober(_rows(store, plan_job(PREFIXES)))) is None
    assert narrow("SELECT * WHERE { ?s ex:p+ ex:n0 }", lambda text: None) is None


def test_a_literal_end_and_the_prologue_reach_the_probe():
    store = ox.Store()
    store.add(ox.Quad(NODES[1], ox.NamedNode(EX + "name"), ox.Literal("Kora", language="en")))
    store.add(ox.Quad(NODES[2], ox.NamedNode(EX + "p"), NODES[1]))
    query = 'PREFIX x: <http://example.org/> SELECT ?s WHERE { ?s x:p*/x:name "Kora"@en }'
    narrowed = narrow(query, _prober(_rows(store, plan_job({}))))
    assert narrowed is not None and bag(store, narrowed, PREFIXES) == bag(store, query, PREFIXES)
    assert bag(store, query, PREFIXES) == Counter({("<http://example.org/n1>",): 1, ("<http://example.org/n2>",): 1})


def _disk_store(path: Path) -> str:
    store = ox.Store(str(path))
    for i in range(1, 6):
        store.add(ox.Quad(NODES[i], ox.NamedNode(EX + "p"), NODES[i - 1], ox.NamedNode(EX + "g")))
        store.add(ox.Quad(NODES[i], ox.NamedNode(RDF_TYPE), ox.NamedNode(EX + "T"), ox.NamedNode(EX + "g")))
    store.flush()
    del store
    return str(path)


@pytest.mark.parametrize("flag", [True, False])
def test_the_worker_narrows_on_the_embedded_store(tmp_path, monkeypatch, flag):
    calls = []

    def spy(query, probe, count):  # without the count: the store is too small for a pattern to be large
        assert count is not None
        calls.append(narrow(query, probe))
        return calls[-1]
    monkeypatch.setattr(worker_module, "narrow", spy)
    query = "SELECT ?s WHERE { ?s a ex:T ; ex:p+ ex:n2 } ORDER BY ?s"
    answer, data = run_in_worker(_disk_store(tmp_path / "s"), query, PREFIXES, tmp_path, plan=flag)
    assert answer.ok and answer.rows == 3
    assert data.decode().split() == ["?s", "<http://example.org/n3>", "<http://example.org/n4>",
                                     "<http://example.org/n5>"]
    assert [c is not None and "VALUES ?s" in c for c in calls] == ([True] if flag else [])


def test_a_narrowed_query_that_does_not_parse_falls_back(tmp_path, monkeypatch):
    monkeypatch.setattr(worker_module, "narrow", lambda query, probe: "SELECT nonsense {")
    answer, data = run_in_worker(_disk_store(tmp_path / "s"), "SELECT ?s WHERE { ?s ex:p+ ex:n4 }", PREFIXES,
                                 tmp_path)
    assert answer.ok and data.decode().split() == ["?s", "<http://example.org/n5>"]


def test_a_block_with_a_small_plain_pattern_is_not_probed():
    """The engine starts from the pattern of few rows already: probing the path would only cost."""
    store = edge_store([(i % 6, "ex:p", (i + 1) % 6) for i in range(12)] + [(1, "ex:q", 2)], NODES, EX)
    query = "SELECT * WHERE { ?s ex:q ex:n2 . ?s ex:p* ex:n0 }"

    def probe(text: str) -> list[str]:
        raise AssertionError(f"probed: {text}")
    assert narrow(query, probe, _counter(store, plan_job(PREFIXES))) is None
    assert narrow(query, _prober(_rows(store, plan_job(PREFIXES))))  # without the count, probed and narrowed


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { ?s ex:p* ex:n0 } LIMIT 1",                                   # which row: the engine's
    "SELECT ?o WHERE { { SELECT ?s WHERE { ?s ex:p+ ex:n0 } LIMIT 1 } ?s ex:q ?o }",
    "SELECT (SAMPLE(?s) AS ?x) WHERE { ?s ex:p* ex:n0 }",
    "SELECT (GROUP_CONCAT(STR(?s)) AS ?x) WHERE { ?s ex:p* ex:n0 }",
    "PREFIX : <http://example.org/> SELECT * WHERE { GRAPH:g { ?s :p* :n0 } }",    # GRAPH, glued
    "PREFIX : <http://example.org/> SELECT * WHERE { ?x :q ?y FILTERNOTEXISTS { ?x :p* :n0 } }",
])
def test_left_alone_where_the_answer_would_depend_on_order_or_a_glued_keyword(query):
    def probe(text: str) -> list[str]:
        raise AssertionError(f"probed: {text}")
    assert narrow(query, probe) is None


def test_reading_a_long_query_is_linear():
    """A block that is not plain triples (`[ ]`) after thousands of triples is passed over once, and a run
    of `) {` is read once: the reading of a 48 KB query takes milliseconds, not half a minute."""
    import time

    triples = " . ".join(f"?s{i} ex:p ?o{i}" for i in range(2000))
    long_block = f"SELECT * WHERE {{ {triples} . ?z ex:p [ ] FILTER(1+1 = 2) . ?s ex:p+ ex:n0 }}"
    braces = "SELECT * WHERE { ?s ex:p+ ex:n0 } " + ") {} " * 8000
    for query in (long_block, braces):
        started = time.perf_counter()
        narrow(query, lambda text: None)
        assert time.perf_counter() - started < 2.0
