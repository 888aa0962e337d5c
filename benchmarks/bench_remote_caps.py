"""Benchmark: the remote query caps (SPARQL_REMOTE_*, SPARQL_NESTING) against the stores that evaluate
what the web's endpoint lets through: an Oxigraph server and Virtuoso, side by side in one run.

    .venv/bin/python benchmarks/bench_remote_caps.py [--nquads var/current/dumps/graph.nq.gz] [--runs 3]
        [--sizes groups=64,96,128 patterns=32,40,64 binds=400,2750 operators=1000,10000 nesting=100]
        [--virtuoso-stack 0 2000000]

Each query has the shape that costs a store most for its size (tests/hostile/test_remote_caps.py
builds them: joined groups and chained patterns with variable predicates, a flat run of BINDs, a flat
`||` chain, brackets nested), sent as the web's endpoint sends it (its prefixes, then its BASE) through
lod_pub.store.http. The stores: `oxigraph serve --union-default-graph` (tests/oxigraph_server.py), and
Debian's Virtuoso on the tests' ini (tests/virtuoso_server.py) once for each --virtuoso-stack, its
HTTP threads' stack (`HTTPThreadSize` in `[HTTPServer]`; 0 leaves it unset, the server's own default),
each holding --nquads (loaded a graph at a time; none: empty but for Virtuoso's own graphs). Each
query goes --runs times after none; a failure is not retried. Printed: median (min-max) seconds, or
what the store answered instead (its HTTP status and first words), and whether the store still
answers an ASK after it (a store that does not is started again on its database before the next query); the machine's load average before and after. Every server started is
stopped by its pid and its folder removed. Not a test: the figures depend on the machine.
"""

from __future__ import annotations

import argparse
import gzip
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Union
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "tests" / "hostile")]
import virtuoso_server  # noqa: E402
from oxigraph_server import OxigraphServer  # noqa: E402
from test_remote_caps import binds, groups, nesting, operators, patterns  # noqa: E402

from lod_pub.store.http import Endpoints, HttpStore, RemoteError  # noqa: E402
from lod_pub.store.push import RemoteStore  # noqa: E402
from lod_pub.vocab import PREFIXES  # noqa: E402

SHAPES: dict[str, Callable[[int], str]] = {"groups": groups, "patterns": patterns, "binds": binds,
                                           "operators": operators, "nesting": nesting}
DEFAULT_SIZES = ["groups=64,96,128,200", "patterns=32,40,64,100", "binds=400,1000,2750",
                 "operators=1000,2000,10000", "nesting=100"]
BASE = "BASE <https://lod.example.org/sparql>\n"
Server = Union[OxigraphServer, virtuoso_server.VirtuosoServer]


def load(remote: RemoteStore, nquads: Path | None) -> int:
    """Put the file's named graphs into the store, one N-Triples PUT a graph; the quads put."""
    if nquads is None:
        return 0
    data = gzip.decompress(nquads.read_bytes()) if nquads.suffix == ".gz" else nquads.read_bytes()
    store = ox.Store()
    store.load(data, ox.RdfFormat.N_QUADS)
    for graph in store.named_graphs():
        remote.put_graph(graph.value, store.dump(None, ox.RdfFormat.N_TRIPLES, from_graph=graph) or b"")
    return len(store)


def oxigraph(folder: Path) -> OxigraphServer:
    return OxigraphServer(folder)


def virtuoso(folder: Path, stack: int) -> virtuoso_server.VirtuosoServer:
    """A Virtuoso server on the tests' ini, its HTTP threads' stack set to `stack` bytes (0: unset)."""
    server = virtuoso_server.VirtuosoServer(folder)
    ini = "\n".join(line for line in virtuoso_server.INI.splitlines() if not line.startswith("HTTPThreadSize"))
    if stack:
        ini = ini.replace("[HTTPServer]\n", f"[HTTPServer]\nHTTPThreadSize = {stack}\n")
    server.ini_text = ini  # read by start() below
    return server


@contextmanager
def running(server: Server) -> Iterator[Server]:
    _start(server)
    try:
        yield server
    finally:
        server.stop()


def _start(server: Server) -> None:
    """Start the server (a Virtuoso on its own ini text, when it has one)."""
    text = getattr(server, "ini_text", None)
    if text is None:
        server.start()
        return
    saved, virtuoso_server.INI = virtuoso_server.INI, text
    try:
        server.start()
    finally:
        virtuoso_server.INI = saved


def ask(store: HttpStore, query: str) -> tuple[float, str]:
    """Seconds, and "ok" or what the store answered instead."""
    started = time.perf_counter()
    try:
        result = store.query(BASE + query, prefixes=PREFIXES)
        if isinstance(result, ox.QuerySolutions):
            list(result)
        outcome = "ok"
    except RemoteError as exc:
        outcome = " ".join(str(exc).split())[:110]
    return time.perf_counter() - started, outcome


def measure(server: Server, sizes: list[tuple[str, int]], runs: int) -> dict[tuple[str, int], str]:
    """Each query, --runs times unless it fails; a store that no longer answers is started again (on
    its own database) before the next query."""
    cells = {}
    for shape, n in sizes:
        store = HttpStore(Endpoints.of(server.url), timeout=120)
        query, times, outcome = SHAPES[shape](n), [], "ok"
        for _ in range(runs):
            seconds, outcome = ask(store, query)
            times.append(seconds)
            if outcome != "ok":
                break
        alive = ask(store, "ASK { ?s ?p ?o }")[1] == "ok"
        store.close()
        cell = (f"{statistics.median(times):.2f} ({min(times):.2f}-{max(times):.2f})" if outcome == "ok"
                else f"{outcome} ({times[-1]:.2f} s)")
        cells[shape, n] = cell + ("" if alive else "; then down (started again)")
        print(f"  {shape} {n}: {cells[shape, n]}", file=sys.stderr, flush=True)
        if not alive:
            server.stop()
            _start(server)
    return cells


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--nquads", type=Path, help="an N-Quads file (gzip allowed) loaded into every store")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sizes", nargs="*", default=DEFAULT_SIZES, help="shape=n,n,... (shapes: %s)" %
                        ", ".join(SHAPES))
    parser.add_argument("--virtuoso-stack", nargs="*", type=int, default=[0, 2_000_000],
                        help="HTTPThreadSize values to run Virtuoso with (0: unset)")
    args = parser.parse_args()
    sizes = [(shape, int(n)) for spec in args.sizes for shape, ns in [spec.split("=")] for n in ns.split(",")]
    print(f"load average before: {os.getloadavg()}")
    columns: dict[str, dict[tuple[str, int], str]] = {}
    work = Path(tempfile.mkdtemp(prefix="bench-remote-caps-"))
    try:
        stores = [("Oxigraph server", oxigraph(work / "oxigraph"))]
        stores += [(f"Virtuoso, HTTPThreadSize {s or 'unset'}", virtuoso(work / f"virtuoso-{s}", s))
                   for s in args.virtuoso_stack]
        for name, server in stores:
            print(name, file=sys.stderr, flush=True)
            with running(server):
                quads = load(RemoteStore(Endpoints.of(server.url), timeout=120), args.nquads)
                print(f"  {quads} quads loaded", file=sys.stderr, flush=True)
                columns[name] = measure(server, sizes, args.runs)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"load average after: {os.getloadavg()}")
    print(f"\nseconds, median (min-max) of {args.runs}; data: {args.nquads or 'none'}\n")
    print("| query | " + " | ".join(columns) + " |")
    print("|---|" + "---|" * len(columns))
    for shape, n in sizes:
        print(f"| {shape} {n} | " + " | ".join(column[shape, n] for column in columns.values()) + " |")


if __name__ == "__main__":
    main()
