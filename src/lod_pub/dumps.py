"""Whole-graph dumps: write them from the release's quads, gzip them, and read every one back.

Files (in a release's dumps/ folder), each also as NAME.gz:
    graph.nq      N-Quads: every quad with its named graph (the reference form)
    graph.trig    TriG: the same, readable
    graph.ttl     Turtle: the union of all graphs
    graph.nt      N-Triples: the union of all graphs
    graph.jsonld  JSON-LD: every named graph, compacted with the project's context (inlined)

Parsing back uses Oxigraph's strict parsers and compares canonicalized (RDFC-1.0) datasets, so a
dump that an RDF library can write but not read back, or that lost or changed a triple, stops the
release.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset

from .errors import ReleaseError
from .formats import BY_KEY, Format
from .vocab import PREFIXES

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


def _triples(quads: list[ox.Quad]) -> list[ox.Triple]:
    return [q.triple for q in quads]


def _write_jsonld(quads: list[ox.Quad], path: Path) -> None:
    """Compacted JSON-LD, via rdflib (Oxigraph writes expanded JSON-LD only)."""
    nquads = ox.serialize(quads, format=ox.RdfFormat.N_QUADS)
    ds = Dataset()
    ds.parse(data=nquads.decode("utf-8"), format="nquads")
    ctx = context()["@context"]
    path.write_text(ds.serialize(format="json-ld", context=ctx, auto_compact=True, indent=1), "utf-8")


def write_dumps(quads: list[ox.Quad], folder: Path) -> list[DumpFile]:
    folder.mkdir(parents=True, exist_ok=True)
    quads = sorted(quads, key=str)  # same data, same bytes: rebuilds are reproducible
    for name, key in DUMPS:
        path = folder / name
        if key == "jsonld":
            _write_jsonld(quads, path)
        elif OX_FORMATS[key].supports_datasets:
            ox.serialize(quads, str(path), OX_FORMATS[key], prefixes=PREFIXES)
        else:
            ox.serialize(_triples(quads), str(path), OX_FORMATS[key], prefixes=PREFIXES)
        with path.open("rb") as src, gzip.GzipFile(folder / f"{name}.gz", "wb", mtime=0) as dst:
            shutil.copyfileobj(src, dst, CHUNK)
    files = []
    for name, key in DUMPS:
        for fname, zipped in ((name, False), (f"{name}.gz", True)):
            path = folder / fname
            files.append(DumpFile(fname, BY_KEY[key], path.stat().st_size, sha256_of(path), zipped))
    return files


def _canonical(quads, as_triples: bool) -> set[str]:
    ds = ox.Dataset()
    for q in quads:
        ds.add(ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()) if as_triples else q)
    ds.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return {str(q) for q in ds}


def same_quads(expected: list[ox.Quad], got) -> bool:
    """True when got holds exactly the quads of expected, blank node labels aside."""
    return _canonical(expected, False) == _canonical(got, False)


def parse_back(quads: list[ox.Quad], folder: Path) -> None:
    """Read every dump (plain and gzipped) back and compare it with quads. Raises ReleaseError."""
    expected = {False: _canonical(quads, False), True: _canonical(quads, True)}
    for name, key in DUMPS:
        fmt = OX_FORMATS[key]
        for fname in (name, f"{name}.gz"):
            path = folder / fname
            try:
                opener = gzip.open if fname.endswith(".gz") else open
                with opener(path, "rb") as f:
                    parsed = list(ox.parse(f, fmt))
            except (SyntaxError, ValueError, OSError) as exc:
                raise ReleaseError(f"dump {fname} cannot be read back: {exc}") from exc
            got = _canonical(parsed, not fmt.supports_datasets)
            if got != expected[not fmt.supports_datasets]:
                missing = len(expected[not fmt.supports_datasets] - got)
                extra = len(got - expected[not fmt.supports_datasets])
                raise ReleaseError(f"dump {fname} does not read back to the same graph ({missing} missing, {extra} extra)")
