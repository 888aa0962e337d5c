"""Fixtures: the project's own seeds built once per session into a temporary data folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from lod_pub.iris import Minter
from lod_pub.release import build, current
from lod_pub.settings import Settings

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


@pytest.fixture()
def minter() -> Minter:
    return Minter()


@pytest.fixture()
def project_copy(tmp_path) -> Path:
    """A private copy of the project's inputs (seeds, ontology, shapes) a test may break."""
    for name in ("seeds", "ontology", "shapes"):
        shutil.copytree(ROOT / name, tmp_path / name)
    return tmp_path

