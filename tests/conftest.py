"""Fixtures: the project's own seeds built once per session into a temporary data folder."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from lod_pub.iris import Minter
from lod_pub.release import build, current
from lod_pub.remote import push
from lod_pub.settings import Settings
from oxigraph_server import OXIGRAPH, OxigraphServer

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def settings(tmp_path_factory) -> Settings:
    return Settings(project_dir=ROOT, data_dir=tmp_path_factory.mktemp("var"))


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
        pytest.skip("the oxigraph server (PyPI 'oxigraph', in the test extras) is not installed")
    server = OxigraphServer(tmp_path_factory.mktemp("oxigraph")).start()
    try:
        remote = server.remote()
        push(release, remote)
        remote.close()
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def remote_settings(settings, release, remote_server, tmp_path_factory) -> Settings:
    """A web server's settings in remote mode: the release's files copied without its store (a web
    machine needs no store), the data read from the remote store."""
    data_dir = tmp_path_factory.mktemp("remote-var")
    shutil.copytree(settings.data_dir / "releases", data_dir / "releases", ignore=shutil.ignore_patterns("store"))
    os.symlink(os.readlink(settings.data_dir / "current"), data_dir / "current")
    return settings.with_(data_dir=data_dir, remote=remote_server.url)


@pytest.fixture()
def minter() -> Minter:
    return Minter()


@pytest.fixture()
def project_copy(tmp_path) -> Path:
    """A private copy of the project's inputs (seeds, ontology, shapes) a test may break."""
    for name in ("seeds", "ontology", "shapes"):
        shutil.copytree(ROOT / name, tmp_path / name)
    return tmp_path

