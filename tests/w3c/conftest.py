"""Fixtures of the W3C suites: one release holding every data file the tests name, the project's app on
it (rewrites on, as served), and that app on a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from flask import Flask
from werkzeug.serving import make_server

from lod_pub.adhoc import publish_files
from lod_pub.settings import Settings
from lod_pub.web import create_app
from w3c_manifests import graphs_of, suites, manifest_tests

#: The suites whose tests run here (tests/data/w3c/SOURCE.md); every data file they name is published.
SUITES = (*suites("manifest-sparql11-query.ttl"), *suites("manifest-sparql11-results.ttl"), "protocol")


@pytest.fixture(scope="session")
def w3c_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """A release of the tests' data files, each file in a graph of the name the tests give it (its W3C IRI,
    or for the protocol tests the graph name the manifest gives), published as `lod-pub serve --data
    NAME=FILE` does. A test chooses its dataset with default-graph-uri/named-graph-uri."""
    settings = Settings(data_dir=tmp_path_factory.mktemp("w3c"))
    graphs = graphs_of([test for suite in SUITES for test in manifest_tests(suite)])
    publish_files([f"{name}={path}" for name, path in sorted(graphs.items())], settings)
    return settings


@pytest.fixture(scope="session")
def w3c_app(w3c_settings: Settings) -> Iterator[Flask]:
    app = create_app(w3c_settings, SPARQL_WORKERS=2, SPARQL_TIMEOUT=30)
    config = app.extensions["lod_pub.sparql"]["config"]
    assert getattr(config, "SPARQL_REWRITE", None) or config["SPARQL_REWRITE"], "the suites run with the rewrites on"
    yield app
    app.extensions["lod_pub.sparql"]["pool"].close()


@pytest.fixture(scope="session")
def w3c_server(w3c_app: Flask) -> Iterator[str]:
    """The app behind werkzeug's threaded HTTP server on a free loopback port: its base URL."""
    server = make_server("127.0.0.1", 0, w3c_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="w3c-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(10)
