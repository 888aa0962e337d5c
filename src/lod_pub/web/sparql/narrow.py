"""Closure paths that reach few nodes, answered first: a step of the query worker on the embedded store.

    narrow(query, probe, count=None, limit=NARROW_NODES) -> str | None     the narrowed query, or None

Oxigraph (0.5) joins a property path with a closure (`*`, `+`) after the triple patterns beside it, and
walks the path once for each of their rows. At 1M triples,

    ?e a dip:Meeting ; schema:location/schema:containedInPlace* <country>

reads 10,000 meetings and walks the path from each (470 ms), where the path from its constant end
reaches 230 events in 2 ms; two such paths are joined in the order written (1.4 s one way, 11 ms the
other). Which side is small depends on the data, so no rewrite of the text alone can choose (rewrite.py
holds the ones that are always faster): the worker asks its store.

For each pattern `?v PATH c` or `c PATH ?v` (PATH holding a `*` or `+`, c a constant) in a triples block of
a group that reads the active graph (not inside GRAPH, SERVICE, EXISTS, VALUES or a CONSTRUCT template),
the worker evaluates the pattern alone (`probe`, LIMIT `limit` + 1). When it reaches at most `limit`
distinct nodes, none of them blank, `VALUES ?v { those nodes }` is written right before the triples block.
The answers are the same bag: every solution of the block binds ?v to one of those nodes (the pattern is
one of the block's joined patterns), a VALUES of distinct rows joined with it keeps each solution once,
and joins are associative, so the block keeps its place among the group's OPTIONALs, MINUSes and BINDs.
Oxigraph then starts from the few nodes (470 ms -> 4 ms, the two paths 1.3 s -> 34 ms).

Left alone: a query with FROM or SERVICE (the probe reads the job's dataset, which FROM would change), or
with a keyword the lexer reads inside a longer name (`GRAPH:g`); a query whose answer depends on the order
solutions are found in (blocks.order_free: a LIMIT without ORDER BY, SAMPLE, GROUP_CONCAT); a block with a
plain pattern of at most `limit` rows (`count`: the engine starts from it already). The probe's LIMIT
bounds its rows, not its work: Oxigraph computes a closure whole before the first row. At most
`MAX_PROBES` patterns are probed a query. tests/sparql/test_narrow.py compares answers with and without,
on random graphs; the W3C suites run with it on (tests/w3c).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ...sparql_lex import LexError, lex
from .blocks import CONSTANT_KINDS, Block, Count, Triple, count_rows, insert, order_free, prologue_of, read
from .rewrite import rewrite_paths

__all__ = ["narrow", "NARROW_NODES", "Probe", "Count"]

_STARS = re.compile(r"(?i)\b(?:SELECT|DISTINCT|REDUCED)\s*\*|\bCOUNT\s*\(\s*(?:DISTINCT\s*)?\*")
NARROW_NODES = 1000
MAX_PROBES = 4
#: a probe query -> the node of each row in N-Triples syntax, or None when one is not an IRI or a literal
#: (a blank node cannot be written in VALUES) or the probe failed.
Probe = Callable[[str], "list[str] | None"]



def narrow(query: str, probe: Probe, count: Count | None = None, limit: int = NARROW_NODES) -> str | None:
    if "+" not in query and ("*" not in query or "*" not in _STARS.sub("", query)):
        return None  # no closure (`SELECT *` and `COUNT(*)` are none): the common case costs no lexing
    try:
        tokens = lex(query).tokens
    except LexError:
        return None
    prologue = prologue_of(tokens, query)
    if prologue is None or not order_free(tokens):
        return None
    inserts: list[tuple[int, str]] = []
    for block, var, pattern in _patterns(read(tokens, query))[:MAX_PROBES]:
        if count is not None and _starts_small(block, prologue, count, limit):
            continue
        text = f"SELECT {var} WHERE {{ {pattern} }}"
        rows = probe(f"{prologue}{rewrite_paths(text) or text} LIMIT {limit + 1}")
        if rows is not None and len(rows) <= limit:
            nodes = " ".join(sorted(set(rows)))
            inserts.append((block.start, f"VALUES {var} {{ {nodes} }} "))
    if not inserts:
        return None
    return insert(query, inserts)


def _starts_small(block: Block, prologue: str, count: Count, limit: int) -> bool:
    """Whether a plain pattern of the block matches at most `limit` rows (counted up to `limit` + 1): the
    engine starts from it already, and the path's probe would cost more than it saves."""
    for t in block.triples:
        if t.plain:
            n = count_rows(count, prologue, t.text, limit)
            if n is not None and n <= limit:
                return True
    return False


def _patterns(blocks: list[Block]) -> list[tuple[Block, str, str]]:
    """(block, variable, pattern text) of each closure path with a constant end and a variable one."""
    return [(block, var, t.text) for block in sorted(blocks, key=lambda b: b.start)
            if block.open for t in block.triples if t.closure and (var := _variable_end(t))]


def _variable_end(triple: Triple) -> str | None:
    kinds = (triple.first[0], triple.last[0])
    if kinds[0] == "var" and kinds[1] in CONSTANT_KINDS:
        return "?" + triple.first[1][1:]
    if kinds[1] == "var" and kinds[0] in CONSTANT_KINDS:
        return "?" + triple.last[1][1:]
    return None
