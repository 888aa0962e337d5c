"""Benchmark: what push's checks cost (store.push.check): counting quads per graph, and the digests of
store.digest ("md5", "length"), on an Oxigraph server against the release's side (an embedded store).

    .venv/bin/python benchmarks/bench_push_check.py [--quads 100000 400000] [--graphs 100] [--runs 3]

For each size, a dataset of that many quads in --graphs named graphs (IRIs, language-tagged and
typed literals, text beyond ASCII, blank nodes) is loaded into a fresh `oxigraph serve
--union-default-graph` (benchmarks/servers.py) and into an in-memory pyoxigraph store. Timed, run after
run: the count of quads per graph (RemoteStore.graph_sizes, one GROUP BY), the digests of every graph
computed by the server (RemoteStore.digests) and by the embedded store (push.local_digests), for both
kinds. Printed: medians (min-max) in seconds, and the ratio of each check to the count; the machine's
load average before and after. The server is stopped by its pid and its folder removed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parent))
import servers  # noqa: E402
from lod_pub.store.http import Endpoints  # noqa: E402
from lod_pub.store.push import RemoteStore, local_digests  # noqa: E402


def dataset(quads: int, graphs: int) -> bytes:
    lines = []
    for i in range(quads // 4):
        g = f"<https://example.org/graph/{i % graphs}>"
        s = f"<https://example.org/id/{i}>"
        lines += [f'{s} <http://schema.org/name> "Name {i} – ünïcödé"@en {g} .',
                  f'{s} <http://schema.org/startDate> "2021-10-{1 + i % 28:02d}"^^<http://www.w3.org/2001/XMLSchema#date> {g} .',
                  f"{s} <http://schema.org/about> <https://example.org/id/{i // 2}> {g} .",
                  f'{s} <http://www.w3.org/ns/oa#hasTarget> _:b{i} {g} .']
    return ("\n".join(lines) + "\n").encode()


def timed(fn, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        out.append(time.perf_counter() - started)
    return out


def row(name: str, times: list[float], base: float) -> str:
    med = statistics.median(times)
    return f"| {name} | {med:.3f} ({min(times):.3f}-{max(times):.3f}) | {med / base:.1f}x |"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quads", type=int, nargs="+", default=[100_000, 400_000])
    parser.add_argument("--graphs", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()}")
    for quads in args.quads:
        folder = Path(tempfile.mkdtemp(prefix="bench-push-check-"))
        port = servers.free_port()
        proc = servers.start_oxigraph(folder / "db", port, read_only=False, log=folder / "log")
        try:
            servers.wait_listening(port, proc)
            remote = RemoteStore(Endpoints.oxigraph(f"http://127.0.0.1:{port}/"), timeout=600)
            data = dataset(quads, args.graphs)
            remote.post_quads(data)
            local = ox.Store()
            local.load(data, ox.RdfFormat.N_QUADS)
            names = sorted(remote.graph_sizes())
            count = timed(remote.graph_sizes, args.runs)
            base = statistics.median(count)
            print(f"\n{quads:,} quads in {len(names)} graphs, {args.runs} runs: seconds, median (min-max)\n")
            print("| check | seconds | / count |\n|---|---|---|")
            print(row("quads per graph (server)", count, base))
            for kind in ("md5", "length"):
                server = RemoteStore(Endpoints(remote.endpoints.query, "", "",
                                               remote.flavour.__class__("bench", digest=kind)), timeout=600)
                print(row(f"digest {kind} (server)", timed(lambda s=server, n=names: s.digests(n), args.runs), base))
                print(row(f"digest {kind} (embedded)",
                          timed(lambda k=kind, st=local, n=names: local_digests(st, n, k), args.runs), base))
                assert server.digests(names) == local_digests(local, names, kind)
        finally:
            servers.stop(proc)
            shutil.rmtree(folder, ignore_errors=True)
    print(f"\nload average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
