"""The build cache: what each article mapped to and how it validated, kept between builds.

An article's entry is keyed by everything its mapping and validation depend on: its record and
text, the entity register, the shapes, the code (the source of the modules that read, map and
validate, so an upgrade never reuses what older code made) and the base IRI. Change any of them and
the key changes, so a stale entry is never used; `lod-pub build` then re-maps and re-validates only
the articles whose key is new. Entries are written atomically (to a temporary name, then renamed),
so a killed build leaves no half-written entry behind.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict
from functools import lru_cache
from pathlib import Path

from . import __version__
from .sources import Corpus
from .validation import Result

FORMAT = "1"
#: The modules whose code decides what an article maps to and how it validates.
CODE = ("sources", "mapping", "validation.py", "iris.py", "vocab.py", "schema")


@lru_cache(maxsize=1)
def code_digest() -> str:
    root = Path(__file__).parent
    digest = hashlib.sha256(__version__.encode())
    for name in CODE:
        for path in sorted((root / name).rglob("*") if (root / name).is_dir() else [root / name]):
            if path.suffix in (".py", ".json"):
                digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


class Cache:
    def __init__(self, root: Path, base: str, shapes_digest: str):
        self.root = Path(root)
        self.base, self.shapes_digest = base, shapes_digest
        self.hits = self.misses = 0

    def keys(self, corpus: Corpus) -> dict[int, str]:
        common = hashlib.sha256()
        for part in (FORMAT, code_digest(), self.base, self.shapes_digest):
            common.update(part.encode("utf-8") + b"\0")
        common.update(corpus.register.path.read_bytes())
        keys = {}
        for i, article in enumerate(corpus.articles):
            digest = common.copy()
            digest.update(article.source.path.read_bytes() + b"\0" + article.text.encode("utf-8"))
            keys[i] = digest.hexdigest()
        return keys

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / key

    def get(self, key: str) -> tuple[Path, list[Result]] | None:
        """The entry's N-Quads file (read when it is written out, so entries are never all in memory)
        and its results; None when there is no whole entry."""
        path = self._path(key)
        try:
            results = [Result(**r) for r in json.loads(path.with_suffix(".json").read_text("utf-8"))]
            if not path.with_suffix(".nq").is_file():
                raise FileNotFoundError(path)
        except (OSError, ValueError, TypeError):
            self.misses += 1
            return None
        self.hits += 1
        return path.with_suffix(".nq"), results

    def put(self, key: str, nquads: bytes, results: list[Result]) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix, data in ((".nq", nquads), (".json", json.dumps([asdict(r) for r in results]).encode("utf-8"))):
            tmp = path.with_suffix(f"{suffix}.{os.getpid()}.tmp")
            tmp.write_bytes(data)
            os.replace(tmp, path.with_suffix(suffix))

    def retain(self, keys) -> int:
        """Remove every entry but those of keys (the current build's); returns how many went."""
        keep = set(keys)
        removed = 0
        for path in self.root.glob("*/*"):
            if path.name.split(".")[0] not in keep:
                path.unlink(missing_ok=True)
                removed += 1
        return removed
