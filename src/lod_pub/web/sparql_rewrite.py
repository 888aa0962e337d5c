"""Rewrites that make Oxigraph (0.5) evaluate a query the fast way round, with the same answers.

    rewrite(query) -> str | None      the rewritten query, or None when nothing applies

One rewrite so far, found by the benchmark (docs/sparql.md): a sequence path whose *object* is a
constant and whose subject is a variable,

    ?e schema:location/schema:containedInPlace* <country>

is evaluated by Oxigraph from the subject end (every location, then a closure from each), about
350 ms at 1M triples, while rdflib walks back from the constant in 10 ms. The same path inverted,

    ?e ^(^schema:containedInPlace*/^schema:location) <country>

means the same (an inverse of a sequence is the sequence of inverses, reversed; `^(E*)` is
`(^E)*`) and Oxigraph starts it from the constant: 0.4 ms. Only paths of two or more plain steps
(IRIs, prefixed names or `a`, each with an optional `*`, `+` or `?`), at least one with `*` or `+`,
in a triple pattern `?var PATH constant` directly inside `{ }`, are touched. The worker runs the
original query instead if the rewritten one does not parse.
"""

from __future__ import annotations

from .sparql_guard import _TOKEN

STEP_KINDS = ("iri", "pname")
CONSTANT_KINDS = ("iri", "pname", "string", "number")
SUBJECT_BEFORE = ("{", ".", "}")


def _lex(query: str) -> list[tuple[str, str, int, int]]:
    return [(m.lastgroup, m.group(), m.start(), m.end()) for m in _TOKEN.finditer(query)
            if m.lastgroup not in ("ws", "comment")]


def _step(tokens, i: int) -> tuple[str, int] | None:
    """(text of a path step with its modifier, index after it) at i, or None."""
    if i >= len(tokens):
        return None
    kind, text = tokens[i][0], tokens[i][1]
    if not (kind in STEP_KINDS or (kind == "word" and text == "a")):
        return None
    if i + 1 < len(tokens) and tokens[i + 1][0] == "other" and tokens[i + 1][1] in "*+?" \
            and tokens[i + 1][2] == tokens[i][3]:
        return text + tokens[i + 1][1], i + 2
    return text, i + 1


def _path_at(tokens, i: int) -> tuple[list[str], int] | None:
    """The steps of a plain sequence path starting at i and the index after it."""
    steps = []
    while True:
        found = _step(tokens, i)
        if found is None:
            return None
        steps.append(found[0])
        i = found[1]
        if i < len(tokens) and tokens[i][:2] == ("other", "/"):
            i += 1
            continue
        return steps, i


def rewrite(query: str) -> str | None:
    tokens = _lex(query)
    if any(kind == "unclosed" for kind, *_ in tokens):
        return None
    stack: list[str] = []
    edits: list[tuple[int, int, str]] = []
    for i, (kind, text, _start, _end) in enumerate(tokens):
        if kind == "other" and text in "{([":
            stack.append(text)
        elif kind == "other" and text in "})]":
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


def _edit(tokens, i: int) -> tuple[int, int, str] | None:
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
