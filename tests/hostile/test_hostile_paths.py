"""Path traversal on every route that takes a path: always a 4xx, never a file from outside, never a 5xx.

Each route with a path parameter is tried with `..` (plain, percent-encoded, double-encoded, overlong
UTF-8, backslashed), `%2f`, absolute paths and NUL, through Flask's test client and as raw bytes to a
live gunicorn (no client tidies the path on the way there).
"""

from __future__ import annotations

import pytest

from hostile_support import raw, status_of

#: Every route that takes a path, with the prefix before its parameter.
PREFIXES = ("/id/person/", "/id/", "/doc/person/", "/doc/", "/ns/", "/graph/", "/graph/article/", "/dumps/",
            "/void.", "/static/")
PAYLOADS = ("..", "%2e%2e", "%2E%2E/", "../manifest.json", "..%2fmanifest.json", "%2e%2e%2fmanifest.json",
            "../../../../../../etc/passwd", "..%2f..%2f..%2f..%2f..%2f..%2fetc%2fpasswd", "%252e%252e%252fetc%252fpasswd",
            "%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd", "..%5c..%5cmanifest.json", "..\\..\\manifest.json", "/etc/passwd",
            "%2fetc%2fpasswd", "//etc/passwd", "%00", "graph.nt%00.html", "x%00/../../etc/passwd",
            "manifest.json", "....//....//etc/passwd", "..;/..;/etc/passwd", "file:///etc/passwd")
#: What must never appear in an answer: /etc/passwd, and the release's own files that are not served.
LEAKS = (b"root:x:0:0", b"root:*:0:0", b'"files":', b"validation.ttl")


def _paths():
    return [prefix + payload for prefix in PREFIXES for payload in PAYLOADS]


def test_every_route_refuses_traversal_through_the_test_client(client):
    for path in _paths():
        response = client.get(path, follow_redirects=True)
        response.close()
        assert 400 <= response.status_code < 500, (path, response.status_code)
        assert not any(leak in response.data for leak in LEAKS), path


def test_every_route_refuses_traversal_sent_as_raw_bytes(gunicorn_url):
    for path in _paths():
        answer = raw(gunicorn_url, f"GET {path} HTTP/1.0\r\nHost: x\r\n\r\n".encode())
        status = status_of(answer)
        assert 400 <= status < 500 or status in (301, 308), (path, answer[:200])
        assert not any(leak in answer for leak in LEAKS), path


def test_a_nul_or_control_byte_in_the_request_line_is_a_4xx(gunicorn_url):
    for path in (b"/dumps/graph.nt.gz\x00", b"/doc/person/\x00", b"/\x01\x02", b"/graph/\xff\xfe", b"/doc/\xc0\xaf"):
        answer = raw(gunicorn_url, b"GET " + path + b" HTTP/1.0\r\nHost: x\r\n\r\n")
        assert 400 <= status_of(answer) < 500, (path, answer[:200])


@pytest.mark.parametrize("path", ["/dumps/graph.nt.gz", "/dumps/parts/0000.nt.gz", "/dumps/SHA256SUMS", "/static/style.css", "/void.ttl", "/ns/dip.ttl"])
def test_the_files_themselves_are_still_served(client, path):
    """The guard: the same routes still answer for what they do serve."""
    response = client.get(path)
    response.close()
    assert response.status_code == 200
