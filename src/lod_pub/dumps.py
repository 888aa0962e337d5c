"""Whole-graph dumps in five formats, written in parts so that a build rewrites only what changed.

A release's dumps/ folder:
    graph.nq.gz      N-Quads: every quad with its named graph (the reference form)
    graph.trig.gz    TriG: the same, readable
    graph.ttl.gz     Turtle: the union of all graphs
    graph.nt.gz      N-Triples: the union of all graphs
    graph.jsonld.gz  JSON-LD: every named graph, compacted with the project's context (inlined; lod_pub.jsonld)
    parts/NNNN.{nq,trig,ttl,nt,jsonld}.gz   the same, one part of the graphs in each

Every named graph belongs to one part, chosen by a stable hash of its IRI; the number of parts is a
power of two that grows with the number of graphs (64 to 128 graphs a part). A part file is a whole
document in three gzip members: the format's head (Turtle and TriG prefixes, the JSON-LD context and
`"@graph": [`), the body (the part's graphs, in IRI order), the tail (JSON-LD's closing brackets).
Gzip members concatenate, so a whole-graph file is the head, each part's body member in turn
(separated by a comma member in JSON-LD) and the tail: copied bytes, never compressed twice. A build
that changes one article rewrites one part of each format and copies the rest by hard link from the
release before.

Every part written is read back with Oxigraph's strict parser (its members checked one by one) and its
quads compared with the store's quads of the part's graphs, as an order-independent multiset hash
(blank node labels aside) and a count. A part that cannot be read back, or reads back to other quads,
stops the release. Nothing holds more than a part at a time (two, with two threads) in memory.
"""

from __future__ import annotations

import gzip
import hashlib
import multiprocessing
import os
import re
import zlib
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Iterable, Iterator

import pyoxigraph as ox

from .errors import ReleaseError
from .formats import BY_KEY, NQUADS, NTRIPLES, TURTLE, Format
from .jsonld import Compactor, context
from .published import DumpEntry
from .vocab import PREFIXES

#: The formats of the dumps, in the order they are listed.
KEYS = ("nquads", "trig", "turtle", "ntriples", "jsonld")
MASK = (1 << 64) - 1
GRAPHS_PER_PART = 64
MAX_PARTS = 4096


@dataclass(frozen=True)
class DumpFile:
    """A gzipped dump: the whole graph, or one part of it (then with the byte range of its body member)."""

    name: str
    format: Format
    size: int
    sha256: str
    part: int | None = None
    body: tuple[int, int] | None = None

    media_type = "application/gzip"
    gzip = True

    @property
    def part_number(self) -> int:
        """The part a part file holds; ValueError for a whole-graph file."""
        if self.part is None:
            raise ValueError(f"dump {self.name} is a whole-graph file, not a part")
        return self.part

    @property
    def body_range(self) -> tuple[int, int]:
        """The byte range of a part file's body member; ValueError for a whole-graph file."""
        if self.body is None:
            raise ValueError(f"dump {self.name} is a whole-graph file: it has no body member of its own")
        return self.body

    def as_json(self) -> DumpEntry:
        meta: DumpEntry = {"name": self.name, "format": self.format.key, "media_type": self.media_type,
                           "encoding": "gzip", "size": self.size, "sha256": self.sha256}
        if self.part is not None:
            meta["part"] = self.part
            meta["body"] = list(self.body_range)
        return meta

    @classmethod
    def from_json(cls, meta: DumpEntry) -> "DumpFile":
        listed = meta.get("body")
        body = (listed[0], listed[1]) if listed else None
        return cls(meta["name"], BY_KEY[meta["format"]], meta["size"], meta["sha256"], meta.get("part"), body)


def whole_name(key: str) -> str:
    return f"graph.{BY_KEY[key].extension}.gz"


def part_name(key: str, part: int) -> str:
    return f"parts/{part:04d}.{BY_KEY[key].extension}.gz"


def part_count(graphs: int) -> int:
    """A power of two near graphs / GRAPHS_PER_PART, at least 1 and at most MAX_PARTS."""
    count = 1
    while count * 2 * GRAPHS_PER_PART <= graphs and count < MAX_PARTS:
        count *= 2
    return count


def part_of(graph: str, parts: int) -> int:
    """The part a named graph's quads are dumped in: a stable hash of its IRI."""
    return int.from_bytes(hashlib.sha256(graph.encode("utf-8")).digest()[:8], "big") % parts


class Tally:
    """An order-independent fingerprint of a multiset of quads or triples: count and sum of hashes.
    Tallies add up: the tally of a union of multisets is the sum of theirs."""

    def __init__(self, count: int = 0, total: int = 0) -> None:
        self.count, self.total = count, total

    def add(self, item: ox.Quad | ox.Triple) -> None:
        self.count += 1
        self.total = (self.total + hash(masked(item))) & MASK

    def __add__(self, other: "Tally") -> "Tally":
        return Tally(self.count + other.count, (self.total + other.total) & MASK)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Tally) and (self.count, self.total) == (other.count, other.total)

    def __repr__(self) -> str:
        return f"Tally({self.count} items)"


class GraphQuads:
    """The quads of a store's named graphs, as a build reads them: to check the store, to write the dumps,
    to tally a dump part's graphs for its read-back and to update VoID. Reading is the store's dearest step
    (about 6 µs a quad: 0.4 s for an export's 65,000, which Oxigraph writes again in 0.02 s), so a graph is
    tallied as it is read (its tallies kept: two numbers), and the graphs held (a build's changed graphs) are
    kept once read; any other graph is read again when its quads are asked for again."""

    def __init__(self, store: ox.Store, hold: Iterable[str] = ()):
        self.store = store
        self.hold = frozenset(hold)
        self._quads: dict[str, list[ox.Quad]] = {}
        self._tallies: dict[str, tuple[Tally, Tally]] = {}

    def quads(self, iri: str) -> list[ox.Quad]:
        """The graph's quads, in the store's order."""
        if iri in self._quads:
            return self._quads[iri]
        quads = list(self.store.quads_for_pattern(None, None, None, ox.NamedNode(iri)))
        if iri not in self._tallies:
            of_quads, of_triples = Tally(), Tally()
            for q in quads:
                of_quads.add(q)
                of_triples.add(q.triple)
            self._tallies[iri] = (of_quads, of_triples)
        if iri in self.hold:
            self._quads[iri] = quads
        return quads

    def tallies(self, iri: str) -> tuple[Tally, Tally]:
        """The (quads, triples) tallies of the graph."""
        if iri not in self._tallies:
            self.quads(iri)
        return self._tallies[iri]


# -- the files of each format ---------------------------------------------------------------------
@dataclass(frozen=True)
class Syntax:
    """What a file of one format holds around its graphs, and between the graphs of two parts."""

    head: bytes
    separator: bytes
    tail: bytes


@cache
def syntax(key: str) -> Syntax:
    if key in ("turtle", "trig"):
        return Syntax("".join(f"@prefix {name}: <{iri}> .\n" for name, iri in PREFIXES.items()).encode(), b"", b"")
    if key == "jsonld":
        compactor = Compactor(context())
        return Syntax(compactor.head(), compactor.SEPARATOR, compactor.TAIL)
    return Syntax(b"", b"", b"")


def graphs_by_part(graphs: Iterable[str], parts: int) -> dict[int, list[str]]:
    """Part -> its named graphs in IRI order (only parts that hold a graph)."""
    grouped: dict[int, list[str]] = {}
    for graph in sorted(graphs):
        grouped.setdefault(part_of(graph, parts), []).append(graph)
    return grouped


def _bodies(graphs: GraphQuads, names: list[str]) -> dict[str, bytes]:
    """Each format's body for these named graphs, in the order given, from each graph's quads read once
    (Oxigraph's writers for the line and Turtle formats, ours for compacted JSON-LD). The union formats hold
    each graph in turn, one triple per quad."""
    out: dict[str, list[bytes]] = {key: [] for key in KEYS}
    compactor = Compactor(context())
    for iri in names:
        graph = ox.NamedNode(iri)
        name = str(graph).encode()
        quads = graphs.quads(iri)
        triples = canonical_triples(quads, graph)
        if triples is None:
            triples = [q.triple for q in quads]
        else:
            quads = [ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples]
        nt = _dumped(ox.serialize(triples, format=NTRIPLES.rdf_format))
        ttl = _without_prefixes(_dumped(ox.serialize(triples, format=TURTLE.rdf_format, prefixes=PREFIXES)))
        out["ntriples"].append(nt)
        out["nquads"].append(nt.replace(b" .\n", b" " + name + b" .\n"))  # literals escape their line ends
        out["turtle"].append(ttl)
        out["trig"].append(name + b" {\n" + ttl + b"}\n")
        out["jsonld"].append(compactor.graph(iri, quads))
    return {key: syntax(key).separator.join(bodies) for key, bodies in out.items()}


def _has_blank(q: ox.Quad | ox.Triple) -> bool:
    return isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode)


def canonical_triples(quads: list[ox.Quad], graph: ox.NamedNode) -> list[ox.Triple] | None:
    """A named graph's triples (its quads in the store's order) with blank node labels that depend on the data
    alone, or None when it has no blank node (the store's own order is then already stable). The store gives
    blank nodes new labels at every load, so without this two builds of the same data would write different
    dumps. Labels come from RDF canonicalization (pyoxigraph's, stable for one pyoxigraph version) of the
    triples that name a blank node (the only ones a canonical label depends on), prefixed with a hash of the
    graph's IRI: blank nodes never span graphs, and their labels must not meet in a whole-graph file either.
    The triples without a blank node come first, in the store's order; then those with one, sorted, so that
    their order is as stable as their labels."""
    blank = [q for q in quads if _has_blank(q)]
    if not blank:
        return None
    dataset = ox.Dataset(blank)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    prefix = "g" + hashlib.sha1(graph.value.encode("utf-8")).hexdigest()[:12]
    labels: dict[ox.BlankNode, ox.BlankNode] = {}

    def label(term: ox.BlankNode) -> ox.BlankNode:
        if term not in labels:
            labels[term] = ox.BlankNode(prefix + term.value)
        return labels[term]

    def relabel(term: Any) -> Any:
        return label(term) if isinstance(term, ox.BlankNode) else term

    labelled = [ox.Triple(relabel(q.subject), q.predicate, relabel(q.object)) for q in dataset]
    labelled.sort(key=str)
    return [q.triple for q in quads if not _has_blank(q)] + labelled


def _dumped(data: bytes | None) -> bytes:
    """What Store.dump returns with no output given: the bytes (None only when it wrote to an output)."""
    assert data is not None, "Store.dump with no output returns the bytes"
    return data


def _without_prefixes(turtle: bytes) -> bytes:
    """A Turtle document less its leading @prefix lines (the file's head declares them once)."""
    start = 0
    while turtle.startswith(b"@prefix ", start):
        start = turtle.index(b"\n", start) + 1
    return turtle[start:]


def _member(data: bytes) -> bytes:
    """One gzip member (no time stamp: the same bytes give the same member), or nothing for nothing."""
    return gzip.compress(data, compresslevel=6, mtime=0) if data else b""


@contextmanager
def _writing(path: Path) -> Iterator[None]:
    """An OSError while writing names the file (a full disk fails writes that name none)."""
    try:
        yield
    except OSError as exc:
        if exc.filename:
            raise
        raise OSError(exc.errno, exc.strerror or str(exc), str(path)) from None


def _write_file(path: Path, data: bytes) -> None:
    with _writing(path):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def _write_part(graphs: GraphQuads, folder: Path, part: int, names: list[str]) -> list[DumpFile]:
    files = []
    for key, body in _bodies(graphs, names).items():
        head, member, tail = _member(syntax(key).head), _member(body), _member(syntax(key).tail)
        data = head + member + tail
        name = part_name(key, part)
        _write_file(folder / name, data)
        files.append(DumpFile(name, BY_KEY[key], len(data), hashlib.sha256(data).hexdigest(), part,
                              (len(head), len(head) + len(member))))
    return files


# -- writing, linking, joining --------------------------------------------------------------------
def write_parts(graphs: GraphQuads, folder: Path, grouped: dict[int, list[str]], which: Iterable[int]) -> list[DumpFile]:
    """Write the files of the given parts from the store's graphs, two parts at a time."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        written = pool.map(lambda part: _write_part(graphs, folder, part, grouped[part]), sorted(which))
        return [f for files in written for f in files]


def link_parts(previous: Path, folder: Path, files: Iterable[DumpFile]) -> list[DumpFile]:
    """Hard-link the files of unchanged parts from the previous release's dumps folder (releases
    are never edited, so the link is as good as a copy, and costs nothing)."""
    linked = []
    for f in files:
        target = folder / f.name
        target.parent.mkdir(parents=True, exist_ok=True)
        os.link(previous / f.name, target)
        if target.stat().st_size != f.size:
            raise ReleaseError(f"dump {f.name} of the previous release is not the size its manifest says")
        linked.append(f)
    return linked


def _join(folder: Path, key: str, parts: list[DumpFile]) -> DumpFile:
    syn, name = syntax(key), whole_name(key)
    digest, size = hashlib.sha256(), 0
    with _writing(folder / name), (folder / name).open("wb") as out:
        def put(data: bytes) -> None:
            nonlocal size
            out.write(data)
            digest.update(data)
            size += len(data)

        put(_member(syn.head))
        for i, part in enumerate(sorted(parts, key=lambda p: p.part_number)):
            if i:
                put(_member(syn.separator))
            start, end = part.body_range
            with (folder / part.name).open("rb") as f:
                f.seek(start)
                put(f.read(end - start))
        put(_member(syn.tail))
    return DumpFile(name, BY_KEY[key], size, digest.hexdigest())


def write_whole(folder: Path, parts: list[DumpFile]) -> list[DumpFile]:
    """Each format's whole-graph file: its head, the body member of every part, its tail."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        return list(pool.map(lambda key: _join(folder, key, [p for p in parts if p.format.key == key]), KEYS))


# -- reading back ---------------------------------------------------------------------------------
def part_tallies(graphs: GraphQuads, grouped: dict[int, list[str]], which: Iterable[int]
                 ) -> dict[int, tuple[Tally, Tally]]:
    """(quads, triples) tallies of the store's quads in the graphs of each given part."""
    tallies: dict[int, tuple[Tally, Tally]] = {}
    for part in which:
        quads, triples = Tally(), Tally()
        for iri in grouped[part]:
            of_graph = graphs.tallies(iri)
            quads, triples = quads + of_graph[0], triples + of_graph[1]
        tallies[part] = (quads, triples)
    return tallies


def tally_of(nquads: Path) -> Tally:
    """The quads tally of an N-Quads file."""
    quads = Tally()
    for q in ox.parse(path=str(nquads), format=NQUADS.rdf_format):
        quads.add(q)
    return quads


def _read_part(path: Path, key: str, body: tuple[int, int]) -> tuple[int, int] | str:
    """(count, total) of one part file's tally, read back; or why it cannot be read or unzipped."""
    syn = syntax(key)
    try:
        data = path.read_bytes()
        head, text, tail = (gzip.decompress(m) if m else b"" for m in (data[:body[0]], data[body[0]:body[1]],
                                                                         data[body[1]:]))
    except (OSError, EOFError, zlib.error, gzip.BadGzipFile) as exc:
        return f"dump {path.name} cannot be unzipped: {exc}"
    if (head, tail) != (syn.head, syn.tail):
        return f"dump {path.name}: its first or last gzip member is not the {key} head or tail"
    fmt = BY_KEY[key].rdf_format
    # JSON-LD is read back with Oxigraph's streaming parser, which the writer's node order (@type, then @id) allows
    reader = ox.RdfFormat.STREAMING_JSON_LD if fmt == ox.RdfFormat.JSON_LD else fmt
    got = Tally()
    try:
        for q in ox.parse(head + text + tail, format=reader):
            got.add(q if fmt.supports_datasets else q.triple)
    except (SyntaxError, ValueError) as exc:
        return f"dump {path.name} cannot be read back: {exc}"
    return got.count, got.total


FORK_AT = 1 << 20  # bytes of gzipped dump files (about 40,000 quads of N-Quads) worth a forked reader


def read_back(folder: Path, files: list[DumpFile], expected: dict[int, tuple[Tally, Tally]], workers: int = 2) -> None:
    """Read every given part file back and compare it with the store's quads of its graphs (or, for
    the union formats, their triples). Raises ReleaseError. Many files are read in forked processes,
    which share this process's string hashing, so their tallies compare with ours."""
    jobs = [(folder / f.name, f.format.key, f.body_range) for f in files]
    # a process of its own pays when there is much to read: several parts, or one large part's formats
    if workers > 1 and (len(jobs) > len(KEYS) or (len(jobs) > 1 and sum(f.size for f in files) >= FORK_AT)):
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            outcomes = pool.starmap(_read_part, jobs, chunksize=max(1, len(jobs) // (8 * workers)))
    else:
        outcomes = [_read_part(*job) for job in jobs]
    for f, outcome in zip(files, outcomes):
        if isinstance(outcome, str):
            raise ReleaseError(outcome)
        quads, triples = expected[f.part_number]
        want = quads if f.format.rdf_format.supports_datasets else triples
        if outcome != (want.count, want.total):
            raise ReleaseError(f"dump {f.name} does not read back to the store's quads of its graphs "
                               f"({outcome[0]} read, {want.count} expected)")

_BLANK_LABEL = re.compile(r"_:\S*")


def masked(item: ox.Quad | ox.Triple) -> str:
    """A quad's or triple's N-Quads form with blank node labels blanked: stores and JSON-LD parsers
    relabel blank nodes, so only the rest can be compared without canonicalising the whole graph.
    (Oxigraph writes the line; a literal's own text that looks like a label is blanked alike on both
    sides of a comparison, which compare the same quads.)"""
    text = str(item)
    return _BLANK_LABEL.sub("_:", text) if "_:" in text else text
