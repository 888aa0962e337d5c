"""Faults on the server's side, with a live gunicorn (2 workers): builds SIGKILLed while clients keep asking,
and damaged releases switched to, each refused while the server stays on the good one.

LOD_PUB_LIVE_FAULT_TRIALS (default 6) sets how many builds are killed; tests/test_faults.py kills 20
without a server, and checks the release folder itself after each kill.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests

import load_test
from lod_pub.release import build, current
from lod_pub.settings import Settings

TRIALS = int(os.environ.get("LOD_PUB_LIVE_FAULT_TRIALS", "6"))
DOC = "/doc/person/sohail-mahmood.ttl"
ASK = "/sparql?query=ASK%20%7B%20%3Fs%20a%20schema%3AEvent%20%7D"


@pytest.fixture()
def served(project_copy, tmp_path):
    """The sample built into a private data folder and served by gunicorn -w 2; stopped by pid."""
    settings = Settings(project_dir=project_copy, data_dir=tmp_path / "var")
    build(settings)
    log = tmp_path / "server.log"
    # a generous limit: a query process started on a loaded machine counts its start toward the limit
    url, proc = load_test.start_gunicorn(settings.data_dir, env={"LOD_PUB_SPARQL_TIMEOUT": "60"}, log=log)
    try:
        yield settings, url, log
    finally:
        load_test.stop(proc)


class Poller(threading.Thread):
    """Asks for a document, a query and a dump, over and over, and keeps every answer."""

    def __init__(self, url: str):
        super().__init__(daemon=True)
        self.url, self.answers, self.stopped = url, [], threading.Event()

    def run(self) -> None:
        session = requests.Session()
        while not self.stopped.is_set():
            for path in (DOC, ASK, "/dumps/graph.nt.gz", "/"):
                try:
                    r = session.get(self.url + path, timeout=120, headers={"Accept": "*/*"})
                    self.answers.append((path, r.status_code, r.headers.get("ETag", "").strip('"'), r.content))
                except requests.RequestException as exc:
                    self.answers.append((path, 0, "", repr(exc).encode()))

    def stop(self) -> list:
        self.stopped.set()
        self.join(90)
        return self.answers


def start_build(settings: Settings) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "lod_pub.cli", "build", "-q", "--no-cache", "--project",
                             str(settings.project_dir), "--data-dir", str(settings.data_dir)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def served_release(url: str, tries: int = 8) -> set[str]:
    """The release ids the workers answer from (several requests, so both workers are likely asked)."""
    ids = set()
    for _ in range(tries):
        r = requests.get(url + DOC, timeout=30)
        assert r.status_code == 200, r.text[:300]
        ids.add(r.headers["ETag"].strip('"').split("-")[0])
    return ids


@pytest.mark.slow
def test_the_server_answers_throughout_builds_killed_at_random_moments(served):
    settings, url, log = served
    first = current(settings.data_dir)
    started = time.monotonic()
    proc = start_build(settings)
    assert proc.wait(120) == 0
    duration = time.monotonic() - started
    poller = Poller(url)
    poller.start()
    rng = random.Random(20261128)
    for _ in range(TRIALS):
        proc = start_build(settings)
        time.sleep(rng.uniform(0, duration))
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(60)
        current(settings.data_dir).verify(checksums=True)
    last = build(settings).release
    deadline = time.monotonic() + 30
    while served_release(url) != {last.id} and time.monotonic() < deadline:
        time.sleep(0.2)
    answers = poller.stop()
    assert served_release(url) == {last.id} != {first.id}  # the new release, without a restart
    assert {a[0] for a in answers} == {DOC, ASK, "/dumps/graph.nt.gz", "/"}  # the poller asked throughout
    failed = [(path, status, body[:200]) for path, status, _, body in answers if status != 200]
    assert failed == []
    for path, _, etag, body in answers:  # every dump answer is a whole dump of one release
        if path == "/dumps/graph.nt.gz":
            assert hashlib.sha256(body).hexdigest() == etag
    assert list((settings.data_dir / "releases").glob(".staging-*")) == []
    assert "Traceback" not in log.read_text(errors="replace")


def _switch(data_dir: Path, target: Path) -> None:
    """Point `current` at target in one atomic rename, as a build does."""
    tmp = data_dir / ".current-test"
    if tmp.is_symlink():
        tmp.unlink()
    os.symlink(os.path.relpath(target, data_dir), tmp)
    os.replace(tmp, data_dir / "current")


def _copy(good: Path, name: str) -> Path:
    """A copy of the good release under a new id (the id is what ETags carry)."""
    copy = good.parent / name
    shutil.copytree(good, copy)
    manifest = json.loads((copy / "manifest.json").read_text())
    manifest["id"] = name
    (copy / "manifest.json").write_text(json.dumps(manifest))
    return copy


def _garble(paths) -> None:
    for path in paths:
        path.write_bytes(b"garbage " * 64)


DAMAGES = {
    "a dump missing": lambda r: (r / "dumps" / "graph.nt.gz").unlink(),
    "a dump truncated": lambda r: (r / "dumps" / "graph.ttl.gz").write_bytes((r / "dumps" / "graph.ttl.gz").read_bytes()[:50]),
    "the store missing": lambda r: shutil.rmtree(r / "store"),
    "the store's manifest garbled": lambda r: _garble((r / "store").glob("MANIFEST-*")),
    "the store's tables gone": lambda r: [p.unlink() for p in (r / "store").glob("*.sst")],
    "the store's CURRENT gone": lambda r: (r / "store" / "CURRENT").unlink(),
    "the release manifest missing": lambda r: (r / "manifest.json").unlink(),
    "the release manifest garbled": lambda r: (r / "manifest.json").write_text("{"),
    "the void.ttl missing": lambda r: (r / "void.ttl").unlink(),
}


def test_a_damaged_release_is_refused_and_the_good_one_stays_served(served):
    settings, url, log = served
    good = current(settings.data_dir)
    dump = requests.get(url + "/dumps/graph.nt.gz", timeout=30)
    assert served_release(url) == {good.id}
    for i, (what, damage) in enumerate(DAMAGES.items()):
        bad = _copy(good.path, f"29991231T00000{i}000000Z")
        damage(bad)
        _switch(settings.data_dir, bad)
        assert served_release(url) == {good.id}, what
        asked = requests.get(url + ASK, timeout=90, headers={"Accept": "application/sparql-results+json"})
        assert asked.status_code == 200 and asked.json()["boolean"], (what, asked.status_code, asked.text[:300])
        again = requests.get(url + "/dumps/graph.nt.gz", timeout=30)
        assert again.status_code == 200 and again.content == dump.content, what
    _switch(settings.data_dir, settings.data_dir / "releases" / "nowhere")  # a pointer that leads nowhere
    assert served_release(url) == {good.id}
    _switch(settings.data_dir, bad)
    second, proc = load_test.start_gunicorn(settings.data_dir, log=log)  # workers that never saw the good one
    try:
        assert served_release(second) == {good.id}  # the newest whole release kept, not a 503
    finally:
        load_test.stop(proc)
    fresh = _copy(good.path, "29991231T999999000000Z")
    _switch(settings.data_dir, fresh)
    assert served_release(url) == {fresh.name}  # a whole release is taken up at once, no restart
    text = log.read_text(errors="replace")
    assert "Traceback" not in text and text.count("refusing release") >= len(DAMAGES)
