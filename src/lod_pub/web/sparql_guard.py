"""What a query is and whether it may run, decided before any native parser sees it.

    scan(query, nesting_cap) -> Scan       one pass of a small SPARQL lexer; raises Rejected

The lexer knows only what safety needs: where strings, IRIs and comments are (so that braces and
keywords inside them do not count), how deep `{ ( [` nest (a query nested a few thousand deep
crashes Oxigraph's parser and with it the process), the query form (SELECT, ASK, CONSTRUCT,
DESCRIBE, or an update), the SERVICE clauses and their IRIs, the dataset clauses (FROM, FROM NAMED)
with prefixed names resolved, the outermost LIMIT, and how many operators the query holds (a flat
chain of ten thousand `||` parses recursively and overflowed an Oxigraph server's stack). It errs towards rejecting: a `<` it cannot
read as an IRI counts as code, so a keyword is never hidden from it by a lexing difference.
Oxigraph (0.5) does not process `\\u` escapes outside strings and IRIs, so neither does this lexer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin

__all__ = ["Rejected", "Scan", "scan", "QUERY_FORMS", "UPDATE_WORDS"]

QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
UPDATE_WORDS = ("INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH")
OPENERS, CLOSERS = "{([", "})]"
OPERATOR_CHARS = set("|&+-*/!^=<>")
OPERATOR_WORDS = {"UNION", "OPTIONAL", "MINUS"}

_TOKEN = re.compile(
    r"""
      (?P<ws>\s+)
    | (?P<comment>\#[^\n\r]*)
    | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
                 |"(?:[^"\\\n\r]|\\.)*"|'(?:[^'\\\n\r]|\\.)*')
    | (?P<iri><(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>)
    | (?P<var>[?$][\w\u00B7\u0300-\u036F\u203F-\u2040]+)
    | (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
    | (?P<pname>[^\W\d][\w.\-\u00B7]*:(?:[\w\-.:%\u00B7]|\\.)*|:(?:[\w\-.:%\u00B7]|\\.)*)
    | (?P<word>[^\W\d][\w\-]*)
    | (?P<number>[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?))
    | (?P<unclosed>["'])
    | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)


class Rejected(Exception):
    """The query may not run. `status` is the HTTP status to answer with."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


@dataclass
class Scan:
    form: str                                  # SELECT, ASK, CONSTRUCT, DESCRIBE
    depth: int                                 # deepest nesting of { ( [
    services: list[str] = field(default_factory=list)   # SERVICE IRIs ('?var' for a variable)
    from_default: list[str] = field(default_factory=list)
    from_named: list[str] = field(default_factory=list)
    limit: int | None = None                   # the outermost LIMIT, if any
    operators: int = 0                         # operators and UNION/OPTIONAL/MINUS: the size of the algebra

    @property
    def is_graph(self) -> bool:
        return self.form in ("CONSTRUCT", "DESCRIBE")

    @property
    def has_dataset(self) -> bool:
        return bool(self.from_default or self.from_named)


def _tokens(query: str) -> list[tuple[str, str]]:
    """(kind, text) of every token except whitespace and comments."""
    out = []
    for m in _TOKEN.finditer(query):
        kind = m.lastgroup
        if kind in ("ws", "comment"):
            continue
        if kind == "unclosed":
            raise Rejected(400, f"malformed query: a string opened at character {m.start() + 1} is never closed")
        out.append((kind, m.group()))
    return out


def _operators(tokens: list[tuple[str, str]]) -> int:
    """Operators (a signed number is one: `1+1` lexes as 1, +1) and the keywords that join patterns."""
    return sum(1 for kind, text in tokens
               if (kind == "other" and text in OPERATOR_CHARS) or (kind == "number" and text[0] in "+-")
               or (kind == "word" and text.upper() in OPERATOR_WORDS))


def _check_depth(tokens: list[tuple[str, str]], cap: int) -> int:
    depth = deepest = 0
    for kind, text in tokens:
        if kind != "other":
            continue
        if text in OPENERS:
            depth += 1
            if depth > cap:
                raise Rejected(400, f"the query nests brackets more than {cap} deep; simplify it")
            deepest = max(deepest, depth)
        elif text in CLOSERS:
            depth = max(depth - 1, 0)
    return deepest


class _Resolver:
    """PREFIX and BASE declarations, to turn dataset clauses into full IRIs."""

    def __init__(self, prefixes: dict[str, str] | None = None) -> None:
        self.base: str | None = None
        self.prefixes: dict[str, str] = dict(prefixes or {})

    def iri(self, kind: str, text: str) -> str | None:
        if kind == "iri":
            value = text[1:-1]
            return urljoin(self.base, value) if self.base else value
        if kind == "pname":
            prefix, _, local = text.partition(":")
            if prefix in self.prefixes:
                return self.prefixes[prefix] + re.sub(r"\\(.)", r"\1", local)
        return None


def _form(tokens: list[tuple[str, str]], resolver: _Resolver) -> tuple[str, int]:
    """The query form and the index of its keyword; reads the prologue on the way."""
    i = 0
    while i < len(tokens):
        kind, text = tokens[i]
        word = text.upper() if kind == "word" else ""
        if word == "BASE" and i + 1 < len(tokens) and tokens[i + 1][0] == "iri":
            resolver.base = resolver.iri(*tokens[i + 1])
            i += 2
        elif word == "PREFIX" and i + 2 < len(tokens) and tokens[i + 1][0] == "pname" and tokens[i + 2][0] == "iri":
            resolver.prefixes[tokens[i + 1][1].rstrip(":")] = resolver.iri(*tokens[i + 2]) or ""
            i += 3
        elif word in QUERY_FORMS:
            return word, i
        elif word in UPDATE_WORDS:
            raise Rejected(400, f"this is the query endpoint and {word} is a SPARQL Update operation; "
                                "the endpoint is read-only and accepts no updates")
        else:
            raise Rejected(400, "malformed query: expected SELECT, ASK, CONSTRUCT or DESCRIBE "
                                f"after the prologue, found {text[:40]!r}")
    raise Rejected(400, "malformed query: it is empty (no SELECT, ASK, CONSTRUCT or DESCRIBE)")


def _clauses(tokens: list[tuple[str, str]], start: int, resolver: _Resolver, result: Scan) -> None:
    depth = 0
    for i in range(start, len(tokens)):
        kind, text = tokens[i]
        if kind == "other":
            depth += (text in OPENERS) - (text in CLOSERS)
            continue
        if kind != "word":
            continue
        word = text.upper()
        following = tokens[i + 1] if i + 1 < len(tokens) else ("end", "")
        if word == "SERVICE":
            target = tokens[i + 2] if following[1].upper() == "SILENT" and i + 2 < len(tokens) else following
            result.services.append(target[1] if target[0] == "var" else (resolver.iri(*target) or target[1]))
        elif word == "FROM" and depth == 0:
            named = following[1].upper() == "NAMED"
            target = tokens[i + 2] if named and i + 2 < len(tokens) else following
            iri = resolver.iri(*target)
            if iri is None:
                raise Rejected(400, f"malformed query: FROM must name a graph IRI, found {target[1][:60]!r}")
            (result.from_named if named else result.from_default).append(iri)
        elif word == "LIMIT" and depth == 0 and following[0] == "number" and following[1].isdigit():
            result.limit = int(following[1])


def scan(query: str, nesting_cap: int, prefixes: dict[str, str] | None = None) -> Scan:
    """Lex the query once; raise Rejected (400) for updates, deep nesting or no query form.

    `prefixes` are the ones the endpoint declares for every query (a query's own PREFIX wins).
    """
    tokens = _tokens(query)
    deepest = _check_depth(tokens, nesting_cap)
    resolver = _Resolver(prefixes)
    form, at = _form(tokens, resolver)
    result = Scan(form=form, depth=deepest, operators=_operators(tokens))
    _clauses(tokens, at + 1, resolver, result)
    return result
