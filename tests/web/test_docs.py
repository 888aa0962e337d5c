"""Settings and routes are documented where operators look; the environment is read in one place."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from lod_pub.settings import TABLE, read_environment, settings_from, web_config

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
SRC = ROOT / "src" / "lod_pub"


@pytest.mark.parametrize("setting", TABLE, ids=lambda s: s.name)
def test_every_setting_is_documented_in_its_doc(setting):
    doc = (ROOT / setting.doc).read_text("utf-8")
    assert f"`{setting.variable}`" in doc or f"`{setting.name}`" in doc, (setting.name, setting.doc)


def test_every_environment_variable_is_read_as_its_setting():
    env = {s.variable: "7" if isinstance(s.default, (int, float)) and not isinstance(s.default, bool) else "x"
           for s in TABLE}
    values = read_environment(env)
    assert set(values) == {s.name for s in TABLE}
    assert settings_from(values).keep_releases == 7
    assert web_config(values)["SPARQL_TIMEOUT"] == 7.0 and web_config(values)["LOD_PUB_CACHE_SIZE"] == 7


def _environment_reads(tree: ast.AST) -> list[int]:
    """Lines where the code reads os.environ or os.getenv other than as read_environment's argument (a
    request's WSGI environ is not the process environment)."""
    allowed = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) == "read_environment":
            allowed |= {id(arg) for arg in node.args}
    found = []
    for node in ast.walk(tree):
        is_os = isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "os"
        if is_os and node.attr in ("environ", "getenv", "environb") and id(node) not in allowed:
            found.append(node.lineno)
        if isinstance(node, ast.ImportFrom) and node.module == "os" and \
                any(a.name in ("environ", "getenv", "environb") for a in node.names):
            found.append(node.lineno)
    return found


def test_the_code_reads_the_environment_only_through_the_table():
    """os.environ appears only as the argument of settings.read_environment (at the edge: the CLI and
    the WSGI entry point), and every LOD_PUB_ name in the code is a setting of the table."""
    app_keys = {"LOD_PUB_SETTINGS"}  # the app's config key for the Settings object, not a variable
    names = {s.variable for s in TABLE} | {s.name for s in TABLE} | app_keys
    for path in SRC.rglob("*.py"):
        text = path.read_text("utf-8")
        assert _environment_reads(ast.parse(text)) == [], path
        for name in re.findall(r"\bLOD_PUB_[A-Z_]+\b", text):
            assert name in names or path.name == "settings.py", (path, name)


def test_every_route_is_documented(app):
    web = (DOCS / "web.md").read_text("utf-8")
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith(("resources.", "files.")):
            first = re.sub(r"<[^>]+>.*", "", rule.rule).rstrip("/.") or "/"
            assert f"`{first}" in web, rule.rule
