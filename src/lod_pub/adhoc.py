"""Publish RDF files as they are: `lod-pub serve --data [GRAPH_IRI=]PATH` (repeatable).

    publish_files(specs, settings) -> Release

Each file is read with Oxigraph's strict parsers, its format taken from its extension:
    .ttl Turtle   .nt N-Triples   .nq N-Quads   .trig TriG   .rdf .owl .xml RDF/XML   .jsonld .json JSON-LD
Triples go into the named graph given before `=`, or else into one named after the file
({base}graph/data/{name}, lod_pub.iris); quads keep their own graph (those in the default graph go
where triples go). Relative IRIs resolve against that graph's IRI. Blank nodes are kept apart
between files. Nothing is fetched: a JSON-LD remote @context is an error, and so is an RDF/XML
document that declares entities (their expansion is how "billion laughs" documents work).
A parse error names the file, line and column, with the parser's reason and an excerpt of the
text there, each cut short (a long token, or a file of one long line, is never repeated whole), as a
RecordError (exit code 1).

Reading takes bounded memory, whatever the files' size: each file is parsed as a stream and loaded, a
batch of quads at a time, into a scratch store on disk (in a `.data-*` folder of the data folder,
removed afterwards), which also merges quads that several files hold; the release is written from
that store (lod_pub.release, which holds one named graph at a time: docs/web.md).

The release is written like a built one (store, dumps read back, VoID, manifest) and switched to
atomically, with the same pieces of lod_pub.release; it has no validation report, ontology or
shapes, as nothing was mapped or validated.
"""

from __future__ import annotations

import codecs
import re
import shutil
import tempfile
from itertools import islice
from pathlib import Path
from typing import Iterator

import pyoxigraph as ox

from .errors import IriError, Problem, RecordError
from .iris import Minter, check_iri
from .release import Release, publish
from .settings import Settings

EXTENSIONS = {
    ".ttl": ox.RdfFormat.TURTLE, ".turtle": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS, ".trig": ox.RdfFormat.TRIG, ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML, ".xml": ox.RdfFormat.RDF_XML, ".jsonld": ox.RdfFormat.JSON_LD,
    ".json": ox.RdfFormat.JSON_LD,
}
ENTITY = b"<!ENTITY"
BLOCK = 1 << 20    # bytes read at a time when a file is searched
BATCH = 20_000     # quads held in memory at a time while a file is loaded
REASON = 120       # most characters of a parser's reason that a problem repeats
EXCERPT = 60       # characters of the text around a parse error


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


# -- reading ---------------------------------------------------------------------------------------
def _format(path: Path) -> ox.RdfFormat:
    fmt = EXTENSIONS.get(path.suffix.lower())
    if fmt is None:
        known = " ".join(sorted(EXTENSIONS))
        raise RecordError([Problem(str(path), None, "", f"unknown RDF format; known extensions: {known}")])
    return fmt


def _quads(path: Path, fmt: ox.RdfFormat, graph: str) -> Iterator[ox.Quad]:
    target = ox.NamedNode(graph)
    for q in ox.parse(path=str(path), format=fmt, base_iri=graph, rename_blank_nodes=True):
        yield q if not isinstance(q.graph_name, ox.DefaultGraph) else ox.Quad(q.subject, q.predicate, q.object, target)


def load_file(path: Path, graph: str, store: ox.Store) -> None:
    """Load one file's quads into store, triples into `graph`, BATCH quads at a time.
    Raises RecordError naming file, line and column."""
    fmt = _format(path)
    if fmt == ox.RdfFormat.RDF_XML:
        _refuse_entities(path)
    quads = _quads(path, fmt, graph)
    try:
        while batch := list(islice(quads, BATCH)):
            store.bulk_extend(batch)
    except SyntaxError as exc:
        raise RecordError([_syntax_problem(path, exc)]) from None
    except OSError as exc:
        raise RecordError([Problem(str(path), None, "", f"cannot be read: {exc}")]) from None


def load_files(specs: list[str], minter: Minter, store: ox.Store) -> list[Problem]:
    """Load every file into store; the problems of all of them (none: every file was loaded)."""
    taken: set[str] = set()
    problems: list[Problem] = []
    for spec in specs:
        try:
            graph, path = split_spec(spec)
            load_file(path, graph or str(minter.data_graph(slug_of(path, taken))), store)
        except RecordError as exc:
            problems += exc.problems
    return problems


def publish_files(specs: list[str], settings: Settings) -> Release:
    """Read the files and publish them as the current release of settings.data_dir."""
    minter = Minter(settings.base)
    Path(settings.data_dir).mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=".data-", dir=settings.data_dir))
    try:
        return _publish_from(scratch, specs, settings, minter)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _publish_from(scratch: Path, specs: list[str], settings: Settings, minter: Minter) -> Release:
    held = [ox.Store(str(scratch))]  # the one lasting reference: cleared in `finally`, the store closes there,
    try:                             # before its folder is removed, even while an exception is on its way
        problems = load_files(specs, minter, held[0])
        if problems:
            raise RecordError(problems)
        return publish(settings, lambda sink: held[0].dump(sink, ox.RdfFormat.N_QUADS), sources=[]).release
    finally:
        held.clear()
