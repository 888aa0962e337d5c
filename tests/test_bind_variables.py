"""store.embedded.bind_variables writes substituted variables into the query text, finding them with the
project's SPARQL lexer (lod_pub.sparql_lex): a `?r` inside a string, an IRI or a comment is text, not
a variable, and stays as it is."""

from __future__ import annotations

import pyoxigraph as ox

from lod_pub.store.embedded import bind_variables

R = ox.Variable("r")
IRI = ox.NamedNode("https://lod.example.org/id/person/x")
BOUND = {R: IRI}


def test_a_variable_named_inside_a_string_and_a_comment_is_left_alone():
    query = ('SELECT ?s WHERE {  # ?r in a comment, and $r\n'
             '  ?s <http://schema.org/description> "about ?r and $r" ; <http://schema.org/about> ?r .\n'
             "  ?s <http://schema.org/text> '''a long ?r\n?r''' # ?r\n}")
    about = "<http://schema.org/about>"
    assert bind_variables(query, BOUND) == query.replace(f"{about} ?r", f"{about} {IRI}")


def test_a_variable_inside_an_iri_is_left_alone():
    query = "ASK { ?s <http://e.org/?r=$r> ?r }"
    assert bind_variables(query, BOUND) == f"ASK {{ ?s <http://e.org/?r=$r> {IRI} }}"


def test_a_longer_name_that_begins_with_the_variable_s_is_another_variable():
    assert bind_variables("ASK { ?r ?rr $r_ }", BOUND) == f"ASK {{ {IRI} ?rr $r_ }}"


def test_a_projected_variable_becomes_an_expression_in_a_subquery_too():
    query = "SELECT ?r WHERE { { SELECT ?r ?n WHERE { ?r <http://schema.org/name> ?n } } }"
    assert bind_variables(query, BOUND) == (
        f"SELECT ({IRI} AS ?r) WHERE {{ {{ SELECT ({IRI} AS ?r) ?n WHERE {{ {IRI} <http://schema.org/name> ?n }} }} }}")


def test_a_select_inside_a_prefixed_name_is_no_select():
    query = "PREFIX ex: <http://e.org/> ASK { ex:SELECT ex:p ?r }"
    assert bind_variables(query, BOUND) == f"PREFIX ex: <http://e.org/> ASK {{ ex:SELECT ex:p {IRI} }}"


def test_a_query_the_lexer_cannot_read_is_sent_as_it_is():
    query = 'ASK { ?s ?p "?r }'
    assert bind_variables(query, BOUND) == query


def test_nothing_to_substitute_leaves_the_query_alone():
    assert bind_variables("ASK { ?r ?p ?o }", {}) == "ASK { ?r ?p ?o }"
