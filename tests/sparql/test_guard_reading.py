"""How the guard reads a query where Oxigraph could read it otherwise: the rest of the line after a `#`
inside an IRI that may be a less-than (a comment in that reading, and only to the line's end), the
brackets inside such an IRI, a SERVICE at the very end of a query, and targets and dataset IRIs
written with prefixes, escapes and colons."""

from __future__ import annotations

import pytest

from lod_pub.web.sparql.guard import Rejected, scan

PREFIX = "PREFIX e: <http://e.org/> "


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { FILTER(?o <http://x/#a>) }",             # the last line: no line end after it
    "SELECT *\nWHERE { FILTER(?o <http://x/#a> 'x'\n) }",      # a line end before it does not end its line
    "SELECT *\rWHERE { FILTER(?o <http://x/#a> 'x'\r) }",
], ids=["last-line", "LF-before", "CR-before"])
def test_a_hash_in_an_ambiguous_iri_refuses_what_follows_on_its_line(query):
    with pytest.raises(Rejected) as info:
        scan(query, 100)
    assert info.value.status == 400 and "`#`" in info.value.message


@pytest.mark.parametrize("end", ["\n", "\r", "\r\n"], ids=["LF", "CR", "CRLF"])
def test_a_hash_in_an_ambiguous_iri_reaches_only_to_its_line_end(end):
    query = f"SELECT * WHERE {{{end} FILTER(?o <http://x/#a>{end}){end}'x' }}"
    assert scan(query, 100).depth == 2


def test_brackets_inside_an_ambiguous_iri_count_toward_the_nesting_cap():
    query = "SELECT * WHERE { FILTER(?o <http://x/(a[b>) }"
    assert scan(query, 4).depth == 4
    with pytest.raises(Rejected) as info:
        scan(query, 3)
    assert "more than 3 deep" in info.value.message


@pytest.mark.parametrize("query, services", [
    ("SELECT * WHERE { SERVICE", [""]),
    ("SELECT * WHERE { SERVICE ?x", ["?x"]),
    ("SELECT * WHERE { SERVICE SILENT ?x", ["?x"]),
    ("SELECT * WHERE { SERVICE SILENT", ["SILENT"]),
], ids=["SERVICE", "SERVICE-var", "SILENT-var", "SILENT"])
def test_a_query_cut_after_service_has_its_service_found_not_a_crash(query, services):
    assert scan(query, 100).services == services


def test_a_service_with_an_undeclared_prefix_is_named_as_written():
    assert scan("SELECT * WHERE { SERVICE e:q { ?s ?p ?o } }", 100).services == ["e:q"]


@pytest.mark.parametrize("name, iri", [
    ("e:a:b", "http://e.org/a:b"),          # a local name may hold colons: the prefix ends at the first
    ("e:a\\.b", "http://e.org/a.b"),        # an escaped character in a local name is the character
    ("e:\\~x\\&y", "http://e.org/~x&y"),
])
def test_prefixed_names_resolve_as_sparql_reads_them(name, iri):
    assert scan(f"{PREFIX}SELECT * FROM {name} WHERE {{ ?s ?p ?o }}", 100).from_default == [iri]
    assert scan(f"{PREFIX}SELECT * WHERE {{ SERVICE {name} {{ ?s ?p ?o }} }}", 100).services == [iri]


@pytest.mark.parametrize("iri, extra", [("(a)(b", 1), ("((a)((b", 3)])
def test_brackets_closed_inside_an_ambiguous_iri_count_as_in_code(iri, extra):
    assert scan(f"SELECT * WHERE {{ FILTER(?o <http://x/{iri}>) }}", 100).depth == 2 + extra


def test_every_service_of_a_query_is_found_whatever_comes_before_it():
    query = ("SELECT * WHERE { SERVICE <http://a/> { ?s ?p ?o } trueSERVICE <http://b/> { ?s ?p ?o } "
             "SERVICE <http://c/> { ?s ?p ?o } }")
    assert scan(query, 100).services == ["http://a/", "(written 'trueSERVICE')", "http://c/"]


@pytest.mark.parametrize("name, services", [
    ("e:a.SERVICE?x", ["(written 'e:a.SERVICE')"]),     # the letters right after the dot, the target glued on
    ("e:a.Service <http://x/>", ["(written 'e:a.Service')"]),
    ("e:service:x <http://x/>", []),                     # in the local name, past the prefix's colon
], ids=["dot-SERVICE", "dot-Service", "local-name"])
def test_service_letters_in_a_prefixed_name_are_found_where_oxigraph_reads_them(name, services):
    assert scan(f"{PREFIX}SELECT * WHERE {{ ?s ?p {name} {{ ?s ?p ?o }} }}", 100).services == services


def test_a_query_cut_after_from_is_refused_and_one_cut_after_limit_has_no_limit():
    with pytest.raises(Rejected) as info:
        scan("SELECT * FROM", 100)
    assert "FROM must name a graph IRI, found ''" in info.value.message
    assert scan("SELECT * WHERE { ?s ?p ?o } LIMIT", 100).limit is None


def test_from_named_written_as_one_word_names_a_named_graph():
    found = scan("SELECT * FROMNAMED <http://g/> WHERE { ?s ?p ?o }", 100)
    assert (found.from_default, found.from_named) == ([], ["http://g/"])
