"""`lod-pub draft`: an article's text in, a proposed record beside it, for the editor to confirm.

    write_draft(text_path, seeds, url=None, published=None) -> Path     the record written (NAME.yaml)
    draft_yaml(text, file_name, register, url, published) -> str        the same, as text (no file touched)

The drafter finds what a machine finds well (names of the register and the country table, dates worked
out from the article's date, reporting and event verbs, every quote copied exactly) and marks every value
with `#?` and what to decide; `lod-pub check` lists the marks left in the order of the text. It runs
offline: pysbd, python-dateutil, pyahocorasick, rapidfuzz and lemminflect ship their rules and tables in
their packages, and the country table ships in lod_pub/data. docs/drafting.md says how well it does.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from ...errors import LodPubError
from ..values import url_problem
from .drafter import draft
from .emit import MARK, render

__all__ = ["MARK", "DraftError", "draft_yaml", "write_draft"]
MAX_TEXT_BYTES = 5_000_000


class DraftError(LodPubError):
    """The draft cannot be written: the reason names the file and why (exit 2)."""


def draft_yaml(text: str, file_name: str, register: Mapping[str, Any], url: str | None = None,
               published: date | None = None, taken_ids: Iterable[str] = ()) -> str:
    return render(draft(text, file_name, register, url, published, taken_ids=taken_ids))


def _register(seeds: Path) -> dict[str, Any]:
    path = seeds / "entities.yaml"
    if not path.is_file():
        return {}
    try:
        data = yaml.load(path.read_text("utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise DraftError(f"{path}: cannot read the register ({exc}); run lod-pub check to see why") from None
    return data if isinstance(data, dict) else {}


ID_LINE = re.compile(r"""(?:^[ \t-]*|[{,][ \t]*)id:[ \t]*["']?([^"',}\s#]+)""", re.M)


def _record_ids(folder: Path, skip: Path) -> set[str]:
    """Ids the records beside the text already claim (a draft's ids must not collide with them): every
    `id:` key, read by a pattern rather than by parsing (a folder may hold many records; a false hit only
    keeps the drafter from minting that id)."""
    ids: set[str] = set()
    for path in folder.glob("*.yaml"):
        if path == skip:
            continue
        try:
            ids.update(ID_LINE.findall(path.read_text("utf-8", errors="replace")))
        except OSError:
            continue  # check reports it; the draft only avoids the ids it can read
    return ids


def write_draft(text_path: Path, seeds: Path, url: str | None = None, published: date | None = None) -> Path:
    """Write NAME.yaml beside NAME.txt; never over an existing file. Returns the path written."""
    text_path = Path(text_path)
    if text_path.suffix != ".txt":
        raise DraftError(f"{text_path}: an article text is a NAME.txt file")
    if url is not None and (reason := url_problem(url) if url.startswith(("http://", "https://"))
                            else "is not an absolute http:// or https:// URL"):
        raise DraftError(f"--url {url!r}: {reason}")
    target = text_path.with_suffix(".yaml")
    try:
        raw = text_path.read_bytes()[: MAX_TEXT_BYTES + 1]
    except OSError as exc:
        raise DraftError(f"{text_path}: cannot read: {exc.strerror}") from None
    if len(raw) > MAX_TEXT_BYTES:
        raise DraftError(f"{text_path}: larger than {MAX_TEXT_BYTES} bytes")
    try:
        text = raw.decode("utf-8").replace("\r\n", "\n")
    except UnicodeDecodeError as exc:
        raise DraftError(f"{text_path}: not valid UTF-8 (byte {exc.start})") from None
    body = draft_yaml(text, text_path.name, _register(Path(seeds)), url, published,
                      _record_ids(text_path.parent, target))
    try:  # O_EXCL: an existing record, or one written meanwhile, is never overwritten
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        raise DraftError(f"{target}: exists already; a draft never overwrites a record "
                         "(move it away to draft again)") from None
    except OSError as exc:
        raise DraftError(f"{target}: cannot write: {exc.strerror}") from None
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(body)
    return target
