"""What a query is and whether it may run, decided before any native parser sees it.

    scan(query, nesting_cap) -> Scan       one linear pass over the tokens of lod_pub.sparql_lex; raises Rejected

The guard knows only what safety needs: how deep `{ ( [` nest (a query nested a few thousand deep
crashes Oxigraph's parser), the query form (SELECT, ASK, CONSTRUCT, DESCRIBE, or an update), every
place Oxigraph could read a SERVICE keyword and the IRIs of those it can name, the dataset clauses
(FROM, FROM NAMED) with prefixed names resolved, the outermost LIMIT, and the size of the algebra
(operators, groups, BINDs, terms: what a remote store is given is capped by these, see `Scan.size`).

SERVICE is found as Oxigraph reads it, not as a word: its keywords match on their letters with no
word boundary, so `SERVICE:x`, `SERVICEx:y`, `SERVICESILENT<x>` and `trueSERVICE <x>` all hold one.
Any name (word, or the prefix of a prefixed name) that holds the letters `service` followed by what
a SERVICE clause needs next (`SILENT`, a variable, an IRI or a prefixed name) is a SERVICE; only the
plain spelling names an endpoint that an allow list can admit. Where a `<` may be either an IRI or
Oxigraph's less-than (sparql_lex marks those), the guard refuses what the other reading could hide:
a quote inside the IRI, or, after a `#` in it (a comment in the other reading), a quote, bracket or
`service` in the rest of the line; brackets and operators inside it count as if they were code.
Oxigraph (0.5) does not process `\\u` escapes outside strings and IRIs, so neither does the lexer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin

from ...errors import WebError
from ...sparql_lex import Lexed, LexError, Token, lex

__all__ = ["Rejected", "Scan", "scan", "QUERY_FORMS", "UPDATE_WORDS"]

QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
UPDATE_WORDS = ("INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH")
OPENERS, CLOSERS = "{([", "})]"
OPERATOR_PUNCT = {"|", "&", "+", "-", "*", "/", "!", "^", "=", "<", ">", "&&", "||", "!=", "<=", ">=", "^^"}
OPERATOR_WORDS = {"UNION", "OPTIONAL", "MINUS"}
TERM_KINDS = ("var", "iri", "pname", "string", "number", "bnode")
_SERVICE = re.compile(r"service", re.IGNORECASE)
_GAP = r"(?:[ \t\r\n]|\#[^\n\r]*)*"
# What may follow the letters of SERVICE in a SERVICE clause: SILENT, then a variable, IRI or prefixed name.
_SERVICE_NEXT = re.compile(_GAP + r"(?:silent" + _GAP + r")?(?:[<?$:]|[^\W\d][\w.\-\u00B7]*:)",
                           re.IGNORECASE)
_OTHER_READING_HIDES = re.compile(r"['\"{}()\[\]]|service", re.IGNORECASE)


class Rejected(WebError):
    """The query may not run. `status` is the HTTP status to answer with."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None):
        super().__init__(message, status, headers)


@dataclass
class Scan:
    form: str                                  # SELECT, ASK, CONSTRUCT, DESCRIBE
    depth: int                                 # deepest nesting of { ( [
    services: list[str] = field(default_factory=list)   # SERVICE IRIs ('?var' for a variable)
    from_default: list[str] = field(default_factory=list)
    from_named: list[str] = field(default_factory=list)
    limit: int | None = None                   # the outermost LIMIT, if any
    operators: int = 0                         # operators and UNION/OPTIONAL/MINUS
    groups: int = 0                            # `{` : group patterns, sub-selects, VALUES blocks
    binds: int = 0                             # `AS`: BIND and projected expressions, each an Extend
    terms: int = 0                             # variables, IRIs, names, literals of triple patterns

    @property
    def patterns(self) -> int:
        """Triple patterns, about: three terms each (fewer where `;` and `,` share a subject)."""
        return -(-self.terms // 3)

    @property
    def is_graph(self) -> bool:
        return self.form in ("CONSTRUCT", "DESCRIBE")

    @property
    def has_dataset(self) -> bool:
        return bool(self.from_default or self.from_named)


def _lexed(query: str) -> Lexed:
    try:
        return lex(query)
    except LexError as exc:
        raise Rejected(400, exc.message) from None


def _count(tokens: list[Token], result: Scan) -> None:
    """The algebra's size: operators (a signed number is one: `1+1` lexes as 1, +1), groups, BINDs, and
    terms of triple patterns: directly inside `{ }` or `[ ]`, outside the data of VALUES (a long VALUES
    list is one cheap table) and outside brackets `( )` (expressions, lists, paths)."""
    frames: list[str] = []            # open brackets; a `{` is "data" when it holds VALUES rows
    values_next = False
    for kind, text, *_ in tokens:
        if kind == "punct":
            result.operators += text in OPERATOR_PUNCT
            if text == "{":
                result.groups += 1
                frames.append("data" if values_next or (frames and frames[-1] == "data") else "{")
                values_next = False
            elif text in "([" and len(text) == 1:
                frames.append(text)
            elif text in ")}]" and len(text) == 1 and frames:
                frames.pop()
        elif kind == "word":
            word = text.upper()
            result.operators += word in OPERATOR_WORDS
            result.binds += word == "AS"
            values_next = values_next or word == "VALUES"
        elif kind in TERM_KINDS:
            result.terms += bool(frames) and frames[-1] in "{["
            result.operators += kind == "number" and text[0] in "+-"


def _check_depth(tokens: list[Token], extra: dict[int, int], cap: int) -> int:
    """Deepest nesting; `extra` adds, at a token's index, the nesting an ambiguous IRI would hold."""
    depth = deepest = 0
    for i, (kind, text, *_) in enumerate(tokens):
        if kind == "punct" and text in OPENERS:
            depth += 1
        elif kind == "punct" and text in CLOSERS:
            depth = max(depth - 1, 0)
        reach = depth + extra.get(i, 0)
        if reach > cap:
            raise Rejected(400, f"the query nests brackets more than {cap} deep; simplify it")
        deepest = max(deepest, reach)
    return deepest


def _bracket_depth(text: str) -> int:
    depth = deepest = 0
    for ch in text:
        if ch in OPENERS:
            depth += 1
            deepest = max(deepest, depth)
        elif ch in CLOSERS:
            depth = max(depth - 1, 0)
    return deepest


def _ambiguous(query: str, tokens: list[Token], indexes: list[int], result: Scan) -> dict[int, int]:
    """Check each IRI that Oxigraph may read as `<` and what follows; return the nesting each may hide."""
    extra = {}
    for i in indexes:
        _kind, text, _start, end = tokens[i]
        content = text[1:-1]
        where = f"`{text[:60]}` (character {tokens[i][2] + 1})"
        if "'" in content:
            raise _unclear(where, "holds a quote")
        if _SERVICE.search(content):
            raise _unclear(where, "holds the letters of SERVICE")
        if "#" in content:
            line_end = _line_end(query, end)
            if _OTHER_READING_HIDES.search(query, end, line_end):
                raise _unclear(where, "holds a `#` and the rest of its line a quote, bracket or SERVICE")
        extra[i] = _bracket_depth(content)
        result.operators += sum(ch in "|&+-*/!^=<>" for ch in content)
    return extra


def _line_end(query: str, start: int) -> int:
    ends = [e for e in (query.find("\n", start), query.find("\r", start)) if e >= 0]
    return min(ends) if ends else len(query)


def _unclear(where: str, why: str) -> Rejected:
    return Rejected(400, f"the query is ambiguous at {where}: after an operand inside brackets, `<` may be "
                         f"less-than or the start of an IRI, and this one {why}. Write `< ` with a space to "
                         "compare, or percent-encode the character in the IRI.")


def _services(query: str, tokens: list[Token], resolver: "_Resolver", result: Scan) -> None:
    """Every place Oxigraph may read SERVICE; the plain `SERVICE [SILENT] target` names its target."""
    for i, (kind, text, start, _end) in enumerate(tokens):
        if kind == "word" and text.upper() == "SERVICE":
            result.services.append(_target(tokens, i, resolver))
            continue
        for offset in _service_letters(kind, text):
            if _SERVICE_NEXT.match(query, start + offset + len("service")):
                result.services.append(f"(written {text[:60]!r})")
                break


def _service_letters(kind: str, text: str) -> list[int]:
    """Offsets in a token where Oxigraph could start reading the keyword SERVICE."""
    if kind == "word":
        name = text
    elif kind == "pname":
        prefix, _, local = text.partition(":")
        dotted = [len(prefix) + 1 + m.start() + 1 for m in re.finditer(r"\.(?=service)", local, re.IGNORECASE)]
        return [m.start() for m in _SERVICE.finditer(prefix)] + dotted
    else:
        return []
    return [m.start() for m in _SERVICE.finditer(name)]


def _target(tokens: list[Token], i: int, resolver: "_Resolver") -> str:
    following = tokens[i + 1] if i + 1 < len(tokens) else ("end", "", 0, 0)
    silent = following[0] == "word" and following[1].upper() == "SILENT"
    target = tokens[i + 2] if silent and i + 2 < len(tokens) else following
    if target[0] == "var":
        return target[1]
    return resolver.iri(target[0], target[1]) or target[1]


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


def _form(tokens: list[Token], resolver: _Resolver) -> tuple[str, int]:
    """The query form and the index of its keyword; reads the prologue on the way."""
    i = 0
    while i < len(tokens):
        kind, text = tokens[i][:2]
        word = text.upper() if kind == "word" else ""
        if word == "BASE" and i + 1 < len(tokens) and tokens[i + 1][0] == "iri":
            resolver.base = resolver.iri(*tokens[i + 1][:2])
            i += 2
        elif word == "PREFIX" and i + 2 < len(tokens) and tokens[i + 1][0] == "pname" and tokens[i + 2][0] == "iri":
            resolver.prefixes[tokens[i + 1][1].rstrip(":")] = resolver.iri(*tokens[i + 2][:2]) or ""
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


def _clauses(tokens: list[Token], start: int, resolver: _Resolver, result: Scan) -> None:
    depth = 0
    for i in range(start, len(tokens)):
        kind, text = tokens[i][:2]
        if kind == "punct":
            depth += (text in OPENERS) - (text in CLOSERS)
            continue
        if kind != "word" or depth != 0:
            continue
        word = text.upper()
        following = tokens[i + 1] if i + 1 < len(tokens) else ("end", "", 0, 0)
        if word in ("FROM", "FROMNAMED"):
            named = word == "FROMNAMED" or (following[0] == "word" and following[1].upper() == "NAMED")
            target = tokens[i + 2] if named and word == "FROM" and i + 2 < len(tokens) else following
            iri = resolver.iri(*target[:2])
            if iri is None:
                raise Rejected(400, f"malformed query: FROM must name a graph IRI, found {target[1][:60]!r}")
            (result.from_named if named else result.from_default).append(iri)
        elif word == "LIMIT" and following[0] == "number" and following[1].isdigit():
            result.limit = int(following[1])


def scan(query: str, nesting_cap: int, prefixes: dict[str, str] | None = None) -> Scan:
    """Lex the query once; raise Rejected (400) for updates, deep nesting, ambiguity or no query form.

    `prefixes` are the ones the endpoint declares for every query (a query's own PREFIX wins).
    """
    lexed = _lexed(query)
    tokens = lexed.tokens
    resolver = _Resolver(prefixes)
    form, at = _form(tokens, resolver)
    result = Scan(form=form, depth=0)
    extra = _ambiguous(query, tokens, lexed.ambiguous, result)
    result.depth = _check_depth(tokens, extra, nesting_cap)
    _count(tokens, result)
    _services(query, tokens, resolver, result)
    _clauses(tokens, at + 1, resolver, result)
    return result
