"""The aims that `benchmarks/bench_sparql.py --peers` checks, on figures made up here (no server runs)."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))  # benchmark code, not shipped

import bench_sparql as bench  # noqa: E402

CHEAP = "one entity's outgoing triples"
HEAVY = "events per place"
PATHS = "class hierarchy and place containment paths"


def timing(ms: float, rows: int = 3, value: str | None = None) -> bench.Timing:
    return bench.Timing(times=[ms / 1000] * 3, rows=rows, value=value)


def made_up_run() -> bench.PeerRun:
    run = bench.PeerRun(count=1000)
    run.results = {
        CHEAP: {bench.EMBEDDED: timing(1.2), bench.OXIGRAPH: timing(1.0), bench.VIRTUOSO: timing(3.0),
                bench.REMOTE: timing(4.0)},
        HEAVY: {bench.EMBEDDED: timing(300), bench.OXIGRAPH: timing(290), bench.VIRTUOSO: timing(100),
                bench.REMOTE: timing(110)},
        PATHS: {bench.EMBEDDED: timing(50, 1, "14"), bench.OXIGRAPH: timing(50, 1, "14"),
                bench.VIRTUOSO: timing(5, 1, "0"), bench.REMOTE: timing(6, 1, "0")},
    }
    run.lookups = {bench.EMBEDDED: bench.Lookups(rps=[400.0], p50_ms=[2.0], p99_ms=[9.0], requests=2000, non_2xx=3),
                   bench.OXIGRAPH: bench.Lookups(rps=[1000.0], p50_ms=[0.5], p99_ms=[2.0], requests=5000)}
    run.rss = {label: 100.0 for label in bench.PEERS}
    run.skipped[bench.RDFLIB] = "--skip-rdflib"
    return run


def test_each_aim_says_met_or_missed_and_by_how_much():
    lines = "\n".join(bench.peer_aims(made_up_run()))
    assert "every query cold within 1.0x of the Oxigraph server: **missed** on 2 of 3" in lines
    assert f"{CHEAP} 1.20x (1.20x the aim)" in lines and f"{HEAVY} 1.03x (1.03x the aim)" in lines
    assert "heavy queries within 2x of Virtuoso: **missed** on 1 of 1: events per place 3.00x (1.50x the aim)" in lines
    # both read the same Virtuoso, so their answers (a count of 0) are compared with each other
    assert "lod-pub on Virtuoso within 1.2x of Virtuoso: **met** (2 of 2" in lines
    assert "cheap queries within 1.3x of the Oxigraph server: **met**" in lines
    assert "at least half the Oxigraph server's: **missed** (0.40 of it)" in lines
    assert "no refused query at 8 connections" in lines and "**missed** (3 of 2,000 not 2xx, 0 of them socket" in lines


def test_answers_that_differ_are_not_compared():
    lines = bench.peer_aims(made_up_run())
    assert f"- not compared: {PATHS}, the answers of Virtuoso and lod-pub differ (rows column)" in lines
    assert not any(PATHS in line for line in lines if "within 2x of Virtuoso" in line)


def test_the_table_marks_the_ratios_and_flags_differing_answers():
    table = bench.peer_table(made_up_run())
    row = next(line for line in table.splitlines() if line.startswith(f"| {HEAVY} |"))
    assert "**1.03x** ✗ | **3.00x** ✗ | 1.10x ✓" in row  # against Oxigraph (1x), Virtuoso (2x), remote (1.2x)
    assert "**differ**" in next(line for line in table.splitlines() if line.startswith(f"| {PATHS} |"))
    assert row.split(" | ")[7] == "skipped"  # rdflib-endpoint's column
    lookups = next(line for line in table.splitlines() if "req/s" in line)
    assert "**0.40x** ✗" in lookups
