"""Joins of large patterns by hashing (web/sparql/joins.py): the same answers with and without (property-based,
on random graphs), applied only where every solution is read and the counts say so, and used by the worker."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from lod_pub.web.sparql import worker as worker_module
from sparql_support import bag, edge_store, plan_job, run_in_worker
from lod_pub.web.sparql.joins import hash_joins
from lod_pub.web.sparql.worker import _counter, _rows

EX = "http://example.org/"
PREFIXES = {"ex": EX}
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
NODES = [ox.NamedNode(f"{EX}n{i}") for i in range(8)]
PREDICATES = ("ex:p", "ex:q", "a")

edges = st.lists(st.tuples(st.integers(0, 7), st.sampled_from(PREDICATES), st.integers(0, 7)), min_size=10, max_size=60)
#: Queries that read every solution (GROUP BY, an aggregate, ORDER BY) over blocks of plain patterns, with
#: FILTER, OPTIONAL, BIND, MINUS and a sub-select beside the block.
QUERIES = (
    "SELECT ?o (COUNT(*) AS ?n) WHERE { ?s ex:p ?o . ?s a ?t } GROUP BY ?o",
    "SELECT ?s ?o ?z WHERE { ?s ex:p ?o ; ex:q ?z FILTER(?o != ?z) } ORDER BY ?s ?o ?z",
    "SELECT (COUNT(*) AS ?n) WHERE { ?s ex:p ?o . ?o ex:q ?z . ?z a ?t }",
    "SELECT (COUNT(*) AS ?n) WHERE { ?s ex:p ?o OPTIONAL { ?o ex:q ?z } ?s ex:q ?w . ?w ex:p ?o }",
    "SELECT ?s (MIN(?b) AS ?x) WHERE { ?s ex:p ?o . ?o ex:p ?s BIND(?o AS ?b) } GROUP BY ?s",
    "SELECT (COUNT(*) AS ?n) WHERE { ?s ex:p ?o ; a ?t MINUS { ?s ex:q ?o } }",
    "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o . ?o ex:p ?z . { SELECT ?z WHERE { ?z ex:q ?y } } }",
    "SELECT ?t (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?t ; ex:p ex:n1 . ?x ex:q ?s } GROUP BY ?t ORDER BY ?t",
)







@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(graph=edges, query=st.sampled_from(QUERIES), low=st.sampled_from([0, 2, 6]),
       factor=st.sampled_from([1, 20, 10**6]))
def test_hashed_joins_give_the_same_answers(graph, query, low, factor):
    store = edge_store(graph, NODES, EX)
    rewritten = hash_joins(query, _counter(store, plan_job(PREFIXES)), _rows(store, plan_job(PREFIXES)), low=low, factor=factor)
    event("hashed" if rewritten else "left to the engine")
    if rewritten is not None:
        assert "{ SELECT * WHERE {" in rewritten
        assert bag(store, rewritten, PREFIXES) == bag(store, query, PREFIXES), rewritten


def counts(sizes: dict[str, int], joined: int = 0):
    """A count that answers each pattern's size, capped as asked, and `joined` for the sample's join; rows
    that give a sample of 100; and what was asked."""
    asked = []

    def count(query: str) -> int:
        if "VALUES" in query:
            asked.append(("sample", 0))
            return joined
        pattern = next(p for p in sizes if p in query)
        cap = int(query.rsplit("LIMIT", 1)[1].strip(" }")) - 1
        asked.append((pattern, cap))
        return min(sizes[pattern], cap + 1)

    def rows(query: str) -> list[dict[str, str]]:
        return [{"?c": f"<{EX}c{i}>"} for i in range(100)]
    return count, rows, asked


QUERY = "SELECT ?c (COUNT(*) AS ?n) WHERE { ?e ex:at ?c . ?c a ex:City ; ex:in ?k } GROUP BY ?c"
SIZES = {"?e ex:at ?c": 48_000, "?c a ex:City": 4_000, "?c ex:in ?k": 12_000}


def test_large_patterns_whose_join_is_large_are_hashed():
    count, rows, _ = counts(SIZES, joined=1_200)  # 12 rows a city: 48,000 estimated
    assert hash_joins(QUERY, count, rows) == (
        "SELECT ?c (COUNT(*) AS ?n) WHERE { { SELECT * WHERE { ?e ex:at ?c } } { SELECT * WHERE { ?c a ex:City } } "
        "{ SELECT * WHERE { ?c ex:in ?k } }  } GROUP BY ?c")


def test_a_join_that_gives_few_rows_leaves_the_lookups():
    count, rows, _ = counts({**SIZES, "?e ex:at ?c": 200_000}, joined=100)  # 4,000 estimated
    assert hash_joins(QUERY, count, rows) is None  # 216,000 rows read twice against 8,000 to 4,000 seeks


def test_a_small_pattern_leaves_the_lookups_and_is_found_first():
    count, rows, asked = counts({**SIZES, "?c a ex:City": 40}, joined=1_200)
    assert hash_joins(QUERY, count, rows) is None
    assert max(cap for _, cap in asked) == 1_000  # nothing read past the first bound


def test_a_pattern_too_large_for_the_join_is_not_read_whole():
    count, rows, asked = counts({**SIZES, "?e ex:at ?c": 900_000}, joined=1_200)
    assert hash_joins(QUERY, count, rows) is None  # 916,000 rows against 20 x 48,000 / 2
    assert max(cap for pattern, cap in asked if pattern == "?e ex:at ?c") < 480_000


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { ?e ex:at ?c . ?c a ex:City ; ex:in ?k }",                        # a LIMIT could stop early
    "SELECT * WHERE { ?e ex:at ?c . ?c a ex:City ; ex:in ?k } LIMIT 10",
    "ASK { ?e ex:at ?c . ?c a ex:City ; ex:in ?k }",
    "SELECT (COUNT(*) AS ?n) WHERE { ?e ex:at ?c }",                                   # one pattern
    "SELECT (COUNT(*) AS ?n) WHERE { ?e ex:at/ex:in ?c . ?c a ex:City }",              # a path
    "SELECT (COUNT(*) AS ?n) WHERE { _:b ex:at ?c . _:b ex:in ?k }",                   # blank nodes join
    "SELECT (COUNT(*) AS ?n) WHERE { OPTIONAL { ?e ex:at ?c . ?c ex:in ?k } }",        # not the query's group
    "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?e ex:at ?c . ?c ex:in ?k } }",
    "SELECT (COUNT(*) AS ?n) FROM ex:g WHERE { ?e ex:at ?c . ?c ex:in ?k }",
    "SELECT ?x WHERE { { SELECT (COUNT(*) AS ?x) WHERE { ?e ex:at ?c . ?c ex:in ?k } } }",
    "SELECT ?c (COUNT(*) AS ?n) WHERE { ?e ex:at ?c . ?c ex:in ?k } GROUP BY ?c LIMIT 2",  # which groups: open
    "SELECT ?c (SAMPLE(?e) AS ?x) WHERE { ?e ex:at ?c . ?c ex:in ?k } GROUP BY ?c",
    "SELECT (COUNT(*) AS ?n) WHERE { VALUES ?e { ex:a1 } ?e ex:at ?c . ?c ex:in ?k }",   # few rows, beside
    "SELECT (COUNT(*) AS ?n) WHERE { ?e ex:at ?c . ?c ex:in ?k BIND(1 AS ?one) }",
    "SELECT (COUNT(*) AS ?n) WHERE { ?e ex:at ?c . ?c ex:in ?k { ?c a ex:City } UNION { ?c a ex:Town } }",
    "SELECT (COUNT(*) AS ?n) WHERE { ?e ex:at ?c . ?c ex:in ?k FILTER(?k != ?c) ?c a ex:City }",  # two blocks
])
def test_left_alone(query):
    count, rows, asked = counts({**SIZES, "_:b ex:at ?c": 48_000, "_:b ex:in ?k": 48_000,
                                 "?e ex:at/ex:in ?c": 48_000}, joined=1_200)
    assert hash_joins(query, count, rows) is None
    assert asked == []


def _disk_store(path: Path) -> str:
    store = ox.Store(str(path))
    for i in range(3):
        for j in range(3):
            store.add(ox.Quad(NODES[i], ox.NamedNode(EX + "p"), NODES[3 + j], ox.NamedNode(EX + "g")))
        store.add(ox.Quad(NODES[3 + i], ox.NamedNode(RDF_TYPE), NODES[7], ox.NamedNode(EX + "g")))
    store.flush()
    del store
    return str(path)


def test_the_worker_hashes_on_the_embedded_store(tmp_path, monkeypatch):
    calls = []

    def spy(query, count, rows):
        calls.append(hash_joins(query, count, rows, low=2))
        return calls[-1]
    monkeypatch.setattr(worker_module, "hash_joins", spy)
    query = "SELECT ?o (COUNT(*) AS ?n) WHERE { ?s ex:p ?o . ?o a ex:n7 } GROUP BY ?o ORDER BY ?o"
    answer, data = run_in_worker(_disk_store(tmp_path / "s"), query, PREFIXES, tmp_path)
    integer = "<http://www.w3.org/2001/XMLSchema#integer>"
    assert answer.ok and data.decode().split("\n")[1:4] == [f'<{EX}n{i}>\t"3"^^{integer}' for i in (3, 4, 5)]
    assert calls and calls[0] is not None and calls[0].count("{ SELECT * WHERE {") == 2
