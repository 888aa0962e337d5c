"""The ledger of a release: what it holds graph by graph, so that the next build can start from it.

ledger.json, in every release built from records:
    identity  a digest of what, besides the records, decides a release's bytes: the code that reads,
              maps, validates and writes, the base IRI, the shapes, the Oxigraph version
    parts     how many parts the dumps are written in
    graphs    one line a named graph, "IRI key quads": the key the graph was mapped under (cache.keys:
              it names the record, text, register, shapes and code the graph came from) and its number
              of quads (one string: a hundred thousand lines read and write in a blink)
    results   {graph IRI: [result, ...]}: the validation results of the graphs that have any
    void      the dataset's statistics (describe.Statistics)

A build whose identity and part count are those of the current release's ledger keeps every graph
whose key is unchanged: its quads stay in the store, its dump parts and its validation results stay.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import NamedTuple, TypedDict

import pyoxigraph as ox

from .cache import CODE, RELEASE_CODE, code_digest
from .describe import StatisticsJson
from .validation import Result

LEDGER = "ledger.json"
FORMAT = 2


def identity(base: str, shapes_digest: str) -> str:
    digest = hashlib.sha256()
    for part in (str(FORMAT), code_digest(CODE), code_digest(RELEASE_CODE), base, shapes_digest, ox.__version__):
        digest.update(part.encode("utf-8") + b"\0")
    return digest.hexdigest()


class Entry(NamedTuple):
    key: str
    quads: int
    results: tuple[Result, ...] = ()


class ExportEntry(TypedDict):
    """What a release holds of one event export (by its graph): its node, file and counts, as checked when
    its graph was loaded, and its quarantined rows as lines of the release's quarantine.tsv."""

    export: str
    file: str
    rows: int
    published: int
    quarantined: int
    quarantine: list[str]


@dataclass
class Ledger:
    identity: str
    parts: int
    graphs: dict[str, Entry]
    void: StatisticsJson
    exports: dict[str, ExportEntry] | None = None  # None: a ledger written before it kept them

    def write(self, path: Path) -> None:
        graphs = "".join(f"{iri} {e.key} {e.quads}\n" for iri, e in self.graphs.items())
        results = {iri: [asdict(r) for r in e.results] for iri, e in self.graphs.items() if e.results}
        data = {"format": FORMAT, "identity": self.identity, "parts": self.parts, "void": self.void,
                "results": results, "graphs": graphs, "exports": self.exports}
        with path.open("w", encoding="utf-8") as f:
            f.write(json.dumps(data, separators=(",", ":")))  # json.dumps: the C encoder, in one go
            f.flush()
            os.fsync(f.fileno())


def read_ledger(release_path: Path) -> Ledger | None:
    """The ledger of a release, or None when it has none that this code can read."""
    try:
        data = json.loads((release_path / LEDGER).read_text("utf-8"))
        if data.get("format") != FORMAT:
            return None
        results = {iri: tuple(Result(**r) for r in listed) for iri, listed in data["results"].items()}
        graphs = {}
        for line in data["graphs"].splitlines():
            iri, key, quads = line.split(" ")
            graphs[iri] = Entry(key, int(quads), results.get(iri, ()))
        return Ledger(data["identity"], data["parts"], graphs, data["void"], data.get("exports"))
    except (OSError, ValueError, TypeError, KeyError):
        return None
