"""How the web reads a store: the two calls it makes, and what a query answers, by the query's form.

    ReadableStore                           query(...) and quads_for_pattern(...): pyoxigraph's Store (the
                                            release's meta store), state.LocalStore and store.http.HttpStore
    solutions(answer) -> QuerySolutions     the rows of a SELECT; TypeError for an answer of another form
    triples(answer) -> Iterable[Triple]     the triples of a CONSTRUCT or DESCRIBE; TypeError likewise
    value_of(term) -> str                   the value of an IRI, a blank node or a literal; TypeError for a
                                            triple term, which has none

An ASK's answer needs no narrowing: bool() of it is the answer.
"""

from __future__ import annotations

from typing import Iterable, Iterator, Protocol

import pyoxigraph as ox

#: A term a query variable can be bound to (pyoxigraph's Store.query substitutions).
Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
Substitutions = dict[ox.Variable, Term]
#: What a query answers: rows (SELECT), a boolean (ASK), triples (CONSTRUCT, DESCRIBE; a remote store's
#: are an iterator of its own).
QueryAnswer = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples | Iterator[ox.Triple]


class ReadableStore(Protocol):
    """A store as the web reads it: the arguments of pyoxigraph's Store.query that the web passes."""

    def query(self, query: str, /, *, substitutions: Substitutions | None = None,
              prefixes: dict[str, str] | None = None, use_default_graph_as_union: bool = False) -> QueryAnswer: ...

    def quads_for_pattern(self, subject: ox.NamedNode | ox.BlankNode | ox.Triple | None,
                          predicate: ox.NamedNode | None, object: Term | None,
                          graph_name: ox.NamedNode | ox.BlankNode | ox.DefaultGraph | None = None,
                          ) -> Iterator[ox.Quad]: ...


def solutions(answer: QueryAnswer) -> ox.QuerySolutions:
    """The rows of a SELECT query's answer."""
    if not isinstance(answer, ox.QuerySolutions):
        raise TypeError(f"a SELECT query was expected to answer with rows, not {type(answer).__name__}")
    return answer


def triples(answer: QueryAnswer) -> Iterable[ox.Triple]:
    """The triples of a CONSTRUCT or DESCRIBE query's answer."""
    if isinstance(answer, (ox.QuerySolutions, ox.QueryBoolean)):
        raise TypeError(f"a CONSTRUCT or DESCRIBE query was expected to answer with triples, not "
                        f"{type(answer).__name__}")
    return answer


def value_of(term: Term) -> str:
    """The value of an IRI, a blank node or a literal (`.value`); a triple term has none."""
    if isinstance(term, ox.Triple):
        raise TypeError(f"a triple term has no single value: {term}")
    return term.value
