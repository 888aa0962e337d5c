"""Benchmark: one-entity lookups, lod-pub under gunicorn beside an Oxigraph server, on the same store, in one run.

    apt-get install wrk                          # the load generator (C: it does not need the cores it measures)
    .venv/bin/python benchmarks/bench_lookup.py [--triples 1000000] [--seconds 5] [--rounds 3] [--entities 500]

Generates the benchmark graph of bench_sparql.py (--triples quads), loads it once into a release store, and
serves that same store read-only from three servers on 127.0.0.1 (free ports), one after the other:

    oxigraph          `oxigraph serve-read-only --union-default-graph`
    lod-pub cold      gunicorn -w 2 -k gthread --threads 8 (docs/deploy.md), result cache off: every query runs
    lod-pub warm      the same with the result cache on (its default), filled by a warm-up pass: repeated queries
    Flask floor       a Flask app under the same gunicorn answering a fixed body: what the HTTP stack alone costs

Two queries, each about one of --entities people taken in turn (GET, so that every server sees the same
request): an entity's DESCRIBE (N-Triples) and its outgoing triples (SELECT ?p ?o, SPARQL JSON). For each
query and server, per round: the latency of one connection (wrk -c1: median and p99) and the throughput of 8
connections (wrk -c8 -t2: requests/s, and how many answers were not 2xx). The rounds alternate the servers,
so a change in the machine's load touches each; the table gives the median of the rounds and the load
average at the start and end. Every server is stopped by its pid and the folder removed. Not a test: see
docs/benchmarks.md for runs and their reading.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import bench_sparql
import servers

QUERIES = {
    "DESCRIBE": ("DESCRIBE <{iri}>", "application/n-triples"),
    "outgoing triples": ("SELECT ?p ?o WHERE {{ <{iri}> ?p ?o }}", "application/sparql-results+json"),
}
SCRIPT = """
paths = {{ {paths} }}
i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1], {{ ["Accept"] = "{accept}" }})
end
"""


FLOOR = """
from flask import Flask, Response
app = Flask(__name__)
BODY = b'{"head": {"vars": ["p", "o"]}, "results": {"bindings": []}}'

@app.get("/sparql")
def sparql():
    return Response(BODY, content_type="application/sparql-results+json")
"""


@dataclass
class Figures:
    p50_ms: list[float] = field(default_factory=list)
    p99_ms: list[float] = field(default_factory=list)
    rps: list[float] = field(default_factory=list)
    non_2xx: int = 0
    requests: int = 0


def person(n: int) -> str:
    return bench_sparql.iri("person", n)[1:-1]


def wrk_script(folder: Path, path: str, query: str, accept: str, entities: int) -> Path:
    paths = ", ".join(f'"{path}?query={quote(query.format(iri=person(n)), safe="")}"' for n in range(entities))
    script = folder / f"lookup-{abs(hash((path, query)))}.lua"
    script.write_text(SCRIPT.format(paths=paths, accept=accept))
    return script


def _ms(text: str) -> float:
    got = re.match(r"([\d.]+)(us|ms|s)", text)
    if got is None:
        raise ValueError(f"wrk printed a latency of {text!r}")
    value, unit = got.groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def wrk(url: str, script: Path, connections: int, seconds: float) -> dict[str, float]:
    """One wrk run: p50/p99 in ms, requests/s, requests, non-2xx answers (socket errors counted in, and
    apart as socket_errors)."""
    threads = min(2, connections)
    out = subprocess.run(["wrk", f"-t{threads}", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--latency", "-s", str(script),
                          url], capture_output=True, text=True, timeout=seconds + 60, check=True).stdout
    if "Latency Distribution" not in out:
        raise RuntimeError(f"wrk gave no latencies for {url}:\n{out}")
    found = {"p50": _ms(re.search(r"^\s+50%\s+(\S+)", out, re.M)[1]),
             "p99": _ms(re.search(r"^\s+99%\s+(\S+)", out, re.M)[1]),
             "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1]),
             "requests": float(re.search(r"(\d+) requests in", out)[1]), "non_2xx": 0.0}
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    found["non_2xx"] = float(bad[1]) if bad else 0.0
    found["socket_errors"] = sum(float(x) for x in errors.groups()) if errors else 0.0
    found["non_2xx"] += found["socket_errors"]
    return found


@dataclass
class Server:
    label: str
    argv: list[str]
    port: int
    path: str
    env: dict = field(default_factory=dict)
    proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, folder: Path) -> None:
        self.proc = servers.start(self.argv, log=folder / f"{self.label.replace(' ', '-')}.log", env=self.env,
                                  session=True, cwd=folder)
        servers.wait_answering(self.port, f"{self.path}?query=ASK%7B%7D", self.proc, 120)

    def stop(self) -> None:
        if self.proc is not None:
            servers.stop(self.proc, grace=10)


def make_servers(folder: Path, data: Path) -> list[Server]:
    bin_dir = Path(sys.executable).parent
    app = folder / "lookupapp.py"
    app.write_text(bench_sparql.APP.format(data=str(data)).replace(
        "SPARQL_TIMEOUT=120, SPARQL_ROW_CAP=1_000_000", "SPARQL_TIMEOUT=30"))
    pythonpath = os.pathsep.join(filter(None, [str(folder), os.environ.get("PYTHONPATH")]))

    def gunicorn(label: str, cache: int) -> Server:
        port = servers.free_port()
        return Server(label, [str(bin_dir / "gunicorn"), "-w", "2", "-k", "gthread", "--threads", "8", "-b",
                              f"127.0.0.1:{port}", "lookupapp:app"], port, "/sparql",
                      {"PYTHONPATH": pythonpath, "LOD_PUB_SPARQL_CACHE_ENTRIES": str(cache)})

    def granian(label: str, target: str, cache: int) -> Server:
        port = servers.free_port()
        return Server(label, [str(bin_dir / "granian"), "--interface", "wsgi", "--workers", "2", "--blocking-threads",
                              "8", "--no-ws", "--host", "127.0.0.1", "--port", str(port), target], port, "/sparql",
                      {"PYTHONPATH": pythonpath, "LOD_PUB_SPARQL_CACHE_ENTRIES": str(cache)})

    port = servers.free_port()
    floor = folder / "floorapp.py"
    floor.write_text(FLOOR)
    floor_port = servers.free_port()
    found = [Server("oxigraph", [str(bin_dir / "oxigraph"), "serve-read-only", "--location",
                                 str(data / "current" / "store"), "--bind", f"127.0.0.1:{port}",
                                 "--union-default-graph"], port, "/query"),
             gunicorn("lod-pub cold", 0), gunicorn("lod-pub warm", 1024),
             Server("Flask floor", [str(bin_dir / "gunicorn"), "-w", "2", "-k", "gthread", "--threads", "8", "-b",
                                    f"127.0.0.1:{floor_port}", "floorapp:app"], floor_port, "/sparql",
                    {"PYTHONPATH": pythonpath})]
    if (bin_dir / "granian").exists():  # the `server` extra's other server (docs/deploy.md)
        found += [granian("lod-pub cold, granian", "lookupapp:app", 0),
                  granian("lod-pub warm, granian", "lookupapp:app", 1024),
                  granian("Flask floor, granian", "floorapp:app", 0)]
    return found


def measure(running: list[Server], folder: Path, args) -> dict[tuple[str, str], Figures]:
    results: dict[tuple[str, str], Figures] = {}
    for server in running:
        server.start(folder)
    try:
        scripts = {(s.label, q): wrk_script(folder, s.path, text, accept, args.entities)
                   for s in running for q, (text, accept) in QUERIES.items()}
        for (label, _), script in scripts.items():  # warm-up: pools started, stores read, the warm cache filled
            server = next(s for s in running if s.label == label)
            wrk(server.url, script, 8, max(2.0, args.entities / 400))
        for _ in range(args.rounds):
            for q in QUERIES:
                for server in running:
                    figures = results.setdefault((server.label, q), Figures())
                    one = wrk(server.url, scripts[(server.label, q)], 1, args.seconds)
                    eight = wrk(server.url, scripts[(server.label, q)], 8, args.seconds)
                    figures.p50_ms.append(one["p50"])
                    figures.p99_ms.append(one["p99"])
                    figures.rps.append(eight["rps"])
                    figures.non_2xx += int(one["non_2xx"] + eight["non_2xx"])
                    figures.requests += int(one["requests"] + eight["requests"])
    finally:
        for server in running:
            server.stop()
    return results


def table(results: dict[tuple[str, str], Figures]) -> str:
    lines = ["| query | server | p50 ms (1 conn) | p99 ms (1 conn) | req/s (8 conn) | p50 / Oxigraph | "
             "req/s / Oxigraph | not 2xx |", "|---|---|---:|---:|---:|---:|---:|---:|"]
    for q in QUERIES:
        base = results[("oxigraph", q)]
        for label in dict.fromkeys(label for label, _ in results):
            f = results[(label, q)]
            p50, p99, rps = (statistics.median(v) for v in (f.p50_ms, f.p99_ms, f.rps))
            ratio = p50 / statistics.median(base.p50_ms)
            share = rps / statistics.median(base.rps)
            lines.append(f"| {q} | {label} | {p50:.2f} | {p99:.2f} | {rps:,.0f} | {ratio:.2f}x | {share:.2f} | "
                         f"{f.non_2xx} of {f.requests} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--triples", type=int, default=1_000_000, help="size of the generated graph (default 1M)")
    parser.add_argument("--seconds", type=float, default=5.0, help="seconds of each wrk run (default 5)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds over the servers (default 3)")
    parser.add_argument("--entities", type=int, default=500, help="people asked about in turn (default 500)")
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        print("wrk is not installed (apt-get install wrk)", file=sys.stderr)
        return 2
    folder = Path(tempfile.mkdtemp(prefix="lod-pub-lookup-"))
    try:
        nquads = folder / "data.nq"
        count = bench_sparql.generate(nquads, args.triples)
        data = bench_sparql.make_release(folder, nquads)
        nquads.unlink()
        load_before = os.getloadavg()
        started = time.monotonic()
        results = measure(make_servers(folder, data), folder, args)
        load_after = os.getloadavg()
        print(f"{count:,} quads; {args.rounds} rounds of {args.seconds:g} s per query, server and load; "
              f"{time.monotonic() - started:.0f} s; load average {load_before[0]:.2f} at the start, "
              f"{load_after[0]:.2f} at the end; {os.cpu_count()} cores\n")
        print(table(results))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
