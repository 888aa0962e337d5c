"""Published releases, as readers see them: the manifest, the files, the store, the `current` pointer.

The web reads releases through this module alone, so it never loads the pipeline that writes them. The
release builder reads the previous release here too, and checksums files with sha256_of.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import NotRequired, TypedDict

import pyoxigraph as ox

from .errors import ReleaseError
from .store.embedded import open_store

MANIFEST = "manifest.json"
FORMAT_VERSION = 1
CHUNK = 1 << 20


class FileEntry(TypedDict):
    """A file of the release, in the manifest's `files`."""

    size: int
    sha256: str


class DumpEntry(TypedDict):
    """A gzipped dump, in the manifest's `dumps` (whole graph) or `parts` (with its part and the byte
    range of its body member): dumps.DumpFile as JSON."""

    name: str
    format: str          # a key of formats.BY_KEY
    media_type: str
    encoding: str
    size: int
    sha256: str
    part: NotRequired[int]
    body: NotRequired[list[int]]


class Manifest(TypedDict):
    """manifest.json: what a release holds."""

    format: int          # FORMAT_VERSION
    id: str
    created: str         # ISO 8601, to the second
    base: str
    quads: int
    graphs: list[str]
    dumps: list[DumpEntry]
    parts: list[DumpEntry]
    files: dict[str, FileEntry]
    writing: NotRequired[list[str]]  # still being written (dumps, void.ttl): a release from files, current
                                     # while the release that follows it is written (lod_pub.adhoc)


def sha256_of(path: Path) -> str:
    """The sha256 of a file, as the manifest records it for every file of a release."""
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass(frozen=True)
class Release:
    """A published release, as the web sees it."""

    path: Path
    manifest: Manifest

    @property
    def id(self) -> str:
        return self.manifest["id"]

    @property
    def base(self) -> str:
        return self.manifest["base"]

    @property
    def writing(self) -> bool:
        """Whether its dumps and VoID are still being written (then a release that has them follows it)."""
        return bool(self.manifest.get("writing"))

    @cached_property
    def graphs(self) -> frozenset[str]:
        """The named graphs the release holds (read once: a large release lists 100,000)."""
        return frozenset(self.manifest.get("graphs", []))

    @property
    def dumps_dir(self) -> Path:
        return self.path / "dumps"

    def file(self, name: str) -> Path:
        return self.path / name

    def open_store(self) -> ox.Store:
        return open_store(self.path / "store")

    def verify(self, checksums: bool = False, store: bool = True) -> None:
        """Raise ReleaseError unless every file the manifest lists is there, of the right size, and
        (unless store is False: the data is served from a remote store) the store."""
        for name, meta in self.manifest["files"].items():
            path = self.path / name
            if not path.is_file() or path.stat().st_size != meta["size"]:
                raise ReleaseError(f"release {self.id}: {name} is missing or has the wrong size")
            if checksums and sha256_of(path) != meta["sha256"]:
                raise ReleaseError(f"release {self.id}: {name} does not match its checksum")
        if store and not (self.path / "store").is_dir():
            raise ReleaseError(f"release {self.id}: the store is missing")


def read_release(path: Path) -> Release:
    try:
        manifest = json.loads((path / MANIFEST).read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise ReleaseError(f"{path}: no readable manifest ({exc})") from exc
    if manifest.get("format") != FORMAT_VERSION:
        raise ReleaseError(f"{path}: release format {manifest.get('format')} is not {FORMAT_VERSION}")
    return Release(path=path.resolve(), manifest=manifest)


def current(data_dir: Path) -> Release | None:
    """The current release, or None when nothing has been published yet."""
    pointer = Path(data_dir) / "current"
    if not pointer.is_symlink() and not pointer.exists():
        return None
    return read_release(pointer.resolve())


