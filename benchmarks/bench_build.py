"""Build at scale: time per stage and peak memory of `lod-pub build` on synthetic corpora.

    .venv/bin/python benchmarks/bench_build.py [--sizes 1000,10000,100000] [--work DIR] [--markdown FILE]

For each size: generate the corpus (benchmarks/synth.py, deterministic; reused if present under --work),
run a full build (--no-cache) in a fresh process, then change one article and run an incremental
build (it starts from the full build's release: store checkpoint, dump parts, ledger, the reader's
index); the article is restored afterwards, so the corpus stays as generated. "describe" is VoID,
the ledger and the manifest. Each build runs in its own process so its peak resident memory
(including its worker processes, by wait4's rusage) is its own; its output goes to
var-SIZE/build-KIND.log. Prints a table; --markdown appends it to a file.
With --serve, each size's release is then served and measured by benchmarks/bench_resources.py
(entity documents at 8 clients beside an Oxigraph server holding the same release), whose table
is appended too.
Not a test; nothing leaves the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHILD = """
import json, sys, time
from pathlib import Path
from lod_pub.release import build
from lod_pub.settings import Settings
o = build(Settings(project_dir=Path(sys.argv[1]), data_dir=Path(sys.argv[2]), cache=sys.argv[3] == "incremental"))
print(json.dumps({"timings": o.timings, "quads": o.release.manifest["quads"]}))
"""
STAGES = ("read", "map+validate", "store", "dumps", "parse back", "describe", "total")
CHANGED = "000011.yaml"  # the article an incremental build changes


def peak_rss_of(cmd: list[str], log: Path, timeout: float | None = None) -> tuple[int, str, float]:
    """Run cmd, its output to log; (peak RSS of it and its waited children in MiB, the last line of its
    output that is a JSON object, seconds). SystemExit when it fails or outlives timeout (it is killed)."""
    started = time.perf_counter()
    with log.open("wb") as out:  # its own process group: on a timeout or Ctrl-C it goes with its workers
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if timeout is not None and time.perf_counter() - started > timeout:
                raise TimeoutError
            time.sleep(0.2)
    except BaseException as exc:
        os.killpg(proc.pid, signal.SIGKILL)
        os.wait4(proc.pid, 0)
        if isinstance(exc, TimeoutError):
            raise SystemExit(f"{log.stem} took longer than {timeout:.0f} s; see {log}") from None
        raise
    proc.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - started
    text = log.read_text("utf-8", errors="replace")
    if proc.returncode != 0:
        raise SystemExit(f"{log.stem} failed (see {log}):\n{text[-2000:]}")
    last = next((line for line in reversed(text.splitlines()) if line.startswith("{")), "")
    return usage.ru_maxrss // 1024, last, seconds


def prepare_corpus(size: int, work: Path) -> Path:
    """work/corpus-SIZE: the synthetic corpus (generated once, then reused), with the project's ontology and shapes."""
    from synth import generate

    project = work / f"corpus-{size}"
    if not (project / "seeds").exists():
        t = time.perf_counter()
        generate(project, articles=size, seed=1)
        print(f"  generated {size} articles in {time.perf_counter() - t:.1f}s", file=sys.stderr)
    for name in ("ontology", "shapes"):
        target = project / name
        if not target.exists():
            target.symlink_to(ROOT / name)
    return project


def run_build(size: int, project: Path, data: Path, kind: str, timeout: float | None = None) -> dict:
    """One build in a fresh process: "full" maps and validates everything (--no-cache) and fills the cache;
    "incremental" changes one article and builds from the current release, then restores the article.
    One row of the table."""
    article = project / "seeds" / "articles" / CHANGED
    original = article.read_text("utf-8")
    if kind == "full":
        shutil.rmtree(data / "cache", ignore_errors=True)
    else:
        article.write_text(original.replace(f"Synthetic report {int(CHANGED[:6])}", "Revised report"), "utf-8")
    try:
        data.mkdir(parents=True, exist_ok=True)
        rss, last, wall = peak_rss_of([sys.executable, "-c", CHILD, str(project), str(data), kind],
                                      data / f"build-{kind}.log", timeout)
    finally:
        article.write_text(original, "utf-8")
    result = json.loads(last)
    print(f"  {size} {kind}: {wall:.1f}s, {rss} MiB", file=sys.stderr)
    return {"size": size, "kind": kind, "quads": result["quads"], "rss": rss, "wall": wall,
            **{s: result["timings"].get(s, 0.0) for s in STAGES}}


def measure(size: int, work: Path, timeout: float | None = None) -> list[dict]:
    """A full build, then a one-article incremental build, of the corpus of this size."""
    project = prepare_corpus(size, work)
    data = work / f"var-{size}"
    return [run_build(size, project, data, kind, timeout) for kind in ("full", "incremental")]


def table(rows: list[dict]) -> str:
    head = "| articles | build | quads | " + " | ".join(f"{s} (s)" for s in STAGES) + " | wall (s) | peak RSS (MiB) |"
    lines = [head, "|" + "---|" * (len(STAGES) + 5)]
    for r in rows:
        lines.append(f"| {r['size']:,} | {r['kind']} | {r['quads']:,} | "
                     + " | ".join(f"{r[s]:.1f}" for s in STAGES) + f" | {r['wall']:.1f} | {r['rss']:,} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--work", type=Path, default=None, help="folder for corpora and releases (default: a temp folder)")
    parser.add_argument("--markdown", type=Path, default=None, help="append the table to this file")
    parser.add_argument("--serve", action="store_true", help="also measure serving each release (bench_resources)")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="lod-pub-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    rows, served = [], []
    for size in (int(s) for s in args.sizes.split(",")):
        rows += measure(size, work)
        if args.serve:
            out = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench_resources.py"),
                                  "--data-dir", str(work / f"var-{size}")], capture_output=True, text=True)
            report = out.stdout.strip() if out.returncode == 0 else f"bench_resources failed:\n{out.stderr[-2000:]}"
            served.append(f"### Serving {size:,} articles\n\n{report}\n")
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    text = f"Build benchmark on {machine}, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}\n\n{table(rows)}\n"
    text += "".join(f"\n{block}" for block in served)
    print(text)
    if args.markdown:
        with args.markdown.open("a", encoding="utf-8") as f:
            f.write("\n" + text)


if __name__ == "__main__":
    main()
