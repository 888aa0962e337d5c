"""What every request must be before it is routed: text in UTF-8.

    register(app)     refuses, with 400, a query string whose percent-decoded bytes are not UTF-8

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


def register(app: Flask) -> None:
    app.before_request(_query_string_is_utf8)
