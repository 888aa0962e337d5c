"""GDELT ingestion, export by export: seconds and peak memory per export as history grows, store size, and a
SPARQL mix over the result. A long run (a week is 672 exports) can be stopped and taken up again with
`--resume`: each build is noted in builds.jsonl in the work folder as it ends.

    nice -n 10 .venv/bin/python benchmarks/bench_gdelt.py [--exports 4] [--rows 1500] [--work DIR] [--runs 5]
                                                          [--reading 1,12,48] [--baseline SRC] [--push]
                                                          [--query-timeout 600] [--resume]

The project is the fixture corpus (tests/data/corpus) with the project's ontology and shapes; the exports
are benchmarks/gdelt_synth.py's. Each export is added to the exports folder and `lod-pub build --gdelt
FOLDER` runs in a fresh process (its peak RSS, with its workers, by wait4's rusage), so every build after
the first starts from the current release (a new export is mapped and validated alone). Then the SPARQL mix
runs on the last release's store, `--runs` times after a warm-up, each query in a process of its own that
is stopped after `--query-timeout` seconds: median (min–max) per query. Prints tables. Not a test; nothing
leaves the machine. A run whose builds are all done (`--resume`) goes straight to the mix.

With `--reading H,…` it also measures the part of a build that grows with the exports behind a new one, for
each history of H exports (the first H of the generated ones, in a folder of their own): a fresh process reads
the corpus and the exports as a build does (`release._read` and the build's keys) with a warm read cache (a
first reading fills it), then maps the newest export, as a build after it does; its seconds and peak RSS.
`--baseline SRC` (a `src` folder of another checkout, e.g. `git archive main src | tar -x -C /tmp/base`)
measures that code's reading beside this one's, in the same run, each with a data folder of its own.
"""

from __future__ import annotations

import argparse
import json
import math
import multiprocessing
import os
import platform
import re
import shutil
import statistics
import sys
import time
from datetime import datetime
from multiprocessing.connection import Connection
from pathlib import Path

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_build import peak_rss_of  # noqa: E402
from gdelt_synth import generate  # noqa: E402
from servers import free_port, start_oxigraph, stop  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
PREFIXES = """PREFIX schema: <http://schema.org/> PREFIX dip: <https://w3id.org/lod-pub/ns/dip#>
PREFIX cameo: <https://w3id.org/lod-pub/ns/cameo#> PREFIX prov: <http://www.w3.org/ns/prov#>
"""
MIX = {
    "events per CAMEO root": """SELECT ?root (COUNT(?e) AS ?n) WHERE { ?e a dip:CodedEvent ; dip:eventCode ?c .
        BIND(SUBSTR(STRAFTER(STR(?c), "#"), 1, 2) AS ?root) } GROUP BY ?root ORDER BY ?root""",
    "Pakistan's events, newest first": """SELECT ?e ?date WHERE {
        { ?e dip:sourceActor|dip:targetActor <https://lod.example.org/id/organization/government-of-pakistan> }
        ?e schema:startDate ?date } ORDER BY DESC(?date) LIMIT 100""",
    "consultations, both sources": """SELECT (COUNT(?e) AS ?n) WHERE { ?e a schema:Event ; dip:eventCode ?c .
        FILTER(STRSTARTS(STR(?c), CONCAT(STR(cameo:), "04"))) }""",
    "most negative tone by country": """SELECT ?place (AVG(?tone) AS ?t) (COUNT(?e) AS ?n) WHERE {
        ?e a dip:CodedEvent ; schema:location/schema:containedInPlace? ?place ; dip:averageTone ?tone .
        ?place a schema:Country } GROUP BY ?place ORDER BY ?t LIMIT 10""",
    "rows of each export": """SELECT ?x ?rows ?published ?quarantined WHERE { ?x a dip:EventExport ;
        dip:rowsRead ?rows ; dip:eventsPublished ?published ; dip:rowsQuarantined ?quarantined }""",
}


def prepare(work: Path, resume: bool = False) -> tuple[Path, Path]:
    """The project and the exports folder: made anew, or those of the run resumed."""
    project, folder = work / "project", work / "exports"
    if resume and project.is_dir() and folder.is_dir():
        return project, folder
    for path in (project, folder, work / "var", work / "remote"):
        shutil.rmtree(path, ignore_errors=True)
    (work / BUILDS).unlink(missing_ok=True)
    shutil.copytree(ROOT / "tests" / "data" / "corpus", project / "seeds")
    for name in ("ontology", "shapes"):
        shutil.copytree(ROOT / name, project / name)
    folder.mkdir()
    return project, folder


def size_of(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


Build = tuple[int, float, int, int, int, dict[str, float]]
BUILDS = "builds.jsonl"  # one line a build, kept so that a long run can be resumed (--resume)


def builds_done(work: Path) -> list[Build]:
    path = work / BUILDS
    if not path.exists():
        return []
    rows = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    return [(r["n"], r["seconds"], r["rss"], r["quads"], r["mib"], r["phases"]) for r in rows]


def cpu_of_children() -> float:
    """CPU seconds (user and system) of the waited-for children so far: a build's share does not depend on
    what else the machine runs, as its wall-clock seconds do."""
    t = os.times()
    return t.children_user + t.children_system


def ingest(work: Path, project: Path, folder: Path, exports: list[Path], remote: str | None = None) -> list[Build]:
    """(export number, seconds, peak RSS MiB, quads, store MiB, seconds by phase) of each build, one
    export after another; the phases are the build's own (lod-pub build says them), its CPU seconds, and
    the seconds of `lod-pub push` into the remote store after it, when one is given."""
    lod_pub = Path(sys.executable).parent / "lod-pub"
    rows = builds_done(work)
    for n, export in enumerate(exports, start=1):
        if n <= len(rows):  # built by the run resumed
            if not (folder / export.name).exists():
                raise SystemExit(f"cannot resume: export {n} ({export.name}) is not in {folder}")
            continue
        shutil.copyfile(export, folder / export.name)
        cmd = [str(lod_pub), "build", "--project", str(project), "--data-dir", str(work / "var"),
               "--gdelt", str(folder)]
        cpu = cpu_of_children()
        rss, _, seconds = peak_rss_of(cmd, work / f"build-{n}.log")
        cpu = cpu_of_children() - cpu
        current = (work / "var" / "current").resolve()
        quads = int(next(line for line in (work / f"build-{n}.log").read_text().splitlines()
                         if line.startswith("published ")).split(": ")[1].split()[0])
        took = next(line for line in (work / f"build-{n}.log").read_text().splitlines() if line.startswith("lod-pub: took "))
        phases = {name.strip(): float(value) for name, value in re.findall(r"([a-z+ ]+) ([0-9.]+) s", took.split(": ", 2)[2])}
        phases["CPU"] = cpu
        if remote is not None:
            _, _, phases["push"] = peak_rss_of([str(lod_pub), "push", "--project", str(project), "--data-dir",
                                                str(work / "var"), "--remote", remote], work / f"push-{n}.log")
        rows.append((n, seconds, rss, quads, size_of(current / "store") >> 20, phases))
        with (work / BUILDS).open("a") as f:
            f.write(json.dumps({"n": n, "seconds": seconds, "rss": rss, "quads": quads, "mib": rows[-1][4],
                                "phases": phases, "load": os.getloadavg()[0], "at": datetime.now().isoformat()}) + "\n")
        print(f"  export {n}: {seconds:.1f} s, {rss} MiB, {quads} quads", file=sys.stderr, flush=True)
    return rows


READER = """
import json, sys, time
from pathlib import Path
from lod_pub import release
from lod_pub.cache import keys
from lod_pub.iris import Minter
from lod_pub.mapping import map_articles
from lod_pub.settings import Settings
project, data, folder = (Path(a) for a in sys.argv[1:4])
settings = Settings(project_dir=project, data_dir=data, gdelt=(str(folder),))
started = time.perf_counter()
corpus = release._read(settings, lambda _: None)
keys(corpus, settings.base, "shapes")
read = time.perf_counter() - started
started = time.perf_counter()
map_articles(corpus, Minter(settings.base), corpus.articles[-1:])
print(json.dumps({"read": read, "map": time.perf_counter() - started}))
"""


def reading(work: Path, project: Path, exports: list[Path], histories: list[int], peers: dict[str, str | None]
            ) -> list[tuple[int, str, float, float, int]]:
    """(history, peer, read seconds, seconds mapping the newest export, peak RSS MiB) of a warm reading."""
    out = []
    for h in histories:
        folder = work / "reading" / f"exports-{h}"
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        for export in exports[:h]:
            os.link(export, folder / export.name)  # a regular file, as the reader asks; the bytes once
        for peer, src in peers.items():
            data = work / "reading" / f"{peer}-{h}"
            shutil.rmtree(data, ignore_errors=True)
            env = ["env", f"PYTHONPATH={src}"] if src else []
            cmd = [*env, sys.executable, "-c", READER, str(project), str(data), str(folder)]
            peak_rss_of(cmd, work / "reading" / f"{peer}-{h}-warm.log")  # fills the read cache
            rss, last, _ = peak_rss_of(cmd, work / "reading" / f"{peer}-{h}.log")
            figures = json.loads(last)
            out.append((h, peer, figures["read"], figures["map"], rss))
            print(f"  reading {h} exports ({peer}): {figures['read']:.2f} s, {rss} MiB", file=sys.stderr, flush=True)
    return out


def _mix_query(store: str, text: str, runs: int, out: Connection) -> None:
    """In a child process: the query on the store, a warm-up (and the row count) and `runs` timed runs."""
    opened = ox.Store.read_only(store)
    answer = list(opened.query(text, use_default_graph_as_union=True))
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        list(opened.query(text, use_default_graph_as_union=True))
        times.append((time.perf_counter() - started) * 1000)
    out.send((times, len(answer)))


def sparql_mix(store: Path, runs: int, timeout: float) -> list[tuple[str, float, float, float, int]]:
    """Each query of the mix in a process of its own, stopped when its warm-up and runs take longer than
    timeout seconds (then NaN: "stopped" in the table)."""
    out = []
    context = multiprocessing.get_context("fork")
    for name, query in MIX.items():
        receive, send = context.Pipe(duplex=False)
        child = context.Process(target=_mix_query, args=(str(store.resolve()), PREFIXES + query, runs, send))
        child.start()
        got = receive.poll(timeout)
        if got:
            times, rows = receive.recv()
            out.append((name, statistics.median(times), min(times), max(times), rows))
        else:
            child.kill()
            out.append((name, math.nan, math.nan, math.nan, 0))
        child.join()
        print(f"  {name}: {'stopped after %g s' % timeout if not got else '%.1f ms' % out[-1][1]}", file=sys.stderr,
              flush=True)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--exports", type=int, default=4, help="exports built one after another (0: none)")
    parser.add_argument("--rows", type=int, default=1500)
    parser.add_argument("--work", type=Path, default=Path("/tmp/lodpub-gdelt-bench"))
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--push", action="store_true",
                        help="after each build, lod-pub push into an Oxigraph server the benchmark starts (oxigraph, pip extra bench)")
    parser.add_argument("--reading", default="", help="histories (export counts) to measure the reading of, e.g. 1,12,48")
    parser.add_argument("--baseline", type=Path, help="a src folder of other code to measure the reading of beside")
    parser.add_argument("--query-timeout", type=float, default=600,
                        help="seconds a query of the mix may take, warm-up and runs together (each runs in a process "
                             "of its own, stopped then)")
    parser.add_argument("--resume", action="store_true",
                        help="go on with the run in --work where it stopped (its builds so far are in builds.jsonl); "
                             "the same --exports and --rows")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    project, folder = prepare(args.work, args.resume)
    histories = [int(h) for h in args.reading.split(",") if h]
    exports = generate(args.work / "synth", max([args.exports, *histories]), args.rows, datetime(2019, 10, 24))
    load = os.getloadavg()
    peers: dict[str, str | None] = {"this": None, **({"baseline": str(args.baseline)} if args.baseline else {})}
    read = reading(args.work, project, exports, histories, peers)
    exports = exports[:args.exports]
    if args.push and exports:
        port = free_port()
        server = start_oxigraph(args.work / "remote", port, read_only=False, log=args.work / "oxigraph.log")
        try:
            builds = ingest(args.work, project, folder, exports, f"http://127.0.0.1:{port}/")
        finally:
            stop(server)
    else:
        builds = ingest(args.work, project, folder, exports)
    mix = sparql_mix(args.work / "var" / "current" / "store", args.runs, args.query_timeout) if exports else []
    print(f"\n{platform.node()} · {os.cpu_count()} cores · Python {platform.python_version()} · "
          f"pyoxigraph {ox.__version__} · {datetime.now():%Y-%m-%d %H:%M} · load before {load[0]:.1f}, "
          f"after {os.getloadavg()[0]:.1f}")
    if builds:
        print(f"\n{args.exports} exports of {args.rows} rows (benchmarks/gdelt_synth.py), built one after another\n")
        names = list(builds[0][5])
        print("| export | build (s) | " + " | ".join(names) + " | peak RSS (MiB) | quads | store (MiB) |")
        print("|---:|---:|" + "---:|" * len(names) + "---:|---:|---:|")
        for n, seconds, rss, quads, mib, phases in builds:
            cells = " | ".join(f"{phases.get(name, 0.0):.1f}" for name in names)
            print(f"| {n} | {seconds:.1f} | {cells} | {rss} | {quads:,} | {mib} |")
    later = builds[1:]
    if later:
        print(f"\nBuilds 2 to {len(builds)}: median {statistics.median(b[1] for b in later):.1f} s "
              f"(min {min(b[1] for b in later):.1f}, max {max(b[1] for b in later):.1f}); by phase, median: "
              + ", ".join(f"{name} {statistics.median(b[5].get(name, 0.0) for b in later):.2f} s" for name in names))
    if read:
        print("\nReading with a warm read cache, then mapping the newest export (a fresh process each; seconds, peak RSS)\n")
        print("| exports | code | read (s) | read per export (ms) | map newest (s) | peak RSS (MiB) |")
        print("|---:|---|---:|---:|---:|---:|")
        for h, peer, seconds, mapped, rss in read:
            print(f"| {h} | {peer} | {seconds:.2f} | {1000 * seconds / h:.1f} | {mapped:.2f} | {rss} |")
    if mix:
        print(f"\nSPARQL mix on the last release: median (min–max) of {args.runs} runs after a warm-up\n")
        print("| query | ms | rows |")
        print("|---|---:|---:|")
        for name, median, low, high, count in mix:
            if math.isnan(median):
                print(f"| {name} | stopped after {args.query_timeout:g} s | |")
            else:
                print(f"| {name} | {median:.1f} ({low:.1f}–{high:.1f}) | {count} |")


if __name__ == "__main__":
    main()
