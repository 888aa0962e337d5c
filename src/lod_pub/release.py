"""Releases: build -> validate -> write -> read back -> atomic switch. The only orchestrator.

On disk, under the data folder:
    releases/<id>/            one immutable release
        store/                the Oxigraph store (opened read-only by the web)
        dumps/                graph.{nq,trig,ttl,nt,jsonld}.gz and their parts/ (dumps.py)
        void.ttl              VoID + DCAT description
        validation.ttl/.txt   the SHACL report, as RDF and as text
        ontology.ttl cameo.ttl shapes.ttl context.jsonld   what the web serves as vocabulary
        ledger.json           graph by graph: the key it was mapped under, its quads, its results (ledger.py)
        manifest.json         id, time, counts, every file with size and sha256
    releases/.staging-<id>/   a release being written; never served; removed by the next build
    current -> releases/<id>  symlink, replaced by one atomic rename when a release is complete

A build that fails or is killed at any point leaves `current` on the previous whole release.

A build starts from the current release when its ledger has the same identity (code, base IRI,
shapes) and dump part count, and at least half of its graphs are unchanged; otherwise (and with
--no-cache) it is a full build. Starting from a release, it maps and validates only the articles
whose key changed; its store is a RocksDB checkpoint of the current store (hard links: each release
stays whole when another is pruned) less the changed and removed graphs, plus the new quads; dump
parts that hold no changed graph are hard-linked with their checksums; VoID's counts are updated from
the changed graphs' subjects. It checks, instead of reading everything again, that each changed graph
in the store holds exactly its mapped quads and that the store holds as many quads as the ledger's
graphs add up to; every dump part it writes is read back. A full build bulk-loads every mapped quad,
checks the whole store against them, and writes and reads back every part.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import BinaryIO, Callable, Iterable, Iterator

import pyoxigraph as ox
from rdflib import Graph

from .cache import Cache, code_digest, keys as cache_keys
from .cameo import scheme_turtle
from .describe import ExportCount, Statistics, describe, export_counts, quarantine_lines, quarantine_table
from .dumps import (MAX_PARTS, DumpFile, GraphQuads, Tally, graphs_by_part, link_parts, part_count, part_of,
                    part_tallies, read_back, tally_of, write_parts, write_whole)
from .errors import ReleaseError, ValidationFailed
from .iris import Minter
from .jsonld import context
from .ledger import LEDGER, Entry, ExportEntry, Ledger, identity, read_ledger
from .published import FORMAT_VERSION, MANIFEST, FileEntry, Manifest, Release, current, read_release, sha256_of
from .settings import Settings
from .sources import Corpus, load_corpus
from .sources.gdelt import ReadCache, read_exports
from .validation import Report, Result, check_corpus, merge
from .vocab import bind


# -- building ------------------------------------------------------------------------------------
@dataclass
class Outcome:
    release: Release
    report: Report | None  # None: published from RDF files as given (adhoc), not validated
    timings: dict[str, float]


Progress = Callable[[str], None]
Step = Callable[[int, int], None]


@dataclass
class Basis:
    """The release a build starts from, and the graphs of it that stay as they are."""

    release: Release
    ledger: Ledger
    kept: set[str]

    @property
    def dropped(self) -> set[str]:
        """Its graphs that are removed or replaced."""
        return set(self.ledger.graphs) - self.kept


@dataclass
class Plan:
    """What a build from records publishes: every graph's ledger entry (filled as graphs are mapped)."""

    identity: str
    parts: int
    basis: Basis | None = None
    graphs: dict[str, Entry] = field(default_factory=dict)

    @property
    def changed(self) -> set[str]:
        """The graphs whose quads are written anew (all of them in a full build)."""
        return set(self.graphs) - (self.basis.kept if self.basis else set())


@contextmanager
def build_lock(data_dir: Path) -> Iterator[None]:
    data_dir.mkdir(parents=True, exist_ok=True)
    with open(data_dir / ".build.lock", "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ReleaseError(f"another build is running in {data_dir}") from None
        yield


def clean_leftovers(releases: Path) -> None:
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


def write_files(staging: Path, project: Path, report: Report | None, shapes_of: Path | None = None) -> None:
    """The vocabulary, shapes and context the release was built with, and its validation report
    (a release published from plain RDF files with `serve --data` was not validated, and says so).
    shapes_of: a release built from the same shapes (its ledger's identity holds their digest), whose
    shapes.ttl is copied rather than parsed and written again."""
    if (project / "ontology" / "dip.ttl").is_file():
        shutil.copyfile(project / "ontology" / "dip.ttl", staging / "ontology.ttl")
    if (project / "ontology" / "cameo.ttl").is_file():  # the CAMEO scheme as the project keeps it
        shutil.copyfile(project / "ontology" / "cameo.ttl", staging / "cameo.ttl")
    else:
        (staging / "cameo.ttl").write_text(scheme_turtle(), "utf-8")
    if shapes_of is not None and (shapes_of / "shapes.ttl").is_file():
        shutil.copyfile(shapes_of / "shapes.ttl", staging / "shapes.ttl")
    elif (project / "shapes").is_dir():
        shapes = _load_rdf_folder(project / "shapes")
        bind(shapes)
        (staging / "shapes.ttl").write_text(shapes.serialize(format="turtle"), "utf-8")
    (staging / "context.jsonld").write_text(json.dumps(context(), indent=2), "utf-8")
    if report is None:
        (staging / "validation.txt").write_text("Not validated: published from RDF files as given.\n", "utf-8")
        return
    (staging / "validation.ttl").write_text(report.graph.serialize(format="turtle"), "utf-8")
    (staging / "validation.txt").write_text(report.text(), "utf-8")


def switch_current(data_dir: Path, target: Path) -> None:
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


def prune(releases: Path, keep: int, current_path: Path) -> None:
    published = sorted(p for p in releases.iterdir() if p.is_dir() and not p.name.startswith("."))
    for old in published[:-keep] if keep > 0 else []:
        if old.resolve() != current_path.resolve():
            shutil.rmtree(old, ignore_errors=True)


def _read(settings: Settings, progress: Progress) -> Corpus:
    progress("reading records")
    index = Path(settings.data_dir) / "cache" / "records.pickle"
    seeds = Path(settings.project_dir) / "seeds"
    corpus = load_corpus(seeds, index, code_digest(), reuse=settings.cache)
    folders = ([seeds / "gdelt"] if (seeds / "gdelt").is_dir() else []) + [Path(f) for f in settings.gdelt]
    if folders:
        progress(f"reading GDELT exports in {', '.join(str(f) for f in folders)}")
        cache = ReadCache(Path(settings.data_dir) / "gdelt-reads", code_digest()) if settings.cache else None
        for export in read_exports(corpus, folders, cache):
            progress(f"  {export.article.source.display}: {export.rows} rows, {export.events} events, "
                     f"{len(export.quarantine)} quarantined")
    return corpus


def _shapes(settings: Settings) -> tuple[Graph, str]:
    """The shapes graph and a digest of the files it was read from."""
    folder = Path(settings.project_dir) / "shapes"
    digest = hashlib.sha256()
    for path in sorted(folder.glob("*.ttl")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return _load_rdf_folder(folder), digest.hexdigest()


def _previous(settings: Settings, plan: Plan) -> tuple[Release, Ledger] | None:
    """The current release and its ledger, when it is whole and was built like this build."""
    try:
        release = current(Path(settings.data_dir))
        if release is None:
            return None
        release.verify()
    except ReleaseError:
        return None
    ledger = read_ledger(release.path)
    if ledger is None or (ledger.identity, ledger.parts) != (plan.identity, plan.parts):
        return None
    return release, ledger


def _basis(previous: tuple[Release, Ledger] | None, wanted: dict[str, str]) -> Basis | None:
    """The release a build starts from: the previous one, when it keeps at least half of the graphs."""
    if previous is None:
        return None
    release, ledger = previous
    kept = {iri for iri, key in wanted.items() if iri in ledger.graphs and ledger.graphs[iri].key == key}
    return Basis(release, ledger, kept) if 2 * len(kept) >= len(wanted) else None


def _graph_names(corpus: Corpus, keys: dict[int, str], minter: Minter, previous: tuple[Release, Ledger] | None
                 ) -> dict[int, str]:
    """Each article's graph IRI: from the previous ledger when the article's key is there (the same
    key is the same record, so the same IRI), minted otherwise."""
    known = {entry.key: iri for iri, entry in previous[1].graphs.items()} if previous else {}
    return {i: known.get(keys[i]) or str(minter.unit_graph(a.kind, a.slug)) for i, a in enumerate(corpus.articles)}


def dump_parts(corpus: Corpus) -> int:
    """How many parts the dumps are cut into: about dumps.GRAPHS_PER_PART graphs a part; with GDELT exports
    (tens of thousands of quads each, a hundred a day) as many as there can be, so that an export is nearly
    always alone in its part: a new export rewrites and reads back its own part only, not the exports before
    it, and the count does not grow with them (a new count is a full build). Only parts that hold a graph
    are written."""
    if any(a.kind == "export" for a in corpus.articles):
        return MAX_PARTS
    return part_count(len(corpus.articles) + 1)


def _report(plan: Plan, entities: str) -> Report:
    """One report from every graph's results: the register's first (a register entity keeps its
    register line), then the articles' in graph order, so a full and an incremental build agree."""
    order = [entities] + sorted(iri for iri, entry in plan.graphs.items() if entry.results and iri != entities)
    return merge(r for iri in order if iri in plan.graphs for r in plan.graphs[iri].results)


def check(settings: Settings, progress: Progress = lambda _: None, step: Step = lambda done, total: None
          ) -> tuple[Report, int]:
    """Read, map and validate; publish nothing. Returns (report, triples). Raises RecordError or ValidationFailed."""
    corpus = _read(settings, progress)
    shapes, digest = _shapes(settings)
    progress(f"mapping and validating {len(corpus.articles)} article(s)")
    with open(os.devnull, "wb") as sink:
        report, triples = check_corpus(corpus, Minter(settings.base), shapes, sink, progress=step,
                                        engine=settings.shacl)
    if not report.conforms:
        raise ValidationFailed(report.text())
    return report, triples


def build(settings: Settings, progress: Progress = lambda _: None, step: Step = lambda done, total: None) -> Outcome:
    """Build, check and publish a release. The previous release stays current on any failure."""
    clock = time.perf_counter()
    corpus = _read(settings, progress)
    minter = Minter(settings.base)
    shapes, digest = _shapes(settings)
    register_key, keys = cache_keys(corpus, settings.base, digest)
    entities = str(minter.entities_graph())
    plan = Plan(identity(settings.base, digest), dump_parts(corpus))
    previous = _previous(settings, plan) if settings.cache else None
    names = _graph_names(corpus, keys, minter, previous)
    wanted = {entities: register_key, **{names[i]: keys[i] for i in names}}
    plan.basis = basis = _basis(previous, wanted)
    kept = basis.kept if basis else set()
    plan.graphs = {iri: basis.ledger.graphs[iri] for iri in kept} if basis else {}
    checked: list[Report] = []

    def record(index: int | None, quads: int, results: Iterable[Result]) -> None:
        iri = entities if index is None else names[index]
        plan.graphs[iri] = Entry(wanted[iri], quads, tuple(results))

    def write_quads(sink: BinaryIO) -> None:
        cache = Cache(Path(settings.data_dir) / "cache", keys) if settings.cache else None
        progress(f"mapping and validating {len(corpus.articles) - len(kept - {entities})} of "
                 f"{len(corpus.articles)} article(s)")
        check_corpus(corpus, minter, shapes, sink, cache=cache, skip=frozenset(i for i in names if names[i] in kept),
                     register=entities not in kept, record=record, progress=step, engine=settings.shacl)
        report = _report(plan, entities)
        if cache is not None:
            unchanged = len(kept - {entities}) + cache.hits
            progress(f"{unchanged} article(s) unchanged since the last build, {len(corpus.articles) - unchanged} mapped")
            if basis is None:
                cache.retain()
            else:
                cache.forget(basis.ledger.graphs[iri].key for iri in basis.dropped)
        if not report.conforms:
            raise ValidationFailed(report.text())
        checked.append(report)

    minter.units_of_graphs([names[i] for i in range(len(corpus.articles))])  # checks the graph names
    sources = [str(minter.entity(a.kind, a.slug)) for a in corpus.articles]
    outcome = publish(settings, write_quads, sources=sources, report=lambda: checked[0], progress=progress, plan=plan)
    outcome.timings = {"read": outcome.timings["start"] - clock, **outcome.timings}
    del outcome.timings["start"]
    outcome.timings["total"] = time.perf_counter() - clock
    return outcome


def publish(settings: Settings, write_quads: Callable[[BinaryIO], object], *, sources: list[str],
            report: Callable[[], Report | None] = lambda: None, progress: Progress = lambda _: None,
            plan: Plan | None = None) -> Outcome:
    """Publish the quads that write_quads writes (as N-Quads, to the binary file it is given) as a
    new release, and make it current. Nothing changes on any failure, or when write_quads raises.
    With a plan (a build from records), the release gets a ledger, and starts from the plan's basis."""
    data_dir = Path(settings.data_dir)
    timings: dict[str, float] = {"start": time.perf_counter()}
    with build_lock(data_dir):
        releases = data_dir / "releases"
        releases.mkdir(parents=True, exist_ok=True)
        clean_leftovers(releases)
        created = datetime.now(timezone.utc)
        release_id = f"{created:%Y%m%dT%H%M%S%fZ}"
        staging = releases / f".staging-{release_id}"
        try:
            staging.mkdir()
            t = time.perf_counter()
            with open(staging / "mapped.nq", "wb") as sink:
                write_quads(sink)
            timings["map+validate"] = time.perf_counter() - t
            _stage(staging, settings, sources, report(), release_id, created, timings, progress, plan)
            final = releases / release_id
            os.replace(staging, final)
            release = read_release(final)
            release.verify()
            switch_current(data_dir, final)
        except BaseException as exc:
            shutil.rmtree(staging, ignore_errors=True)
            if isinstance(exc, OSError):
                raise ReleaseError(f"could not write the release: {exc}") from exc
            raise
        prune(releases, settings.keep_releases, final)
    progress(f"published release {release_id} ({release.manifest['quads']} quads)")
    return Outcome(release, report(), timings)


# -- the store -----------------------------------------------------------------------------------
def _graph_end(block: bytes) -> int:
    """Where the block's last whole named graph ends: after the last line that the next line's graph
    differs from (0 when the block's whole lines are all of one graph)."""
    end = block.rfind(b"\n") + 1
    if not end:
        return 0
    last = block[block.rfind(b"\n", 0, end - 1) + 1:end]
    graph = last[last.rfind(b" <"):]  # the graph term and " .\n": a graph's quads come together
    pos = end
    while pos > 0 and block.endswith(graph, 0, pos):
        pos = block.rfind(b"\n", 0, pos - 1) + 1
    return pos


def _chunks(path: Path, size: int = 32 << 20) -> Iterator[bytes]:
    """The N-Quads file in slices of about size bytes, each ending where a named graph's quads end:
    a blank node label names one node only within one bulk load."""
    with path.open("rb") as f:
        rest = b""
        while block := f.read(size):
            block = rest + block
            cut = _graph_end(block)
            rest = block[cut:]
            if cut:
                yield block[:cut]
        if rest:
            yield rest


def _bulk_load(store: ox.Store, mapped: Path) -> None:
    for chunk in _chunks(mapped):  # Oxigraph's bulk loader buffers what it is given: feed it in slices
        store.bulk_load(chunk, format=ox.RdfFormat.N_QUADS)


#: a build keeps its changed graphs' quads once read (GraphQuads) while they are at most this many
HOLD_QUADS = 500_000


def _load_store(staging: Path, parts: int | None) -> tuple[ox.Store, dict[int, list[str]], GraphQuads]:
    """Bulk-load the mapped quads into the release's store and check it holds exactly them.
    Returns the store, its graphs by dump part, and its graphs' quads (each graph tallied)."""
    mapped = staging / "mapped.nq"
    store = ox.Store(str(staging / "store"))
    _bulk_load(store, mapped)
    graphs = sorted(g.value for g in store.named_graphs())
    grouped = graphs_by_part(graphs, parts or part_count(len(graphs)))
    read = GraphQuads(store)  # its tallies are kept: the dump parts' read-back compares with them
    tallies = part_tallies(read, grouped, grouped)
    stored, want = sum((quads for quads, _ in tallies.values()), Tally()), tally_of(mapped)
    if stored != want:
        raise ReleaseError(f"the store does not hold the mapped quads ({stored.count} stored, {want.count} mapped)")
    store.optimize()
    mapped.unlink()
    return store, grouped, read


def _patch_store(staging: Path, plan: Plan, basis: Basis) -> tuple[ox.Store, dict[int, list[str]], GraphQuads]:
    """The basis's store (plan.basis), checkpointed into the release, less its dropped graphs, plus the mapped
    quads; the changed graphs' quads are held (GraphQuads) when there are not too many of them."""
    mapped = staging / "mapped.nq"
    try:
        basis.release.open_store().backup(str(staging / "store"))
    except (OSError, RuntimeError) as exc:  # RocksDB's errors; a damaged store is refused the same way by the web
        raise ReleaseError(f"release {basis.release.id}: its store cannot be copied ({exc}); "
                           "build with --no-cache to write a whole new release") from exc
    store = ox.Store(str(staging / "store"))
    for iri in sorted(basis.dropped):
        store.remove_graph(ox.NamedNode(iri))
    _bulk_load(store, mapped)
    changed = sum(plan.graphs[iri].quads for iri in plan.changed if iri in plan.graphs)
    graphs = GraphQuads(store, plan.changed if changed <= HOLD_QUADS else ())
    _check_patch(store, mapped, plan, graphs)
    mapped.unlink()
    return store, graphs_by_part(plan.graphs, plan.parts), graphs


def _check_patch(store: ox.Store, mapped: Path, plan: Plan, graphs: GraphQuads | None = None) -> None:
    """Each changed graph holds exactly its mapped quads; the store, as many quads as the ledger says."""
    want: dict[str, Tally] = {}
    for q in ox.parse(path=str(mapped), format=ox.RdfFormat.N_QUADS):
        want.setdefault(q.graph_name.value, Tally()).add(q)
    if stray := set(want) - plan.changed:
        raise ReleaseError(f"mapped quads of a graph the build keeps as it was: {sorted(stray)[0]}")
    graphs = graphs or GraphQuads(store)
    for iri in sorted(plan.changed):
        stored = graphs.tallies(iri)[0]
        if stored != want.get(iri, Tally()):
            raise ReleaseError(f"the store does not hold the mapped quads of {iri} "
                               f"({stored.count} stored, {want.get(iri, Tally()).count} mapped)")
    # The graphs the build kept are the basis release's, copied by a checkpoint of its store (checked when
    # it was built); counting every quad again (len(store)) would take seconds a million quads. What is
    # checked: the store names exactly the planned graphs that hold quads (a graph of none has no name in it;
    # a name whose quads are all gone may stay), and holds nothing in its default graph.
    held = {g.value for g in store.named_graphs()}
    planned = {iri for iri, entry in plan.graphs.items() if entry.quads}
    extra = sorted(g for g in held - set(plan.graphs)
                   if next(iter(store.quads_for_pattern(None, None, None, ox.NamedNode(g))), None) is not None)
    missing = sorted(planned - held)
    if extra or missing:
        raise ReleaseError(f"the store's graphs are not the release's: {len(extra)} more ({', '.join(extra[:3])}), "
                           f"{len(missing)} missing ({', '.join(missing[:3])})")
    if next(iter(store.quads_for_pattern(None, None, None, ox.DefaultGraph())), None) is not None:
        raise ReleaseError("the store holds quads in its default graph; a release's quads are all in named graphs")


# -- the dumps -----------------------------------------------------------------------------------
def _touched(plan: Plan | None, grouped: dict[int, list[str]]) -> set[int]:
    """The dump parts to write: every part, or those that hold (or held) a changed graph."""
    if plan is None or plan.basis is None:
        return set(grouped)
    changed = plan.changed | plan.basis.dropped
    return {part_of(iri, plan.parts) for iri in changed} & set(grouped)


def _kept_parts(plan: Plan | None, touched: set[int]) -> list[DumpFile]:
    if plan is None or plan.basis is None:
        return []
    return [DumpFile.from_json(meta) for meta in plan.basis.release.manifest["parts"] if meta["part"] not in touched]


def _stage(staging: Path, settings: Settings, sources: list[str], report: Report | None, release_id: str,
           created: datetime, timings: dict[str, float], progress: Progress, plan: Plan | None) -> None:
    minter = Minter(settings.base)
    basis = plan.basis if plan is not None else None
    t = time.perf_counter()
    progress("updating the store" if basis is not None else "loading the store")
    if plan is not None and basis is not None:
        store, grouped, read = _patch_store(staging, plan, basis)
    else:
        store, grouped, read = _load_store(staging, plan.parts if plan else None)
    timings["store"] = time.perf_counter() - t
    t = time.perf_counter()
    touched = _touched(plan, grouped)
    progress(f"writing {len(touched)} of {len(grouped)} dump part(s)")
    folder = staging / "dumps"
    folder.mkdir()
    kept = link_parts(basis.release.dumps_dir, folder, _kept_parts(plan, touched)) if basis is not None else []
    written = write_parts(read, folder, grouped, touched)
    parts = sorted(kept + written, key=lambda f: (f.part, f.name))
    with ThreadPoolExecutor(max_workers=1) as joiner:
        # the whole-graph files are joined from the parts (copying and hashing bytes: no GIL held) while the
        # parts are read back and VoID is counted; it grows with the release (about 1.7 MB an export)
        joining = joiner.submit(write_whole, folder, parts)
        timings["dumps"] = time.perf_counter() - t
        t = time.perf_counter()
        progress("reading dumps back")
        read_back(folder, written, part_tallies(read, grouped, touched))
        timings["parse back"] = time.perf_counter() - t
        t = time.perf_counter()
        stats, quads = _statistics(store, read, plan, minter)
        waited = time.perf_counter()
        whole = joining.result()
        timings["whole files"] = time.perf_counter() - waited  # what joining took beyond the steps beside it
    write_files(staging, Path(settings.project_dir), report, basis.release.path if basis is not None else None)
    exports, export_entries = _check_exports(staging, store, plan)
    void = describe(stats, minter, whole, sources, release_id=release_id, created=created, licence=settings.licence,
                    exports=exports)
    (staging / "void.ttl").write_text(void, "utf-8")
    if plan is not None:
        Ledger(plan.identity, plan.parts, plan.graphs, stats.as_json(), export_entries).write(staging / LEDGER)
    graphs = [iri for part in grouped.values() for iri in part]
    known = {f"dumps/{f.name}": f for f in (*parts, *whole)}
    manifest = make_manifest(staging, release_id, created, settings, quads, sorted(graphs), whole, parts, known)
    timings["describe"] = time.perf_counter() - t - timings["whole files"]
    store.flush()
    del store, read
    with open(staging / MANIFEST, "w", encoding="utf-8") as f:
        f.write(json.dumps(manifest, separators=(",", ":")))  # no indent: json's C encoder (a large release lists 100,000 graphs)
        f.flush()
        os.fsync(f.fileno())


def _statistics(store: ox.Store, read: GraphQuads, plan: Plan | None, minter: Minter) -> tuple[Statistics, int]:
    """VoID's counts and the release's quads: updated from the basis's by the changed graphs, or counted."""
    basis = plan.basis if plan is not None else None
    if plan is not None and basis is not None:
        quads = sum(e.quads for e in plan.graphs.values())
        before = basis.release.open_store()
        return Statistics(**basis.ledger.void).updated(before, store, plan.changed | basis.dropped, quads, minter,
                                                       read.quads), quads
    return Statistics.of(store, minter), len(store)


def _check_exports(staging: Path, store: ox.Store, plan: Plan | None) -> tuple[list[ExportCount], dict[str, ExportEntry]]:
    """Every event export's rows reconcile (read = published + quarantined, and the store holds as many
    events and quarantined rows from it); its quarantined rows are written to quarantine.tsv. The exports
    of graphs the build kept are the basis release's, as its ledger says (checked when they were loaded):
    only the exports of changed graphs are counted in the store, so a new export costs the same with a
    week of history as with none. Returns the counts and the ledger's entries."""
    basis = plan.basis if plan is not None else None
    earlier = basis.ledger.exports if basis is not None else None
    if plan is None or basis is None or earlier is None:
        fresh, lines, entries = export_counts(store), quarantine_lines(store), {}
    else:
        entries = {g: e for g, e in earlier.items() if g in basis.kept}
        fresh, lines = export_counts(store, plan.changed), quarantine_lines(store, plan.changed)
    by_graph: dict[str, list[str]] = {}
    for graph, line in lines:
        by_graph.setdefault(graph, []).append(line)
    for count in fresh:
        if (problem := count.problem) is not None:
            raise ReleaseError(f"{count.export}: its rows do not reconcile: {problem}")
        entries[count.graph] = {"export": count.export, "file": count.file, "rows": count.rows,
                                "published": count.published, "quarantined": count.quarantined,
                                "quarantine": by_graph.get(count.graph, [])}
    counts = sorted((ExportCount(e["export"], e["rows"], e["published"], e["quarantined"], e["published"],
                                 e["quarantined"], e["file"], g) for g, e in entries.items()),
                    key=lambda c: c.export)
    if counts:
        (staging / "quarantine.tsv").write_text(quarantine_table(line for e in entries.values()
                                                                 for line in e["quarantine"]), "utf-8")
    return counts, entries


def make_manifest(staging: Path, release_id: str, created: datetime, settings: Settings, quads: int, graphs: list[str],
              dumps: list[DumpFile], parts: list[DumpFile], known: dict[str, DumpFile]) -> Manifest:
    """The release's manifest; the checksums of dump files come from where they were written or kept."""
    files: dict[str, FileEntry] = {}
    for path in sorted(p for p in staging.rglob("*") if p.is_file() and "store" not in p.relative_to(staging).parts):
        name, size = str(path.relative_to(staging)), path.stat().st_size
        dump = known.get(name)
        files[name] = {"size": size, "sha256": dump.sha256 if dump is not None and dump.size == size else sha256_of(path)}
    return {
        "format": FORMAT_VERSION, "id": release_id, "created": created.isoformat(timespec="seconds"),
        "base": settings.base, "quads": quads, "graphs": graphs,
        "dumps": [d.as_json() for d in dumps], "parts": [p.as_json() for p in parts], "files": files,
    }
