"""The reader's index: unchanged files are not read again, and the checks across files still hold."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from lod_pub.errors import RecordError
from lod_pub.sources import load_corpus

A = "seeds/articles/000_ed0bee0b2eb72bc6.yaml"
B = "seeds/articles/001_wikinews_maidan_wardak.yaml"


def edit(root: Path, name: str, old: str, new: str) -> None:
    path = root / name
    text = path.read_text("utf-8")
    assert old in text, f"test setup: {old!r} not in {name}"
    time.sleep(0.01)  # a later modification time, whatever the file system's clock step
    path.write_text(text.replace(old, new, 1), "utf-8")


def read(root: Path):
    return load_corpus(root / "seeds", root / "index.pickle", "v1")


def test_unchanged_files_are_not_read_again(project_copy):
    whole = load_corpus(project_copy / "seeds")
    read(project_copy)
    edit(project_copy, B, "\n", "\n# an edit\n")
    again = read(project_copy)
    unread = [a for a in again.articles if a.source.stored is None]
    assert [a.source.path.name for a in unread] == ["000_ed0bee0b2eb72bc6.yaml"]
    assert [(a.slug, a.source.display) for a in again.articles] == [(a.slug, a.source.display) for a in whole.articles]
    assert again.articles[0].digest == whole.articles[0].digest
    assert again.articles[1].digest != whole.articles[1].digest
    assert again.articles[0].text == whole.articles[0].text  # read when asked for
    assert again.ids["meeting-fs-nato-delegation-2021-10-20"][1].data == whole.ids["meeting-fs-nato-delegation-2021-10-20"][1].data


def test_an_index_from_other_code_is_not_used(project_copy):
    read(project_copy)
    corpus = load_corpus(project_copy / "seeds", project_copy / "index.pickle", "v2")
    assert all(a.source.stored is not None for a in corpus.articles)


def test_a_changed_file_is_checked(project_copy):
    read(project_copy)
    edit(project_copy, B, "id: ", "id: Not A Slug ")
    with pytest.raises(RecordError) as caught:
        read(project_copy)
    assert any(p.file == B for p in caught.value.problems)


def test_an_identifier_claimed_twice_across_files_is_found(project_copy):
    read(project_copy)
    edit(project_copy, B, "\n  - id: ", "\n  - id: meeting-fs-nato-delegation-2021-10-20\n    x: ")
    with pytest.raises(RecordError) as caught:
        read(project_copy)
    assert any("already claimed" in p.reason and A in p.reason for p in caught.value.problems)


def test_an_identifier_a_changed_file_drops_is_missed_where_it_is_used(project_copy):
    """A refers to an event of B; B, changed, calls that event otherwise: A, unchanged, now refers to
    nothing, and the reading says so (the index cannot vouch for A, so everything is read again)."""
    event = "maidan-shahr-nds-attack-2019-01-21"
    edit(project_copy, A, "about: [meeting-fs-nato-delegation-2021-10-20]", f"about: [{event}]")
    read(project_copy)
    path = project_copy / B
    time.sleep(0.01)
    path.write_text(path.read_text("utf-8").replace(event, "maidan-shahr-attack"), "utf-8")
    with pytest.raises(RecordError) as caught:
        read(project_copy)
    assert [(p.file, p.reason) for p in caught.value.problems] == [(A, f"refers to {event!r}, which is not defined")]
