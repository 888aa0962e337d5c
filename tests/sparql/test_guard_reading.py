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


# -- the prologue, and what is not a query ----------------------------------------------------------------

@pytest.mark.parametrize("query", ["", "  # only a comment\n", "BASE <http://b/>", "PREFIX e: <http://e.org/>"],
                         ids=["empty", "comment", "BASE-only", "PREFIX-only"])
def test_a_query_with_no_form_is_400_and_says_it_is_empty(query):
    with pytest.raises(Rejected) as info:
        scan(query, 100)
    assert (info.value.status, info.value.message) == (
        400, "malformed query: it is empty (no SELECT, ASK, CONSTRUCT or DESCRIBE)")


@pytest.mark.parametrize("query, found", [
    ("PREFIX e: <http://e.org/> e:x SELECT * {}", "'e:x'"),
    ("BASE <http://b/> SELEC * {}", "'SELEC'"),
    ("PREFIX e: SELECT * {}", "'PREFIX'"),              # a PREFIX without its IRI is not a prologue
    ("BASE", "'BASE'"),                                  # nor a BASE or PREFIX that ends the query
    ("PREFIX e:", "'PREFIX'"),
    ("x" * 60 + " SELECT * {}", repr("x" * 40)),         # what was found is cut at 40 characters
])
def test_what_stands_where_the_form_should_is_named(query, found):
    with pytest.raises(Rejected) as info:
        scan(query, 100)
    assert (info.value.status, info.value.message) == (
        400, f"malformed query: expected SELECT, ASK, CONSTRUCT or DESCRIBE after the prologue, found {found}")


@pytest.mark.parametrize("word", ["INSERT", "delete", "Load", "CLEAR", "DROP", "CREATE", "WITH"])
def test_an_update_is_named_as_one(word):
    with pytest.raises(Rejected) as info:
        scan(f"PREFIX e: <http://e.org/> {word} DATA {{ e:a e:b e:c }}", 100)
    assert (info.value.status, info.value.message) == (
        400, f"this is the query endpoint and {word.upper()} is a SPARQL Update operation; "
             "the endpoint is read-only and accepts no updates")


def test_the_prologue_sets_the_base_and_prefixes_that_targets_resolve_against():
    found = scan("BASE <http://b.org/dir/> PREFIX g: <graphs/> PREFIX : <http://d.org/> "
                 "SELECT * FROM g:one FROM <two> FROM NAMED :three WHERE { }", 100)
    assert (found.form, found.from_default, found.from_named) == (
        "SELECT", ["http://b.org/dir/graphs/one", "http://b.org/dir/two"], ["http://d.org/three"])


def test_without_a_base_an_iri_stays_as_written():
    found = scan("SELECT * FROM <graphs/one> WHERE { }", 100)
    assert found.from_default == ["graphs/one"]


def test_a_refusal_carries_its_headers():
    refusal = Rejected(503, "busy", {"Retry-After": "2"})
    assert (refusal.status, refusal.message, refusal.headers) == (503, "busy", {"Retry-After": "2"})


# -- what a refusal of an ambiguous IRI says --------------------------------------------------------------

def unclear(where, why):
    return (f"the query is ambiguous at {where}: after an operand inside brackets, `<` may be less-than or the "
            f"start of an IRI, and this one {why}. Write `< ` with a space to compare, or percent-encode the "
            "character in the IRI.")


@pytest.mark.parametrize("query, where, why", [
    ("SELECT * WHERE { FILTER(?o <http://x/'a>) }", "`<http://x/'a>` (character {at})", "holds a quote"),
    ("SELECT * WHERE { FILTER(?o <http://x/SERVICE>) }", "`<http://x/SERVICE>` (character {at})",
     "holds the letters of SERVICE"),
    ("SELECT * WHERE { FILTER(?o <http://x/#a> ) } # '", "`<http://x/#a>` (character {at})",
     "holds a `#` and the rest of its line a quote, bracket or SERVICE"),
    ("SELECT * WHERE { FILTER(?o <http://x/" + "a" * 70 + "'>) }", "`<http://x/" + "a" * 50 + "` (character {at})",
     "holds a quote"),
], ids=["quote", "service", "hash", "long"])
def test_an_ambiguous_iri_is_refused_with_where_and_why(query, where, why):
    with pytest.raises(Rejected) as info:
        scan(query, 100)
    where = where.format(at=query.index("<") + 1)  # counted from 1
    assert (info.value.status, info.value.message) == (400, unclear(where, why))


def test_an_ambiguous_iri_counts_its_operators_beside_those_of_the_query():
    plain = scan("SELECT * WHERE { FILTER(?o <http://x/a> && ?p) }", 100).operators
    assert plain > sum(ch in "|&+-*/!^=<>" for ch in "http://x/a")  # the IRI's slashes and the query's `&&`
    assert scan("SELECT * WHERE { FILTER(?o <http://x/a=b|c> && ?p) }", 100).operators >= plain + 2


# -- the clauses after the form ---------------------------------------------------------------------------

def test_a_from_right_after_the_form_is_read():
    found = scan("ASK FROM <http://g/one> FROM NAMED <http://g/two> { }", 100)
    assert (found.from_default, found.from_named) == (["http://g/one"], ["http://g/two"])


def test_a_from_in_the_prologue_position_is_no_clause():
    with pytest.raises(Rejected) as info:
        scan("FROM <http://g/one> SELECT * { }", 100)
    assert info.value.message.endswith("found 'FROM'")


@pytest.mark.parametrize("query, message", [
    ("SELECT * FROM NAMED", "malformed query: FROM must name a graph IRI, found 'NAMED'"),
    ("SELECT * FROM", "malformed query: FROM must name a graph IRI, found ''"),
    ("SELECT * FROM ?g { }", "malformed query: FROM must name a graph IRI, found '?g'"),
    ("SELECT * FROM " + "x" * 70 + " { }", f"malformed query: FROM must name a graph IRI, found {'x' * 60!r}"),
], ids=["named-at-end", "at-end", "variable", "long"])
def test_a_from_without_a_graph_iri_is_400_naming_what_stands_there(query, message):
    with pytest.raises(Rejected) as info:
        scan(query, 100)
    assert (info.value.status, info.value.message) == (400, message)


@pytest.mark.parametrize("query, limit", [
    ("SELECT * { } LIMIT 10", 10),
    ("SELECT * { } LIMIT ?x", None),
    ("SELECT * { { SELECT * { } LIMIT 5 } }", None),       # a subquery's LIMIT is not the outermost
    ("SELECT * { } LIMIT", None),
], ids=["number", "variable", "inner", "at-end"])
def test_the_outermost_limit_is_read(query, limit):
    assert scan(query, 100).limit == limit


def test_a_named_word_after_from_that_is_not_named_is_its_target():
    found = scan("PREFIX named: <http://n/> SELECT * FROM named:g { }", 100)
    assert (found.from_default, found.from_named) == (["http://n/g"], [])
