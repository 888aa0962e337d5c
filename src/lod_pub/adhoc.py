"""Publish RDF files as they are: `lod-pub serve --data [GRAPH_IRI=]PATH` (repeatable).

    finishing = start_files(specs, settings)   # loaded and current: the endpoint can answer now
    finishing.finish() -> Release              # dumps and VoID written; the release holding them is current
    publish_files(specs, settings) -> Release  # the two, one after the other
    resume_files(settings) -> Finishing | None # a current release whose server stopped before finishing it

Each file is read with Oxigraph's strict parsers, its format taken from its extension:
    .ttl Turtle   .nt N-Triples   .nq N-Quads   .trig TriG   .rdf .owl .xml RDF/XML   .jsonld .json JSON-LD
Triples go into the named graph given before `=`, or else into one named after the file
({base}graph/data/{name}, lod_pub.iris); quads keep their own graph (those in the default graph go
where triples go). Relative IRIs resolve against that graph's IRI. Blank nodes are kept apart
between files. A blank node that names a graph (N-Quads and TriG allow it) is given an IRI,
{base}.well-known/genid/{label} (RDF 1.1 §3.5), wherever it occurs: every graph of a release has an
IRI. Nothing is fetched: a JSON-LD remote @context is an error, and so is an RDF/XML document that
declares entities (their expansion is how "billion laughs" documents work). A parse error names the
file, line and column, with the parser's reason and an excerpt of the text there, each cut short (a
long token, or a file of one long line, is never repeated whole), as a RecordError (exit code 1);
nothing is published then, and the current release stays.

Oxigraph reads each file straight into the release's store, no quad passing through Python: its bulk
loader from BULK bytes on (memory stays bounded whatever the files' size), a smaller file in one
transaction (the bulk loader's fixed cost is a fraction of a second a file). The store keeps literals
as it reads them (`"01"^^xsd:integer` is 1, `"1.50"^^xsd:decimal` is 1.5), and everything the release
publishes (answers, dumps, VoID) is read from it, so they agree; there is no second copy of the quads
to compare it with. Publishing goes in two steps, each an atomic switch of `current`:
    1. the store, the vocabulary files and a manifest that says the dumps and VoID are being
       written (`writing`); the endpoint answers from here on;
    2. a release that follows it: its store a checkpoint of the first (hard links, no copy), its
       other files linked from it, and the dumps (written, then read back and compared with the store,
       as in any release) and VoID written.
Until the second switch the web answers the dumps and /void with 503 and Retry-After, and its pages
say they are being written; a half-written file is never served (it is in a staging folder). The
build lock is held from the first step to the end of the second (`lod-pub serve` writes the second
in a child process: lod_pub.serve). Neither release has a validation report or a ledger: nothing was
mapped or validated (their vocabulary files are the project's, as a built release's).
"""

from __future__ import annotations

import codecs
import ctypes
import json
import os
import re
import shutil
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterator

import pyoxigraph as ox

from .describe import Statistics, describe
from .dumps import DumpFile, GraphQuads, graphs_by_part, part_count, part_tallies, read_back, write_parts, write_whole
from .errors import IriError, Problem, RecordError, ReleaseError
from .iris import Minter, check_iri
from .published import MANIFEST, Manifest, Release, current, read_release
from .release import build_lock, clean_leftovers, make_manifest, prune, switch_current, write_files
from .settings import Settings

EXTENSIONS = {
    ".ttl": ox.RdfFormat.TURTLE, ".turtle": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS, ".trig": ox.RdfFormat.TRIG, ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML, ".xml": ox.RdfFormat.RDF_XML, ".jsonld": ox.RdfFormat.JSON_LD,
    ".json": ox.RdfFormat.JSON_LD,
}
ENTITY = b"<!ENTITY"
BLOCK = 1 << 20    # bytes read at a time when a file is searched
REASON = 120       # most characters of a parser's reason that a problem repeats
EXCERPT = 60       # characters of the text around a parse error
BULK = 64 << 10    # bytes from which a file is read by the bulk loader (a smaller one, in one transaction)
#: What the VoID of published files says the dataset is (a release built from records says more: describe.TITLE).
FILES_TITLE = "RDF data published with lod-pub"
FILES_DESCRIPTION = "RDF data published as Linked Data from files: {quads} quad(s) in {graphs} graph(s)."
WRITING = ["dumps", "void.ttl"]  # what the first release's manifest says is being written

Progress = Callable[[str], None]


def split_spec(spec: str) -> tuple[str | None, Path]:
    """(graph IRI or None, path) of `[GRAPH_IRI=]PATH`; an IRI may itself hold '=', a path may too."""
    if Path(spec).is_file():
        return None, Path(spec)
    for at in [m.start() for m in re.finditer("=", spec)][::-1]:
        graph, path = spec[:at], Path(spec[at + 1:])
        if path.is_file():
            try:
                return check_iri(graph), path
            except IriError as exc:
                raise RecordError([Problem(spec, None, "", f"the graph name is not an absolute IRI: {exc}")]) from None
    raise RecordError([Problem(spec, None, "", "no such file")])


def slug_of(path: Path, taken: set[str]) -> str:
    """A graph slug from a file name, unique among those taken."""
    stem = re.sub(r"[^\w.-]+", "-", path.name.split(".")[0]).strip("-._") or "data"
    slug, n = stem, 1
    while slug in taken:
        n += 1
        slug = f"{stem}-{n}"
    taken.add(slug)
    return slug


def _find(path: Path, needle: bytes) -> tuple[int, int] | None:
    """(line, column) of the first needle (which holds no newline) in the file, read in blocks; else None."""
    line, line_start, offset, tail = 1, 0, 0, b""  # offset: of the block in the file; tail: the end of the last
    with path.open("rb") as f:
        while block := f.read(BLOCK):
            data, base = tail + block, offset - len(tail)
            found = data.find(needle)
            if found >= 0:
                line += data.count(b"\n", len(tail), max(found, len(tail)))
                newline = data.rfind(b"\n", 0, found)
                return line, base + found - (base + newline + 1 if newline >= 0 else line_start) + 1
            line += block.count(b"\n")
            if (newline := block.rfind(b"\n")) >= 0:
                line_start = offset + newline + 1
            offset += len(block)
            tail = data[-(len(needle) - 1):]
    return None


def _refuse_entities(path: Path) -> None:
    found = _find(path, ENTITY)
    if found:
        line, column = found
        raise RecordError([Problem(str(path), line, "", f"column {column}: the RDF/XML declares an entity; "
                                   "entity expansion is refused (expand it, or convert the file to Turtle)")])


# -- parse errors, told briefly ----------------------------------------------------------------------
def _short(text: str, limit: int) -> str:
    """At most limit characters of text, control characters escaped (a parser quotes what it read)."""
    text = text if len(text) <= limit else text[:limit - 1] + "\u2026"
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text)


def _line_text(path: Path, line: int) -> Iterator[str]:
    """The text of one line of the file (1-based), decoded block by block: a file of one long line is
    never read whole into memory."""
    decoder = codecs.getincrementaldecoder("utf-8")("replace")
    before = line - 1  # newlines still to pass
    with path.open("rb") as f:
        while block := f.read(BLOCK):
            if before:
                block, before = _after_newlines(block, before)
            if before or not block:
                continue
            end = block.find(b"\n")
            if end >= 0:
                yield decoder.decode(block[:end], final=True)
                return
            yield decoder.decode(block)
    yield decoder.decode(b"", final=True)


def _after_newlines(block: bytes, count: int) -> tuple[bytes, int]:
    """What follows the count-th newline of block, and how many newlines are still to pass after it."""
    held = block.count(b"\n")
    if held < count:
        return b"", count - held
    pos = 0
    for _ in range(count):
        pos = block.index(b"\n", pos) + 1
    return block[pos:], 0


def excerpt(path: Path, line: int, column: int, width: int = EXCERPT) -> str:
    """About width characters of the file around line:column (both 1-based, columns in characters)."""
    start, seen, found = max(column - 1 - width // 3, 0), 0, []
    for piece in _line_text(path, line):
        if seen + len(piece) > start:
            found.append(piece[max(start - seen, 0):start - seen + width])
        seen += len(piece)
        if seen >= start + width:
            break
    return "".join(found)[:width].rstrip("\r")


def _syntax_problem(path: Path, exc: SyntaxError) -> Problem:
    """The parser's reason, cut short, with where it is and the text there."""
    message = exc.msg.split(": ", 1)[-1] if exc.lineno else exc.msg
    if "LoadDocumentCallback" in message:
        message = "a remote JSON-LD @context is not fetched; inline the context in the file"
    reason = _short(message, REASON)
    if exc.lineno and exc.offset:
        near = excerpt(path, exc.lineno, exc.offset)
        shown = _short(repr(near), EXCERPT + 20)  # repr: control characters escaped, never raw
        reason = f"column {exc.offset}: {reason}" + (f"; the text there: {shown}" if near.strip() else "")
    return Problem(str(path), exc.lineno, "", reason)


# -- loading -----------------------------------------------------------------------------------------
def _format(path: Path) -> ox.RdfFormat:
    fmt = EXTENSIONS.get(path.suffix.lower())
    if fmt is None:
        known = " ".join(sorted(EXTENSIONS))
        raise RecordError([Problem(str(path), None, "", f"unknown RDF format; known extensions: {known}")])
    return fmt


def load_file(path: Path, graph: str, store: ox.Store) -> None:
    """Load one file into store, its triples (and default-graph quads) into `graph`: by the bulk loader,
    streaming, from BULK bytes on; a smaller file in one transaction (Store.load: the same parser, without
    the bulk loader's fixed cost of a fraction of a second a file). Raises RecordError naming file, line
    and column; ReleaseError when the store cannot be written."""
    fmt = _format(path)
    try:
        path.open("rb").close()
    except OSError as exc:
        raise RecordError([Problem(str(path), None, "", f"cannot be read: {exc}")]) from None
    if fmt == ox.RdfFormat.RDF_XML:
        _refuse_entities(path)
    load = store.bulk_load if path.stat().st_size >= BULK else store.load
    try:
        load(path=str(path), format=fmt, base_iri=graph, to_graph=ox.NamedNode(graph), lenient=False)
    except SyntaxError as exc:
        raise RecordError([_syntax_problem(path, exc)]) from None
    except OSError as exc:
        raise ReleaseError(f"{path}: could not be loaded into the store: {exc}") from exc


def load_files(specs: list[str], minter: Minter, store: ox.Store, progress: Progress = lambda _: None
               ) -> list[Problem]:
    """Load every file into store; the problems of all of them (none: every file was loaded)."""
    taken: set[str] = set()
    problems: list[Problem] = []
    for spec in specs:
        try:
            graph, path = split_spec(spec)
            progress(f"loading {path}")
            load_file(path, graph or str(minter.data_graph(slug_of(path, taken))), store)
        except RecordError as exc:
            problems += exc.problems
    return problems


def name_blank_graphs(store: ox.Store, minter: Minter) -> None:
    """Give each blank node that names a graph an IRI ({base}.well-known/genid/{label}) wherever it occurs."""
    for blank in [g for g in store.named_graphs() if isinstance(g, ox.BlankNode)]:
        iri = ox.NamedNode(str(minter.page(".well-known", "genid", blank.value)))
        held = {*store.quads_for_pattern(None, None, None, blank), *store.quads_for_pattern(blank, None, None),
                *store.quads_for_pattern(None, None, blank)}
        for quad in held:
            store.remove(quad)
        store.extend([ox.Quad(*(iri if term == blank else term for term in quad)) for quad in held])
        store.remove_graph(blank)


def _give_memory_back() -> None:
    """Hand freed heap back to the system (glibc's malloc_trim; nothing elsewhere): the bulk loader's
    buffers, freed once the store is closed, would otherwise stay in the serving process's memory."""
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def _load(specs: list[str], minter: Minter, location: Path, checkpoint: Path, progress: Progress
          ) -> tuple[list[str], int]:
    """Load the files into a new store at location, and checkpoint it at `checkpoint` (the store of the
    release that follows). Returns its named graphs (sorted) and its number of quads."""
    held = [ox.Store(str(location))]  # the one lasting reference: cleared in `finally`, the store closes there
    try:
        problems = load_files(specs, minter, held[0], progress)
        if problems:
            raise RecordError(problems)
        name_blank_graphs(held[0], minter)
        graphs = sorted(g.value for g in held[0].named_graphs())
        quads = len(held[0])
        held[0].flush()
        held[0].backup(str(checkpoint))
    finally:
        held.clear()
    _give_memory_back()
    return graphs, quads


# -- the two releases ----------------------------------------------------------------------------------
def _release_id(created: datetime) -> str:
    return f"{created:%Y%m%dT%H%M%S%fZ}"


def _write_manifest(folder: Path, manifest: Manifest) -> None:
    with open(folder / MANIFEST, "w", encoding="utf-8") as f:
        f.write(json.dumps(manifest, separators=(",", ":")))
        f.flush()
        os.fsync(f.fileno())


def _switch_to(data_dir: Path, staging: Path, release_id: str) -> Release:
    """Rename the staging folder to its release, check it is whole, and make it current."""
    final = data_dir / "releases" / release_id
    os.replace(staging, final)
    release = read_release(final)
    release.verify()
    switch_current(data_dir, final)
    return release


@dataclass
class Finishing:
    """A release published from files and current, its dumps and VoID still to write. `finish` writes
    them into the release that follows (staged at `staging`, its store already there) and switches to
    it; `abandon` gives up on that. The build lock (`lock`) is held until one of the two."""

    settings: Settings
    release: Release
    staging: Path
    lock: ExitStack

    def finish(self, progress: Progress = lambda _: None) -> Release:
        """Write the dumps and VoID; the release that holds them becomes current. On any failure the
        release published first stays current."""
        try:
            return _finish(self, progress)
        except OSError as exc:
            raise ReleaseError(f"could not write the dumps and VoID: {exc}") from exc
        finally:
            shutil.rmtree(self.staging, ignore_errors=True)
            self.lock.close()

    def abandon(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)
        self.lock.close()


def start_files(specs: list[str], settings: Settings, progress: Progress = lambda _: None) -> Finishing:
    """Load the files into a new release and make it current, its dumps and VoID still to write.
    Raises RecordError (a file that cannot be read), and nothing is published then."""
    data_dir = Path(settings.data_dir)
    lock = ExitStack()
    lock.enter_context(build_lock(data_dir))
    try:
        releases = data_dir / "releases"
        releases.mkdir(parents=True, exist_ok=True)
        clean_leftovers(releases)
        return _start(specs, settings, lock, progress)
    except BaseException:
        lock.close()
        raise


def _start(specs: list[str], settings: Settings, lock: ExitStack, progress: Progress) -> Finishing:
    created = datetime.now(timezone.utc)
    release_id = _release_id(created)
    staging = Path(settings.data_dir) / "releases" / f".staging-{release_id}"
    following = staging.with_name(f"{staging.name}-dumps")
    try:
        staging.mkdir()
        following.mkdir()
        graphs, quads = _load(specs, Minter(settings.base), staging / "store", following / "store", progress)
        write_files(staging, Path(settings.project_dir), None)
        manifest = make_manifest(staging, release_id, created, settings, quads, graphs, [], [], {})
        manifest["writing"] = WRITING
        _write_manifest(staging, manifest)
        release = _switch_to(Path(settings.data_dir), staging, release_id)
    except BaseException as exc:
        shutil.rmtree(staging, ignore_errors=True)
        shutil.rmtree(following, ignore_errors=True)
        if isinstance(exc, OSError):
            raise ReleaseError(f"could not write the release: {exc}") from exc
        raise
    progress(f"published release {release_id} ({quads} quads); its dumps and VoID are still to write")
    return Finishing(settings, release, following, lock)


def resume_files(settings: Settings, progress: Progress = lambda _: None) -> Finishing | None:
    """The current release's dumps and VoID still to write, when it is a release from files whose server
    stopped before it wrote them (None otherwise, or while a process writes them: it holds the build
    lock): its store checkpointed into the release to follow."""
    data_dir = Path(settings.data_dir)
    release = current(data_dir)
    if release is None or not release.writing:
        return None
    lock = ExitStack()
    try:
        lock.enter_context(build_lock(data_dir))
    except ReleaseError:  # another build, or the server that published it, is at work
        return None
    staging = data_dir / "releases" / f".staging-{release.id}-dumps"
    try:
        clean_leftovers(data_dir / "releases")
        staging.mkdir()
        release.open_store().backup(str(staging / "store"))
    except BaseException as exc:
        shutil.rmtree(staging, ignore_errors=True)
        lock.close()
        if isinstance(exc, OSError):
            raise ReleaseError(f"release {release.id}: its store cannot be copied to write its dumps: {exc}") from exc
        raise
    progress(f"release {release.id} was served before its dumps and VoID were written; writing them now")
    return Finishing(settings, release, staging, lock)


def _write_dumps(store: ox.Store, folder: Path, graphs: list[str], minter: Minter
                 ) -> tuple[list[DumpFile], list[DumpFile], Statistics]:
    """Every dump part (each read back and compared with the store), the whole-graph files, and VoID's counts."""
    folder.mkdir()
    grouped = graphs_by_part(graphs, part_count(len(graphs)))
    graphs_read = GraphQuads(store)
    written = write_parts(graphs_read, folder, grouped, grouped)
    read_back(folder, written, part_tallies(graphs_read, grouped, grouped))
    parts = sorted(written, key=lambda f: (f.part_number, f.name))
    return parts, write_whole(folder, parts), Statistics.of(store, minter)


def _finish(f: Finishing, progress: Progress) -> Release:
    settings, staging, first = f.settings, f.staging, f.release
    minter = Minter(settings.base)
    graphs = sorted(first.graphs)
    progress(f"writing the dumps of {len(graphs)} graph(s) and VoID")
    parts, whole, stats = _write_dumps(ox.Store.read_only(str(staging / "store")), staging / "dumps", graphs, minter)
    for name in first.manifest["files"]:  # the vocabulary files, as the first release has them
        if name != "void.ttl" and not name.startswith("dumps/"):
            os.link(first.file(name), staging / name)
    created = datetime.now(timezone.utc)
    release_id = _release_id(created)
    void = describe(stats, minter, whole, [], release_id=release_id, created=created, licence=settings.licence,
                    title=FILES_TITLE, description=FILES_DESCRIPTION.format(graphs=len(graphs), quads=stats.triples))
    (staging / "void.ttl").write_text(void, "utf-8")
    known = {f"dumps/{d.name}": d for d in (*parts, *whole)}
    _write_manifest(staging, make_manifest(staging, release_id, created, settings, first.manifest["quads"], graphs,
                                       whole, parts, known))
    release = _switch_to(Path(settings.data_dir), staging, release_id)
    prune(Path(settings.data_dir) / "releases", settings.keep_releases, release.path)
    progress(f"published release {release_id}: the dumps and VoID are written")
    return release


def publish_files(specs: list[str], settings: Settings, progress: Progress = lambda _: None) -> Release:
    """Read the files and publish them, dumps and VoID included, as the current release of settings.data_dir."""
    return start_files(specs, settings, progress).finish(progress)
