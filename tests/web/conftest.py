"""Fixtures of the web tests: a fresh app per test over the sample release, and a real server process."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from lod_pub.web import create_app

BIN = Path(sys.executable).parent
CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(params=["embedded", "remote", "virtuoso"])
def app(request, settings, release):
    """A fresh app over the sample release: on its embedded store, reading a remote Oxigraph server, and
    reading a Virtuoso server (what cannot pass there: tests/virtuoso_differences.py)."""
    if request.param == "remote":
        settings = request.getfixturevalue("remote_settings")
    if request.param == "virtuoso":
        settings = request.getfixturevalue("virtuoso_settings")
    return create_app(settings)


@pytest.fixture()
def client(app):
    return app.test_client()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, proc: subprocess.Popen, log: Path, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}: {log.read_text()[-2000:]}")
        try:
            requests.get(url, timeout=10)  # the first answer opens the store: slow on a busy machine
            return
        except requests.RequestException:
            time.sleep(0.1)
    raise RuntimeError(f"server did not answer at {url} within {seconds}s")


def stop(proc: subprocess.Popen) -> None:
    """Stop the server we started, by its pid (gunicorn stops its workers itself on SIGTERM)."""
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()


@pytest.fixture(scope="session", params=["embedded", "remote", "virtuoso"])
def gunicorn_server(request, settings, release, tmp_path_factory):
    """gunicorn with two workers over the sample release (its embedded store, or the release's files only
    and a remote store: an Oxigraph server, or Virtuoso), on a free loopback port; stopped by pid."""
    if shutil.which("gunicorn", path=str(BIN)) is None:
        pytest.skip("gunicorn is not installed (pip install -e '.[test]')")
    port = free_port()
    env = {**os.environ, "LOD_PUB_DATA_DIR": str(settings.data_dir)}
    if request.param in ("remote", "virtuoso"):
        remote = request.getfixturevalue("virtuoso_settings" if request.param == "virtuoso" else "remote_settings")
        env.update(LOD_PUB_DATA_DIR=str(remote.data_dir), LOD_PUB_REMOTE=remote.remote)
    log = tmp_path_factory.mktemp("gunicorn") / "server.log"
    with log.open("wb") as out:
        proc = subprocess.Popen([str(BIN / "gunicorn"), "-w", "2", "-b", f"127.0.0.1:{port}", "lod_pub.web.wsgi:app"],
                                env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url + "/", proc, log)
        yield url, proc
    finally:
        stop(proc)


@pytest.fixture()
def start_server(tmp_path):
    """start_server(argv) -> url: a server process on a free loopback port, stopped by pid afterwards."""
    started = []

    def start(argv: list[str], seconds: float = 60) -> str:
        port, log = free_port(), tmp_path / f"server-{len(started)}.log"
        with log.open("wb") as out:
            proc = subprocess.Popen([*argv, "--port", str(port)], stdout=out, stderr=subprocess.STDOUT)
        started.append(proc)
        wait_until_up(f"http://127.0.0.1:{port}/", proc, log, seconds)
        return f"http://127.0.0.1:{port}"

    yield start
    for proc in started:
        stop(proc)
