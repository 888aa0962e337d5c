"""The web's knobs and routes are documented where operators look."""

from __future__ import annotations

import re
from pathlib import Path

from lod_pub.web import environment

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_every_environment_knob_is_documented():
    source = Path(environment.__file__).read_text("utf-8")
    knobs = set(re.findall(r'"(LOD_PUB_[A-Z_]+)"', source))
    assert {"LOD_PUB_DATA_DIR", "LOD_PUB_CACHE_SIZE", "LOD_PUB_PAGE_SIZE"} <= knobs
    deploy = (DOCS / "deploy.md").read_text("utf-8")
    for knob in knobs:
        assert f"`{knob}`" in deploy, knob


def test_every_route_is_documented(app):
    web = (DOCS / "web.md").read_text("utf-8")
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith(("resources.", "files.")):
            first = re.sub(r"<[^>]+>.*", "", rule.rule).rstrip("/.") or "/"
            assert f"`{first}" in web, rule.rule
