"""The build cache: what each article mapped to and how it validated, kept between builds.

An article's entry is keyed by everything its mapping and validation depend on: its record and
text, the entity register, the shapes, the code (the source of the modules that read, map and
validate, so an upgrade never reuses what older code made) and the base IRI. Change any of them and
the key changes, so a stale entry is never used; `lod-pub build` then re-maps and re-validates only
the articles whose key is new. Entries are written atomically (to a temporary name, then renamed),
so a killed build leaves no half-written entry behind.

The same keys name the graphs of a release in its ledger (release.py): a graph whose key is
unchanged since the current release is kept from it as it is.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from . import __version__
from .sources import Corpus
from .validation import Result

FORMAT = "2"
#: The modules whose code decides what an article maps to and how it validates.
CODE = ("sources", "mapping", "validation.py", "iris.py", "vocab.py", "cameo.py", "schema")
#: The modules (and data) whose code decides how a release writes its mapped quads.
RELEASE_CODE = ("cache.py", "release.py", "ledger.py", "dumps.py", "jsonld.py", "describe.py", "formats.py", "vocab.py", "data")


@lru_cache(maxsize=2)
def code_digest(names: tuple[str, ...] = CODE) -> str:
    root = Path(__file__).parent
    digest = hashlib.sha256(__version__.encode())
    for name in names:
        for path in sorted((root / name).rglob("*") if (root / name).is_dir() else [root / name]):
            if path.suffix in (".py", ".json", ".jsonld"):
                digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def keys(corpus: Corpus, base: str, shapes_digest: str) -> tuple[str, dict[int, str]]:
    """The register's key (what the shared entities graph depends on) and each article's key, from
    the digests of the files the reader read."""
    common = hashlib.sha256()
    for part in (FORMAT, code_digest(), base, shapes_digest, corpus.register.digest):
        common.update(part.encode("utf-8") + b"\0")
    register = common.hexdigest()
    return register, {i: hashlib.sha256(f"{register}\0{a.digest}".encode()).hexdigest()
                      for i, a in enumerate(corpus.articles)}


class Cache:
    def __init__(self, root: Path, keys: dict[int, str]):
        """root: the cache folder; keys: the key of each article, by index."""
        self.root = Path(root)
        self.keys = keys
        self.hits = self.misses = 0

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / key

    def get(self, index: int) -> tuple[Path, list[Result]] | None:
        """The article's entry: its N-Quads file (read when it is written out, so entries are never all
        in memory) and its results; None when there is no whole entry."""
        path = self._path(self.keys[index])
        try:
            results = [Result(**r) for r in json.loads(path.with_suffix(".json").read_text("utf-8"))]
            if not path.with_suffix(".nq").is_file():
                raise FileNotFoundError(path)
        except (OSError, ValueError, TypeError):
            self.misses += 1
            return None
        self.hits += 1
        return path.with_suffix(".nq"), results

    def put(self, index: int, nquads: bytes, results: list[Result]) -> None:
        path = self._path(self.keys[index])
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix, data in ((".nq", nquads), (".json", json.dumps([asdict(r) for r in results]).encode("utf-8"))):
            tmp = path.with_suffix(f"{suffix}.{os.getpid()}.tmp")
            tmp.write_bytes(data)
            os.replace(tmp, path.with_suffix(suffix))

    def retain(self) -> int:
        """Remove every entry but those of this build's keys; returns how many went."""
        keep = set(self.keys.values())
        removed = 0
        for path in self.root.glob("*/*"):
            if path.name.split(".")[0] not in keep:
                path.unlink(missing_ok=True)
                removed += 1
        return removed

    def forget(self, keys: Iterable[str]) -> None:
        """Remove the entries of keys (those a build replaced), without listing the whole cache."""
        for key in keys:
            for suffix in (".nq", ".json"):
                self._path(key).with_suffix(suffix).unlink(missing_ok=True)
