"""Small helpers shared by tests (import as `from helpers import ...`)."""

from __future__ import annotations

import importlib.util
import shutil
import signal
import subprocess
from pathlib import Path

import pyoxigraph as ox
import pytest

from lod_pub.errors import Problem, RecordError
from lod_pub.sources import load_corpus
from lod_pub.vocab import PREFIXES

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "data" / "corpus"


def make_project(folder: Path) -> Path:
    """A project in folder: the fixture corpus as its seeds/, the project's ontology and shapes."""
    shutil.copytree(CORPUS, folder / "seeds")
    for name in ("ontology", "shapes"):
        shutil.copytree(ROOT / name, folder / name)
    return folder


def edit(root: Path, name: str, old: str, new: str) -> int:
    """Replace old (once, must exist) with new in a file of the copy; return old's line number."""
    path = root / name
    text = path.read_text("utf-8")
    assert text.count(old) == 1, f"test setup: {old!r} not once in {name}"
    path.write_text(text.replace(old, new, 1), "utf-8")
    return text[: text.index(old)].count("\n") + 1


def problems(root: Path) -> list[Problem]:
    """The problems reading root/seeds reports (it must report some)."""
    with pytest.raises(RecordError) as caught:
        load_corpus(root / "seeds")
    return caught.value.problems


def select(store: ox.Store, query: str) -> list[dict[str, str]]:
    """Rows of a SELECT over the union of all graphs, values as plain strings."""
    result = store.query(query, prefixes=PREFIXES, use_default_graph_as_union=True)
    names = [v.value for v in result.variables]
    return [{n: row[n].value for n in names if row[n] is not None} for row in result]


def stop_process(proc: subprocess.Popen | None, seconds: float = 10) -> None:
    """Stop a process this test run started, by its pid: SIGTERM (after SIGCONT, in case it was paused),
    then SIGKILL if it has not ended within seconds."""
    if proc is None or proc.poll() is not None:
        return
    proc.send_signal(signal.SIGCONT)
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(seconds)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


CHROMIUM = "/usr/bin/chromium"


def _browser_missing() -> str:
    if importlib.util.find_spec("playwright") is None:
        return "Playwright is not installed (pip install -e '.[test]')"
    if not Path(CHROMIUM).exists():
        return f"Debian's chromium is not installed at {CHROMIUM} (.ci/setup installs it: apt-get install chromium)"
    return ""


#: For tests that drive Debian's chromium through Playwright: skipped, saying why, when either is missing.
needs_browser = pytest.mark.skipif(bool(_browser_missing()), reason=_browser_missing() or "browser present")
