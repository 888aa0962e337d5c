"""The scale benchmark in one command: build, serve and measure synthetic releases of several sizes.

    .venv/bin/pip install -e '.[test,server,bench]'
    nice -n 10 .venv/bin/python benchmarks/run_scale.py --sizes 1000,10000,100000 --work /tmp/lodpub-scale \
        --write docs/benchmarks.md

For each size (articles of a `benchmarks/synth.py` corpus, generated once under --work and reused):

1. build    a full build (empty build cache) and a one-article incremental build, each in a fresh
            process (benchmarks/bench_build.py): seconds per stage, wall time, peak RSS.
2. serve    the release just built, on 127.0.0.1 only:
              lod-pub          gunicorn -w 2 -k gthread --threads 8 (docs/deploy.md), SPARQL time limit
                               --query-timeout and a row cap of 1,000,000 so no answer is cut
              Oxigraph server  `oxigraph load` of the release's dumps/graph.nq.gz (unzipped), then `serve-read-only
                               --union-default-graph` (load time reported)
              rdflib-endpoint  the same graph.nq (load time reported); skipped, with the reason in the
                               tables, above --rdflib-max-quads
              lod-pub remote   when the installed lod_pub has a `remote` setting: a second Oxigraph
                               server (`serve --union-default-graph`) filled by `lod-pub push`, and
                               gunicorn with LOD_PUB_REMOTE pointing at it; otherwise the tables say
                               "not available in this version"
3. SPARQL   the synthetic-corpus mix of benchmarks/bench_sparql.py (rows per query are shown; an
            empty answer is flagged): --runs runs after a warm-up, median (min–max); lod-pub, the
            Oxigraph server and lod-pub remote take turns, rdflib-endpoint runs on its own afterwards.
4. documents  --documents entity documents evenly spread over the release, HTML and Turtle, fetched
            by --clients keep-alive clients (benchmarks/bench_resources.py) up to --requests answers
            or --seconds per scenario, --rounds rounds: req/s, p50, p99 as median (min–max) over the
            rounds. lod-pub cached (after a warm-up pass), lod-pub uncached (LOD_PUB_CACHE_SIZE=0),
            the Oxigraph server answering the same description as one CONSTRUCT, lod-pub remote.
5. memory   VmRSS of each gunicorn worker (and of its SPARQL query processes) after phases 3 and 4,
            and of the Oxigraph server and rdflib-endpoint.

Then it prints one markdown section (machine, versions, date, load average before and after each
phase, every table, and the aims checked against the figures measured) and, with
--write FILE, replaces the section between `<!-- run_scale:begin -->` and `<!-- run_scale:end -->`
in FILE (appending it when the markers are absent). Every figure comes from this run; a failure or a
skip is shown as such, never as a number. Each phase is bounded (time limits below); every server
started is stopped by its pid in a `finally`, on Ctrl-C and on SIGTERM too. Not a test.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import gzip
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

import bench_build
import bench_resources
import bench_sparql
import servers

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
BEGIN, END = "<!-- run_scale:begin -->", "<!-- run_scale:end -->"
LODPUB, OXIGRAPH, RDFLIB, REMOTE = "lod-pub", "Oxigraph server", "rdflib-endpoint", "lod-pub remote"
UNAVAILABLE = "not available in this version"


# -- the record of a run -----------------------------------------------------------------------------
@dataclass
class Served:
    """What phases 2-5 measured for one size."""

    size: int
    quads: int = 0
    startup: dict[str, str] = field(default_factory=dict)  # server -> "loaded in 3.2 s" or why not
    skipped: dict[str, str] = field(default_factory=dict)  # server -> reason
    mix: dict = field(default_factory=dict)
    sparql: dict = field(default_factory=dict)  # query -> server -> Timing
    documents: list[tuple[str, list[dict]]] = field(default_factory=list)  # scenario -> one result per round
    same_description: str = "not checked"
    memory: list[tuple[str, str]] = field(default_factory=list)  # (process, MiB)
    worker_mib: list[float] = field(default_factory=list)  # lod-pub's gunicorn workers, after the run
    errors: list[str] = field(default_factory=list)


@dataclass
class Run:
    args: argparse.Namespace
    started: str = ""
    builds: list[dict] = field(default_factory=list)
    build_errors: list[str] = field(default_factory=list)
    served: list[Served] = field(default_factory=list)
    phases: list[tuple[str, str, str, str]] = field(default_factory=list)  # (phase, before, after, seconds)


@contextmanager
def phase(run: Run, name: str):
    """Record the load average before and after, and the duration, of a phase."""
    before, started = os.getloadavg(), time.monotonic()
    print(f"== {name} (load average {before[0]:.2f})", file=sys.stderr)
    try:
        yield
    finally:
        after = os.getloadavg()
        run.phases.append((name, _load(before), _load(after), f"{time.monotonic() - started:.0f}"))


def _load(avg: tuple[float, float, float]) -> str:
    return " / ".join(f"{x:.2f}" for x in avg)


# -- 1. build ----------------------------------------------------------------------------------------
def build_phase(run: Run, size: int) -> Path | None:
    """Full and incremental builds; the data folder holding the release, or None if the full build failed."""
    data = run.args.work / f"var-{size}"
    project = bench_build.prepare_corpus(size, run.args.work)
    for kind in ("full", "incremental"):
        try:
            run.builds.append(bench_build.run_build(size, project, data, kind, run.args.build_timeout))
        except SystemExit as exc:
            run.build_errors.append(f"{size:,} articles, {kind} build failed: {str(exc).splitlines()[0]}")
            if kind == "full":
                return None
    return data


# -- 2. servers --------------------------------------------------------------------------------------
class Endpoint:
    """A started server the SPARQL mix can address: label, url (its query endpoint), port, process."""

    def __init__(self, label: str, port: int, path: str, proc: subprocess.Popen, store: str | None = None):
        self.label, self.port, self.proc = label, port, proc
        self.url = f"http://127.0.0.1:{port}{path}"
        self.store = store  # for lod-pub remote: the base URL of the store it reads, and its server
        self.store_proc: subprocess.Popen | None = None


def remote_supported() -> bool:
    """Whether the installed lod_pub can serve from a remote store (a `remote` setting)."""
    from lod_pub.settings import Settings

    return "remote" in {f.name for f in dataclasses.fields(Settings)}


def lodpub_env(args, cache: bool, remote: str | None = None) -> dict:
    env = {"LOD_PUB_SPARQL_TIMEOUT": str(args.query_timeout), "LOD_PUB_SPARQL_ROW_CAP": "1000000"}
    if not cache:
        env["LOD_PUB_CACHE_SIZE"] = "0"
    if remote:
        env["LOD_PUB_REMOTE"] = remote
    return env


def start_lodpub(label: str, data: Path, env: dict, logs: Path, running: list) -> Endpoint:
    url, proc = servers.start_gunicorn(data, workers=2, threads=8, env=env, log=logs / f"{label.replace(' ', '-')}.log",
                                       seconds=120)
    running.append(proc)
    return Endpoint(label, int(url.rsplit(":", 1)[1]), "/sparql", proc)


def start_oxigraph(label: str, nquads: Path, location: Path, logs: Path, running: list, served: Served) -> Endpoint:
    seconds = bench_resources.load_oxigraph(nquads, location)
    port = servers.free_port()
    proc = servers.start_oxigraph(location, port, log=logs / "oxigraph.log")
    running.append(proc)
    served.startup[label] = f"`oxigraph load` {seconds:.1f} s"
    return Endpoint(label, port, "/query", proc)


def start_rdflib(nquads: Path, args, logs: Path, running: list, served: Served) -> Endpoint | None:
    if served.quads > args.rdflib_max_quads:
        served.skipped[RDFLIB] = f"{served.quads:,} quads > --rdflib-max-quads {args.rdflib_max_quads:,}"
        return None
    port = servers.free_port()
    proc = servers.start([str(BIN / "rdflib-endpoint"), "serve", str(nquads), "--host", "127.0.0.1", "--port",
                          str(port)], log=logs / "rdflib-endpoint.log", session=True)
    running.append(proc)
    try:
        seconds = servers.wait_answering(port, "/?query=ASK%7B%7D", proc, args.rdflib_load_timeout)
    except RuntimeError as exc:
        servers.stop(proc)
        served.skipped[RDFLIB] = f"did not start: {exc}"
        return None
    served.startup[RDFLIB] = f"loaded and answering in {seconds:.1f} s"
    return Endpoint(RDFLIB, port, "/", proc)


def start_remote(data: Path, args, logs: Path, running: list, served: Served) -> Endpoint | None:
    """lod-pub reading from an Oxigraph server filled by `lod-pub push`; None when not supported or failed."""
    if not remote_supported():
        served.skipped[REMOTE] = UNAVAILABLE
        return None
    port = servers.free_port()
    proc = servers.start([str(BIN / "oxigraph"), "serve", "--location", str(logs / "remote-store"), "--bind",
                          f"127.0.0.1:{port}", "--union-default-graph"], log=logs / "remote-oxigraph.log")
    running.append(proc)
    servers.wait_listening(port, proc)
    base = f"http://127.0.0.1:{port}/"
    started = time.monotonic()
    try:
        subprocess.run([str(BIN / "lod-pub"), "push", "--remote", base, "--data-dir", str(data), "--quiet"],
                       check=True, capture_output=True, timeout=args.push_timeout)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
        served.skipped[REMOTE] = f"`lod-pub push` failed: {_why(exc)}"
        return None
    served.startup[REMOTE] = f"`lod-pub push` {time.monotonic() - started:.1f} s into an Oxigraph server"
    endpoint = start_lodpub(REMOTE, data, lodpub_env(args, cache=True, remote=base), logs, running)
    endpoint.store, endpoint.store_proc = base, proc
    return endpoint


def _why(exc: Exception) -> str:
    if isinstance(exc, subprocess.TimeoutExpired):
        return f"took longer than {exc.timeout:.0f} s"
    return (exc.stderr or b"").decode(errors="replace").strip().splitlines()[-1:][0] if exc.stderr else str(exc)


# -- 3. SPARQL ---------------------------------------------------------------------------------------
def sparql_phase(served: Served, data: Path, endpoints: list[Endpoint], rdflib: Endpoint | None, args) -> None:
    from lod_pub.release import current

    store = current(data).open_store()
    served.mix = bench_sparql.synth_queries(bench_sparql.synth_anchors(store))
    del store
    timeouts = {e.label: args.query_timeout for e in endpoints}
    groups = [endpoints]
    if rdflib:
        timeouts[RDFLIB] = args.rdflib_timeout
        groups.append([rdflib])
    served.sparql = bench_sparql.run_mix(groups, served.mix, args.runs, timeouts)


# -- 4. entity documents -----------------------------------------------------------------------------
ACCEPTS = (("HTML", "text/html"), ("Turtle", "text/turtle"))


def documents_phase(served: Served, data: Path, lodpub: list[Endpoint], oxigraph: Endpoint | None, args) -> None:
    """Each lod-pub in HTML and Turtle, and (if given) the Oxigraph server's CONSTRUCT of the same
    descriptions, checked isomorphic on a sample; --rounds rounds, the scenarios taking turns."""
    from urllib.parse import urlencode

    iris, base = bench_resources.sample_entities(data, args.documents)
    paths = [bench_resources.document_path(i, base) for i in iris]
    queries = ["/query?" + urlencode({"query": bench_resources.construct(i)}) for i in iris]
    scenarios = [(f"{e.label} {name}", e.port, paths, {"Accept": accept}) for e in lodpub for name, accept in ACCEPTS]
    if oxigraph:
        served.same_description = _same_description(lodpub[0], oxigraph, iris[:10], base)
        scenarios.append((f"{OXIGRAPH} CONSTRUCT, Turtle", oxigraph.port, queries, {"Accept": "text/turtle"}))
    for _, port, targets, headers in scenarios:  # warm: stores opened, caches filled (where there is one)
        bench_resources.load(port, targets, headers, args.clients, 3 * len(targets), args.seconds)
    results: dict[str, list[dict]] = {name: [] for name, *_ in scenarios}
    for _ in range(args.rounds):
        for name, port, targets, headers in scenarios:
            results[name].append(bench_resources.load(port, targets, headers, args.clients, args.requests, args.seconds))
    served.documents += list(results.items())


def _same_description(lodpub: Endpoint, oxigraph: Endpoint, iris: list[str], base: str) -> str:
    try:
        same = [bench_resources.same_description(lodpub.port, oxigraph.port, i, base) for i in iris]
    except Exception as exc:  # noqa: BLE001 - reported in the table, not hidden
        return f"check failed: {type(exc).__name__}: {exc}"
    return f"{sum(same)} of {len(same)} sampled documents isomorphic to the CONSTRUCT's graph"


# -- 5. memory ---------------------------------------------------------------------------------------
def memory_of_lodpub(served: Served, endpoint: Endpoint, when: str) -> None:
    """VmRSS of each gunicorn worker, and of the SPARQL query processes below it."""
    for n, worker in enumerate(servers.children(endpoint.proc.pid), 1):
        own = servers.rss_kib(worker) / 1024
        below = [p for p in servers.descendants(worker) if p != worker]
        queries = sum(servers.rss_kib(p) for p in below) / 1024
        served.memory.append((f"{endpoint.label} worker {n} {when}",
                              f"{own:,.0f} (+ {len(below)} query processes: {queries:,.0f})"))
        if endpoint.label == LODPUB:
            served.worker_mib.append(own)
    master = servers.rss_kib(endpoint.proc.pid) / 1024
    served.memory.append((f"{endpoint.label} gunicorn master {when}", f"{master:,.0f}"))


def memory_of(served: Served, endpoint: Endpoint) -> None:
    total = sum(servers.rss_kib(p) for p in servers.descendants(endpoint.proc.pid)) / 1024
    served.memory.append((f"{endpoint.label}", f"{total:,.0f}"))


# -- one size ----------------------------------------------------------------------------------------
def serve_phase(run: Run, size: int, data: Path) -> None:
    """Phases 2-5 for one release; every server started is stopped here, whatever happens."""
    args = run.args
    served = Served(size)
    run.served.append(served)
    folder = args.work / f"serve-{size}"  # server logs (kept) and stores (removed at the end)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    from lod_pub.release import current

    served.quads = current(data).manifest["quads"]
    running: list[subprocess.Popen] = []
    try:
        nquads = folder / "graph.nq"  # the peers load plain N-Quads; a release publishes it gzipped
        with gzip.open(current(data).path / "dumps" / "graph.nq.gz", "rb") as src, nquads.open("wb") as out:
            shutil.copyfileobj(src, out, 1 << 20)
        _serve_and_measure(run, served, data, nquads, folder, running)
    except Exception as exc:  # noqa: BLE001 - shown in the tables as a failure; the next size still runs
        served.errors.append(f"{type(exc).__name__}: {exc} (logs in {folder})")
    finally:
        for proc in reversed(running):
            servers.stop(proc)
        for store in ("oxigraph-store", "remote-store"):
            shutil.rmtree(folder / store, ignore_errors=True)
        (folder / "graph.nq").unlink(missing_ok=True)


def _serve_and_measure(run: Run, served: Served, data: Path, nquads: Path, folder: Path, running: list) -> None:
    args = run.args
    with phase(run, f"{served.size:,}: start servers"):
        oxigraph = start_oxigraph(OXIGRAPH, nquads, folder / "oxigraph-store", folder, running, served)
        lodpub = start_lodpub(LODPUB, data, lodpub_env(args, cache=True), folder, running)
        remote = start_remote(data, args, folder, running, served)
        rdflib = start_rdflib(nquads, args, folder, running, served)
    embedded = [lodpub, oxigraph] + ([remote] if remote else [])
    with phase(run, f"{served.size:,}: SPARQL mix"):
        sparql_phase(served, data, embedded, rdflib, args)
    if rdflib:
        memory_of(served, rdflib)
        servers.stop(rdflib.proc)
    with phase(run, f"{served.size:,}: entity documents, cached"):
        documents_phase(served, data, [lodpub] + ([remote] if remote else []), oxigraph, args)
    for endpoint in [lodpub] + ([remote] if remote else []):
        memory_of_lodpub(served, endpoint, "after SPARQL and documents")
        servers.stop(endpoint.proc)
    memory_of(served, oxigraph)
    if remote:
        memory_of(served, Endpoint(f"Oxigraph server behind {REMOTE}", 0, "", remote.store_proc))
    with phase(run, f"{served.size:,}: entity documents, uncached"):
        uncached = [start_lodpub(f"{LODPUB} uncached", data, lodpub_env(args, cache=False), folder, running)]
        if remote:
            env = lodpub_env(args, cache=False, remote=remote.store)
            uncached.append(start_lodpub(f"{REMOTE} uncached", data, env, folder, running))
        documents_phase(served, data, uncached, None, args)


# -- the report --------------------------------------------------------------------------------------
def machine() -> list[tuple[str, str]]:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor() or platform.machine())
    mem = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
               if line.startswith("MemTotal"))
    os_name = next((line.split("=", 1)[1].strip('"') for line in Path("/etc/os-release").read_text().splitlines()
                    if line.startswith("PRETTY_NAME=")), platform.system()) if Path("/etc/os-release").exists() else ""
    return [("CPU", f"{cpu}, {os.cpu_count()} cores"), ("RAM", f"{mem / 1024 / 1024:.1f} GiB"),
            ("OS", f"{os_name}, Linux {platform.release()}")]


def versions() -> list[tuple[str, str]]:
    def dist(name: str) -> str:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return "not installed"

    cli = subprocess.run([str(BIN / "oxigraph"), "--version"], capture_output=True, text=True)
    commit = subprocess.run(["git", "-C", str(ROOT), "describe", "--always", "--dirty"], capture_output=True, text=True)
    return [("lod-pub", f"{dist('lod-pub')} ({commit.stdout.strip() or 'no git'})"),
            ("Python", platform.python_version()), ("pyoxigraph", dist("pyoxigraph")),
            ("oxigraph CLI", cli.stdout.strip() or "not installed"), ("rdflib", dist("rdflib")),
            ("rdflib-endpoint", dist("rdflib-endpoint")), ("gunicorn", dist("gunicorn")),
            ("pyshacl", dist("pyshacl"))]


def _table(head: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    return "\n".join(lines + ["| " + " | ".join(r) + " |" for r in rows])


def _spread(values: list[float], fmt: str = "{:.1f}") -> str:
    """median (min–max), or the one value."""
    if len(values) == 1:
        return fmt.format(values[0])
    return f"{fmt.format(statistics.median(values))} ({fmt.format(min(values))}–{fmt.format(max(values))})"


def documents_table(served: Served, args) -> str:
    rows = []
    for name, rounds in served.documents:
        answers = sum(r["n"] for r in rounds)
        errors = sum(r["errors"] for r in rounds)
        rows.append([name, _spread([r["rps"] for r in rounds], "{:.0f}"), _spread([r["p50"] for r in rounds]),
                     _spread([r["p99"] for r in rounds]), f"{answers:,}", f"{errors:,}"])
    for label in (REMOTE,):
        if label in served.skipped:
            rows.append([label, f"skipped: {served.skipped[label]}", "", "", "", ""])
    return _table(["scenario", "req/s", "p50 ms", "p99 ms", "answers", "non-200"], rows)


def served_section(served: Served, args) -> str:
    labels = [LODPUB, OXIGRAPH] + ([REMOTE] if REMOTE not in served.skipped else [])
    labels += [RDFLIB] if RDFLIB not in served.skipped else []
    ratios = [("lod-pub / Oxigraph", LODPUB, OXIGRAPH)]
    ratios += [("remote / lod-pub", REMOTE, LODPUB)] if REMOTE in labels else []
    ratios += [("rdflib / lod-pub", RDFLIB, LODPUB)] if RDFLIB in labels else []
    skipped = {k: v for k, v in served.skipped.items()}
    out = [f"### {served.size:,} articles, {served.quads:,} quads", ""]
    out += [f"- {name}: {what}" for name, what in served.startup.items()]
    out += [f"- {name}: skipped: {why}" for name, why in served.skipped.items()]
    out += [f"- **error:** {e}" for e in served.errors]
    if served.sparql:
        out += ["", f"SPARQL query mix (`bench_sparql.synth_queries`), ms, median (min–max) of {args.runs} runs "
                    "after a warm-up; rows = result rows (distinct triples for the CONSTRUCT):", "",
                bench_sparql.mix_table(served.sparql, served.mix, [x for x in labels if _measured(served, x)],
                                       skipped, ratios)]
    if served.documents:
        out += ["", f"Entity documents: {args.documents} documents spread over the release, {args.clients} clients, "
                    f"up to {args.requests} answers or {args.seconds:.0f} s per scenario, median (min–max) of "
                    f"{args.rounds} rounds. CONSTRUCT check: {served.same_description}.", "",
                documents_table(served, args)]
    if served.memory:
        out += ["", "Memory (VmRSS, MiB) after the run:", "", _table(["process", "MiB"], [list(m) for m in served.memory])]
    return "\n".join(out)


def _measured(served: Served, label: str) -> bool:
    return any(label in row for row in served.sparql.values())


def build_section(run: Run) -> str:
    stages = bench_build.STAGES
    rows = [[f"{r['size']:,}", r["kind"], f"{r['quads']:,}", *(f"{r[s]:.1f}" for s in stages), f"{r['wall']:.1f}",
             f"{r['rss']:,}"] for r in run.builds]
    rows += [[e, "", "", *([""] * len(stages)), "", ""] for e in run.build_errors]
    if run.args.skip_build:
        rows.append(["not run (--skip-build): the releases already under --work were served", "", "",
                     *([""] * len(stages)), "", ""])
    return _table(["articles", "build", "quads", *(f"{s} (s)" for s in stages), "wall (s)", "peak RSS (MiB)"], rows)


def section(run: Run) -> str:
    args = run.args
    out = [BEGIN, f"## Scale run of {run.started}", "",
           "Written by `benchmarks/run_scale.py` (see its `--help`) with "
           f"`--sizes {args.sizes} --runs {args.runs} --rounds {args.rounds} --documents {args.documents} "
           f"--clients {args.clients} --requests {args.requests} --rdflib-max-quads {args.rdflib_max_quads}`. "
           "Every figure below was measured in this run; builds ran once each (no spread).", "",
           _table(["", ""], [list(x) for x in machine() + versions()]), "",
           "### Builds", "", build_section(run), ""]
    out += [served_section(s, args) + "\n" for s in run.served]
    out += ["### Against the aims", "", *aims(run), "",
            "### Load average (1 / 5 / 15 min) per phase", "",
            _table(["phase", "before", "after", "seconds"], [list(p) for p in run.phases]), END]
    return "\n".join(out)


def aims(run: Run) -> list[str]:
    """Each aim of the scale runs (docs/benchmarks.md, Aims), against the figures of this run (never asserted without one)."""
    return [_build_aim(run)] + [line for served in run.served for line in _serving_aims(served)]


def _build_aim(run: Run) -> str:
    full = [r for r in run.builds if r["kind"] == "full"]
    big = next((r for r in full if r["size"] == 100_000), None)
    if big:
        met = big["wall"] <= 15 * 60 and big["rss"] <= 4096
        return (f"- 100k build within 15 min and 4 GiB: **{'met' if met else 'missed'}**: "
                f"{big['wall'] / 60:.1f} min, peak {big['rss']:,} MiB.")
    largest = max(full, key=lambda r: r["size"], default=None)
    seen = f" (largest here: {largest['size']:,} articles, {largest['wall']:.0f} s, {largest['rss']:,} MiB)" if largest else ""
    return f"- 100k build within 15 min and 4 GiB: not measured in this run{seen}."


def _serving_aims(served: Served) -> list[str]:
    at = f"{served.size:,} articles ({served.quads:,} quads)"
    lines = []
    if served.worker_mib:
        worst = max(served.worker_mib)
        lines.append(f"- {at}: lod-pub worker memory under 500 MiB: **{'met' if worst < 500 else 'missed'}**, "
                     f"largest worker {worst:,.0f} MiB after the run (query processes counted apart, above).")
    lines += _sparql_aims(served, at) + _documents_aim(served, at)
    return lines


def _median(row: dict, label: str) -> float | None:
    t = row.get(label)
    return t.ms()[1] if t is not None and t.times else None


def _sparql_aims(served: Served, at: str) -> list[str]:
    if not served.sparql:
        return []
    ratios = {q: (_median(r, LODPUB), _median(r, OXIGRAPH)) for q, r in served.sparql.items()}
    over = [f"{q} {a / b:.1f}x" for q, (a, b) in ratios.items() if a and b and a / b > 1.5]
    failed = [q for q, (a, b) in ratios.items() if not (a and b)]
    lines = [f"- {at}: SPARQL within 1.5x of the Oxigraph server per query: "
             f"{len(ratios) - len(over) - len(failed)} of {len(ratios)} queries"
             + (f"; over: {', '.join(over)}" if over else "") + (f"; not measured: {', '.join(failed)}" if failed else "")]
    if RDFLIB in served.skipped:
        return lines + [f"- {at}: 10x faster than rdflib-endpoint on heavy queries: not measured "
                        f"(rdflib-endpoint skipped: {served.skipped[RDFLIB]})."]
    heavy = {q: (_median(r, RDFLIB), _median(r, LODPUB), r.get(RDFLIB)) for q, r in served.sparql.items()
             if served.mix[q][2]}
    short = [f"{q} {bench_sparql._ratio(t, served.sparql[q].get(LODPUB))}" for q, (rd, ours, t) in heavy.items()
             if not (rd and ours and rd / ours >= 10) and not (t and t.failure and t.failure.startswith("timeout"))]
    return lines + [f"- {at}: 10x faster than rdflib-endpoint on heavy queries: {len(heavy) - len(short)} of "
                    f"{len(heavy)}" + (f"; short of it: {', '.join(short)}" if short else "")]


def _documents_aim(served: Served, at: str) -> list[str]:
    rps = {name: statistics.median(r["rps"] for r in rounds) for name, rounds in served.documents}
    oxi = rps.get(f"{OXIGRAPH} CONSTRUCT, Turtle")
    if not oxi:
        return []
    parts = [f"{name} {value / oxi:.2f}x" for name, value in rps.items()
             if name.startswith(LODPUB) and not name.startswith(REMOTE)]
    met = all(value / oxi >= 0.5 for name, value in rps.items() if name in (f"{LODPUB} HTML", f"{LODPUB} Turtle"))
    return [f"- {at}: entity documents within 2x of the Oxigraph server's CONSTRUCT throughput (cached lod-pub): "
            f"**{'met' if met else 'missed'}**; throughput against it: {', '.join(parts)}."]


def write_section(path: Path, text: str) -> None:
    """Replace the section between the marker lines (each a line of its own) in path, or append it."""
    old = path.read_text("utf-8") if path.exists() else ""
    lines = old.splitlines(keepends=True)
    starts = [i for i, line in enumerate(lines) if line.strip() == BEGIN]
    ends = [i for i, line in enumerate(lines) if line.strip() == END]
    if starts and ends and ends[-1] > starts[0]:
        new = "".join(lines[:starts[0]]) + text + "\n" + "".join(lines[ends[-1] + 1:])
    else:
        new = old.rstrip("\n") + "\n\n" + text + "\n"
    path.write_text(new, "utf-8")


# -- the command -------------------------------------------------------------------------------------
def parse(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0], epilog="See the module docstring and "
                                "docs/benchmarks.md.", formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    p.add_argument("--sizes", default="1000,10000,100000", help="articles per corpus, comma-separated")
    p.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "lodpub-scale",
                   help="folder for corpora, releases, server stores and logs (corpora are reused)")
    p.add_argument("--write", type=Path, help="replace run_scale's section of this markdown file (docs/benchmarks.md)")
    p.add_argument("--skip-build", action="store_true", help="serve the releases already under --work")
    p.add_argument("--build-timeout", type=float, default=3600, help="seconds one build may take")
    p.add_argument("--runs", type=int, default=5, help="measured runs per SPARQL query and server")
    p.add_argument("--query-timeout", type=float, default=120, help="seconds a query may take (lod-pub's limit too)")
    p.add_argument("--rdflib-timeout", type=float, default=30, help="seconds an rdflib-endpoint query may take")
    p.add_argument("--rdflib-max-quads", type=int, default=1_000_000, help="skip rdflib-endpoint above this")
    p.add_argument("--rdflib-load-timeout", type=float, default=600, help="seconds rdflib-endpoint may take to load")
    p.add_argument("--push-timeout", type=float, default=1800, help="seconds `lod-pub push` may take (remote mode)")
    p.add_argument("--documents", type=int, default=500, help="entity documents sampled from each release")
    p.add_argument("--clients", type=int, default=8, help="concurrent clients for entity documents")
    p.add_argument("--requests", type=int, default=2000, help="answers per documents scenario and round")
    p.add_argument("--seconds", type=float, default=30, help="time cap per documents scenario and round")
    p.add_argument("--rounds", type=int, default=3, help="rounds of the documents scenarios")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    for tool in ("gunicorn", "oxigraph", "rdflib-endpoint", "lod-pub"):
        if not (BIN / tool).exists():
            raise SystemExit(f"{tool} is missing: .venv/bin/pip install -e '.[test,server,bench]'")
    args.work = args.work.resolve()
    args.work.mkdir(parents=True, exist_ok=True)
    signal.signal(signal.SIGINT, signal.default_int_handler)  # even when started in the background
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # KeyboardInterrupt: the finally blocks stop servers
    run = Run(args, started=datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"))
    for size in (int(s) for s in args.sizes.split(",")):
        data = args.work / f"var-{size}"
        if not args.skip_build:
            with phase(run, f"{size:,}: build"):
                data = build_phase(run, size)
        if data is not None and (data / "current").exists():
            serve_phase(run, size, data)
    text = section(run)
    print(text)
    if args.write:
        write_section(args.write, text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
