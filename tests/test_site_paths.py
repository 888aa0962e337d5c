"""Every IRI becomes a path of the site in lod_pub.iris (site_path, Minter.site_path, Minter.path_of):
the pages' links, the SPARQL results table's links and the documents' own addresses."""

from __future__ import annotations

from lod_pub.iris import Minter, site_path
from lod_pub.web.sparql.table import link

BASE = "http://localhost:5000/"


def test_site_path_is_what_follows_the_base_never_two_slashes():
    assert site_path(BASE + "graph/entities", BASE) == "/graph/entities"
    assert site_path(BASE + "/evil.example/x", BASE) == "/%2Fevil.example/x"
    assert site_path(BASE, BASE) == "/"
    assert site_path("https://elsewhere.example/x", BASE) is None


def test_the_vocabulary_is_answered_under_ns_dip_whatever_the_base():
    minter = Minter(BASE)
    assert minter.path_of("https://w3id.org/lod-pub/ns/dip#evidence") == "/ns/dip#evidence"
    assert minter.path_of("https://w3id.org/lod-pub/ns/dip-shapes#EventShape") == "/ns/dip-shapes#EventShape"
    assert minter.path_of("https://w3id.org/lod-pub/ns/dip") == "/ns/dip"
    assert minter.site_path("https://w3id.org/lod-pub/ns/dip#evidence") is None  # not under this base


def test_the_cameo_codes_are_answered_under_ns_cameo_whatever_the_base():
    minter = Minter(BASE)
    assert minter.path_of("https://w3id.org/lod-pub/ns/cameo#042") == "/ns/cameo#042"
    assert minter.path_of("https://w3id.org/lod-pub/ns/cameo") == "/ns/cameo"


def test_a_thing_is_answered_by_its_document():
    minter = Minter(BASE)
    assert minter.path_of(BASE + "id/person/x") == "/doc/person/x"
    assert minter.path_of(BASE + "id/person/x#image") == "/doc/person/x#image"
    assert minter.site_path(BASE + "id/person/x") == "/id/person/x"


def test_the_results_table_links_with_the_same_function():
    assert link(BASE + "/evil.example/x", BASE) == site_path(BASE + "/evil.example/x", BASE)
    assert link("https://w3id.org/lod-pub/ns/dip#evidence", BASE) == "https://w3id.org/lod-pub/ns/dip#evidence"
