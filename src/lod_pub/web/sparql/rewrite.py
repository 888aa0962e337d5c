"""Rewrites that make Oxigraph (0.5) evaluate a query the fast way round, with the same answers.

    rewrite(query) -> str | None      the rewritten query, or None when nothing applies

Two rewrites, each found by the benchmark (docs/sparql.md); the worker runs the original query
instead if a rewritten one does not parse.

1. Paths from the constant end. A sequence path whose *object* is a constant and whose subject is
a variable,

    ?e schema:location/schema:containedInPlace* <country>

is evaluated by Oxigraph from the subject end (every location, then a closure from each), about
350 ms at 1M triples, while rdflib walks back from the constant in 10 ms. The same path inverted,

    ?e ^(^schema:containedInPlace*/^schema:location) <country>

means the same (an inverse of a sequence is the sequence of inverses, reversed; `^(E*)` is
`(^E)*`) and Oxigraph starts it from the constant: 0.4 ms. Only paths of two or more plain steps
(IRIs, prefixed names or `a`, each with an optional `*`, `+` or `?`), at least one with `*` or `+`,
in a triple pattern `?var PATH constant` directly inside `{ }`, are touched.

2. Joins pushed into a UNION. Oxigraph evaluates `{ A } UNION { B } C` as written: both branches
in full, then the join with C (4.5 s at 1M triples for branches holding paths), where
`{ A . C } UNION { B . C }` lets each branch start from C (milliseconds). Join distributes over
union (bags included), so the answers are the same, provided C is only triple patterns (no FILTER,
BIND, OPTIONAL, ...: those stay where they are) and no branch holds a FILTER (a FILTER's scope is its
whole group, which would then include C). Blank node labels in C (which may not appear in two
patterns) and empty tails are left alone.
"""

from __future__ import annotations

from ...sparql_lex import LexError, Token, lex

STEP_KINDS = ("iri", "pname")
CONSTANT_KINDS = ("iri", "pname", "string", "number")
SUBJECT_BEFORE = ("{", ".", "}")


def _lex(query: str) -> list[Token] | None:
    try:
        return lex(query).tokens
    except LexError:
        return None


def _step(tokens: list[Token], i: int) -> tuple[str, int] | None:
    """(text of a path step with its modifier, index after it) at i, or None."""
    if i >= len(tokens):
        return None
    kind, text = tokens[i][0], tokens[i][1]
    if not (kind in STEP_KINDS or (kind == "word" and text == "a")):
        return None
    if i + 1 < len(tokens) and tokens[i + 1][0] == "punct" and tokens[i + 1][1] in "*+?" \
            and tokens[i + 1][2] == tokens[i][3]:
        return text + tokens[i + 1][1], i + 2
    return text, i + 1


def _path_at(tokens: list[Token], i: int) -> tuple[list[str], int] | None:
    """The steps of a plain sequence path starting at i and the index after it."""
    steps = []
    while True:
        found = _step(tokens, i)
        if found is None:
            return None
        steps.append(found[0])
        i = found[1]
        if i < len(tokens) and tokens[i][:2] == ("punct", "/"):
            i += 1
            continue
        return steps, i


def rewrite(query: str) -> str | None:
    paths = rewrite_paths(query)
    unions = rewrite_unions(paths or query)
    return unions or paths


def rewrite_paths(query: str) -> str | None:
    tokens = _lex(query)
    if tokens is None:
        return None
    stack: list[str] = []
    edits: list[tuple[int, int, str]] = []
    for i, (kind, text, _start, _end) in enumerate(tokens):
        if kind == "punct" and text in "{([":
            stack.append(text)
        elif kind == "punct" and text in "})]":
            if stack:
                stack.pop()
        elif kind == "var" and stack and stack[-1] == "{" and i > 0 and tokens[i - 1][1] in SUBJECT_BEFORE:
            edit = _edit(tokens, i + 1)
            if edit:
                edits.append(edit)
    if not edits:
        return None
    out, at = [], 0
    for start, end, replacement in edits:
        out += [query[at:start], replacement]
        at = end
    return "".join(out) + query[at:]


def _edit(tokens: list[Token], i: int) -> tuple[int, int, str] | None:
    found = _path_at(tokens, i)
    if found is None:
        return None
    steps, after = found
    if len(steps) < 2 or not any(s.endswith(("*", "+")) for s in steps) or after >= len(tokens):
        return None
    if tokens[after][0] not in CONSTANT_KINDS:
        return None
    inverted = "/".join(f"^{step}" for step in reversed(steps))
    return tokens[i][2], tokens[after - 1][3], f"^({inverted})"


# -- joins pushed into unions ----------------------------------------------------------------------
TAIL_WORDS = ("a", "true", "false")
TAIL_PUNCT = {".", ";", ",", "/", "^", "^^", "*", "+", "?", "|", "!", "(", ")", "[", "]"}
MAX_PASSES = 8


def rewrite_unions(query: str) -> str | None:
    """`{A} UNION {B} C` -> `{A . C} UNION {B . C}`, repeated for every such chain (nested ones too)."""
    changed, limit = None, 2 * len(query) + 4096  # tails are copied: never let a query balloon
    for _ in range(MAX_PASSES):
        tokens = _lex(query)
        if tokens is None:
            return changed
        edit = _first_union(tokens)
        if edit is None:
            return changed
        query = _apply_union(query, tokens, *edit)
        if len(query) > limit:
            return changed
        changed = query
    return changed


def _matches(tokens: list[Token]) -> dict[int, int]:
    """Index of the matching `}` for every `{`."""
    stack, pairs = [], {}
    for i, (kind, text, *_) in enumerate(tokens):
        if kind == "punct" and text == "{":
            stack.append(i)
        elif kind == "punct" and text == "}" and stack:
            pairs[stack.pop()] = i
    return pairs


def _running_count(tokens: list[Token], word: str) -> list[int]:
    """counts[i]: how many tokens before index i are the keyword `word`."""
    counts, seen = [0], 0
    for token in tokens:
        seen += _is_word(token, word)
        counts.append(seen)
    return counts


def _is_word(token: Token, word: str) -> bool:
    return token[0] == "word" and token[1].upper() == word


def _first_union(tokens: list[Token]) -> tuple[list[tuple[int, int]], int, int] | None:
    """(branches as (open, close) indexes, first and last index of the tail) of the first chain found."""
    pairs = _matches(tokens)
    filters = _running_count(tokens, "FILTER")
    for open_, close in sorted(pairs.items()):
        if open_ > 0 and _is_word(tokens[open_ - 1], "UNION"):
            continue  # not the first branch
        branches, k = [(open_, close)], close + 1
        while k + 1 < len(tokens) and _is_word(tokens[k], "UNION") and tokens[k + 1][1] == "{" and k + 1 in pairs:
            branches.append((k + 1, pairs[k + 1]))
            k = pairs[k + 1] + 1
        if len(branches) < 2 or filters[k] > filters[open_] \
                or any(_is_word(tokens[o + 1], "SELECT") for o, _ in branches):
            continue  # a FILTER's scope would grow; a sub-select's braces take nothing more
        if k < len(tokens) and tokens[k][1] == ".":
            k += 1
        end = _tail_end(tokens, k)
        if end is not None:
            return branches, k, end
    return None


def _tail_end(tokens: list[Token], start: int) -> int | None:
    """Index of the last token of a run of plain triple patterns starting at `start`, or None."""
    depth, last, i = 0, None, start
    while i < len(tokens):
        kind, text = tokens[i][0], tokens[i][1]
        if kind == "punct" and text in "([":
            depth += 1
        elif kind == "punct" and text in ")]":
            depth -= 1
            if depth < 0:
                return None
        elif kind == "punct" and text not in TAIL_PUNCT:
            break  # `{` or `}`: the tail ends
        elif kind == "word" and text.lower() not in TAIL_WORDS:
            break  # FILTER, OPTIONAL, BIND, ...: the tail ends
        elif kind == "bnode":
            return None
        elif kind not in ("punct", "word", "var", "iri", "pname", "string", "number", "lang"):
            return None
        last, i = i, i + 1
    if last is None or depth != 0 or not any(t[0] in ("var", "iri", "pname") for t in tokens[start:last + 1]):
        return None
    if tokens[last][1] not in ".;" and i < len(tokens) and tokens[i][1] not in "}{" and tokens[i][0] != "word":
        return None
    return last


def _apply_union(query: str, tokens: list[Token], branches: list[tuple[int, int]], first: int, last: int) -> str:
    tail = query[tokens[first][2]:tokens[last][3]].rstrip(" .\n\t")
    inserts = []
    for open_, close in branches:
        before = tokens[close - 1][1]
        joiner = " " if close - 1 == open_ or before == "." else " . "
        inserts.append((tokens[close][2], f"{joiner}{tail} "))
    cut = (tokens[first][2], tokens[last][3])
    out, at = [], 0
    for position, text in inserts:
        out += [query[at:position], text]
        at = position
    out += [query[at:cut[0]], query[cut[1]:]]
    return "".join(out)
