"""Hostile data given to `lod-pub serve --data`: markup and script in names, shown escaped on every page;
RDF/XML with entity expansion (and JSON-LD that would fetch), refused with a build error."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from lod_pub.adhoc import publish_files
from lod_pub.errors import RecordError
from lod_pub.settings import Settings
from lod_pub.web import create_app

SCRIPT = "</script><script>alert(1)</script>"
ATTRIBUTE = '"><img src=x onerror=alert(2)>'
TEMPLATE = "{{ 7*7 }}{% raw %}"
EVIL = f"""
@prefix schema: <http://schema.org/> .
<https://lod.example.org/id/person/evil> a schema:Person ;
    schema:name '''{SCRIPT} {ATTRIBUTE} {TEMPLATE}'''@en ;
    schema:alternateName "<b>bold</b> & ampersand" ;
    schema:url <javascript:alert(3)> ;
    schema:knows <https://lod.example.org/id/person/plain> .
<https://lod.example.org/id/person/plain> a schema:Person ; schema:name "Plain <i>Person</i>" .
"""


@pytest.fixture(scope="module")
def evil_client(tmp_path_factory):
    folder = tmp_path_factory.mktemp("evil")
    (folder / "evil.ttl").write_text(EVIL, "utf-8")
    settings = Settings(data_dir=folder / "var")
    publish_files([str(folder / "evil.ttl")], settings)
    app = create_app(settings, SPARQL_WORKERS=1, SPARQL_TIMEOUT=10)
    yield app.test_client()
    app.extensions["lod_pub.sparql"]["pool"].close()


PAGES = ("/doc/person/evil", "/doc/person/evil.html", "/doc/person/plain.html", "/search?q=alert",
         "/search?q=bold", "/search?class=http%3A%2F%2Fschema.org%2FPerson", "/graph/data/evil",
         "/sparql?format=html&query=SELECT%20*%20WHERE%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D",
         "/sparql?format=html&query=CONSTRUCT%20WHERE%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D", "/void", "/")


@pytest.mark.parametrize("path", PAGES)
def test_markup_in_names_is_escaped_on_every_page(evil_client, path):
    response = evil_client.get(path, headers={"Accept": "text/html"})
    assert response.status_code == 200, path
    html = response.get_data(as_text=True)
    assert "<script>alert(1)" not in html and "<img src=x" not in html and "<b>bold</b>" not in html
    assert 'href="javascript:' not in html
    if "alert(1)" in html:  # the page shows the name: escaped, as text, the template syntax not run
        assert "&lt;script&gt;alert(1)" in html or "\\u003cscript\\u003ealert(1)" in html
        assert "{{ 7*7 }}" in html


def test_the_embedded_json_ld_cannot_be_left(evil_client):
    html = evil_client.get("/doc/person/evil.html").get_data(as_text=True)
    script = html.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert "<" not in script and "\\u003c/script\\u003e" in script


def test_rdf_answers_keep_the_names_intact(evil_client):
    turtle = evil_client.get("/doc/person/evil.ttl").get_data(as_text=True)
    assert SCRIPT in turtle and "javascript:alert(3)" in turtle


ENTITY_ATTACKS = {
    "billion-laughs.rdf": '<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n <!ENTITY a "aaaaaaaaaa">\n'
                          ' <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">\n <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">\n]>\n'
                          '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://e/">\n'
                          '<rdf:Description rdf:about="http://e/s"><ex:p>&c;</ex:p></rdf:Description></rdf:RDF>\n',
    "external.rdf": '<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [ <!ENTITY x SYSTEM "file:///etc/passwd"> ]>\n'
                    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://e/">'
                    '<rdf:Description rdf:about="http://e/s"><ex:p>&x;</ex:p></rdf:Description></rdf:RDF>\n',
    "parameter.owl": '<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [ <!ENTITY % p SYSTEM "http://127.0.0.1:9/x.dtd"> %p; ]>\n'
                     '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>\n',
    "in-utf16.xml": None,  # the billion laughs in UTF-16, where the bytes `<!ENTITY` do not appear
}


@pytest.mark.parametrize("name", sorted(ENTITY_ATTACKS))
def test_rdf_xml_with_entities_is_a_build_error_and_publishes_nothing(tmp_path, name):
    text = ENTITY_ATTACKS[name]
    path = tmp_path / name
    if text is None:
        path.write_bytes(ENTITY_ATTACKS["billion-laughs.rdf"].replace('version="1.0"?>', 'version="1.0" encoding="UTF-16"?>')
                         .encode("utf-16"))
    else:
        path.write_text(text, "utf-8")
    settings = Settings(data_dir=tmp_path / "var")
    with pytest.raises(RecordError) as caught:
        publish_files([str(path)], settings)
    assert name in str(caught.value)
    assert not (tmp_path / "var" / "current").exists()


def test_json_ld_that_would_fetch_is_a_build_error(tmp_path):
    for i, context in enumerate(('"file:///etc/passwd"', '"http://127.0.0.1:9/context.jsonld"',
                                 '{"@import": "http://127.0.0.1:9/c.jsonld"}')):
        path = tmp_path / f"remote-{i}.jsonld"
        path.write_text('{"@context": %s, "@id": "http://e/s", "http://e/p": "o"}' % context, "utf-8")
        with pytest.raises(RecordError):
            publish_files([str(path)], Settings(data_dir=tmp_path / "var"))
    assert not (tmp_path / "var" / "current").exists()


def test_serve_data_with_a_bomb_exits_1_naming_the_file(tmp_path):
    bomb = tmp_path / "bomb.rdf"
    bomb.write_text(ENTITY_ATTACKS["billion-laughs.rdf"], "utf-8")
    done = subprocess.run([str(Path(sys.executable).parent / "lod-pub"), "serve", "--data", str(bomb),
                           "--data-dir", str(tmp_path / "var"), "--port", "9"], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 1, done.stderr
    assert "bomb.rdf:3" in done.stderr and "entity" in done.stderr
