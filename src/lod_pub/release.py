"""Releases: build -> validate -> write -> read back -> atomic switch. The only orchestrator.

On disk, under the data folder:
    releases/<id>/            one immutable release
        store/                the Oxigraph store (opened read-only by the web)
        dumps/                graph.{nq,trig,ttl,nt,jsonld} and each .gz
        void.ttl              VoID + DCAT description
        validation.ttl/.txt   the SHACL report, as RDF and as text
        ontology.ttl shapes.ttl context.jsonld   what the web serves as vocabulary
        manifest.json         id, time, counts, every file with size and sha256
    releases/.staging-<id>/   a release being written; never served; removed by the next build
    current -> releases/<id>  symlink, replaced by one atomic rename when a release is complete

A build that fails or is killed at any point leaves `current` on the previous whole release.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterator

import pyoxigraph as ox
from rdflib import Graph

from .dumps import DumpFile, Tally, context, parse_back, sha256_of, tallies_of, write_dumps
from .cache import Cache
from .describe import describe
from .errors import ReleaseError, ValidationFailed
from .iris import Minter
from .published import FORMAT_VERSION, MANIFEST, Release, current, read_release  # noqa: F401 - re-exported
from .settings import Settings
from .sources import Corpus, load_corpus
from .validation import Report, check_corpus
from .vocab import bind



# -- building ------------------------------------------------------------------------------------
@dataclass
class Outcome:
    release: Release
    report: Report
    timings: dict[str, float]


Progress = Callable[[str], None]
Step = Callable[[int, int], None]


@contextmanager
def _build_lock(data_dir: Path) -> Iterator[None]:
    data_dir.mkdir(parents=True, exist_ok=True)
    with open(data_dir / ".build.lock", "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ReleaseError(f"another build is running in {data_dir}") from None
        yield


def _clean_leftovers(releases: Path) -> None:
    """What a killed build left: its staging folder, and a pointer it had not yet renamed."""
    for leftover in releases.glob(".staging-*"):
        shutil.rmtree(leftover, ignore_errors=True)
    for pointer in releases.parent.glob(".current-*"):
        pointer.unlink(missing_ok=True)


def _load_rdf_folder(folder: Path) -> Graph:
    g = Graph()
    for path in sorted(folder.glob("*.ttl")):
        try:
            g.parse(path, format="turtle")
        except Exception as exc:  # rdflib raises many parser-specific types
            raise ReleaseError(f"{path}: not valid Turtle: {exc}") from exc
    return g


def _write_files(staging: Path, project: Path, report: Report | None) -> None:
    """The vocabulary, shapes and context the release was built with, and its validation report
    (a release published from plain RDF files with `serve --data` was not validated, and says so)."""
    if (project / "ontology" / "dip.ttl").is_file():
        shutil.copyfile(project / "ontology" / "dip.ttl", staging / "ontology.ttl")
    if (project / "shapes").is_dir():
        shapes = _load_rdf_folder(project / "shapes")
        bind(shapes)
        (staging / "shapes.ttl").write_text(shapes.serialize(format="turtle"), "utf-8")
    (staging / "context.jsonld").write_text(json.dumps(context(), indent=2), "utf-8")
    if report is None:
        (staging / "validation.txt").write_text("Not validated: published from RDF files as given.\n", "utf-8")
        return
    (staging / "validation.ttl").write_text(report.graph.serialize(format="turtle"), "utf-8")
    (staging / "validation.txt").write_text(report.text(), "utf-8")


def _manifest(staging: Path, release_id: str, created: datetime, settings: Settings, store: ox.Store,
              dumps: list[DumpFile]) -> dict:
    files = {}
    for path in sorted(p for p in staging.rglob("*") if p.is_file() and "store" not in p.relative_to(staging).parts):
        files[str(path.relative_to(staging))] = {"size": path.stat().st_size, "sha256": sha256_of(path)}
    return {
        "format": FORMAT_VERSION, "id": release_id, "created": created.isoformat(timespec="seconds"),
        "base": settings.base, "quads": len(store), "graphs": sorted(g.value for g in store.named_graphs()),
        "dumps": [d.as_json() for d in dumps], "files": files,
    }


def _switch(data_dir: Path, target: Path) -> None:
    """Point `current` at target in one atomic rename; fsync so a crash cannot undo it."""
    tmp = data_dir / f".current-{os.getpid()}"
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    os.symlink(os.path.relpath(target, data_dir), tmp)
    os.replace(tmp, data_dir / "current")
    fd = os.open(data_dir, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _prune(releases: Path, keep: int, current_path: Path) -> None:
    published = sorted(p for p in releases.iterdir() if p.is_dir() and not p.name.startswith("."))
    for old in published[:-keep] if keep > 0 else []:
        if old.resolve() != current_path.resolve():
            shutil.rmtree(old, ignore_errors=True)


def _read(settings: Settings, progress: Progress) -> Corpus:
    progress("reading records")
    return load_corpus(Path(settings.project_dir) / "seeds")


def _shapes(settings: Settings) -> tuple[Graph, str]:
    """The shapes graph and a digest of the files it was read from."""
    folder = Path(settings.project_dir) / "shapes"
    digest = hashlib.sha256()
    for path in sorted(folder.glob("*.ttl")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return _load_rdf_folder(folder), digest.hexdigest()


def _map_and_validate(settings: Settings, corpus: Corpus, sink, progress: Progress, step: Step,
                      cache_dir: Path | None = None) -> tuple[Report, int]:
    shapes, digest = _shapes(settings)
    cache = Cache(cache_dir, settings.base, digest) if cache_dir is not None else None
    progress(f"mapping and validating {len(corpus.articles)} article(s)")
    report, triples = check_corpus(corpus, Minter(settings.base), shapes, sink, cache=cache, progress=step)
    if cache is not None:
        progress(f"{cache.hits} article(s) unchanged since the last build, {len(corpus.articles) - cache.hits} mapped")
        cache.retain(cache.keys(corpus).values())
    if not report.conforms:
        raise ValidationFailed(report.text())
    return report, triples


def check(settings: Settings, progress: Progress = lambda _: None, step: Step = lambda done, total: None
          ) -> tuple[Report, int]:
    """Read, map and validate; publish nothing. Returns (report, triples). Raises RecordError or ValidationFailed."""
    corpus = _read(settings, progress)
    with open(os.devnull, "wb") as sink:
        return _map_and_validate(settings, corpus, sink, progress, step)


def build(settings: Settings, progress: Progress = lambda _: None, step: Step = lambda done, total: None) -> Outcome:
    """Build, check and publish a release. The previous release stays current on any failure."""
    clock = time.perf_counter()
    corpus = _read(settings, progress)
    minter = Minter(settings.base)
    checked: list[Report] = []

    def write_quads(sink) -> None:
        cache_dir = Path(settings.data_dir) / "cache" if settings.cache else None
        checked.append(_map_and_validate(settings, corpus, sink, progress, step, cache_dir)[0])

    sources = [str(minter.entity("article", a.slug)) for a in corpus.articles]
    outcome = publish(settings, write_quads, sources=sources, report=lambda: checked[0], progress=progress)
    outcome.timings = {"read": outcome.timings["start"] - clock, **outcome.timings}
    del outcome.timings["start"]
    outcome.timings["total"] = time.perf_counter() - clock
    return outcome


def publish(settings: Settings, write_quads: Callable[[object], None], *, sources: list[str],
            report: Callable[[], Report | None] = lambda: None, progress: Progress = lambda _: None) -> Outcome:
    """Publish the quads that write_quads writes (as N-Quads, to the binary file it is given) as a
    new release, and make it current. Nothing changes on any failure, or when write_quads raises."""
    data_dir = Path(settings.data_dir)
    timings: dict[str, float] = {"start": time.perf_counter()}
    with _build_lock(data_dir):
        releases = data_dir / "releases"
        releases.mkdir(parents=True, exist_ok=True)
        _clean_leftovers(releases)
        created = datetime.now(timezone.utc)
        release_id = f"{created:%Y%m%dT%H%M%S%fZ}"
        staging = releases / f".staging-{release_id}"
        try:
            staging.mkdir()
            t = time.perf_counter()
            with open(staging / "mapped.nq", "wb") as sink:
                write_quads(sink)
            timings["map+validate"] = time.perf_counter() - t
            _stage(staging, settings, sources, report(), release_id, created, timings, progress)
            final = releases / release_id
            os.replace(staging, final)
            release = read_release(final)
            release.verify()
            _switch(data_dir, final)
        except BaseException as exc:
            shutil.rmtree(staging, ignore_errors=True)
            if isinstance(exc, OSError):
                raise ReleaseError(f"could not write the release: {exc}") from exc
            raise
        _prune(releases, settings.keep_releases, final)
    progress(f"published release {release_id} ({release.manifest['quads']} quads)")
    return Outcome(release, report(), timings)


def _chunks(path: Path, size: int = 32 << 20) -> Iterator[bytes]:
    """The file in slices of about size bytes, each ending at a line end (N-Quads: a quad a line)."""
    with path.open("rb") as f:
        rest = b""
        while block := f.read(size):
            block = rest + block
            cut = block.rfind(b"\n") + 1
            rest = block[cut:]
            if cut:
                yield block[:cut]
        if rest:
            yield rest


def _load_store(staging: Path) -> tuple[ox.Store, Tally, Tally]:
    """Bulk-load the mapped quads into the release's store and check it holds exactly them.
    Returns the store and the (quads, triples) tallies of the release."""
    mapped = staging / "mapped.nq"
    store = ox.Store(str(staging / "store"))
    for chunk in _chunks(mapped):  # Oxigraph's bulk loader buffers what it is given: feed it in slices
        store.bulk_load(chunk, format=ox.RdfFormat.N_QUADS)
    quads, triples = tallies_of(mapped)
    stored = Tally()
    for q in store.quads_for_pattern(None, None, None, None):
        stored.add(q)
    if stored != quads:
        raise ReleaseError(f"the store does not hold the mapped quads ({stored.count} stored, {quads.count} mapped)")
    store.optimize()
    mapped.unlink()
    return store, quads, triples


def _stage(staging: Path, settings: Settings, sources: list[str], report: Report | None, release_id: str,
           created: datetime, timings: dict, progress: Progress) -> None:
    minter = Minter(settings.base)
    t = time.perf_counter()
    progress("loading the store")
    store, quads, triples = _load_store(staging)
    timings["store"] = time.perf_counter() - t
    t = time.perf_counter()
    progress("writing dumps")
    dumps = write_dumps(store, staging / "dumps")
    timings["dumps"] = time.perf_counter() - t
    t = time.perf_counter()
    progress("reading dumps back")
    parse_back(staging / "dumps", quads, triples)
    timings["parse back"] = time.perf_counter() - t
    _write_files(staging, Path(settings.project_dir), report)
    void = describe(store, minter, dumps, sources, release_id=release_id, created=created, licence=settings.licence)
    (staging / "void.ttl").write_text(void.serialize(format="turtle"), "utf-8")
    manifest = _manifest(staging, release_id, created, settings, store, dumps)
    store.flush()
    del store
    with open(staging / MANIFEST, "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=2)
        f.flush()
        os.fsync(f.fileno())
