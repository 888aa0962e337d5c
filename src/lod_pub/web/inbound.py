"""What every request must be before it is routed: text in UTF-8, a host that decodes, a Range read once.

    register(app)     refuses, with 400, a query string whose percent-decoded bytes are not UTF-8,
                      and a Host header whose IDNA labels do not decode; drops a Range header that
                      is not one valid byte range (RFC 9110 §14.2), so that the file is sent whole

Werkzeug decodes a URL's parameters with errors="replace", so `?q=%FF` would arrive as U+FFFD and a
search or a SPARQL query would run on text the client never sent. URLs are UTF-8 (RFC 3986 §2.5,
and SPARQL 1.1 Protocol §2.1.1): anything else, lone surrogates (`%ED%A0%80`) included, is refused
here, clearly, for every route. Form bodies are checked where they are read (sparql.py).
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import unquote_to_bytes

from flask import Flask, abort, request
from werkzeug.sansio.utils import get_current_url


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
    if not _readable(request.scheme, request.host, request.root_path):
        abort(400, "the Host header is not a host name that can be decoded (IDNA)")


@lru_cache(maxsize=256)
def _readable(scheme: str, host: str, root_path: str) -> bool:
    """Whether Werkzeug can build the root URL from these, as request.root_url does: decided once a host
    (decoding it was a tenth of the app's time on an answer that names no URL, a cached SPARQL answer)."""
    try:
        get_current_url(scheme, host, root_path)
    except UnicodeError:
        return False
    return True


# -- Range (RFC 9110 §14) ----------------------------------------------------------------------------
#: Larger than any file served: a position with more digits is past the end of every file.
FAR = 10 ** 18 - 1
_POSITION = re.compile(r"[0-9]+")


def _position(digits: str) -> int:
    return FAR if len(digits) > len(str(FAR)) else min(int(digits), FAR)


def one_byte_range(header: str) -> str | None:
    """`bytes=FIRST-[LAST]` or `bytes=-SUFFIX`, written plainly, when the header is one valid byte range;
    None when it is to be ignored: another unit, a syntax error, a last position before the first
    (RFC 9110 §14.1.1: invalid), or several ranges (multipart/byteranges is not served). Whether the
    range is satisfiable is the file's to say (416 with `Content-Range: bytes */LENGTH` when not)."""
    unit, equals, ranges = header.partition("=")
    if not equals or unit.strip().lower() != "bytes":
        return None
    specs = [spec.strip(" \t") for spec in ranges.split(",") if spec.strip(" \t")]  # empty list items are allowed
    if len(specs) != 1:
        return None
    first, dash, last = specs[0].partition("-")
    if not dash or not all(_POSITION.fullmatch(n) for n in (first, last) if n) or not (first or last):
        return None
    if not first:
        return f"bytes=-{_position(last)}"
    if last and _position(last) < _position(first):
        return None
    return f"bytes={_position(first)}-{_position(last) if last else ''}"


def _range_is_one_byte_range() -> None:
    """Werkzeug answers 416 to any Range it cannot read; RFC 9110 §14.2 asks that an invalid one be
    ignored. The header is replaced by its plain form, or removed."""
    header = request.environ.get("HTTP_RANGE")
    if header is None:
        return
    plain = one_byte_range(header)
    if plain is None:
        del request.environ["HTTP_RANGE"]
    else:
        request.environ["HTTP_RANGE"] = plain


def register(app: Flask) -> None:
    app.before_request(_query_string_is_utf8)
    app.before_request(_host_is_readable)
    app.before_request(_range_is_one_byte_range)
