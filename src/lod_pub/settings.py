"""Settings are data: each has a name, a default and the help shown by the CLI and the docs."""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from pathlib import Path

DEFAULT_BASE = "https://lod.example.org/"


def _setting(default, help: str):  # noqa: A002 - mirrors argparse's word
    return field(default=default, metadata={"help": help})


@dataclass(frozen=True)
class Settings:
    base: str = _setting(DEFAULT_BASE, "Base IRI under which every entity IRI is minted (ends with '/').")
    project_dir: Path = _setting(Path("."), "Folder holding seeds/, ontology/ and shapes/.")
    data_dir: Path = _setting(Path("var"), "Folder holding releases/ and the 'current' pointer.")
    keep_releases: int = _setting(3, "How many published releases to keep for rollback.")
    cache: bool = _setting(True, "Reuse what unchanged articles mapped to and how they validated in the last build.")
    remote: str | None = _setting(
        None, "Base URL of a remote SPARQL 1.1 store holding the release (`lod-pub push`), e.g. "
              "http://127.0.0.1:7878/ for an Oxigraph server; the web then reads entity data and answers SPARQL "
              "from it, and needs only the release's files, not its store.")
    fuseki_dataset: str | None = _setting(None, "The remote store is Apache Jena Fuseki, with this dataset.")
    licence: str = _setting(
        "https://creativecommons.org/licenses/by/4.0/", "Licence IRI stated in the dataset description."
    )

    def with_(self, **changes) -> "Settings":
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


def documented() -> list[tuple[str, object, str]]:
    """(name, default, help) for every setting, for --help and docs."""
    return [(f.name, f.default, f.metadata["help"]) for f in fields(Settings)]
