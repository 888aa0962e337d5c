"""The reader's index: what each article file held when the seeds last read back good.

    load_corpus(seeds, index=None, version="", reuse=True) -> Corpus     raises RecordError listing every problem

With an index (a file in the build's cache folder), reading looks at each article file's size,
modification time and inode, and its text's (of the entry itself: a file replaced by a symbolic link
has changed, and is read, and refused): a file unchanged since the index was written is not
read (its record is read only if the mapper asks for it: a changed article that refers to it). An
unchanged register comes from the index, read and checked (its references are to its own entities). The
checks across files still hold: a changed file's identifiers are claimed against every other file's
(kept in the index), and its references resolve against them. What the index cannot vouch for is read
whole: a changed register, a removed article file, an identifier a changed file no longer claims (or
claims as another kind: an unchanged file may refer to it), an index written by other code (version).
The index is written after every good reading, to a temporary name and then renamed.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Iterator, Mapping, MutableMapping
from pathlib import Path
from typing import TypedDict

from ..errors import Problem
from .corpus import (Article, Claim, Corpus, KnownSource, Source, Stat, _collect_ids, check_references, display_of,
                     read_all, read_article, stat_of)
from .yamlfile import Located, Path_

FORMAT = 1

Listed = tuple[str, str, Path_]            # an identifier in the table: (kind, article file name, path)
Claimed = tuple[str, str, Path_]           # an identifier a file claims: (slug, kind, path)
#: an article file: (its stat, its text's file name, the text's stat, the article's digest, its slug, its claims)
ArticleEntry = tuple[Stat | None, str | None, Stat | None, str, str, list[Claimed]]


class Saved(TypedDict):
    """The index file: what each article file held at the last good reading."""

    format: tuple[int, str]                                # (FORMAT, the code's version)
    register: tuple[Stat | None, str, Located]             # the register's stat, digest and data
    files: dict[str, ArticleEntry]                         # article file name -> what it held
    ids: dict[str, Listed]                                 # every identifier the article files claim


class Ids(MutableMapping[str, Claim]):
    """corpus.ids over the index: the identifiers of unchanged files come from its table, each
    (kind, source, path) made when first asked for; the register's and changed files' are held."""

    def __init__(self, table: dict[str, Listed], sources: Mapping[str, Source]):
        self.table, self.sources = table, sources
        self.held: dict[str, Claim] = {}

    def __getitem__(self, slug: str) -> Claim:
        if slug in self.held:
            return self.held[slug]
        kind, name, path = self.table[slug]
        return kind, self.sources[name], path

    def __contains__(self, slug: object) -> bool:
        return slug in self.held or slug in self.table

    def __setitem__(self, slug: str, value: Claim) -> None:
        self.held[slug] = value

    def __delitem__(self, slug: str) -> None:
        self.held.pop(slug, None) if slug in self.held else self.table.pop(slug)

    def __iter__(self) -> Iterator[str]:
        yield from self.held
        yield from (slug for slug in self.table if slug not in self.held)

    def __len__(self) -> int:
        return len(self.held) + sum(1 for slug in self.table if slug not in self.held)


def _names(folder: Path) -> list[str]:
    """The article files' names, as load_corpus's glob finds them (strings: no path objects for 100,000 files)."""
    with os.scandir(folder) as entries:
        return sorted(e.name for e in entries if e.name.endswith(".yaml") and not e.name.startswith("."))


def _read(index: Path, version: str) -> Saved | None:
    try:
        with index.open("rb") as f:
            saved: Saved = pickle.load(f)  # checked below: a dict of this format and version
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
        return None
    return saved if isinstance(saved, dict) and saved.get("format") == (FORMAT, version) else None


def _unchanged(folder: str, name: str, entry: ArticleEntry | None) -> bool:
    if entry is None or stat_of(folder + name) != entry[0]:
        return False
    return entry[1] is None or stat_of(folder + entry[1]) == entry[2]


def _from_index(seeds: Path, saved: Saved) -> Corpus | None:
    folder, files = seeds / "articles", saved["files"]
    names = _names(folder)
    if stat_of(seeds / "entities.yaml") != saved["register"][0] or files.keys() - set(names):
        return None
    where, shown = str(folder) + os.sep, display_of(folder / "_", seeds)[:-1]
    changed = {name for name in names if not _unchanged(where, name, files.get(name))}
    table = dict(saved["ids"])
    dropped: dict[str, str] = {}
    for name in changed & files.keys():
        for slug, kind, _ in files[name][5]:
            dropped[slug] = kind
            table.pop(slug, None)
    problems: list[Problem] = []
    sources = {name: KnownSource(where + name, shown + name, seeds) for name in names if name not in changed}
    stat, digest, located = saved["register"]
    register = Source(seeds / "entities.yaml", display_of(seeds / "entities.yaml", seeds), located, digest, stat, seeds)
    corpus = Corpus(register=register, articles=[], ids=Ids(table, sources))
    _collect_ids(corpus, corpus.register, problems)
    read: list[Article] = []
    for name in names:
        if name in changed:
            if (article := read_article(corpus, folder / name, seeds, problems)) is not None:
                corpus.articles.append(article)
                read.append(article)
            continue
        stat, text, text_stat, digest, slug, _ = files[name]
        corpus.articles.append(Article(sources[name], text_path=where + text if text else None, text_stat=text_stat,
                                       known_slug=slug, known_digest=digest))
    if any(slug not in corpus.ids or corpus.kind(slug) != kind for slug, kind in dropped.items()):
        return None
    check_references(corpus, read, problems, register=False)
    return corpus


def _name(source: Source) -> str:
    return os.path.basename(source.file) if isinstance(source, KnownSource) else source.path.name


def _claims(corpus: Corpus) -> dict[int, list[Claimed]]:
    """id(source) -> the identifiers it claims, for the sources read in this reading."""
    held = corpus.ids.held if isinstance(corpus.ids, Ids) else corpus.ids
    claims: dict[int, list[Claimed]] = {}
    for slug, (kind, source, path) in held.items():
        claims.setdefault(id(source), []).append((slug, kind, path))
    return claims


def _write(index: Path, version: str, seeds: Path, corpus: Corpus, saved: Saved | None) -> None:
    files = dict(saved["files"]) if saved else {}
    table = dict(saved["ids"]) if saved else {}
    claims = _claims(corpus)
    names = [_name(a.source) for a in corpus.articles]
    for name, article in zip(names, corpus.articles):
        source = article.source
        if article.known_digest:
            continue  # unchanged since the index: its entry stands
        for slug, _, _ in files.get(name, (None,) * 5 + ((),))[5]:
            table.pop(slug, None)
        mine = claims.get(id(source), [])
        text = os.path.basename(article.text_path) if article.text_path else None
        files[name] = (source.stat, text, article.text_stat, article.digest, article.slug, mine)
        table.update((slug, (kind, name, path)) for slug, kind, path in mine)
    files = {name: files[name] for name in names}
    register = corpus.register
    data: Saved = {"format": (FORMAT, version), "register": (register.stat, register.digest, register.located), "files": files,
            "ids": table}
    index.parent.mkdir(parents=True, exist_ok=True)
    tmp = index.with_name(f"{index.name}.{os.getpid()}.tmp")
    with tmp.open("wb") as f:
        pickle.dump(data, f, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, index)


def load_corpus(seeds: Path, index: Path | None = None, version: str = "", reuse: bool = True) -> Corpus:
    """Read and check every record under seeds/, reading again only what changed since the index
    (everything when reuse is false; the index is written either way)."""
    seeds = Path(seeds)
    if index is None:
        return read_all(seeds)
    saved = _read(index, version) if reuse else None
    corpus = _from_index(seeds, saved) if saved is not None else None
    if corpus is None:
        saved, corpus = None, read_all(seeds)
    _write(index, version, seeds, corpus, saved)
    return corpus
