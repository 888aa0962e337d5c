"""Real articles through `lod-pub draft` and `lod-pub check`: twenty Wikinews articles
(tests/data/draft/wikinews/sample.csv), drafted one after another into one project with the fixture
corpus's register. Before review, `check` reports exactly two problems a draft, its marks and its register
section; after the review an editor does when every marked value is right (the marks deleted, the proposed
entries moved to the register), every record passes `check`, shapes included."""

from __future__ import annotations

import csv
import re
import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml

from lod_pub.errors import RecordError
from lod_pub.release import check
from lod_pub.settings import settings_from
from lod_pub.sources.draft import write_draft

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "tests" / "data" / "draft" / "wikinews" / "sample.csv"


def articles() -> list[dict[str, str]]:
    csv.field_size_limit(1 << 24)
    with SAMPLE.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def review(record: Path, register: dict, post_in: str) -> None:
    body, _, proposed = record.read_text("utf-8").partition("\nregister:\n")
    record.write_text(re.sub(r"  #\?.*$", "", body, flags=re.M), "utf-8")
    if proposed.strip():
        for section, items in yaml.safe_load("register:\n" + proposed)["register"].items():
            for item in items:
                if section == "posts":
                    item["postIn"] = post_in
                register.setdefault(section, []).append(item)


@pytest.mark.slow
def test_real_articles_drafted_then_reviewed_pass_check(tmp_path):
    shutil.copytree(ROOT / "tests" / "data" / "corpus", tmp_path / "seeds")
    shutil.rmtree(tmp_path / "seeds" / "articles")
    (tmp_path / "seeds" / "articles").mkdir()
    for name in ("ontology", "shapes"):
        shutil.copytree(ROOT / name, tmp_path / name)
    written = []
    for i, row in enumerate(articles()):
        text = tmp_path / "seeds" / "articles" / f"wikinews-{i:02d}.txt"
        text.write_text(row["text"], "utf-8")
        written.append(write_draft(text, tmp_path / "seeds", row["url"], date.fromisoformat(row["date"][:10])))
    assert len(written) == 20
    settings = settings_from({"project_dir": tmp_path, "data_dir": tmp_path / "data"})
    with pytest.raises(RecordError) as raised:
        check(settings)
    kinds: dict[str, list[str]] = {}
    for problem in raised.value.problems:
        kind = ("marks" if "still to decide" in problem.reason else
                "register" if "proposed register entries" in problem.reason else "other")
        kinds.setdefault(kind, []).append(Path(problem.file).name)
    assert "other" not in kinds, raised.value
    assert sorted(kinds["marks"]) == sorted(p.name for p in written)  # one problem a draft: its marks
    assert len(kinds["register"]) == len(set(kinds["register"])) >= 15  # most drafts propose new names
    register_file = tmp_path / "seeds" / "entities.yaml"
    register = yaml.safe_load(register_file.read_text("utf-8"))
    for record in written:
        review(record, register, register["organizations"][0]["id"])
    register_file.write_text(yaml.safe_dump(register, allow_unicode=True, sort_keys=False), "utf-8")
    report, triples = check(settings)
    assert report.conforms and triples > 20 * 100
