"""Fixtures: a fixture corpus (tests/data/corpus, a copy of the two sample articles as they were when
the tests were written) built once per session into a temporary data folder. Tests never read the
project's own seeds/, which editors change every day; tests/test_seeds.py checks those only for what
must hold for any content."""

from __future__ import annotations

import os
import shutil
import socket
import threading
from pathlib import Path

import pyoxigraph as ox
import pytest

from lod_pub.iris import Minter
from lod_pub.release import build, current
from lod_pub.store.push import push
from lod_pub.settings import Settings
from lod_pub.web import create_app
from helpers import make_project
from oxigraph_server import OXIGRAPH, OxigraphServer
from virtuoso_server import VIRTUOSO, VirtuosoServer, load_as_is

NOT_SPARQL = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 12\r\n\r\ninternal-key"


@pytest.fixture(scope="session")
def settings(tmp_path_factory) -> Settings:
    project = make_project(tmp_path_factory.mktemp("project"))
    return Settings(project_dir=project, data_dir=tmp_path_factory.mktemp("var"))


@pytest.fixture(scope="session")
def release(settings):
    """The sample built and published once; tests must not change it."""
    build(settings)
    return current(settings.data_dir)


@pytest.fixture(scope="session")
def store(release) -> ox.Store:
    return release.open_store()


@pytest.fixture(scope="session")
def remote_server(release, tmp_path_factory):
    """An Oxigraph server process holding the sample release, pushed there by `push`; stopped by pid."""
    if not OXIGRAPH.exists():
        pytest.fail("the oxigraph server (PyPI 'oxigraph', in the test extras) is not installed")
    server = OxigraphServer(tmp_path_factory.mktemp("oxigraph")).start()
    try:
        remote = server.remote()
        push(release, remote)
        remote.close()
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def web_machine(settings, release, tmp_path_factory) -> Settings:
    """A web machine's data folder: the release's files copied without its store (a web machine needs
    no store); no remote store named yet."""
    data_dir = tmp_path_factory.mktemp("remote-var")
    shutil.copytree(settings.data_dir / "releases", data_dir / "releases", ignore=shutil.ignore_patterns("store"))
    os.symlink(os.readlink(settings.data_dir / "current"), data_dir / "current")
    return settings.with_(data_dir=data_dir)


@pytest.fixture(scope="session")
def remote_settings(web_machine, remote_server) -> Settings:
    """A web server's settings in remote mode: the release's files without its store, the data read
    from the Oxigraph server."""
    return web_machine.with_(remote=remote_server.url)


@pytest.fixture(scope="session")
def virtuoso_settings(web_machine, release, tmp_path_factory) -> Settings:
    """A web server's settings in remote mode reading a Virtuoso server (Debian's, started on its own
    ini; stopped by pid) holding the sample as Virtuoso holds it (virtuoso_server.load_as_is)."""
    if VIRTUOSO is None:
        pytest.fail("virtuoso-t is not installed: .ci/setup installs Debian's virtuoso-opensource-7-bin")
    server = VirtuosoServer(tmp_path_factory.mktemp("virtuoso")).start()
    try:
        remote = server.remote()
        load_as_is(release, remote)
        remote.close()
        yield web_machine.with_(remote=server.url)
    finally:
        server.stop()


@pytest.fixture(params=["oxigraph", pytest.param("virtuoso", marks=pytest.mark.slow)])
def own_remote(request, release, web_machine, tmp_path):
    """An app over a store of its own (the test may stop, pause or restart it), holding the sample
    release: (app, server). An Oxigraph server, filled by `push`; Virtuoso (slow: it takes seconds to
    start), holding the sample as Virtuoso can (virtuoso_server.load_as_is)."""
    if request.param == "oxigraph":
        if not OXIGRAPH.exists():
            pytest.fail("the oxigraph server (PyPI 'oxigraph', in the test extras) is not installed")
        server: OxigraphServer | VirtuosoServer = OxigraphServer(tmp_path / "oxigraph").start()
    else:
        if VIRTUOSO is None:
            pytest.fail("virtuoso-t is not installed: .ci/setup installs Debian's virtuoso-opensource-7-bin")
        server = VirtuosoServer(tmp_path / "virtuoso").start()
    try:
        remote = server.remote()
        if request.param == "oxigraph":
            push(release, remote)
        else:
            load_as_is(release, remote)
        remote.close()
        app = create_app(web_machine.with_(remote=server.url), LOD_PUB_REMOTE_TIMEOUT=2, SPARQL_WORKERS=1,
                         SPARQL_TIMEOUT=3)
        try:
            yield app, server
        finally:
            app.extensions["lod_pub.sparql"]["pool"].close()
    finally:
        server.stop()


@pytest.fixture()
def minter() -> Minter:
    return Minter()


@pytest.fixture()
def project_copy(tmp_path) -> Path:
    """A private project (the fixture corpus, ontology, shapes) a test may break."""
    return make_project(tmp_path)


@pytest.fixture()
def listener():
    """A loopback 'internal service' that answers every connection with a page that is not SPARQL and
    records it: (its URL, the requests it received). Nothing may ever connect."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    server.settimeout(0.1)
    seen, done = [], threading.Event()

    def serve():
        while not done.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(2)
                try:
                    seen.append(conn.recv(4096))
                    conn.sendall(NOT_SPARQL)
                except OSError:
                    seen.append(b"?")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}/x", seen
    done.set()
    thread.join(2)
    server.close()


def pytest_collection_modifyitems(config, items):
    """A test that runs on Virtuoso and cannot pass there (tests/virtuoso_differences.py) is marked
    xfail, strict, with the reason: listed, never skipped in silence."""
    from virtuoso_differences import reason

    for item in items:
        callspec = getattr(item, "callspec", None)
        if callspec is None or "virtuoso" not in callspec.id.split("-"):
            continue
        why = reason(getattr(item, "originalname", item.name), callspec.params)
        if why:
            item.add_marker(pytest.mark.xfail(strict=True, reason=why))
