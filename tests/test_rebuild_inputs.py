"""What a second build sees: an article text edited on its own, a quote that differs from the text only
in letter case, new or changed shapes over unchanged articles, and `current` present at every moment
of the switch to the new release."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from lod_pub.errors import RecordError, ValidationFailed
from lod_pub.iris import Minter
from lod_pub.release import build, current
from lod_pub.settings import Settings
from lod_pub.sources import load_corpus
from lod_pub.vocab import SCHEMA

ARTICLE = "seeds/articles/000_ed0bee0b2eb72bc6.yaml"
TEXT = "seeds/articles/000_ed0bee0b2eb72bc6.txt"
SLUGS = ["tdi-2021-10-21-foreign-secretary-nato-delegation", "wikinews-2019-01-24-maidan-wardak-car-bomb"]
QUOTE = "The meeting boiled down to a discussion on emerging developments in Afghanistan."


def edit(root: Path, name: str, old: str, new: str) -> int:
    """Replace old (once, must exist) with new in a file of the copy, with a later modification time
    whatever the file system's clock step; return old's line number."""
    path = root / name
    text = path.read_text("utf-8")
    assert text.count(old) == 1, f"test setup: {old!r} not once in {name}"
    line = text[: text.index(old)].count("\n") + 1
    time.sleep(0.01)
    path.write_text(text.replace(old, new, 1), "utf-8")
    return line


def append_to_text(root: Path, added: str) -> None:
    """Add to the end of the first article's text (its record stays as it is; every quote still holds)."""
    path = root / TEXT
    time.sleep(0.01)
    path.write_text(path.read_text("utf-8") + added, "utf-8")


def settings_of(project: Path, tmp_path: Path) -> Settings:
    return Settings(project_dir=project, data_dir=tmp_path / "var")


def article_bodies(release, slug: str) -> list[str]:
    iri = ox.NamedNode(str(Minter(release.manifest["base"]).entity("article", slug)))
    store = release.open_store()
    return [q.object.value for q in store.quads_for_pattern(iri, ox.NamedNode(str(SCHEMA.articleBody)), None, None)]


# -- quotes are compared with the text as written ------------------------------------------------
@pytest.mark.parametrize("changed", [
    QUOTE.upper(),
    "the" + QUOTE[3:],
    QUOTE.replace("Afghanistan", "afghanistan"),
], ids=["upper-case", "first-letter", "one-word"])
def test_a_quote_that_differs_only_in_letter_case_is_refused(project_copy, changed):
    assert changed.casefold() == QUOTE.casefold() and changed != QUOTE
    line = edit(project_copy, ARTICLE, f"evidence: {QUOTE}", f"evidence: {changed}")
    with pytest.raises(RecordError) as caught:
        load_corpus(project_copy / "seeds")
    found = [(p.file, p.line, p.field) for p in caught.value.problems]
    assert found == [(ARTICLE, line, "events[0].description.evidence")]
    assert "is not in the article" in caught.value.problems[0].reason


# -- a text edited without its record ------------------------------------------------------------
def test_the_readers_index_sees_a_text_edited_alone(project_copy):
    index = project_copy / "index.pickle"
    first = load_corpus(project_copy / "seeds", index, "v1")
    before = first.articles[0].digest
    append_to_text(project_copy, "\nThe delegation left Islamabad the next day.\n")
    again = load_corpus(project_copy / "seeds", index, "v1")
    fresh = load_corpus(project_copy / "seeds")
    assert [a.digest for a in again.articles] == [a.digest for a in fresh.articles]
    assert again.articles[0].digest != before
    assert again.articles[1].digest == first.articles[1].digest


def test_a_build_publishes_a_text_edited_alone(project_copy, tmp_path):
    settings = settings_of(project_copy, tmp_path)
    first = build(settings).release
    old = (project_copy / TEXT).read_text("utf-8")
    assert article_bodies(first, SLUGS[0]) == [old]
    added = "\nThe delegation left Islamabad the next day.\n"
    append_to_text(project_copy, added)
    second = build(settings).release
    assert second.id != first.id
    assert article_bodies(second, SLUGS[0]) == [old + added]


def test_a_build_checks_quotes_against_a_text_edited_alone(project_copy, tmp_path):
    settings = settings_of(project_copy, tmp_path)
    first = build(settings).release
    edit(project_copy, TEXT, "The meeting boiled down", "The meeting came down")
    with pytest.raises(RecordError) as caught:
        build(settings)
    found = [(p.file, p.field) for p in caught.value.problems]
    assert found == [(ARTICLE, "events[0].description.evidence")]
    assert current(settings.data_dir).id == first.id


# -- shapes apply to unchanged articles ----------------------------------------------------------
WORD_COUNT_SHAPE = """\
@prefix dsh:    <https://w3id.org/lod-pub/ns/dip-shapes#> .
@prefix schema: <http://schema.org/> .
@prefix sh:     <http://www.w3.org/ns/shacl#> .

dsh:ArticleWordCountShape
    a sh:NodeShape ;
    sh:targetClass schema:NewsArticle ;
    sh:property [ sh:path schema:wordCount ; sh:minCount 1 ;
                  sh:message "The article has no word count."@en ] .
"""


def add_shape_file(project: Path) -> str:
    time.sleep(0.01)
    (project / "shapes" / "word-count.ttl").write_text(WORD_COUNT_SHAPE, "utf-8")
    return "schema:wordCount"


def tighten_article_name(project: Path) -> str:
    block = "dsh:Article-name\n    a sh:PropertyShape ;\n    sh:path schema:name ;\n    sh:minCount 1 ;\n"
    edit(project, "shapes/shapes.ttl", block, block + "    sh:maxLength 5 ;\n")
    return "schema:name"


VIOLATION = re.compile(r"^\s*Violation: <([^>]+)> (\S+)", re.MULTILINE)


@pytest.mark.parametrize("change", [add_shape_file, tighten_article_name], ids=["new-shape-file", "changed-constraint"])
def test_a_shape_change_applies_to_unchanged_articles(project_copy, tmp_path, change):
    settings = settings_of(project_copy, tmp_path)
    first = build(settings).release
    path = change(project_copy)
    with pytest.raises(ValidationFailed) as caught:
        build(settings)
    minter = Minter(settings.base)
    found = set(VIOLATION.findall(caught.value.report_text))
    assert found == {(str(minter.entity("article", slug)), path) for slug in SLUGS}
    assert current(settings.data_dir).id == first.id


# -- the switch ----------------------------------------------------------------------------------
WATCHED = ("symlink", "replace", "rename", "unlink", "remove", "rmdir")


def test_current_is_there_at_every_moment_of_the_switch(project_copy, tmp_path, monkeypatch):
    """Every file operation of a build that publishes over a current release is watched: before and
    after each one, `current` must be a link that leads to a release."""
    settings = settings_of(project_copy, tmp_path)
    first = build(settings).release
    link = settings.data_dir / "current"
    seen: list[tuple[str, str, bool]] = []

    def there() -> bool:
        return os.path.islink(link) and (link / "manifest.json").is_file()

    def watched(name, original):
        def call(*args, **kwargs):
            seen.append((name, "before", there()))
            try:
                return original(*args, **kwargs)
            finally:
                seen.append((name, "after", there()))
        return call

    for name in WATCHED:
        monkeypatch.setattr(os, name, watched(name, getattr(os, name)))
    second = build(settings).release
    monkeypatch.undo()
    assert current(settings.data_dir).id == second.id != first.id
    assert {name for name, _, _ in seen} >= {"symlink"}
    assert [(name, when) for name, when, ok in seen if not ok] == []
