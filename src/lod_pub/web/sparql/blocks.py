"""The triples blocks of a query, read from its tokens: what narrow.py and joins.py work on.

    read(tokens, query) -> list[Block]

A triples block is a run of triple patterns in a group, between the group's other elements (FILTER, OPTIONAL,
BIND, a sub-group ...); its patterns are joined, and the block is one element of its group. The reading is
not a parser: a block holding anything but plain terms and property paths (a `[ ]` or a collection) is not
listed, and a group is `open` only when it reads the active graph (not inside GRAPH, SERVICE, EXISTS, VALUES
or a CONSTRUCT template, the short `CONSTRUCT WHERE` form included).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ...sparql_lex import Token

__all__ = ["Block", "Triple", "Count", "read", "prologue_of", "insert", "order_free", "count_rows",
           "CONSTANT_KINDS"]

TERM_KINDS = ("var", "iri", "pname", "bnode", "number", "string")
CONSTANT_KINDS = ("iri", "pname", "number", "string")
STEP_KINDS = ("iri", "pname")
FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
CLOSED_BEFORE = ("EXISTS", "CONSTRUCT", "DATA", "INSERT", "DELETE", "VALUES", "GRAPH", "SERVICE")
#: keywords that change which graph a group reads, or whether it is a pattern, looked for inside longer names
GLUED = ("GRAPH", "SERVICE", "FROM", "VALUES", "EXISTS", "NOTEXISTS", "FILTEREXISTS", "FILTERNOTEXISTS",
         "CONSTRUCT")
Span = tuple[int, int]                     # token indexes: first, and after the last
#: a count query -> its count, or None when it failed (the query worker's, on its store)
Count = Callable[[str], "int | None"]


@dataclass(frozen=True)
class Triple:
    subject: str          # the texts, as written
    verb: str
    object: str
    first: Token          # the subject's token and the object's first one
    last: Token
    plain: bool           # the verb is an IRI, a prefixed name, `a` or a variable: no path
    closure: bool         # the verb is a path with `*` or `+`

    @property
    def text(self) -> str:
        return f"{self.subject} {self.verb} {self.object}"


@dataclass(frozen=True)
class Block:
    start: int            # character offsets: where the block's first subject starts, and where it ends
    end: int
    open: bool            # in a group that reads the active graph
    depth: int            # 1 for the query's own WHERE group
    triples: tuple[Triple, ...]


class _Reader:
    """A recursive reading of the groups (`{ }`) of a query, enough to find its triples blocks."""

    def __init__(self, tokens: list[Token], query: str):
        self.tokens, self.query = tokens, query
        self.blocks: list[Block] = []

    def kind(self, i: int) -> str:
        return self.tokens[i][0] if i < len(self.tokens) else ""

    def text(self, i: int) -> str:
        return self.tokens[i][1] if i < len(self.tokens) else ""

    def punct(self, i: int, chars: str) -> bool:
        return self.kind(i) == "punct" and self.text(i) in chars.split()

    def word(self, i: int, *words: str) -> bool:
        return self.kind(i) == "word" and self.text(i).upper() in words

    # groups
    def top(self) -> None:
        i, closes = 0, False
        while i < len(self.tokens):
            if self.punct(i, "{"):
                i, closes = self.group(i + 1, not closes, 1), False
            else:
                closes = closes or self.closes_next(i)
                i += 1

    def closes_next(self, i: int) -> bool:
        """Whether the token at i makes the next `{` a group that does not read the active graph: GRAPH,
        EXISTS, VALUES, a template (CONSTRUCT, and `CONSTRUCT WHERE`'s group, which is one too) ..."""
        return self.word(i, *CLOSED_BEFORE)

    def group(self, i: int, open_: bool, depth: int) -> int:
        """Read the group whose `{` is before i (`depth` groups deep); the index after its `}`. Linear: a
        block that is not plain triples is passed over from where its reading stopped."""
        block_may_start, closes = True, False
        while i < len(self.tokens):
            if self.punct(i, "}"):
                return i + 1
            if self.punct(i, "{"):
                i = self.group(i + 1, open_ and not closes, depth + 1)
                block_may_start, closes = True, False
            elif self.punct(i, "."):
                i, block_may_start = i + 1, True
            elif self.punct(i, "( ["):  # FILTER(…), BIND(…) end an element; a collection starts a block we skip
                i, block_may_start = self.brackets(i), not block_may_start
            elif block_may_start and self.kind(i) in TERM_KINDS:
                end, read = self.block(i, open_, depth)
                i, block_may_start = (end, True) if read else (max(end, i + 1), False)
            else:
                closes = closes or self.closes_next(i)
                i, block_may_start = i + 1, False
        return i

    def brackets(self, i: int) -> int:
        """Skip the bracket opened at i (a `{` inside, as in FILTER(EXISTS {…}), reads no pattern)."""
        depth = 0
        while i < len(self.tokens):
            if self.punct(i, "( ["):
                depth += 1
            elif self.punct(i, ") ]"):
                depth -= 1
                if depth == 0:
                    return i + 1
            elif self.punct(i, "{"):
                i = self.group(i + 1, False, 0)
                continue
            i += 1
        return i

    # triples blocks
    def block(self, i: int, open_: bool, depth: int) -> tuple[int, bool]:
        """Read the triples block starting at i: the index after it and True, or where its reading stopped
        and False if it is not plain triples."""
        first, triples = i, []
        while True:
            read = self.statement(i)
            if isinstance(read, int):
                return read, False
            i, more = read
            triples += more
            if not self.punct(i, "."):
                break
            i += 1
            if self.kind(i) not in TERM_KINDS:
                break
        self.blocks.append(Block(self.tokens[first][2], self.tokens[i - 1][3], open_, depth, tuple(triples)))
        return i, True

    def statement(self, i: int) -> tuple[int, list[Triple]] | int:
        """Read a subject and its predicate-object list at i: the index after it and its triples, or the
        index where the reading stopped if it is not plain triples."""
        after = self.term(i)
        if after is None:
            return i
        subject, i, triples = (i, after), after, []
        while True:
            verb = self.verb(i)
            if verb is None:
                return i
            j = verb
            while True:
                after = self.term(j)
                if after is None:
                    return j
                triples.append(self.triple(subject, (i, verb), (j, after)))
                if not self.punct(after, ","):
                    break
                j = after + 1
            i = after
            while self.punct(i, ";"):
                i += 1
            if i == after or self.verb(i) is None:
                return i, triples

    def triple(self, subject: Span, verb: Span, obj: Span) -> Triple:
        texts = tuple(self.query[self.tokens[a][2]:self.tokens[b - 1][3]] for a, b in (subject, verb, obj))
        plain = verb[1] - verb[0] == 1 and (self.kind(verb[0]) in ("iri", "pname", "var") or self.word(verb[0], "A"))
        closure = any(self.punct(k, "* +") for k in range(*verb))
        return Triple(texts[0], texts[1], texts[2], self.tokens[subject[0]], self.tokens[obj[0]], plain, closure)

    def term(self, i: int) -> int | None:
        """The index after a term (a variable, IRI, blank node label, number, literal) at i, or None."""
        kind = self.kind(i)
        if kind in ("var", "iri", "pname", "bnode", "number"):
            return i + 1
        if self.word(i, "TRUE", "FALSE"):
            return i + 1
        if kind == "string":
            if self.kind(i + 1) == "lang":
                return i + 2
            if self.punct(i + 1, "^^") and self.kind(i + 2) in ("iri", "pname"):
                return i + 3
            return i + 1
        return None

    def verb(self, i: int) -> int | None:
        """The index after a verb (a variable or a property path) at i, or None."""
        if self.kind(i) == "var":
            return i + 1
        while True:
            while self.punct(i, "^"):
                i += 1
            if self.punct(i, "!"):
                i += 1
            if self.kind(i) in STEP_KINDS or self.word(i, "A"):
                i += 1
            elif self.punct(i, "("):
                closed = self.path_group(i)
                if closed is None:
                    return None
                i = closed
            else:
                return None
            if self.punct(i, "* + ?"):
                i += 1
            if not self.punct(i, "/ |"):
                return i
            i += 1

    def path_group(self, i: int) -> int | None:
        """The index after the parenthesised path opened at i, or None if it holds anything but a path."""
        end = self.brackets(i)
        if not self.punct(end - 1, ")") or not all(
                self.kind(k) in STEP_KINDS or self.word(k, "A") or self.punct(k, "^ / | ! * + ? ( )")
                for k in range(i, end)):
            return None
        return end


def read(tokens: list[Token], query: str) -> list[Block]:
    """The triples blocks of a query, in the order they end; none for a query with a keyword that the lexer
    reads inside a longer name (`GRAPH:g`, `FILTEREXISTS`: Oxigraph reads the keyword, then the rest)."""
    if any(_glued(token) for token in tokens):
        return []
    reader = _Reader(tokens, query)
    reader.top()
    return reader.blocks


def _glued(token: Token) -> bool:
    kind, text = token[0], token[1].upper()
    if kind == "pname":
        return text.split(":", 1)[0].startswith(GLUED)
    return kind == "word" and text.startswith(GLUED) and text not in CLOSED_BEFORE


def prologue_of(tokens: list[Token], query: str) -> str | None:
    """The query's text before its form (its PREFIX and BASE declarations), for a probe of a pattern; None
    for a query with FROM or SERVICE, whose patterns a probe on the job's dataset would read elsewhere."""
    if any(t[0] in ("word", "pname") and t[1].upper().startswith(("FROM", "SERVICE")) for t in tokens):
        return None
    form = next((t for t in tokens if t[0] == "word" and t[1].upper() in FORMS), None)
    return None if form is None else query[:form[2]]


def count_rows(count: Count, prologue: str, pattern: str, cap: int) -> int | None:
    """The rows of a pattern, counted up to cap + 1 (the LIMIT bounds a scan's work)."""
    return count(f"{prologue}SELECT (COUNT(*) AS ?n) WHERE {{ SELECT * WHERE {{ {pattern} }} LIMIT {cap + 1} }}")


def insert(query: str, edits: list[tuple[int, str]]) -> str:
    """The query with each text inserted at its character offset."""
    out, at = [], 0
    for position, text in sorted(edits, key=lambda edit: edit[0]):
        out += [query[at:position], text]
        at = position
    return "".join(out) + query[at:]


def order_free(tokens: list[Token]) -> bool:
    """Whether the query's answer is one bag of solutions whatever order the engine finds them in: no
    SAMPLE or GROUP_CONCAT, no LIMIT or OFFSET inside a group (a sub-select's), and one at the top only
    with an ORDER BY there. (Solutions tied under that ORDER BY are still the engine's to order, as SPARQL
    says: a LIMIT may cut between them elsewhere.)"""
    depth, ordered, cut = 0, False, False
    for kind, text, *_ in tokens:
        if kind == "punct" and text in "{}":
            depth += 1 if text == "{" else -1
        elif kind == "word":
            word = text.upper()
            if word in ("SAMPLE", "GROUP_CONCAT") or (depth > 0 and word in ("LIMIT", "OFFSET")):
                return False
            ordered = ordered or (depth == 0 and word == "ORDER")
            cut = cut or (depth == 0 and word in ("LIMIT", "OFFSET"))
    return ordered or not cut
