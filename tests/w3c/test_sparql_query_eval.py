"""The W3C SPARQL 1.1 query evaluation tests, and the syntax tests of the same suites, run through the
HTTP endpoint: GET /sparql of the project's app, with its rewrites on, over one release that holds
every data file of the suites (conftest.py).

Each test's dataset is sent as the Protocol's default-graph-uri/named-graph-uri (the release's default
graph is the union of its graphs; these parameters choose the test's own), unless its query names one
with FROM, which then chooses. The query is sent with `BASE <its W3C IRI>` before it, the base the
tests' relative IRIs are written against. The answer is read (SPARQL JSON and XML for solutions and
booleans, also CSV or TSV where that is the expected result's format; Turtle, N-Triples, RDF/XML and
JSON-LD for graphs) and compared with the expected result as the W3C rules say (w3c_results.py).

Every test of the suites run here is a parameter of its own, named suite/name. Three tables say what is
not plainly expected to pass, each with the reason:
    SUITES_NOT_RUN     suites of manifest-all.ttl that do not apply to a read-only query service
    NOT_APPLICABLE     single tests that cannot apply here (skipped, with the reason)
    ENGINE_FAILURES    tests Oxigraph itself fails, without the endpoint: each is run through the endpoint
                       and in plain pyoxigraph, and must fail in both, with the same answer (xfail)
"""

from __future__ import annotations

from functools import cache

import pyoxigraph as ox
import pytest
from flask.testing import FlaskClient

from lod_pub.sparql_lex import LexError, lex
from w3c_manifests import W3CTest, graphs_of, manifest_tests, path_of, suites, text_of
from w3c_results import BY_EXTENSION, Answer, as_csv, by_value, difference, from_engine, read_answer

QUERY_SUITES = (*suites("manifest-sparql11-query.ttl"), *suites("manifest-sparql11-results.ttl"))
TESTS = [test for suite in QUERY_SUITES for test in manifest_tests(suite)]
EMPTY = "urn:x-w3c-tests:empty"  # a default graph the release does not hold: an empty one
SRJ, SRX = "application/sparql-results+json", "application/sparql-results+xml"
GRAPH_TYPES = ("text/turtle", "application/n-triples", "application/rdf+xml", "application/ld+json")
EVALUATION = ("QueryEvaluationTest", "CSVResultFormatTest")
SYNTAX = ("PositiveSyntaxTest11", "NegativeSyntaxTest11")

UPDATE = "SPARQL Update: this is a read-only query service"
#: The suites of manifest-all.ttl that are not run here, and why.
SUITES_NOT_RUN = {
    **{suite: UPDATE for suite in ("add", "basic-update", "clear", "copy", "delete-data", "delete-insert",
                                   "delete-where", "delete", "drop", "move", "update-silent", "syntax-update-1",
                                   "syntax-update-2")},
    "entailment": "entailment regimes (RDFS, OWL, D-entailment): the service offers simple entailment only, "
                  "as its service description says",
    "service": "federated queries (SERVICE): the service makes no outbound requests",
    "syntax-fed": "SERVICE syntax: the endpoint refuses SERVICE (400) before parsing, by design",
    "protocol": "run by test_sparql_protocol.py",
    "service-description": "run by test_sparql_protocol.py",
    "graph-store-protocol": "the Graph Store Protocol (HTTP PUT/POST/DELETE of graphs): read-only; the "
                            "manifest holds no tests",
}

#: Tests of the suites run here that cannot apply to this service, and why.
NOT_APPLICABLE: dict[str, str] = {
    "syntax-query/test_42": "FROM <file>, a graph the service does not hold: FROM is refused (400), as a FROM "
                            "that expects a fetch; nothing is fetched",
}

NUMBERS = ("Oxigraph keeps numbers (and booleans) by value and writes them in a canonical form of its own, "
           "so the expected result's lexical forms are other RDF terms: ")
#: Tests pyoxigraph (0.5.13) fails on its own, without the endpoint, and why.
ENGINE_FAILURES: dict[str, str] = {
    **{f"aggregates/{name}": NUMBERS + "MIN, MAX, SUM, AVG answer '1' for the xsd:decimal '1.0', '30000' for "
       "the xsd:double '3.0E4', '0.2' for '2.0E-1' (w3c/rdf-tests#58: the suite's own forms are not consistent)"
       for name in ("agg-sum-02", "agg-avg-02", "agg-min-01", "agg-min-02", "agg-max-01", "agg-max-02",
                    "agg-err-02", "agg-max-distinct", "agg-min-distinct")},
    **{f"cast/cast-{name}": NUMBERS + "the data's '1.0'^^xsd:decimal, '0E1'^^xsd:double and '0'^^xsd:boolean "
       "come back as '1', '0' and 'false'; casts write '1' where '1.0E0' (xsd:float) or '1.0' (xsd:decimal) "
       "is expected" for name in ("bool", "int", "float", "double", "decimal", "string")},
    **{f"functions/{name}": NUMBERS + "the data's '1.0'^^xsd:decimal comes back as '1'"
       for name in ("plus-1-corrected", "plus-2-corrected")},
    "functions/coalesce01": NUMBERS + "a division answers '2'^^xsd:decimal where '2.0' is expected",
    "csv-tsv-res/csv03": NUMBERS + "the data's '1.0E6'^^xsd:double is written '1000000'",
    "csv-tsv-res/tsv03": NUMBERS + "the data's '1.0e6'^^xsd:double comes back as '1000000', and "
                         "'-3'^^xsd:negativeInteger as '-3'^^xsd:integer",
    "aggregates/agg-groupconcat-04": "GROUP_CONCAT of literals that share a language tag keeps the tag "
                                     "(\"1 2\"@en); the test expects a simple literal",
    "aggregates/agg-groupconcat-06": "GROUP_CONCAT of one literal keeps its language tag (\"1\"@en); the test "
                                     "expects a simple literal",
    "aggregates/agg-empty-group-count-graph": "GRAPH ?g around an aggregating sub-select: one row, ?g unbound, "
                                              "counted over every graph, where one row per named graph is expected",
    "bindings/graph": "VALUES inside GRAPH ?g binding ?g: 2 rows where 3 are expected (a row with ?g unbound in "
                      "VALUES is not joined with each named graph)",
    "functions/bnode01": "BNODE(str) gives the same blank node for the same string in different solutions; "
                         "the function is scoped to one solution",
    "negation/graph-minus": "MINUS inside GRAPH ?g: the graph variable is taken as shared by both sides, so "
                            "MINUS removes the row it must keep",
    **{f"property-path/{name}": "a zero-length path (* or ?) from a constant on an empty graph answers nothing; "
       "the constant itself is expected" for name in ("zero_or_more_set_start", "zero_or_more_set_end",
                                                      "zero_or_one_set_start", "zero_or_one_set_end")},
    "syntax-query/test_4": "a call to an unknown function (:function) stops the query with an error at "
                           "evaluation, where the expression is an error (an unbound value) for each row",
}


def _id(test: W3CTest) -> str:
    return test.id


# -- sending a test through the endpoint -----------------------------------------------------------
def _tokens(query: str) -> list[tuple[str, str, int, int]]:
    try:
        return lex(query).tokens
    except LexError:
        return []


def has_from(query: str) -> bool:
    """Whether the query chooses its own dataset (FROM / FROM NAMED)."""
    return any(kind == "word" and text.upper() == "FROM" for kind, text, *_ in _tokens(query))


def ordered(query: str) -> bool:
    """Whether the query orders its answer: ORDER BY outside every `{ }` (a sub-select's order is lost)."""
    depth, tokens = 0, _tokens(query)
    for i, (kind, text, *_) in enumerate(tokens):
        depth += {"{": 1, "}": -1}.get(text, 0) if kind == "punct" else 0
        if depth == 0 and kind == "word" and text.upper() == "ORDER" and i + 1 < len(tokens) \
                and tokens[i + 1][1].upper() == "BY":
            return True
    return False


def sent_query(test: W3CTest) -> str:
    assert test.query is not None
    return f"BASE <{test.query}>\n{text_of(test.query)}"


def parameters(test: W3CTest, query: str) -> list[tuple[str, str]]:
    """query, and the test's dataset as the Protocol's parameters (none when the query has FROM)."""
    params = [("query", query)]
    if has_from(query):
        return params
    params += [("default-graph-uri", g.name) for g in test.data] or [("default-graph-uri", EMPTY)]
    return params + [("named-graph-uri", g.name) for g in test.named]


def through_endpoint(client: FlaskClient, test: W3CTest, media: str) -> Answer:
    response = client.get("/sparql", query_string=parameters(test, sent_query(test)), headers={"Accept": media})
    assert response.status_code == 200, f"{media}: {response.status_code} {response.get_data(as_text=True)[:500]}"
    assert response.mimetype == media, f"asked for {media}, got {response.content_type}"
    return read_answer(response.get_data(), media, test.query or "")


# -- the expected result, and what plain pyoxigraph answers ----------------------------------------
def expected(test: W3CTest) -> tuple[Answer, str]:
    """The expected answer, and the media type of its file."""
    assert test.result is not None
    media = BY_EXTENSION[test.result.rsplit(".", 1)[-1]]
    return read_answer(path_of(test.result).read_bytes(), media, test.result), media


def media_types(answer: Answer, media: str) -> list[str]:
    """What to ask the endpoint for: every format the answer can be compared in."""
    if answer.kind == "graph":
        return list(GRAPH_TYPES)
    if media == "text/csv":
        return [media]  # CSV holds the text of each term only: compared as CSV
    extra = [media] if media == "text/tab-separated-values" else []
    return [SRJ, SRX, *extra]


@cache
def engine() -> ox.Store:
    """Plain pyoxigraph, in memory, holding the same graphs as the release."""
    store = ox.Store()
    graphs = graphs_of([test for suite in QUERY_SUITES for test in manifest_tests(suite)])
    for name, path in graphs.items():
        fmt = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "rdf": ox.RdfFormat.RDF_XML}[path.suffix[1:]]
        store.bulk_extend(ox.Quad(q.subject, q.predicate, q.object, ox.NamedNode(name))
                          for q in ox.parse(path=str(path), format=fmt, base_iri=name, rename_blank_nodes=True))
    return store


def in_plain_engine(test: W3CTest) -> Answer:
    query = text_of(test.query or "")
    options: dict[str, object] = {"base_iri": test.query}
    if not has_from(query):
        options["default_graph"] = [ox.NamedNode(g.name) for g in test.data]
        options["named_graphs"] = [ox.NamedNode(g.name) for g in test.named]
    return from_engine(engine().query(query, **options))


# -- the tests -------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def client(w3c_app) -> FlaskClient:
    return w3c_app.test_client()


@pytest.mark.parametrize("test", [t for t in TESTS if t.kind in EVALUATION], ids=_id)
def test_query_evaluation(client: FlaskClient, test: W3CTest) -> None:
    if test.id in NOT_APPLICABLE:
        pytest.skip(NOT_APPLICABLE[test.id])
    want, media = expected(test)
    in_order = ordered(text_of(test.query or ""))
    problems = []
    for asked in media_types(want, media):
        got = through_endpoint(client, test, asked)
        problem = difference(want, got, in_order)
        if problem:
            problems.append(f"{asked}: {problem}\nexpected {want}\ngot {got}")
    if test.id in ENGINE_FAILURES:
        _engine_failure(client, test, want, media, in_order, problems)
    assert not problems, "\n".join(problems)


def _engine_failure(client: FlaskClient, test: W3CTest, want: Answer, media: str, in_order: bool,
                    problems: list[str]) -> None:
    """A test Oxigraph fails: plain pyoxigraph must fail it too, and the endpoint must answer as it does."""
    plain = in_plain_engine(test)
    if media == "text/csv":
        plain = as_csv(plain)
    assert difference(want, plain, in_order), f"plain pyoxigraph passes {test.id}: the endpoint's failure is its own"
    assert problems, f"{test.id} passes through the endpoint now: remove it from ENGINE_FAILURES"
    asked = media if media == "text/csv" else SRJ if want.kind != "graph" else "application/n-triples"
    got = through_endpoint(client, test, asked)
    same = difference(plain, got, in_order)
    assert same is None, f"the endpoint answers other than plain pyoxigraph: {same}"
    if ENGINE_FAILURES[test.id].startswith(NUMBERS):  # the reason holds: only the forms of numbers differ
        assert difference(by_value(want), by_value(got), in_order) is None, "more than numbers' forms differ"
    pytest.xfail(ENGINE_FAILURES[test.id])


@pytest.mark.parametrize("test", [t for t in TESTS if t.kind in SYNTAX], ids=_id)
def test_query_syntax(client: FlaskClient, test: W3CTest) -> None:
    """A positive syntax test is answered (on an empty dataset); a negative one is refused with 400."""
    if test.id in NOT_APPLICABLE:
        pytest.skip(NOT_APPLICABLE[test.id])
    query = sent_query(test)
    params = [("query", query)] + ([] if has_from(query) else [("default-graph-uri", EMPTY)])
    response = client.get("/sparql", query_string=params)
    text = response.get_data(as_text=True)[:300]
    if test.id in ENGINE_FAILURES:
        with pytest.raises((SyntaxError, RuntimeError, OSError)):
            in_plain_engine(test)  # plain pyoxigraph fails it too
        assert response.status_code == 400 and "could not be evaluated" in text, text
        pytest.xfail(ENGINE_FAILURES[test.id])
    if test.kind == "PositiveSyntaxTest11":
        assert response.status_code == 200, text
    else:
        assert response.status_code == 400, text


def rewritable_queries(graph: str) -> list[str]:
    """Queries in the two shapes the endpoint rewrites (web/sparql/rewrite.py), built from a graph's own
    predicates and IRI objects: none of the suites' queries has either shape."""
    store = engine()
    rows = store.query(f"SELECT DISTINCT ?p ?o {{ GRAPH <{graph}> {{ ?s ?p ?o FILTER(isIRI(?o)) }} }} "
                       "ORDER BY ?p ?o LIMIT 4")
    found = [(r["p"].value, r["o"].value) for r in rows]
    predicates = sorted({p for p, _ in found})[:2] or ["http://example.org/none"]
    objects = sorted({o for _, o in found})[:2]
    p, q = predicates[0], predicates[-1]
    queries = [f"SELECT ?s WHERE {{ ?s <{p}>/<{q}>* <{o}> }}" for o in objects]
    queries += [f"SELECT ?s WHERE {{ ?s <{p}>+/<{q}> <{o}> }}" for o in objects]
    queries.append(f"SELECT ?s ?x ?y WHERE {{ {{ ?s <{p}> ?x }} UNION {{ ?s <{q}> ?x }} ?x <{p}> ?y }}")
    return queries


PATH_GRAPHS = sorted(graphs_of(manifest_tests("property-path")))


@pytest.mark.parametrize("graph", PATH_GRAPHS, ids=lambda g: g.rsplit("/", 1)[-1])
def test_the_rewrites_keep_the_answers_on_the_suite_data(client: FlaskClient, graph: str) -> None:
    """Each query is rewritten by the endpoint, and answered as plain pyoxigraph answers it as written."""
    from lod_pub.web.sparql.rewrite import rewrite

    for query in rewritable_queries(graph):
        assert rewrite(query) is not None, query
        response = client.get("/sparql", query_string={"query": query, "default-graph-uri": graph},
                              headers={"Accept": SRJ})
        assert response.status_code == 200, response.get_data(as_text=True)[:300]
        got = read_answer(response.get_data(), SRJ, graph)
        plain = from_engine(engine().query(query, default_graph=[ox.NamedNode(graph)], named_graphs=[]))
        assert difference(plain, got) is None, f"{query}: {difference(plain, got)}"


def test_every_suite_is_run_or_said_why_not() -> None:
    """The suites of manifest-all.ttl are the ones run here, those run by the protocol tests, and those
    SUITES_NOT_RUN names; the tables name only tests that exist."""
    every = set(suites("manifest-all.ttl"))
    assert every == set(QUERY_SUITES) | set(SUITES_NOT_RUN), every ^ (set(QUERY_SUITES) | set(SUITES_NOT_RUN))
    names = {test.id for test in TESTS}
    assert set(NOT_APPLICABLE) <= names, set(NOT_APPLICABLE) - names
    assert set(ENGINE_FAILURES) <= names, set(ENGINE_FAILURES) - names
    assert not set(NOT_APPLICABLE) & set(ENGINE_FAILURES)


def _planned_by_force(test: W3CTest) -> str | None:
    """The test's query as the worker's data-dependent steps would rewrite it with their thresholds at the
    extremes (narrow.py at its limit, joins.py on any pattern that matches a row): None if neither applies."""
    from lod_pub.web.sparql.joins import hash_joins
    from lod_pub.web.sparql.messages import Job
    from lod_pub.web.sparql.narrow import narrow
    from lod_pub.web.sparql.worker import _counter, _prober, _rows

    query = text_of(test.query or "")
    job = Job(store="", query=query, format="json", row_cap=0, byte_cap=0, union=False, base_iri=test.query,
              default_graph=[g.name for g in test.data], named_graphs=[g.name for g in test.named])
    narrowed = narrow(query, _prober(_rows(engine(), job)))
    hashed = hash_joins(narrowed or query, _counter(engine(), job), _rows(engine(), job), low=0, factor=10**9)
    return hashed or narrowed


PLANNED = [t for t in TESTS if t.kind == "QueryEvaluationTest" and t.id not in NOT_APPLICABLE
           and not has_from(text_of(t.query or ""))]


def test_the_workers_plans_keep_the_answers_on_the_suites() -> None:
    """Every evaluation test's query that the worker's plan steps rewrite (thresholds forced, so that the
    hash joins apply to the suites' small data too) is answered, on the test's dataset in plain pyoxigraph,
    as the query as written is."""
    rewritten = 0
    for test in PLANNED:
        planned = _planned_by_force(test)
        if planned is None:
            continue
        rewritten += 1
        options = {"base_iri": test.query, "default_graph": [ox.NamedNode(g.name) for g in test.data],
                   "named_graphs": [ox.NamedNode(g.name) for g in test.named]}
        plain = from_engine(engine().query(text_of(test.query or ""), **options))
        got = from_engine(engine().query(planned, **options))
        assert difference(plain, got, ordered(text_of(test.query or ""))) is None, f"{test.id}: {planned}"
    assert rewritten >= 9, rewritten  # 8 narrowed (property paths), 1 hashed (agg08b)


def hashable_queries(graph: str) -> list[str]:
    """Queries of the shape joins.py rewrites, built from a graph's own predicates: few of the suites' own
    queries join two patterns at their top level and read every solution."""
    rows = engine().query(f"SELECT DISTINCT ?p {{ GRAPH <{graph}> {{ ?s ?p ?o }} }} ORDER BY ?p LIMIT 2")
    predicates = [r["p"].value for r in rows]
    p, q = predicates[0], predicates[-1]
    return [f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s <{p}> ?o . ?o <{q}> ?z }}",
            f"SELECT ?s ?o ?z WHERE {{ ?s <{p}> ?o . ?s <{q}> ?z }} ORDER BY ?s ?o ?z",
            f"SELECT ?o (COUNT(?s) AS ?n) WHERE {{ ?s <{p}> ?o . ?x ?y ?s FILTER(?x != ?o) }} GROUP BY ?o ORDER BY ?o"]


@pytest.mark.parametrize("graph", [g for g in PATH_GRAPHS if not g.endswith("/empty.ttl")],  # no triples
                         ids=lambda g: g.rsplit("/", 1)[-1])
def test_hash_joins_keep_the_answers_on_the_suite_data(graph: str) -> None:
    """Each built query that joins.py rewrites (thresholds forced) is answered as it is as written."""
    from lod_pub.web.sparql.joins import hash_joins
    from lod_pub.web.sparql.messages import Job
    from lod_pub.web.sparql.worker import _counter, _rows

    job = Job(store="", query="", format="json", row_cap=0, byte_cap=0, union=False, default_graph=[graph],
              named_graphs=[])
    options = {"default_graph": [ox.NamedNode(graph)], "named_graphs": []}
    hashed = 0
    for query in hashable_queries(graph):
        rewritten = hash_joins(query, _counter(engine(), job), _rows(engine(), job), low=0, factor=10**9)
        if rewritten is None:
            continue
        hashed += 1
        plain, got = (from_engine(engine().query(text, **options)) for text in (query, rewritten))
        assert difference(plain, got, "ORDER BY" in query) is None, rewritten
    assert hashed >= 1, graph
