"""Benchmark: `lod-pub serve --data FILE` against Oxigraph server's `load` + `serve`, same file, same run.

    .venv/bin/python benchmarks/bench_adhoc.py [--triples 1000000] [--runs 3] [--file data.ttl]
    .venv/bin/python benchmarks/bench_adhoc.py --quick            # 100,000 triples

Without --file it generates a Turtle file of about --triples triples shaped like the project's graph
(benchmarks/bench_sparql.py's generator, its named graphs dropped). Then, run after run, the two take
turns (which goes first alternates), each from an empty folder:
- lod-pub: `lod-pub serve --data FILE`; measured from the start of the command: seconds to the first
  200 from /sparql (`SELECT * WHERE { ?s ?p ?o } LIMIT 1`), seconds until the dumps and VoID are written
  (/dumps/SHA256SUMS answers 200 instead of 503), and the peak RSS of its process tree (the server, its
  query workers, the processes that read dumps back) up to each;
- Oxigraph: `oxigraph load --location DIR --file FILE`, then `oxigraph serve --location DIR`; seconds
  from the start of load to the first 200 from /query, and the peak RSS (load, then the server).
RSS is the sum over the process tree, sampled every 50 ms. Printed: a table of medians (min–max) of the
runs and the ratios lod-pub / Oxigraph, with the machine and its load average before and after. Every
process started here is stopped by its pid, and the folder removed. Not a test (CI runs `--quick
--runs 1` to check it finishes); runs and their reading are in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterator

import requests

import servers
from bench_sparql import generate

QUERY = "SELECT * WHERE { ?s ?p ?o } LIMIT 1"
INTERVAL = 0.05     # seconds between two RSS samples
DEADLINE = 3600.0   # seconds either may take to answer, or to write its dumps
PREFIXES = {"schema": "http://schema.org/", "dip": "https://w3id.org/lod-pub/ns/dip#",
            "org": "http://www.w3.org/ns/org#", "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
            "ex": "https://lod.example.org/id/"}


# -- data ------------------------------------------------------------------------------------------
def make_file(folder: Path, triples: int) -> tuple[Path, int]:
    """A Turtle file of about `triples` triples (at least as many); (path, triples written)."""
    import pyoxigraph as ox

    nquads, turtle = folder / "data.nq", folder / "data.ttl"
    generate(nquads, round(triples * 1.05))  # the generator's quads include a few repeated attendees
    count = 0

    def counted() -> Iterator[object]:
        nonlocal count
        for quad in ox.parse(path=str(nquads), format=ox.RdfFormat.N_QUADS):
            count += 1
            yield quad.triple
    ox.serialize(counted(), str(turtle), ox.RdfFormat.TURTLE, prefixes=PREFIXES)
    nquads.unlink()
    return turtle, count


def count_triples(path: Path) -> int:
    import pyoxigraph as ox

    return sum(1 for _ in ox.parse(path=str(path)))


# -- measuring -------------------------------------------------------------------------------------
class PeakRss:
    """The peak of the RSS summed over a process tree, sampled every INTERVAL seconds by a thread."""

    def __init__(self) -> None:
        self.root: int | None = None
        self.peak_kib = 0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while not self._done.wait(INTERVAL):
            if self.root is not None:
                self.peak_kib = max(self.peak_kib, sum(servers.rss_kib(p) for p in servers.descendants(self.root)))

    def mb(self) -> float:
        return self.peak_kib / 1024

    def close(self) -> None:
        self._done.set()
        self._thread.join()


def wait_for(url: str, params: dict[str, str], proc: subprocess.Popen, ok: Callable[[int], bool],
             headers: dict[str, str] | None = None) -> None:
    """Until GET url answers a status that is ok; RuntimeError if proc exits or DEADLINE passes."""
    started = time.monotonic()
    while time.monotonic() - started < DEADLINE:
        if proc.poll() is not None:
            raise RuntimeError(f"{proc.args[0]} exited with {proc.returncode}")
        try:
            if ok(requests.get(url, params=params, headers=headers or {}, timeout=DEADLINE).status_code):
                return
        except requests.ConnectionError:
            pass
        time.sleep(INTERVAL)
    raise RuntimeError(f"{url} did not answer within {DEADLINE:.0f} s")


@dataclass
class Run:
    first: float                    # seconds to the first answer
    rss_first: float                # MB, peak until then
    complete: float | None = None   # seconds until the dumps and VoID are written (lod-pub)
    rss_complete: float | None = None


def run_lodpub(data: Path, folder: Path) -> Run:
    port, peak = servers.free_port(), PeakRss()
    started = time.monotonic()
    proc = servers.start([str(servers.BIN / "lod-pub"), "serve", "--data", str(data), "--data-dir", str(folder),
                          "--host", "127.0.0.1", "--port", str(port)], log=folder.parent / "lod-pub.log")
    peak.root = proc.pid
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{base}/sparql", {"query": QUERY}, proc, lambda s: s == 200,
                 {"Accept": "application/sparql-results+json"})
        run = Run(time.monotonic() - started, peak.mb())
        wait_for(f"{base}/dumps/SHA256SUMS", {}, proc, lambda s: s != 503)
        run.complete, run.rss_complete = time.monotonic() - started, peak.mb()
        return run
    finally:
        servers.stop(proc)
        peak.close()


def run_oxigraph(data: Path, folder: Path) -> Run:
    port, peak = servers.free_port(), PeakRss()
    started = time.monotonic()
    load = servers.start([str(servers.BIN / "oxigraph"), "load", "--location", str(folder), "--file", str(data)],
                         log=folder.parent / "oxigraph.log")
    peak.root = load.pid
    serve = None
    try:
        if load.wait() != 0:
            raise RuntimeError(f"oxigraph load exited with {load.returncode}")
        serve = servers.start([str(servers.BIN / "oxigraph"), "serve", "--location", str(folder), "--bind",
                               f"127.0.0.1:{port}"], log=folder.parent / "oxigraph.log")
        peak.root = serve.pid
        wait_for(f"http://127.0.0.1:{port}/query", {"query": QUERY}, serve, lambda s: s == 200,
                 {"Accept": "application/sparql-results+json"})
        return Run(time.monotonic() - started, peak.mb())
    finally:
        servers.stop(load)
        if serve is not None:
            servers.stop(serve)
        peak.close()


@dataclass
class Results:
    lodpub: list[Run] = field(default_factory=list)
    oxigraph: list[Run] = field(default_factory=list)


def measure(data: Path, work: Path, runs: int) -> Results:
    """`runs` runs of each, taking turns; each from an empty folder, removed afterwards."""
    results = Results()
    for n in range(runs):
        order = [("lod-pub", run_lodpub, results.lodpub), ("oxigraph", run_oxigraph, results.oxigraph)]
        for label, run, kept in order if n % 2 == 0 else order[::-1]:
            folder = work / f"{label}-{n}"
            try:
                kept.append(run(data, folder))
            finally:
                shutil.rmtree(folder, ignore_errors=True)
            print(f"run {n + 1}/{runs} {label}: {kept[-1]}", file=sys.stderr, flush=True)
    return results


# -- the table -------------------------------------------------------------------------------------
def cell(values: list[float], unit: str) -> str:
    if not values:
        return "-"
    fmt = "{:.0f}" if unit == "MB" else "{:.1f}"
    median = fmt.format(statistics.median(values))
    return f"{median} ({fmt.format(min(values))}–{fmt.format(max(values))})" if len(values) > 1 else median


def ratio(a: list[float], b: list[float]) -> str:
    return f"{statistics.median(a) / statistics.median(b):.2f}x" if a and b else "-"


def table(results: Results) -> str:
    ours, theirs = results.lodpub, results.oxigraph
    rows = [
        ("time to first answer, s", [r.first for r in ours], [r.first for r in theirs], "s"),
        ("peak RSS to first answer, MB", [r.rss_first for r in ours], [r.rss_first for r in theirs], "MB"),
        ("dumps and VoID written, s", [r.complete for r in ours if r.complete is not None], [], "s"),
        ("peak RSS until then, MB", [r.rss_complete for r in ours if r.rss_complete is not None], [], "MB"),
    ]
    lines = ["| measure | lod-pub serve --data | oxigraph load + serve | lod-pub / Oxigraph |", "|---|---:|---:|---:|"]
    for name, a, b, unit in rows:
        lines.append(f"| {name} | {cell(a, unit)} | {cell(b, unit)} | {ratio(a, b)} |")
    return "\n".join(lines)


def machine() -> str:
    return (f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
            f"Python {platform.python_version()}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--triples", type=int, default=1_000_000, help="size of the generated file (default 1M)")
    parser.add_argument("--quick", action="store_true", help="a 100,000-triple file")
    parser.add_argument("--file", type=Path, help="measure on this RDF file instead of a generated one")
    parser.add_argument("--runs", type=int, default=3, help="runs of each (default 3); medians are printed")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="bench-adhoc-"))
    try:
        t = time.monotonic()
        if args.file:
            data, triples = args.file.resolve(), count_triples(args.file)
        else:
            data, triples = make_file(work, 100_000 if args.quick else args.triples)
            print(f"generated {triples:,} triples in {time.monotonic() - t:.1f} s", file=sys.stderr, flush=True)
        before = os.getloadavg()[0]
        results = measure(data, work, args.runs)
        print(f"\n{data.name}: {triples:,} triples, {data.stat().st_size / 1e6:.0f} MB; median (min–max) of "
              f"{args.runs} run(s); {datetime.now(timezone.utc):%Y-%m-%d}, {machine()}, load average "
              f"{before:.2f} before and {os.getloadavg()[0]:.2f} after\n")
        print(table(results))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
