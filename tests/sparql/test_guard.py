"""The lexical guard: what it counts, what it finds, what it refuses (before any native parser)."""

from __future__ import annotations

import pytest

from lod_pub.web.sparql.guard import Rejected, scan


def test_nesting_is_counted_outside_strings_iris_and_comments():
    query = 'SELECT * WHERE { ?s ?p "{{{{((" . ?s ?q <http://x/a> # {{{{[[[\n FILTER((1)) }'
    assert scan(query, 3).depth == 3


def test_nesting_over_the_cap_is_refused():
    with pytest.raises(Rejected) as info:
        scan("SELECT * WHERE " + "{" * 3000 + "?s ?p ?o" + "}" * 3000, 100)
    assert info.value.status == 400 and "100 deep" in info.value.message


@pytest.mark.parametrize("opener", ["(", "["])
def test_every_kind_of_bracket_counts(opener):
    closer = {"(": ")", "[": "]"}[opener]
    with pytest.raises(Rejected):
        scan("SELECT * WHERE { FILTER " + opener * 200 + "1" + closer * 200 + " }", 100)


@pytest.mark.parametrize("query, service", [
    ("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", "http://example.org/sparql"),
    ("select * where { service silent <http://e.org/q> { ?s ?p ?o } }", "http://e.org/q"),
    ("PREFIX e: <http://e.org/> SELECT * WHERE { SeRvIcE e:q { ?s ?p ?o } }", "http://e.org/q"),
    ("SELECT * WHERE { SERVICE ?endpoint { ?s ?p ?o } }", "?endpoint"),
    ("SELECT * WHERE { ?s ?p ?o . {SERVICE<http://e.org/q>{?s ?p ?o}} }", "http://e.org/q"),
])
def test_service_is_found_in_any_spelling(query, service):
    assert scan(query, 100).services == [service]


@pytest.mark.parametrize("query", [
    'SELECT * WHERE { ?s a schema:Service ; ?p "SERVICE <http://x> {}" } # SERVICE <http://y>',
    "SELECT ?SERVICE WHERE { ?SERVICE <http://e.org/SERVICE> ex:SERVICE }",
])
def test_service_inside_names_strings_and_comments_is_not_a_service(query):
    assert scan(query, 100).services == []


def test_from_clauses_are_resolved_with_prefixes_and_base():
    found = scan("BASE <http://b.org/> PREFIX g: <http://g.org/> SELECT * FROM g:one FROM NAMED <two> "
                 "WHERE { ?s ?p ?o }", 100)
    assert found.from_default == ["http://g.org/one"]
    assert found.from_named == ["http://b.org/two"]


@pytest.mark.parametrize("query, form", [
    ("SELECT * WHERE {}", "SELECT"), ("ask {}", "ASK"), ("PREFIX a: <x:> CONSTRUCT WHERE {}", "CONSTRUCT"),
    ("# a comment\nDESCRIBE <http://x>", "DESCRIBE"),
])
def test_query_form(query, form):
    assert scan(query, 100).form == form


@pytest.mark.parametrize("update", [
    "INSERT DATA { <http://a> <http://b> <http://c> }", "PREFIX x: <http://x/> DELETE WHERE { ?s ?p ?o }",
    "LOAD <http://example.org/data.ttl>", "CLEAR ALL", "DROP GRAPH <http://g>",
    "WITH <http://g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
])
def test_updates_are_refused(update):
    with pytest.raises(Rejected) as info:
        scan(update, 100)
    assert info.value.status == 400 and "Update" in info.value.message


def test_outer_limit_only():
    assert scan("SELECT * WHERE { { SELECT * WHERE { ?s ?p ?o } LIMIT 5 } } LIMIT 10", 100).limit == 10
    assert scan("SELECT * WHERE { { SELECT * WHERE { ?s ?p ?o } LIMIT 5 } }", 100).limit is None


def test_unclosed_string_and_empty_query_are_refused():
    for query in ('SELECT * WHERE { ?s ?p "oops }', "", "   # only a comment"):
        with pytest.raises(Rejected):
            scan(query, 100)


def test_from_with_the_endpoints_own_prefixes():
    found = scan("SELECT * FROM wd:Q1 WHERE { ?s ?p ?o }", 100, {"wd": "http://www.wikidata.org/entity/"})
    assert found.from_default == ["http://www.wikidata.org/entity/Q1"]
