"""What every request must be before it is routed: text in UTF-8, a host that decodes.

    register(app)     refuses, with 400, a query string whose percent-decoded bytes are not UTF-8,
                      and a Host header whose IDNA labels do not decode

Werkzeug decodes a URL's parameters with errors="replace", so `?q=%FF` would arrive as U+FFFD and a
search or a SPARQL query would run on text the client never sent. URLs are UTF-8 (RFC 3986 §2.5,
and SPARQL 1.1 Protocol §2.1.1): anything else, lone surrogates (`%ED%A0%80`) included, is refused
here, clearly, for every route. Form bodies are checked where they are read (sparql.py).
"""

from __future__ import annotations

from urllib.parse import unquote_to_bytes

from flask import Flask, abort, request


def is_utf8(encoded: bytes) -> bool:
    """True when the percent-decoded form of `encoded` (a query string or a form body) is UTF-8."""
    try:
        unquote_to_bytes(encoded.replace(b"+", b" ")).decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _query_string_is_utf8() -> None:
    if request.query_string and not is_utf8(request.query_string):
        abort(400, "the URL's query string is not UTF-8 once percent-decoded (RFC 3986 §2.5); "
                   "encode the text as UTF-8, then percent-encode it")


def _host_is_readable() -> None:
    """Every Location, Content-Location and Link is built from the request's host (request.root_url);
    Werkzeug decodes it as IDNA and raises UnicodeError on a bad punycode label (`Host: xn--zz`)."""
    try:
        request.root_url  # noqa: B018 - decoding it is the check
    except UnicodeError:
        abort(400, "the Host header is not a host name that can be decoded (IDNA)")


def register(app: Flask) -> None:
    app.before_request(_query_string_is_utf8)
    app.before_request(_host_is_readable)
