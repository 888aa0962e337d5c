"""Whole-graph dumps, written straight from the release's store, and every one read back.

Files (in a release's dumps/ folder), each also as NAME.gz:
    graph.nq      N-Quads: every quad with its named graph (the reference form)
    graph.trig    TriG: the same, readable
    graph.ttl     Turtle: the union of all graphs
    graph.nt      N-Triples: the union of all graphs
    graph.jsonld  JSON-LD: every named graph, compacted with the project's context (inlined)

Everything streams: nothing holds the graph in memory. Each plain dump is parsed back with Oxigraph's
strict parser and its quads compared with the release's (the mapped N-Quads the store was loaded
from), as an order-independent multiset hash (blank node labels aside) and a count; each .gz is
decompressed and compared byte for byte with its plain file. A dump that cannot be read back, or reads back to other quads, stops the release.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import multiprocessing
import shutil
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Iterable, Iterator

import pyoxigraph as ox

from .errors import ReleaseError
from .formats import BY_KEY, Format
from .vocab import PREFIXES, RDF, XSD

DUMPS: tuple[tuple[str, str], ...] = (
    ("graph.nq", "nquads"),
    ("graph.trig", "trig"),
    ("graph.ttl", "turtle"),
    ("graph.nt", "ntriples"),
    ("graph.jsonld", "jsonld"),
)
OX_FORMATS = {
    "nquads": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG, "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD, "rdfxml": ox.RdfFormat.RDF_XML,
}
CHUNK = 1 << 20
MASK = (1 << 64) - 1


@dataclass(frozen=True)
class DumpFile:
    name: str
    format: Format
    size: int
    sha256: str
    gzip: bool

    @property
    def media_type(self) -> str:
        return "application/gzip" if self.gzip else self.format.media_type

    def as_json(self) -> dict:
        return {"name": self.name, "format": self.format.key, "media_type": self.media_type,
                "encoding": "gzip" if self.gzip else None, "size": self.size, "sha256": self.sha256}


def context() -> dict:
    return json.loads(resources.files("lod_pub").joinpath("data/context.jsonld").read_text("utf-8"))


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


class Tally:
    """An order-independent fingerprint of a multiset of quads or triples: count and sum of hashes."""

    def __init__(self) -> None:
        self.count, self.total = 0, 0

    def add(self, item) -> None:
        self.count += 1
        self.total = (self.total + hash(masked(item))) & MASK

    def __eq__(self, other) -> bool:
        return isinstance(other, Tally) and (self.count, self.total) == (other.count, other.total)

    def __repr__(self) -> str:
        return f"Tally({self.count} items)"


# -- compacted JSON-LD, streamed -----------------------------------------------------------------
class JsonLdCompactor:
    """Writes quads as JSON-LD compacted with the project's context, one node object at a time.

    Oxigraph writes only expanded JSON-LD and rdflib's compaction holds the whole graph in memory;
    this writer needs neither. Keys read like schema.org ("name", "startDate") through @vocab,
    other vocabularies by their prefixes, and strings in English need no value object (@language)."""

    def __init__(self, ctx: dict):
        self.ctx = ctx["@context"]
        self.vocab = self.ctx["@vocab"]
        self.language = self.ctx.get("@language")
        self.prefixes = sorted(((v, k) for k, v in self.ctx.items() if not k.startswith("@") and isinstance(v, str)
                                and k != "schema"), key=lambda kv: -len(kv[0]))

    def term(self, iri: str) -> str:
        if iri.startswith(self.vocab) and iri[len(self.vocab):].isidentifier():
            return iri[len(self.vocab):]
        for ns, prefix in self.prefixes:
            if iri.startswith(ns) and iri[len(ns):]:
                return f"{prefix}:{iri[len(ns):]}"
        return iri

    def value(self, term) -> object:
        if isinstance(term, ox.NamedNode):
            return {"@id": term.value}
        if isinstance(term, ox.BlankNode):
            return {"@id": f"_:{term.value}"}
        if term.language:
            return term.value if term.language == self.language else {"@value": term.value, "@language": term.language}
        datatype = term.datatype.value
        if datatype == str(XSD.string):  # a value object with no @language: a plain string, whatever the default
            return {"@value": term.value}
        if datatype == str(XSD.integer) and term.value.lstrip("-").isdigit() and str(int(term.value)) == term.value:
            return int(term.value)
        return {"@type": self.term(datatype), "@value": term.value}

    def node(self, subject, pairs: list) -> dict:
        """One node object. @type comes first, then @id: the order Oxigraph's streaming JSON-LD parser
        (and any other streaming reader) needs to read the dump back in constant memory."""
        types = [self.term(v.value) for p, v in pairs if p.value == str(RDF.type) and isinstance(v, ox.NamedNode)]
        obj: dict = {"@type": types} if types else {}
        obj["@id"] = subject.value if isinstance(subject, ox.NamedNode) else f"_:{subject.value}"
        for predicate, value in pairs:
            if not (predicate.value == str(RDF.type) and isinstance(value, ox.NamedNode)):
                obj.setdefault(self.term(predicate.value), []).append(self.value(value))
        return {k: (v[0] if isinstance(v, list) and len(v) == 1 else v) for k, v in obj.items()}

    def write(self, quads: Iterable[ox.Quad], out) -> None:
        """quads must come grouped by graph, then by subject (as Oxigraph's GSPO order gives them)."""
        out.write(b'{\n"@context": ' + json.dumps(self.ctx, indent=1).encode() + b',\n"@graph": [')
        graph = subject = None
        pairs: list = []
        first_graph = True

        def flush(first: bool) -> None:
            if subject is not None:
                out.write((b"\n" if first else b",\n") + json.dumps(self.node(subject, pairs), ensure_ascii=False).encode())

        first_node = True
        for q in quads:
            if q.graph_name != graph:
                flush(first_node)
                if graph is not None:
                    out.write(b"\n]}")
                out.write((b"\n" if first_graph else b",\n") + b'{"@id": ' + json.dumps(q.graph_name.value).encode()
                          + b', "@graph": [')
                graph, subject, pairs, first_graph, first_node = q.graph_name, None, [], False, True
            if q.subject != subject:
                if subject is not None:
                    flush(first_node)
                    first_node = False
                subject, pairs = q.subject, []
            pairs.append((q.predicate, q.object))
        flush(first_node)
        if graph is not None:
            out.write(b"\n]}")
        out.write(b"\n]\n}\n")


def _graph_ordered(store: ox.Store) -> Iterator[ox.Quad]:
    for graph in sorted(store.named_graphs(), key=lambda g: g.value):
        yield from store.quads_for_pattern(None, None, None, graph)


# -- writing and reading back --------------------------------------------------------------------
def _write_one(store: ox.Store, key: str, path: Path) -> None:
    """Oxigraph's own writers where they fit (they run outside the GIL); ours for compacted JSON-LD."""
    if key == "jsonld":
        with path.open("wb") as out:
            JsonLdCompactor(context()).write(_graph_ordered(store), out)
    elif OX_FORMATS[key].supports_datasets:
        store.dump(str(path), OX_FORMATS[key], prefixes=PREFIXES)
    else:  # the union of all graphs: each graph in turn, one triple per quad, prefixes declared once
        with path.open("wb") as out:
            for i, graph in enumerate(sorted(store.named_graphs(), key=lambda g: g.value)):
                data = store.dump(None, OX_FORMATS[key], from_graph=graph, prefixes=PREFIXES)
                out.write(data if i == 0 else _without_prefixes(data))
    _gzip(path)


def _without_prefixes(turtle: bytes) -> bytes:
    """A Turtle document less its leading @prefix lines (the first document of the file declared them)."""
    start = 0
    while turtle.startswith(b"@prefix ", start):
        start = turtle.index(b"\n", start) + 1
    return turtle[start:]


def _gzip(path: Path) -> Path:
    target = path.with_name(path.name + ".gz")
    with path.open("rb") as src, gzip.GzipFile(target, "wb", compresslevel=6, mtime=0) as dst:
        shutil.copyfileobj(src, dst, CHUNK)
    return target


def tallies_of(nquads: Path) -> tuple[Tally, Tally]:
    """(quads, triples) tallies of an N-Quads file, in one pass."""
    quads, triples = Tally(), Tally()
    for q in ox.parse(path=str(nquads), format=ox.RdfFormat.N_QUADS):
        quads.add(q)
        triples.add(q.triple)
    return quads, triples


def write_dumps(store: ox.Store, folder: Path) -> list[DumpFile]:
    """Write every dump and its .gz from the store, two at a time."""
    folder.mkdir(parents=True, exist_ok=True)
    with ThreadPoolExecutor(max_workers=2) as pool:
        for future in [pool.submit(_write_one, store, key, folder / name) for name, key in DUMPS]:
            future.result()
    files = []
    for name, key in DUMPS:
        for fname, zipped in ((name, False), (f"{name}.gz", True)):
            path = folder / fname
            files.append(DumpFile(fname, BY_KEY[key], path.stat().st_size, sha256_of(path), zipped))
    return files


def _same_bytes(plain: Path, zipped: Path) -> bool:
    with plain.open("rb") as a, gzip.open(zipped, "rb") as b:
        while True:
            x, y = a.read(CHUNK), b.read(CHUNK)
            if x != y:
                return False
            if not x:
                return True


def _read_back(folder: Path, name: str, key: str) -> tuple[int, int] | str:
    """(count, total) of one dump's tally, read back; or why it cannot be read or unzipped."""
    fmt = OX_FORMATS[key]
    parser = ox.RdfFormat.STREAMING_JSON_LD if key == "jsonld" else fmt
    got = Tally()
    try:
        for q in ox.parse(path=str(folder / name), format=parser):
            got.add(q if fmt.supports_datasets else q.triple)
    except (SyntaxError, ValueError, OSError) as exc:
        return f"dump {name} cannot be read back: {exc}"
    try:
        if not _same_bytes(folder / name, folder / f"{name}.gz"):
            return f"dump {name}.gz does not decompress to {name}"
    except (OSError, EOFError) as exc:
        return f"dump {name}.gz cannot be read back: {exc}"
    return got.count, got.total


def parse_back(folder: Path, quads: Tally, triples: Tally, workers: int = 2) -> None:
    """Read every dump back and compare it with the release's quads (or, for the union formats, their
    triples). Raises ReleaseError. The dumps are read in forked processes, which share this process's
    string hashing, so their tallies compare with ours."""
    jobs = [(folder, name, key) for name, key in DUMPS]
    if workers > 1:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            outcomes = pool.starmap(_read_back, jobs)
    else:
        outcomes = [_read_back(*job) for job in jobs]
    for (_, name, key), outcome in zip(jobs, outcomes):
        if isinstance(outcome, str):
            raise ReleaseError(outcome)
        expected = quads if OX_FORMATS[key].supports_datasets else triples
        if outcome != (expected.count, expected.total):
            raise ReleaseError(f"dump {name} does not read back to the release's quads "
                               f"({outcome[0]} read, {expected.count} expected)")


def masked(item: ox.Quad | ox.Triple) -> str:
    """A quad's or triple's N-Quads form with blank node labels blanked: stores and JSON-LD parsers
    relabel blank nodes, so only the rest can be compared without canonicalising the whole graph."""
    terms = [item.subject, item.predicate, item.object]
    if isinstance(item, ox.Quad):
        terms.append(item.graph_name)
    return " ".join("_:" if isinstance(t, ox.BlankNode) else str(t) for t in terms)
