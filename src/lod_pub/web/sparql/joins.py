"""Joins of large triple patterns by hashing: a step of the query worker on the embedded store.

    hash_joins(query, count, rows, low=JOIN_LOW, factor=SEEK_ROWS) -> str | None   the rewritten query, or None

Oxigraph (0.5) joins the triple patterns of a block by index lookups: the rows of one pattern, then a seek
into the store for each row, pattern after pattern (`Lateral` in its plans). From a few rows nothing is
faster; from many it is a seek a row, about 14 microseconds each where a scan reads a row in 0.65. At 1M
triples, people's events, their cities and the cities' countries, counted by country, took 3.9 s, nearly
all of it in four nested loops; with each pattern a sub-select of its own, which Oxigraph joins by hashing
both sides, 0.36 s, and 0.6 s with the counts that chose it (docs/benchmarks.md).

Which is faster depends on the sizes, so the worker counts (`count`, `rows`: queries on its store). The
query's WHERE group is rewritten when:
- the query reads every solution before it answers (GROUP BY, an aggregate or ORDER BY at its top level:
  with neither, a LIMIT would let the lookups stop early, and a hash join cannot), and its answer does not
  depend on the order solutions are found in (blocks.order_free);
- the group holds one triples block of two or more plain patterns (no path, no blank node), and besides
  it only FILTERs and OPTIONALs (a VALUES, BIND, UNION or sub-group could make the block's rows few where
  the counts cannot see it);
- every pattern matches more than `low` rows, and reading every pattern twice (counted, then hashed)
  costs less than the seeks of the best nested loop: the smallest pattern's rows once for each join
  after it, or the rows of the join if more (a sample of SAMPLE rows of the smallest pattern joined with
  the others, at most SAMPLE_ROWS counted, scaled to its size), a seek costing `factor` rows.
Each pattern of the block is then written `{ SELECT * WHERE { pattern } }`. The answers are the same bag:
the sub-select gives the pattern's solutions, each as often, and the group joins them where it joined the
block's patterns (joins are associative and commutative; FILTERs apply to the whole group either way).
What counting costs: each pattern up to `low` + 1 rows, then rounds of eight times more until the
smallest is counted whole (so up to eight times its rows a pattern), the sample's join, then the others
up to what is left of the budget. tests/sparql/test_joins.py compares answers on random graphs, and
tests/w3c the suites' queries and data.
"""

from __future__ import annotations

from collections.abc import Callable

from ...sparql_lex import LexError, Token, lex
from .blocks import Block, Count, Triple, count_rows, order_free, prologue_of, read

__all__ = ["hash_joins", "Count", "Rows", "JOIN_LOW", "SEEK_ROWS"]

JOIN_LOW = 1_000
SEEK_ROWS = 20                 # a seek costs about as much as reading 20 rows of a scan (measured: 14 us, 0.65 us)
MAX_ROWS = 1_000_000
AGGREGATES = ("COUNT", "SUM", "AVG", "MIN", "MAX", "SAMPLE", "GROUP_CONCAT")
MODIFIERS = ("GROUP", "ORDER", "COUNT", "SUM", "AVG", "MIN", "MAX", "SAMPLE")
SAMPLE = 100                   # rows of the smallest pattern joined with the others to estimate the join's size
SAMPLE_ROWS = 100_000          # most rows of that sample's join counted
#: a query -> its rows, each variable's value in N-Triples syntax; None when one is a blank node or it failed
Rows = Callable[[str], "list[dict[str, str]] | None"]


def hash_joins(query: str, count: Count, rows: Rows, low: int = JOIN_LOW, factor: int = SEEK_ROWS) -> str | None:
    upper = query.upper()
    if not any(word in upper for word in MODIFIERS):
        return None  # no GROUP BY, ORDER BY or aggregate: the common case costs no lexing
    try:
        tokens = lex(query).tokens
    except LexError:
        return None
    prologue = prologue_of(tokens, query)
    if prologue is None or not _reads_every_solution(tokens) or not order_free(tokens) \
            or not _nothing_else_restricts(tokens):
        return None
    edits = []
    blocks = [block for block in read(tokens, query) if block.open and block.depth == 1]
    for block in blocks if len(blocks) == 1 else []:
        if len(block.triples) > 1 and _plain(block) and _hashing_reads_less(block, prologue, count, rows, low, factor):
            groups = " ".join(f"{{ SELECT * WHERE {{ {t.text} }} }}" for t in block.triples)
            edits.append((block.start, block.end, groups + " "))
    if not edits:
        return None
    out, at = [], 0
    for start, end, text in sorted(edits):
        out += [query[at:start], text]
        at = end
    return "".join(out) + query[at:]


def _reads_every_solution(tokens: list[Token]) -> bool:
    """GROUP BY, ORDER BY or an aggregate outside every group (the query's own modifiers and projection)."""
    depth = 0
    for kind, text, *_ in tokens:
        if kind == "punct" and text == "{":
            depth += 1
        elif kind == "punct" and text == "}":
            depth -= 1
        elif depth == 0 and kind == "word" and text.upper() in ("GROUP", "ORDER", *AGGREGATES):
            return True
    return False


def _nothing_else_restricts(tokens: list[Token]) -> bool:
    """Whether the query's WHERE group holds nothing but its triples block, FILTERs and OPTIONALs: a VALUES,
    a BIND, a sub-group or a UNION beside the block could make its solutions few, and the counts alone
    would not see it."""
    depth, before = 0, ("", "")
    for kind, text, *_ in tokens:
        if kind == "punct" and text == "{":
            if depth == 1 and not (before[0] == "word" and before[1].upper() == "OPTIONAL"):
                return False
            depth += 1
        elif kind == "punct" and text == "}":
            depth -= 1
        elif depth == 1 and kind == "word" and text.upper() in ("VALUES", "BIND", "MINUS", "UNION", "GRAPH"):
            return False
        before = (kind, text)
    return True


def _plain(block: Block) -> bool:
    return all(t.plain and t.first[0] != "bnode" and t.last[0] != "bnode" for t in block.triples)


def _hashing_reads_less(block: Block, prologue: str, count: Count, rows: Rows, low: int, factor: int) -> bool:
    """Whether reading every pattern whole (to count it, then to hash it) costs less than the seeks of the
    best nested loop: the smallest pattern's rows, one seek each for every join after it, or the rows the
    join gives (estimated from a sample of the smallest pattern's rows, joined with the others), if more.
    Every pattern must match more than `low` rows. The counts are bounded: up to `low`, then by eights
    until one pattern is counted whole (the smallest), then up to what is left of the budget."""
    triples, exact = list(block.triples), {}  # type: list[Triple], dict[int, int]

    def counted(i: int, cap: int) -> int | None:
        return count_rows(count, prologue, triples[i].text, cap)
    cap = low
    while not exact:
        for i in range(len(triples)):
            n = counted(i, cap)
            if n is None:
                return False
            if n <= cap:
                exact[i] = n
        if cap >= MAX_ROWS:
            break
        cap = min(max(cap * 8, 64), MAX_ROWS)
    if not exact or min(exact.values()) <= low:
        return False
    smallest = min(exact, key=lambda i: exact[i])
    joined = _joined_estimate(triples, smallest, exact[smallest], prologue, count, rows)
    if joined is None:
        return False
    budget = factor * max(exact[smallest] * (len(triples) - 1), joined) // 2  # each pattern read twice
    for i in range(len(triples)):
        if i not in exact:
            n = counted(i, budget - sum(exact.values()))
            if n is None:
                return False
            exact[i] = n
        if sum(exact.values()) > budget:
            return False
    return True


def _joined_estimate(triples: list[Triple], smallest: int, size: int, prologue: str, count: Count, rows: Rows) -> int | None:
    """The rows of the block's join, estimated: a sample of the smallest pattern's rows joined with the
    other patterns, scaled to the pattern's size; None if the sample cannot be written (a blank node)."""
    sample = rows(f"{prologue}SELECT * WHERE {{ {triples[smallest].text} }} LIMIT {SAMPLE}")
    if not sample:
        return None
    names = sorted(sample[0])
    if not names:
        return None
    values = " ".join("(" + " ".join(row.get(v, "UNDEF") for v in names) + ")" for row in sample)
    others = " . ".join(t.text for i, t in enumerate(triples) if i != smallest)
    n = count(f"{prologue}SELECT (COUNT(*) AS ?n) WHERE {{ SELECT * WHERE {{ VALUES ({' '.join(names)}) "
              f"{{ {values} }} {others} }} LIMIT {SAMPLE_ROWS} }}")
    return None if n is None else n * size // len(sample)

