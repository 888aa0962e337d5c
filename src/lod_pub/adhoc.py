"""Publish RDF files as they are: `lod-pub serve --data [GRAPH_IRI=]PATH` (repeatable).

    publish_files(specs, settings) -> Release

Each file is read with Oxigraph's strict parsers, its format taken from its extension:
    .ttl Turtle   .nt N-Triples   .nq N-Quads   .trig TriG   .rdf .owl .xml RDF/XML   .jsonld .json JSON-LD
Triples go into the named graph given before `=`, or else into one named after the file
({base}graph/data/{name}, lod_pub.iris); quads keep their own graph (those in the default graph go
where triples go). Relative IRIs resolve against that graph's IRI. Blank nodes are kept apart
between files. Nothing is fetched: a JSON-LD remote @context is an error, and so is an RDF/XML
document that declares entities (their expansion is how "billion laughs" documents work).
A parse error names the file, line and column, as a RecordError (exit code 1).

The release is written like a built one (store, dumps read back, VoID, manifest) and switched to
atomically, with the same pieces of lod_pub.release; it has no validation report, ontology or
shapes, as nothing was mapped or validated.
"""

from __future__ import annotations

import re
from pathlib import Path

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
ENTITY = re.compile(rb"<!ENTITY")


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


def _refuse_entities(path: Path) -> None:
    data = path.read_bytes()
    found = ENTITY.search(data)
    if found:
        line = data.count(b"\n", 0, found.start()) + 1
        column = found.start() - (data.rfind(b"\n", 0, found.start()) + 1) + 1
        raise RecordError([Problem(str(path), line, "", f"column {column}: the RDF/XML declares an entity; "
                                   "entity expansion is refused (expand it, or convert the file to Turtle)")])


def read_file(path: Path, graph: str) -> list[ox.Quad]:
    """The quads of one file, triples put in `graph`. Raises RecordError naming file, line, column."""
    fmt = EXTENSIONS.get(path.suffix.lower())
    if fmt is None:
        known = " ".join(sorted(EXTENSIONS))
        raise RecordError([Problem(str(path), None, "", f"unknown RDF format; known extensions: {known}")])
    if fmt == ox.RdfFormat.RDF_XML:
        _refuse_entities(path)
    target = ox.NamedNode(graph)
    try:
        return [q if not isinstance(q.graph_name, ox.DefaultGraph) else ox.Quad(q.subject, q.predicate, q.object, target)
                for q in ox.parse(path=str(path), format=fmt, base_iri=graph, rename_blank_nodes=True)]
    except SyntaxError as exc:
        message = exc.msg.split(": ", 1)[-1] if exc.lineno else exc.msg
        if "LoadDocumentCallback" in message:
            message = "a remote JSON-LD @context is not fetched; inline the context in the file"
        where = f"column {exc.offset}: " if exc.offset else ""
        raise RecordError([Problem(str(path), exc.lineno, "", where + message)]) from None
    except OSError as exc:
        raise RecordError([Problem(str(path), None, "", f"cannot be read: {exc}")]) from None


def read_files(specs: list[str], minter: Minter) -> list[ox.Quad]:
    quads: dict[ox.Quad, None] = {}
    taken: set[str] = set()
    problems: list[Problem] = []
    for spec in specs:
        try:
            graph, path = split_spec(spec)
            name = graph or str(minter.data_graph(slug_of(path, taken)))
            quads.update(dict.fromkeys(read_file(path, name)))
        except RecordError as exc:
            problems += exc.problems
    if problems:
        raise RecordError(problems)
    return list(quads)


def publish_files(specs: list[str], settings: Settings) -> Release:
    """Read the files and publish them as the current release of settings.data_dir."""
    minter = Minter(settings.base)
    quads = read_files(specs, minter)
    return publish(settings, lambda sink: ox.serialize(quads, sink, ox.RdfFormat.N_QUADS), sources=[]).release
