"""Benchmark: the query worker's choices made from the data (narrow.py, joins.py) on the peer queries.

    .venv/bin/python benchmarks/bench_plan.py [--triples 1000000] [--runs 5] [--store FOLDER]

Generates the graph of `bench_sparql.py` (or opens a store of it, `--store`, kept between runs), and runs
each of `bench_sparql.peer_queries` in one process on pyoxigraph, as the worker runs it with the text
rewrites of rewrite.py (**before**) and with the worker's plan as well (**planned**: the probes and counts
of narrow.py and joins.py, then the query they give), the two taking turns, `--runs` times each after one
warm-up. Printed: a table of medians (min–max) in ms, the plan's own share, the ratio, and whether the
answers are the same (solutions as a bag, in order under ORDER BY; graphs as sets of triples). Not a test:
the figures depend on the machine; docs/benchmarks.md has runs and their reading.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_sparql  # noqa: E402

from lod_pub.web.sparql.messages import Job  # noqa: E402
from lod_pub.web.sparql.rewrite import rewrite  # noqa: E402
from lod_pub.web.sparql.worker import _plan  # noqa: E402


def answer(store: ox.Store, query: str):
    result = store.query(query, use_default_graph_as_union=True)
    if isinstance(result, ox.QueryTriples):
        return sorted(str(t) for t in result)
    rows = [tuple(str(t) for t in row) for row in result]
    return rows if "ORDER BY" in query else sorted(rows)


def timed(fn) -> tuple[float, object]:
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def ms(times: list[float]) -> str:
    return f"{statistics.median(times) * 1000:.1f} ({min(times) * 1000:.1f}–{max(times) * 1000:.1f})"


def open_store(args) -> ox.Store:
    if args.store and (args.store / "done").exists():
        return ox.Store.read_only(str(args.store))
    folder = Path(tempfile.mkdtemp(prefix="bench-plan-"))
    nquads = folder / "data.nq"
    count = bench_sparql.generate(nquads, args.triples)
    path = args.store or folder / "store"
    store = ox.Store(str(path))
    store.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
    store.optimize()
    store.flush()
    del store
    nquads.unlink()
    (Path(path) / "done").write_text(str(count))
    print(f"generated and loaded {count} quads into {path}", file=sys.stderr)
    return ox.Store.read_only(str(path))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--triples", type=int, default=1_000_000, help="size of the generated graph (default 1M)")
    parser.add_argument("--runs", type=int, default=5, help="measured runs of each variant (default 5)")
    parser.add_argument("--store", type=Path, help="keep the generated store in this folder and reuse it")
    args = parser.parse_args(argv)
    store = open_store(args)
    print(f"load average at the start: {os.getloadavg()[0]:.2f}", file=sys.stderr)
    print("| query | before, ms | planned, ms | of which the plan, ms | planned / before | same answers |")
    print("|---|---:|---:|---:|---:|---|")
    for name, (query, _kind, _heavy) in bench_sparql.peer_queries().items():
        text = bench_sparql.PREFIXES + query
        before = rewrite(text) or text
        job = Job(store="", query=before, format="json", row_cap=0, byte_cap=0, plan=True)
        plans, runs_before, runs_after, same = [], [], [], True
        for n in range(args.runs + 1):
            t_before, a = timed(partial(answer, store, before))
            t_plan, planned = timed(partial(_plan, store, job))
            t_run, b = timed(partial(answer, store, planned or before))
            same = same and a == b
            if n:  # the first is a warm-up
                runs_before.append(t_before)
                runs_after.append(t_plan + t_run)
                plans.append(t_plan)
        ratio = statistics.median(runs_after) / statistics.median(runs_before)
        touched = "" if planned else " (left as it was)"
        print(f"| {name}{touched} | {ms(runs_before)} | {ms(runs_after)} | {ms(plans)} | {ratio:.2f}x | "
              f"{'yes' if same else '**no**'} |", flush=True)
    print(f"load average at the end: {os.getloadavg()[0]:.2f}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
