"""A disk that fills while the dumps are written: real write failures, not a simulated exception.

Each build runs in a child process whose file size limit (RLIMIT_FSIZE, with SIGXFSZ ignored so a
write past it fails with EFBIG the way a full disk fails with ENOSPC) is set just before the dumps
are written (a full build: every part and whole file is written), at sizes below the largest dump
(the sample's whole N-Quads is about 25 KB gzipped) that stop different files. The build must fail with exit code 2 and a message naming the problem, leave the
previous release current and whole, and leave nothing behind that the next build trips over.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from lod_pub.release import build, current
from lod_pub.settings import Settings

CHILD = """
import resource, signal, sys
import lod_pub.release as release
from lod_pub.cli import main

limit = int(sys.argv[1])
real = release.write_parts

def write_parts_on_a_small_disk(*args, **kwargs):
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.RLIM_INFINITY))
    return real(*args, **kwargs)

release.write_parts = write_parts_on_a_small_disk
sys.exit(main(["build", "-q", "--no-cache", "--project", sys.argv[2], "--data-dir", sys.argv[3]]))
"""


@pytest.mark.parametrize("limit_kb", [1, 8, 15, 20])
def test_dumps_that_do_not_fit_fail_the_build_cleanly(project_copy, tmp_path, limit_kb):
    settings = Settings(project_dir=project_copy, data_dir=tmp_path / "var")
    first = build(settings).release
    done = subprocess.run([sys.executable, "-c", CHILD, str(limit_kb << 10), str(project_copy),
                           str(settings.data_dir)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 2, done.stderr[-2000:]
    assert "File too large" in done.stderr and "/dumps/" in done.stderr, done.stderr[-2000:]  # the file, named
    assert "Traceback" not in done.stderr, done.stderr[-2000:]
    assert current(settings.data_dir).id == first.id
    current(settings.data_dir).verify(checksums=True)
    assert list((settings.data_dir / "releases").glob(".staging-*")) == []
    assert build(settings).release.id != first.id  # and the next build, on a disk with room, publishes
