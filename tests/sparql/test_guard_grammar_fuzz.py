"""A grammar-aware fuzz of the guard: queries built from SPARQL's grammar with the spellings where a
lexer and Oxigraph's parser may part ways, checked against Oxigraph itself.

The generator writes a group of elements (triples, FILTERs with `<` glued to IRI-like text holding
`#` and quotes, BINDs, OPTIONAL and UNION groups, strings and comments holding code) and one SERVICE
clause in a hostile spelling: any letter case, glued to what comes before (`true`, a number, a name)
or after (`SILENT`, an IRI, a prefixed name with an empty or made-up prefix), comments and newlines
between its words. Between tokens goes nothing, a space, a newline or a comment.

The property: whatever the guard lets through as SERVICE-free, Oxigraph (in this process, unsandboxed,
on a small store) never calls the loopback listener; and the guard answers every input with a scan or
a Rejected, never another exception. CI runs a short form; the long run is

    LOD_PUB_FUZZ_EXAMPLES=200000 .venv/bin/python -m pytest tests/sparql/test_guard_grammar_fuzz.py
"""

from __future__ import annotations

import os

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lod_pub.web.sparql.guard import Rejected, scan

EXAMPLES = int(os.environ.get("LOD_PUB_FUZZ_EXAMPLES", "400"))
store = ox.Store()  # a triple for each object the generator writes, so that patterns before a SERVICE match
for value in (ox.Literal("1", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")), ox.Literal("a"),
              ox.Literal("true", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean")),
              ox.NamedNode("http://x/a"), ox.NamedNode("http://x/a#b")):
    store.add(ox.Quad(ox.NamedNode("http://x/s"), ox.NamedNode("http://x/p"), value))


def cased(word: str):
    return st.lists(st.booleans(), min_size=len(word), max_size=len(word)).map(
        lambda ups: "".join(c.upper() if up else c.lower() for c, up in zip(word, ups)))


gap = st.sampled_from(["", " ", "\n", "\t", " # c\n", "#}'\"<\n", "  "])
glue_before = st.sampled_from(["", "true", "1", "false", "1.5", "a", ".", "}"])
target = st.sampled_from(["<URL>", ":x", "p:x", "x:y", "pSILENT:x"])


@st.composite
def service(draw) -> str:
    silent = draw(st.sampled_from(["", "SILENT", "silent", "Silent"]))
    return (draw(glue_before) + draw(cased("service")) + draw(gap) + silent + draw(gap) + draw(target)
            + draw(gap) + "{" + draw(gap) + "?a ?b ?c" + draw(gap) + "}")


string = st.sampled_from(['"a"', "'a'", '"""a\n"b"\n"""', "'''x'y''z'''", '"#"', "'<'", '"}"',
                         '"SERVICE <URL> {}"', "'\\''", '"\\""'])
iri_like = st.sampled_from(["<http://x/a>", "<http://x/a#b>", "<?b#>", "<?b)#>", "<x'y>", "<#>", "<a(b>"])
term = st.one_of(st.sampled_from(["?s", "?o", ":x", "p:x", "1", "true"]), string, iri_like)


@st.composite
def element(draw, depth: int = 0) -> str:
    kinds = ["triple", "filter", "bind", "comment", "service"] + (["optional", "union"] if depth < 2 else [])
    kind = draw(st.sampled_from(kinds))
    g = lambda: draw(gap)  # noqa: E731
    if kind == "triple":
        return f"?s{g()}?p{g()}{draw(term)}{g()}."
    if kind == "filter":
        op = draw(st.sampled_from(["<", "<=", " < ", "=", "&&", "||", ">"]))
        return f"FILTER({g()}{draw(term)}{op}{draw(term)}{g()}){g()}"
    if kind == "bind":
        return f"BIND({draw(term)}{g()}AS ?v{draw(st.integers(0, 3))}){g()}"
    if kind == "comment":
        return "#" + draw(st.sampled_from(["", "SERVICE <URL> {}", "'''", '"', "<", "}"])) + "\n"
    if kind == "service":
        return draw(service())
    inner = " ".join(draw(st.lists(element(depth + 1), max_size=3)))
    if kind == "optional":
        return f"OPTIONAL{g()}{{{g()}{inner}{g()}}}"
    return f"{{{g()}{inner}{g()}}}{g()}UNION{g()}{{{g()}}}"


@st.composite
def query(draw) -> str:
    parts = draw(st.lists(element(), min_size=1, max_size=6))
    return "PREFIX : <URL> PREFIX p: <URL> PREFIX x: <URL> PREFIX pSILENT: <URL>\nSELECT * WHERE { " \
        + draw(gap).join(parts) + " }"


def _calls_out(text: str, hits: list) -> bool:
    before = len(hits)
    try:
        result = store.query(text)
        if not isinstance(result, ox.QueryBoolean):
            for _ in result:
                pass
    except (SyntaxError, OSError, RuntimeError):
        pass
    return len(hits) > before


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                       HealthCheck.function_scoped_fixture])
@given(text=query())
def test_nothing_the_guard_lets_through_calls_out(listener, text):
    url, hits = listener
    text = text.replace("URL", url)
    try:
        found = scan(text, 100)
    except Rejected:
        return
    if found.services:
        return
    assert not _calls_out(text, hits), f"the guard let through a query that calls out: {text!r}"


@settings(max_examples=EXAMPLES, deadline=None)
@given(text=st.text(alphabet=st.sampled_from(list("sSeErRvViIcC<>?{}()[]#'\":._ \n1aAtTuU\\")), max_size=80))
def test_the_guard_answers_every_input(text):
    try:
        scan(text, 100)
    except Rejected:
        pass


def test_the_generator_does_reach_the_engine(listener):
    """The oracle works: an unguarded hostile spelling from the generator does call the listener."""
    url, hits = listener
    text = f"PREFIX : <{url}> SELECT * WHERE {{ ?s ?p 1service\n:x {{ ?a ?b ?c }} }}"
    assert _calls_out(text, hits)
    with pytest.raises(Rejected):
        found = scan(text, 100)
        if found.services:
            raise Rejected(400, "SERVICE")
