"""Validation, side by side: the shapes checked by pyshacl alone, by pyshacl in two processes (the shapes shared
out, validation.shares), and by shacl_core (the default: SHACL Core in Python, SPARQL constraints by Oxigraph,
pyshacl for a shape it leaves), on the same graphs in one run. CPU seconds of this process and its children,
wall seconds, results found, and whether the three found the same results. Not a test; nothing leaves the machine.

    nice -n 10 .venv/bin/python benchmarks/bench_validation.py [--runs 3] [--rows 2111] [--articles 200]

Graphs: the real GDELT export (tests/data/gdelt, its first --rows rows) mapped on its own (without the
register's entities a build adds to its batch, so sh:class finds the organisations it names untyped: results
for every engine alike), and an article corpus of benchmarks/synth.py (--articles articles) mapped whole. Each
with a few errors planted, so that results are found, not only conformance. Prints a table per graph:
median (min-max) of --runs runs after a warm-up.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

import pyshacl  # noqa: E402
from rdflib import Graph, Literal  # noqa: E402

from lod_pub import validation  # noqa: E402
from lod_pub.iris import Minter  # noqa: E402
from lod_pub.mapping import Mapped, map_articles, map_corpus  # noqa: E402
from lod_pub.release import _load_rdf_folder  # noqa: E402
from lod_pub.sources import load_corpus  # noqa: E402
from lod_pub.sources.gdelt import read_exports  # noqa: E402
from lod_pub.vocab import DIP, RDF, SCHEMA, XSD  # noqa: E402
from synth import generate  # noqa: E402

SHAPES = _load_rdf_folder(ROOT / "shapes")
ENGINES: dict[str, Callable[[Mapped, Graph], validation.Report]] = {
    "pyshacl": lambda m, d: validation.validate(m, SHAPES, d, engine="pyshacl"),
    "pyshacl, 2 processes": lambda m, d: _in_two(m, d),
    "shacl_core (default)": lambda m, d: validation.validate(m, SHAPES, d),
}


def _in_two(mapped: Mapped, data: Graph) -> validation.Report:
    at, validation.SPLIT_AT = validation.SPLIT_AT, 0
    try:
        return validation.validate(mapped, SHAPES, data, parts=2, engine="pyshacl")
    finally:
        validation.SPLIT_AT = at


def cpu() -> float:
    me, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime


def gdelt_graph(rows: int, work: Path) -> tuple[Mapped, Graph]:
    (real,) = (ROOT / "tests" / "data" / "gdelt").glob("*.export.CSV")
    with real.open("rb") as f:
        (work / real.name).write_bytes(b"".join(line for _, line in zip(range(rows), f)))
    corpus = load_corpus(ROOT / "tests" / "data" / "corpus")
    (export,) = read_exports(corpus, [work])
    mapped = map_articles(corpus, Minter(), [export.article])
    data = mapped.union()
    events = sorted(data.subjects(RDF.type, DIP.CodedEvent), key=str)
    data.remove((events[0], SCHEMA.startDate, None))
    data.set((events[1], DIP.goldsteinScale, Literal("11.5", datatype=XSD.decimal)))
    data.add((events[2], DIP.sourceActor, Literal("nobody")))
    return mapped, data


def article_graph(articles: int, work: Path) -> tuple[Mapped, Graph]:
    generate(work, articles=articles, seed=11)
    mapped = map_corpus(load_corpus(work / "seeds"), Minter())
    data = mapped.union()
    people = sorted(data.subjects(RDF.type, SCHEMA.Person), key=str)
    events = sorted(data.subjects(RDF.type, SCHEMA.Event), key=str)
    data.remove((people[0], SCHEMA.name, None))
    data.add((events[0], SCHEMA.attendee, Literal("a crowd")))
    return mapped, data


def measure(mapped: Mapped, data: Graph, runs: int) -> list[tuple[str, list[float], list[float], validation.Report]]:
    out = []
    for name, run in ENGINES.items():
        report = run(mapped, data)  # warm-up
        cpus, walls = [], []
        for _ in range(runs):
            c, w = cpu(), time.perf_counter()
            report = run(mapped, data)
            cpus.append(cpu() - c)
            walls.append(time.perf_counter() - w)
        out.append((name, cpus, walls, report))
    return out


def spread(values: list[float]) -> str:
    return f"{statistics.median(values):.2f} ({min(values):.2f}–{max(values):.2f})"


def table(title: str, triples: int, rows: list[tuple[str, list[float], list[float], validation.Report]]) -> str:
    base_cpu = statistics.median(rows[0][1])
    keys = [{(r.severity, r.focus, r.path, r.message, r.value, r.shape) for r in report.results} for *_, report in rows]
    lines = [f"\n{title}: {triples:,} triples\n",
             "| engine | CPU s | wall s | CPU against pyshacl | results | same results as pyshacl |",
             "|---|---:|---:|---:|---:|---|"]
    for (name, cpus, walls, report), key in zip(rows, keys):
        lines.append(f"| {name} | {spread(cpus)} | {spread(walls)} | {statistics.median(cpus) / base_cpu:.3f}x | "
                     f"{len(report.results)} | {'yes' if key == keys[0] else 'NO'} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--rows", type=int, default=2111, help="rows of the real export (at most 2,111)")
    parser.add_argument("--articles", type=int, default=200, help="articles of the synthetic corpus")
    args = parser.parse_args()
    load = os.getloadavg()
    print(f"{platform.node() or 'machine'} · {os.cpu_count()} cores · Python {platform.python_version()} · "
          f"pyshacl {pyshacl.__version__} · {datetime.now():%Y-%m-%d %H:%M} · load before {load[0]:.1f}")
    work = Path(tempfile.mkdtemp(prefix="bench-validation-"))
    try:
        (work / "gdelt").mkdir()
        mapped, data = gdelt_graph(args.rows, work / "gdelt")
        print(table(f"The real GDELT export, {args.rows} rows", len(data), measure(mapped, data, args.runs)))
        mapped, data = article_graph(args.articles, work / "articles")
        print(table(f"A synthetic article corpus, {args.articles} articles", len(data), measure(mapped, data, args.runs)))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"\nload after {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
