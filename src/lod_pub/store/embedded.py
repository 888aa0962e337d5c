"""The embedded store: Oxigraph on disk, written once per release, opened read-only to serve.

    open_store(path)                        read-only, for the web
    bind_variables(query, substitutions)    the query text with substituted variables written as their terms

Substitutions are written into the query text, not handed to pyoxigraph: Oxigraph 0.5 joins a
substitution after evaluating the pattern, while a variable written as its term is a constant its
planner starts from (an article's evidence at 10k articles: 131 ms against 0.6 ms). The web reads the
embedded store this way (web.state.LocalStore), and the HTTP client (store.http) sends substitutions
this way, as the SPARQL Protocol has no other. A substituted variable in a SELECT projection becomes
`(TERM AS ?var)`. Variables are found by lod_pub.sparql_lex, so a `?x` inside a string, an IRI or a
comment is never taken for one.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from ..sparql_lex import LexError, lex

#: (name, start, end, in a SELECT projection) of one variable of a query.
Found = tuple[str, int, int, bool]


def open_store(path: Path) -> ox.Store:
    return ox.Store.read_only(str(path))


def bind_variables(query: str, substitutions: Mapping[ox.Variable, object]) -> str:
    """The query with each substituted variable written as its term (see the module's docstring). A query
    the lexer cannot read is left as it is: the store refuses it with its own syntax error."""
    terms = {v.value: str(t) for v, t in substitutions.items()}
    if not terms:
        return query
    out: list[str] = []
    done = 0
    for name, start, end, projected in _variables(query):
        if name in terms:
            out += [query[done:start], f"({terms[name]} AS ?{name})" if projected else terms[name]]
            done = end
    return "".join(out) + query[done:]


@lru_cache(maxsize=256)  # the web's queries are a few fixed texts, each lexed once
def _variables(query: str) -> tuple[Found, ...]:
    """Every variable of the query, by lod_pub.sparql_lex, in the order they appear."""
    try:
        tokens = lex(query).tokens
    except LexError:
        return ()
    found: list[Found] = []
    projecting = False
    for kind, text, start, end in tokens:
        if kind == "word" and text.upper() == "SELECT":
            projecting = True
        elif (kind == "word" and text.upper() == "WHERE") or (kind == "punct" and text == "{"):
            projecting = False
        elif kind == "var":
            found.append((text[1:], start, end, projecting))
    return tuple(found)
