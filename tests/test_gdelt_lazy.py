"""GDELT exports as history grows (lod_pub.sources.gdelt's summaries and read cache): a build decides
corrections, claims and keys from each export's summary, unpickles the record of an export only when its
graph is mapped again, and hashes a file again only when its stat changed; what it publishes is the same as a
build that reads everything (`--no-cache`). The exports are slices of the real export in tests/data/gdelt."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from helpers import make_project
from lod_pub import release as release_module
from lod_pub.cache import keys as cache_keys
from lod_pub.iris import Minter
from lod_pub.mapping import map_articles
from lod_pub.release import build, current
from lod_pub.settings import Settings
from lod_pub.sources import load_corpus
from lod_pub.sources.gdelt import COLUMNS, ExportSource, ReadCache, read_exports
from lod_pub.vocab import CAMEO, DIP

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "data" / "corpus"
REAL = ROOT / "tests" / "data" / "gdelt" / "20191024143000.export.CSV"
MINTER = Minter()
STAMPS = [f"20191024{hour:02d}{minute:02d}00" for hour in (14, 15) for minute in (0, 15, 30, 45)]
SLICE = 40  # rows of the real export in each export made here
HOUR_AGO = time.time() - 3600  # written long enough ago that its stat stands for its bytes


def real_rows() -> list[list[str]]:
    return [line.split("\t") for line in REAL.read_text("utf-8").split("\n") if line.strip("\r")]


def write(folder: Path, n: int, rows: list[list[str]], mtime: float = HOUR_AGO) -> Path:
    path = folder / f"{STAMPS[n]}.export.CSV"
    path.write_text("\n".join("\t".join(r) for r in rows) + "\n", "utf-8")
    os.utime(path, (mtime, mtime))
    return path


def slices(folder: Path, count: int) -> list[list[list[str]]]:
    """The first count slices of the real export, written as exports 0 … count-1."""
    rows = real_rows()
    made = [rows[i * SLICE:(i + 1) * SLICE] for i in range(count)]
    for n, part in enumerate(made):
        write(folder, n, part)
    return made


def recoded(row: list[str]) -> list[str]:
    """The row given again, coded otherwise (as a later export corrects it), the same size."""
    changed = list(row)
    at = COLUMNS.index("EventCode")
    changed[at] = "042" if row[at] != "042" else "043"
    return changed


def published_row(export) -> int:
    """The number of a row of the export that is published (not quarantined)."""
    quarantined = {q.row for q in export.quarantine}
    return next(n for n in range(3, export.rows + 1) if n not in quarantined)


def read_cached(folder: Path, reads: Path):
    cache = ReadCache(reads, "code")
    corpus = load_corpus(CORPUS)
    return cache, corpus, read_exports(corpus, [folder], cache)


def read_fresh(folder: Path):
    corpus = load_corpus(CORPUS)
    return corpus, read_exports(corpus, [folder])


def claims(corpus) -> dict[str, tuple[str, str, tuple]]:
    return {slug: (kind, source.display, path) for slug, (kind, source, path) in corpus.ids.items()}


def first_claims(corpus, exports) -> dict[str, tuple[str, str, tuple]]:
    """What the corpus's ids should be: the register's and articles', then each id an export's record defines,
    the first export's (in order: events, organisations, places, reports), and each export's own id."""
    want = claims(load_corpus(CORPUS))
    for export in exports:
        record, shown = export.record, export.article.source.display
        want[record["export"]["id"]] = ("export", shown, ("export", "id"))
        for section, kind in (("events", "event"), ("organizations", "organization"), ("places", "place"),
                              ("reports", "article")):
            for i, item in enumerate(record.get(section, [])):
                want.setdefault(item["id"], (kind, shown, (section, i, "id")))
    return want


def export_keys(corpus) -> list[str]:
    """The build's key of each export (cache.keys)."""
    keys = cache_keys(corpus, "https://lod.example.org/", "shapes")[1]
    return [keys[i] for i, a in enumerate(corpus.articles) if a.kind == "export"]


def nquads(corpus, exports) -> set[str]:
    return set(map_articles(corpus, MINTER, [e.article for e in exports]).nquads().splitlines())


def test_a_new_export_needs_no_record_of_the_exports_before_it(tmp_path):
    folder, reads = tmp_path / "exports", tmp_path / "reads"
    folder.mkdir()
    slices(folder, 3)
    first, _, _ = read_cached(folder, reads)
    assert (first.hits, first.hashed) == (0, 3)
    write(folder, 3, real_rows()[3 * SLICE:4 * SLICE])
    cache, corpus, exports = read_cached(folder, reads)
    assert (cache.hits, cache.hashed, cache.loads) == (3, 1, 0)  # the three before: not read, not unpickled
    assert all(isinstance(e.article.source, ExportSource) for e in exports[:3])
    mapped = nquads(corpus, exports[3:])
    assert cache.loads == 0  # mapping the new export named what the others define from their summaries
    fresh_corpus, fresh = read_fresh(folder)
    assert mapped == nquads(fresh_corpus, fresh[3:])
    assert claims(corpus) == claims(fresh_corpus) == first_claims(fresh_corpus, fresh)
    assert cache_keys(corpus, "b", "s") == cache_keys(fresh_corpus, "b", "s")
    assert [(e.rows, e.events, e.quarantine) for e in exports] == [(e.rows, e.events, e.quarantine) for e in fresh]
    # the new export names entities that an export before it defines first (so the test means something)
    named = {line.split()[2][1:-1] for line in mapped}
    before = [slug for slug, (_, source, _) in corpus.ids.items()
              if source in [e.article.source for e in exports[:3]] and str(MINTER.entity(corpus.kind(slug), slug)) in named]
    assert before and cache.loads == 0
    # asked for, a record is unpickled, and it is the record a fresh reading makes
    assert [e.record for e in exports] == [e.record for e in fresh] and cache.loads == 3


def test_a_folder_given_by_another_path_is_read_from_the_cache(tmp_path, monkeypatch):
    """`--gdelt exports` one day and `--gdelt /abs/exports` the next: the same files, read once."""
    folder, reads = tmp_path / "exports", tmp_path / "reads"
    folder.mkdir()
    slices(folder, 2)
    first, _, before = read_cached(folder, reads)
    assert (first.hits, first.hashed) == (0, 2)
    monkeypatch.chdir(tmp_path)
    cache, _, again = read_cached(Path("exports"), reads)
    assert (cache.hits, cache.hashed) == (2, 0)
    assert [e.article.source.display for e in again] == [e.article.source.display for e in before]
    cache, _, _ = read_cached(tmp_path / "." / "exports", reads)
    assert (cache.hits, cache.hashed) == (2, 0)


def test_a_later_export_correcting_an_earlier_row_loads_that_export_only(tmp_path):
    folder, reads = tmp_path / "exports", tmp_path / "reads"
    folder.mkdir()
    made = slices(folder, 3)
    _, corpus, exports = read_cached(folder, reads)
    keys_before = export_keys(corpus)
    number = published_row(exports[1])
    target = made[1][number - 1]
    write(folder, 3, [recoded(target)])
    cache, corpus, exports = read_cached(folder, reads)
    keys_after = export_keys(corpus)
    assert [keys_before[i] == keys_after[i] for i in range(3)] == [True, False, True]
    assert cache.loads == 0
    corrected = [(q.row, q.reason) for q in exports[1].quarantine if q.column == "GLOBALEVENTID"]
    assert corrected == [(number, f"corrected: row 1 of the later export {STAMPS[3]}.export.CSV gives this event again")]
    mapped = nquads(corpus, [exports[1], exports[3]])  # what a build maps again: the new one and the corrected
    assert cache.loads == 1
    fresh_corpus, fresh = read_fresh(folder)
    assert mapped == nquads(fresh_corpus, [fresh[1], fresh[3]])
    assert claims(corpus) == claims(fresh_corpus)
    assert [e.record for e in exports] == [e.record for e in fresh]
    assert first_claims(fresh_corpus, fresh) == claims(corpus)
    write(folder, 4, [target, recoded(made[2][published_row(fresh[2]) - 1])])  # given a third time, and another
    cache, corpus, exports = read_cached(folder, reads)
    fresh_corpus, fresh = read_fresh(folder)
    assert [e.record for e in exports] == [e.record for e in fresh] and claims(corpus) == claims(fresh_corpus)
    last = f"corrected: row 1 of the later export {STAMPS[4]}.export.CSV gives this event again"
    assert [(q.row, q.reason) for q in exports[1].quarantine if q.column == "GLOBALEVENTID"] == [(number, last)]
    assert [q.reason for q in exports[3].quarantine] == [last]
    assert [q.reason for q in exports[2].quarantine if q.column == "GLOBALEVENTID"] == [last.replace("row 1", "row 2")]
    event = f"<{MINTER.entity('event', f'gdelt-{target[0]}')}>"
    assert [line for line in mapped if line.startswith(event) and "wasDerivedFrom" in line] == [
        f"{event} <http://www.w3.org/ns/prov#wasDerivedFrom> <{MINTER.entity('export', f'gdelt-export-{STAMPS[3]}')}> "
        f"<{MINTER.unit_graph('export', f'gdelt-export-{STAMPS[3]}')}> ."]


def test_an_export_changed_in_place_is_read_again(tmp_path):
    folder, reads = tmp_path / "exports", tmp_path / "reads"
    folder.mkdir()
    made = slices(folder, 2)
    number = published_row(read_cached(folder, reads)[2][1])
    cache, _, _ = read_cached(folder, reads)
    assert (cache.hits, cache.hashed) == (2, 0)  # the stat is as it was: not even read
    inode = os.stat(folder / f"{STAMPS[1]}.export.CSV").st_ino
    changed = list(made[1])
    changed[number - 1] = recoded(made[1][number - 1])  # the same size
    path = write(folder, 1, changed, mtime=HOUR_AGO + 60)
    assert os.stat(path).st_ino == inode
    cache, _, exports = read_cached(folder, reads)
    assert (cache.hits, cache.hashed) == (1, 1)
    assert code_of(exports[1], number) == changed[number - 1][COLUMNS.index("EventCode")]
    write(folder, 1, made[1], mtime=time.time())  # written just now: its stat is not trusted, it is hashed
    for _ in range(2):
        cache, _, exports = read_cached(folder, reads)
        assert cache.hashed == 1 and code_of(exports[1], number) == made[1][number - 1][COLUMNS.index("EventCode")]


def code_of(export, row: int) -> str:
    code: str = next(e["cameo"] for e in export.record["events"] if e["gdelt"]["row"] == row)
    return code


# -- builds ----------------------------------------------------------------------------------------
class Counted(ReadCache):
    """The build's read cache, kept to be asked what it read."""

    made: list[ReadCache] = []

    def __init__(self, folder: Path, code: str):
        super().__init__(folder, code)
        Counted.made.append(self)


def store_quads(data_dir: Path) -> set[str]:
    """The current release's quads in RDFC-1.0 canonical form (the store labels blank nodes its own way)."""
    dataset = ox.Dataset(current(data_dir).open_store().quads_for_pattern(None, None, None, None))
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return {str(q) for q in dataset}


def same_as_a_build_reading_everything(project: Path, folder: Path, data_dir: Path, tmp_path: Path) -> None:
    settings = Settings(project_dir=project, data_dir=tmp_path / "full", gdelt=(str(folder),), cache=False)
    build(settings)
    assert store_quads(data_dir) == store_quads(settings.data_dir)
    for name in ("quarantine.tsv",):
        assert (current(data_dir).path / name).read_text() == (current(settings.data_dir).path / name).read_text()


@pytest.mark.slow
def test_a_build_after_a_new_export_unpickles_no_other_record(tmp_path, monkeypatch):
    monkeypatch.setattr(release_module, "ReadCache", Counted)
    project = make_project(tmp_path / "project")
    folder = tmp_path / "exports"
    folder.mkdir()
    made = slices(folder, 3)
    settings = Settings(project_dir=project, data_dir=tmp_path / "var", gdelt=(str(folder),))
    build(settings)
    write(folder, 3, real_rows()[3 * SLICE:4 * SLICE])
    said: list[str] = []
    Counted.made.clear()
    build(settings, progress=said.append)
    (cache,) = Counted.made
    assert (cache.hits, cache.loads) == (3, 0)
    assert "mapping and validating 1 of 6 article(s)" in said  # the fixture corpus's two articles, four exports
    same_as_a_build_reading_everything(project, folder, settings.data_dir, tmp_path / "one")
    number = published_row(read_fresh(folder)[1][0])
    target = recoded(made[0][number - 1])
    write(folder, 4, [target])
    said.clear()
    Counted.made.clear()
    build(settings, progress=said.append)
    (cache,) = Counted.made
    assert (cache.hits, cache.loads) == (4, 1)  # the export whose row is corrected is mapped again
    assert "mapping and validating 2 of 7 article(s)" in said
    same_as_a_build_reading_everything(project, folder, settings.data_dir, tmp_path / "two")
    event = MINTER.entity("event", f"gdelt-{target[0]}")
    store = current(settings.data_dir).open_store()
    codes = list(store.quads_for_pattern(ox.NamedNode(str(event)), ox.NamedNode(str(DIP.eventCode)), None, None))
    assert [(q.object.value, q.graph_name.value) for q in codes] == [
        (str(CAMEO[target[COLUMNS.index("EventCode")]]), str(MINTER.unit_graph("export", f"gdelt-export-{STAMPS[4]}")))]
