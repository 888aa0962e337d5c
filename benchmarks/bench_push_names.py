"""Benchmark: what `lod-pub push` reads of a remote store it does not send to, on an Oxigraph server and
on Virtuoso: the store's graph names (RemoteStore.graph_names), the quads of two graphs
(RemoteStore.sizes_of) and their digests (RemoteStore.digests), beside a count of every graph's quads
(RemoteStore.graph_sizes: what every push did before 2026-12-01, and what `push --verify-all` does).

    nice -n 10 .venv/bin/python benchmarks/bench_push_names.py [--sizes 200000:1000 2000000:2000]
                                                               [--stores oxigraph virtuoso] [--runs 3]

For each size (quads:graphs) and store, a fresh server (benchmarks/servers.py) is loaded with that many
quads spread evenly over that many graphs (IRIs and language-tagged literals beyond ASCII), and each
query is run --runs times: seconds, median (min-max). Also timed, as the alternatives measured against
the flavour's choice: each other way of listing graphs and of naming two graphs (`Flavour.names`,
`Flavour.lists`). Prints a table per size and the load average. Servers stopped by pid, folders removed.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import servers  # noqa: E402
from lod_pub.store.http import Endpoints  # noqa: E402
from lod_pub.store.push import RemoteStore  # noqa: E402

G = "https://example.org/graph/"


def triples(graph: int, quads: int) -> bytes:
    return "".join(f'<https://example.org/id/{graph}/{j}> <http://schema.org/name> "Name {j} – ü"@en .\n'
                   f"<https://example.org/id/{graph}/{j}> <http://schema.org/about> <https://example.org/id/{j // 2}> .\n"
                   for j in range(quads // 2)).encode()


def load(remote: RemoteStore, quads: int, graphs: int) -> None:
    batch: list[bytes] = []
    for i in range(graphs):
        data = triples(i, quads // graphs)
        if not remote.flavour.quads:
            remote.put_graph(f"{G}{i}", data)
            continue
        batch.append(data.replace(b" .\n", f" <{G}{i}> .\n".encode()))
        if len(batch) == 100 or i == graphs - 1:
            remote.post_quads(b"".join(batch))
            batch = []


def timed(fn, runs: int) -> str:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return f"{statistics.median(times):.3f} ({min(times):.3f}-{max(times):.3f})"


def started(kind: str, folder: Path):
    if kind == "oxigraph":
        port = servers.free_port()
        proc = servers.start_oxigraph(folder / "db", port, read_only=False, log=folder / "log")
        return RemoteStore(Endpoints.oxigraph(f"http://127.0.0.1:{port}/"), timeout=900), proc
    url, proc = servers.start_virtuoso(folder, buffers=60_000, query_seconds=900, log=folder / "log")
    return RemoteStore(Endpoints.of(url), timeout=900), proc


def rows(remote: RemoteStore, runs: int) -> list[tuple[str, str]]:
    two = [f"{G}1", f"{G}7"]
    other = dataclasses.replace(remote.flavour, names="quads" if remote.flavour.names == "graph" else "graph",
                                lists="union" if remote.flavour.lists == "values" else "values")
    alt = RemoteStore(dataclasses.replace(remote.endpoints, flavour=other), timeout=900)
    assert remote.graph_names() == set(remote.graph_sizes())
    assert remote.sizes_of(two) == alt.sizes_of(two) == {g: remote.graph_sizes()[g] for g in two}
    other_names = ("SELECT ?g WHERE { GRAPH ?g { } FILTER EXISTS { GRAPH ?g { ?s ?p ?o } } }" if other.names == "graph"
                   else "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } FILTER(?g != <urn:lod-pub:release>) }")
    listed = len([r for r in alt.rows(other_names) if "g" in r])
    return [
        ("quads of every graph (graph_sizes; --verify-all)", timed(remote.graph_sizes, runs)),
        (f"graph names (graph_names, {remote.flavour.names})", timed(remote.graph_names, runs)),
        (f"graph names, the other way ({other.names}; lists {listed} graphs)", timed(lambda: alt.rows(other_names), runs)),
        (f"quads of 2 graphs (sizes_of, {remote.flavour.lists})", timed(lambda: remote.sizes_of(two), runs)),
        (f"quads of 2 graphs, the other way ({other.lists})", timed(lambda: alt.sizes_of(two), runs)),
        (f"{remote.flavour.digest} digest of 2 graphs (digests, {remote.flavour.lists})",
         timed(lambda: remote.digests(two), runs)),
        (f"{remote.flavour.digest} digest of 2 graphs, the other way ({other.lists})", timed(lambda: alt.digests(two), runs)),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", nargs="+", default=["200000:1000", "2000000:2000"], help="quads:graphs")
    parser.add_argument("--stores", nargs="+", default=["oxigraph", "virtuoso"], choices=["oxigraph", "virtuoso"])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(f"load average before: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    for size in args.sizes:
        quads, graphs = (int(x) for x in size.split(":"))
        for kind in args.stores:
            folder = Path(tempfile.mkdtemp(prefix="bench-push-names-"))
            remote, proc = started(kind, folder)
            try:
                clock = time.perf_counter()
                load(remote, quads, graphs)
                print(f"\n{kind}: {quads:,} quads in {graphs:,} graphs (loaded in {time.perf_counter() - clock:.0f} s), "
                      f"{args.runs} runs: seconds, median (min-max); load average {os.getloadavg()[0]:.1f}\n")
                print("| query | seconds |\n|---|---|")
                for name, cell in rows(remote, args.runs):
                    print(f"| {name} | {cell} |", flush=True)
            finally:
                remote.close()
                servers.stop(proc, grace=30)
                shutil.rmtree(folder, ignore_errors=True)
    print(f"\nload average after: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
