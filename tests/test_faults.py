"""Faults: builds killed at random moments, and broken releases, never leave a half-published graph."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from lod_pub.release import build, current
from lod_pub.settings import Settings

TRIALS = int(os.environ.get("LOD_PUB_FAULT_TRIALS", "20"))


def start_build(project: Path, data: Path, *options: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "lod_pub.cli", "build", "-q", *options,
                             "--project", str(project), "--data-dir", str(data)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


@pytest.mark.slow
@pytest.mark.parametrize("options", [("--no-cache",), ()], ids=["full", "from the current release"])
def test_builds_killed_at_random_moments_never_leave_a_partial_release(project_copy, tmp_path, options):
    """SIGKILL a build at TRIALS random moments over its run: `current` is always a whole release,
    the previous one or the new one, and the next build cleans up and publishes. A full build, and
    one that starts from the current release (store checkpoint, dump parts linked)."""
    data = tmp_path / "var"
    settings = Settings(project_dir=project_copy, data_dir=data)
    previous = build(settings).release
    started = time.perf_counter()
    proc = start_build(project_copy, data, *options)
    proc.wait(timeout=120)
    duration = time.perf_counter() - started
    assert proc.returncode == 0
    rng = random.Random(20261128)
    outcomes = {"old": 0, "new": 0}
    for _ in range(TRIALS):
        before = current(data).id
        proc = start_build(project_copy, data, *options)
        time.sleep(rng.uniform(0, duration))
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=60)
        now = current(data)
        now.verify(checksums=True)  # whole: every file there, every checksum right
        assert now.open_store() is not None
        outcomes["old" if now.id == before else "new"] += 1
    assert build(settings).release.id != previous.id
    assert list((data / "releases").glob(".staging-*")) == []
    assert outcomes["old"] > 0  # most kills land before the switch; the test did kill builds midway


def test_a_full_disk_while_writing_dumps_fails_cleanly(published_settings, monkeypatch):
    settings, first = published_settings
    import lod_pub.dumps as dumps

    real = dumps._write_file

    def full(path, data):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(dumps, "_write_file", full)
    from lod_pub.errors import ReleaseError

    with pytest.raises(ReleaseError, match="No space left"):
        build(settings.with_(cache=False))  # a full build: it writes every dump part
    monkeypatch.setattr(dumps, "_write_file", real)
    assert current(settings.data_dir).id == first.id
    assert list((settings.data_dir / "releases").glob(".staging-*")) == []


@pytest.fixture()
def published_settings(project_copy, tmp_path):
    settings = Settings(project_dir=project_copy, data_dir=tmp_path / "var")
    return settings, build(settings).release


def test_a_release_with_a_missing_or_damaged_file_is_detected(published_settings):
    settings, first = published_settings
    from lod_pub.errors import ReleaseError

    dump = first.dumps_dir / "graph.nt.gz"
    data = dump.read_bytes()
    dump.write_bytes(data[:-10])
    with pytest.raises(ReleaseError, match="graph.nt.gz"):
        first.verify()
    dump.write_bytes(data[:-10] + b"x" * 10)  # same size, other bytes
    first.verify()
    with pytest.raises(ReleaseError, match="checksum"):
        first.verify(checksums=True)
    shutil.rmtree(first.path / "store")
    dump.write_bytes(data)
    with pytest.raises(ReleaseError, match="store"):
        first.verify()
