"""IRIs: minted in one place, stable, checked by a strict parser, round-tripping non-ASCII ids."""

from __future__ import annotations

from urllib.parse import unquote

import pytest

from lod_pub.errors import IriError
from lod_pub.iris import Minter, check_iri


def test_entity_and_document_iris(minter):
    assert str(minter.entity("person", "sohail-mahmood")) == "https://lod.example.org/id/person/sohail-mahmood"
    assert str(minter.document("person", "sohail-mahmood", "ttl")) == \
        "https://lod.example.org/doc/person/sohail-mahmood.ttl"
    assert str(minter.article_graph("a1")) == "https://lod.example.org/graph/article/a1"
    assert str(minter.part("article", "a1", "image")) == "https://lod.example.org/id/article/a1#image"


def test_an_export_s_graph_is_named_as_an_export_s(minter):
    """A GDELT export is a unit of the corpus beside the articles, with a graph family of its own."""
    slug = "gdelt-export-20191024143000"
    assert str(minter.unit_graph("export", slug)) == f"https://lod.example.org/graph/export/{slug}"
    # the family follows the unit's kind, never its slug: an article may have any id
    assert minter.article_graph(slug) == minter.unit_graph("article", slug) != minter.unit_graph("export", slug)
    assert minter.units_of_graphs([str(minter.unit_graph("export", slug)), str(minter.article_graph("a1"))]) == [
        str(minter.entity("export", slug)), str(minter.entity("article", "a1"))]
    with pytest.raises(IriError, match="no unit graph"):
        minter.unit_graph("person", "a1")
    with pytest.raises(IriError, match="not an article's or an export's graph"):
        minter.units_of_graphs([str(minter.entities_graph())])


def test_the_base_is_configurable():
    assert str(Minter("http://localhost:8080/data/").entity("place", "kabul")) == \
        "http://localhost:8080/data/id/place/kabul"


def test_non_ascii_ids_are_percent_encoded_and_round_trip(minter):
    iri = str(minter.entity("person", "Ünïcødé-Ñame"))
    assert iri.isascii()
    assert minter.split(iri) == ("id", "person", "Ünïcødé-Ñame")
    assert unquote(iri.rsplit("/", 1)[1]) == "Ünïcødé-Ñame"


@pytest.mark.parametrize("slug", ["has space", "a<b", 'quo"te', "new\nline", "../etc", "a/b", "", "-lead", "x" * 201])
def test_hostile_ids_are_refused(minter, slug):
    with pytest.raises(IriError):
        minter.entity("person", slug)


@pytest.mark.parametrize("iri", ["http://a b", "http://x/<y>", "relative/path", "http://x/\n", "http://x/{y}"])
def test_the_strict_parser_refuses_what_rdf_libraries_let_through(iri):
    with pytest.raises(IriError):
        check_iri(iri)


def test_unknown_kind_is_refused(minter):
    with pytest.raises(IriError):
        minter.entity("spaceship", "x")


def test_a_base_without_trailing_slash_is_refused():
    with pytest.raises(IriError):
        Minter("https://lod.example.org")


def test_every_iri_in_the_release_is_minted_under_the_base_and_stable(store, minter):
    subjects = {q.subject.value for q in store.quads_for_pattern(None, None, None, None)
                if q.subject.__class__.__name__ == "NamedNode"}
    ours = {s for s in subjects if s.startswith(minter.base)}
    assert ours == subjects
    for iri in ours:
        kind_slug = minter.split(iri.split("#")[0])
        assert kind_slug is not None, iri
        assert str(minter.entity(kind_slug[1], kind_slug[2])) == iri.split("#")[0]


def test_the_site_path_of_an_iri(minter):
    assert minter.path_of(str(minter.entity("person", "x"))) == "/doc/person/x"
    assert minter.path_of(str(minter.article_graph("a"))) == "/graph/article/a"
    assert minter.path_of("http://www.wikidata.org/entity/Q843") is None
