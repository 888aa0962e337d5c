"""Coded events (GDELT) on the site: a coded event's page, and the coded events of an organisation and a
place, newest first, a page at a time. A release of the fixture corpus with an export made of real rows
(tests/data/gdelt), each given its own date."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from helpers import make_project
from lod_pub.release import build
from lod_pub.settings import Settings
from lod_pub.sources.gdelt import COLUMNS
from lod_pub.web import create_app

ROOT = Path(__file__).resolve().parents[2]
EXPORT = ROOT / "tests" / "data" / "gdelt" / "20191024143000.export.CSV"
HTML = {"Accept": "text/html"}
pytestmark = pytest.mark.slow  # each module builds a release first
COL = {name: i for i, name in enumerate(COLUMNS)}
FRANCE_PAKISTAN = 728  # the real row: France (GOV) criticises Pakistan, in France
DAYS = ["20190101", "20190301", "20190201", "20191024"]  # each copy of the row gets one


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    base = tmp_path_factory.mktemp("gdelt-web")
    project = base / "project"
    make_project(project)
    template = EXPORT.read_text("utf-8").splitlines()[FRANCE_PAKISTAN - 1].split("\t")
    rows = []
    for i, day in enumerate(DAYS):
        row = list(template)
        row[0], row[COL["SQLDATE"]] = str(990000000 + i), day
        rows.append("\t".join(row))
    (project / "seeds" / "gdelt").mkdir()
    (project / "seeds" / "gdelt" / "20191024143000.export.CSV").write_text("\n".join(rows) + "\n", "utf-8")
    settings = Settings(project_dir=project, data_dir=base / "var")
    build(settings)
    return create_app(settings, LOD_PUB_PAGE_SIZE=3)


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_a_coded_event_page(app):
    page = app.test_client().get("/doc/event/gdelt-990000000", headers=HTML)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    text = text_of(html)
    for shown in ("Coded event", "111 Criticize or denounce", "Source actor Government of France",
                  "Target actor Government of Pakistan", "Goldstein scale -2", "Average tone -3.03030303030303",
                  "QuadClass 3 (verbal conflict)", "2019-01-01"):
        assert shown in text, shown
    assert 'href="/ns/cameo#111"' in html
    url = EXPORT.read_text("utf-8").splitlines()[FRANCE_PAKISTAN - 1].split("\t")[COL["SOURCEURL"]]
    assert f'href="{url}"' in html
    coordinates = re.search(r'class="coordinates">\(([-0-9.]+), ([-0-9.]+)\)', html)
    assert coordinates is not None


def test_an_organisation_lists_its_coded_events_newest_first_a_page_at_a_time(app):
    client = app.test_client()
    first = text_of(client.get("/doc/organization/government-of-pakistan", headers=HTML).get_data(as_text=True))
    second_html = client.get("/doc/organization/government-of-pakistan?events=2", headers=HTML).get_data(as_text=True)
    second = text_of(second_html)
    dates = re.findall(r"(\d{4}-\d{2}-\d{2}) Government of France: Criticize", first)
    assert dates == ["2019-10-24", "2019-03-01", "2019-02-01"]  # three a page: the page size
    assert re.findall(r"(\d{4}-\d{2}-\d{2}) Government of France: Criticize", second) == ["2019-01-01"]
    assert "Older events" in first and "Newer events" in second and "Older events" not in second


def test_a_place_lists_the_events_in_it(app):
    text = text_of(app.test_client().get("/doc/place/pakistan", headers=HTML).get_data(as_text=True))
    assert "Coded events (GDELT), newest first" in text  # the Government of Pakistan is located in it
    none = text_of(app.test_client().get("/doc/person/sohail-mahmood", headers=HTML).get_data(as_text=True))
    assert "Coded events" not in none


def test_an_events_page_that_is_not_a_number_is_not_found(app):
    assert app.test_client().get("/doc/organization/government-of-pakistan?events=x", headers=HTML).status_code == 404
