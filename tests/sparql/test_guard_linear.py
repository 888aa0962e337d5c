"""The web process's work on a query before a worker takes over (guard and rewrite) grows linearly
with the query's size: timed on 16, 32 and 64 KiB of each shape, the 64 KiB run may cost at most
about 4x the 16 KiB one (8x allowed for noise; a quadratic cost gives 16x). A 64 KiB run of `a.a.a`
took 14 to 24 s of CPU in the earlier lexer, whose prefixed-name rule read the rest of the run again
at every name.
"""

from __future__ import annotations

import time

import pytest

from lod_pub.web.sparql.guard import Rejected, scan
from lod_pub.web.sparql.rewrite import rewrite

SHAPES = {
    "dotted-names": lambda n: "SELECT * { ?s ?p " + "a." * (n // 2) + " }",
    "dotted-prefix-run": lambda n: "SELECT * { ?s ?p ex" + ".a" * (n // 2) + " }",
    "groups": lambda n: "SELECT * { " + "{?s ?p ?o} " * (n // 11) + "}",
    "unions-with-tail": lambda n: "SELECT * { " + "{?s ?p ?o} UNION " * (n // 17) + "{?s ?p ?o} ?s ?q ?r }",
    "filters": lambda n: "SELECT * { ?s ?p ?o " + "FILTER(?o != 1) " * (n // 16) + "}",
    "paths": lambda n: "SELECT * { " + "?e ex:a/ex:b* <http://x/c> . " * (n // 29) + "}",
    "strings": lambda n: "SELECT * { ?s ?p " + '"a" ' * (n // 4) + "}",
    "ambiguous-lt": lambda n: "SELECT * { FILTER(" + "?a<?b&&" * (n // 7) + "true) }",
    "service-letters": lambda n: "SELECT * { " + "?s ex:service ?o . " * (n // 19) + "}",
    "comments": lambda n: "SELECT * {\n" + "# {{{ SERVICE <x>\n" * (n // 19) + "}",
    "unclosed-iris": lambda n: "SELECT * { FILTER(" + "<a" * (n // 2) + ") }",
}


def _cost(query: str) -> float:
    best = float("inf")
    for _ in range(2):
        started = time.process_time()
        try:
            scan(query, 100_000)
        except Rejected:
            pass
        rewrite(query)
        best = min(best, time.process_time() - started)
    return best


@pytest.mark.slow
@pytest.mark.parametrize("shape", list(SHAPES))
def test_guard_and_rewrite_are_linear(shape):
    build = SHAPES[shape]
    costs = {kib: _cost(build(kib * 1024)) for kib in (16, 32, 64)}
    floor = 0.002  # below this, process_time is mostly noise
    ratio = max(costs[64], floor) / max(costs[16], floor)
    assert ratio < 8, f"{shape}: {costs} (64 KiB / 16 KiB = {ratio:.1f}; linear is 4)"
    assert costs[64] < 2.0, f"{shape}: {costs[64]:.2f} s of CPU for 64 KiB"
