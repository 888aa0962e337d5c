"""Errors as readable answers, in HTML or plain text by what the client asked for; never a bare 500.

    404 Not Found          no such resource (an unknown IRI, a page past the last)
    405 Method Not Allowed the web is read-only (Allow: what the route accepts)
    416 Range Not Satisfiable  a byte range that starts past the end of a file (Content-Range: its length)
    503 Service Unavailable nothing has been published yet, or the remote store is unreachable or
                           refused a request (Retry-After)
    500 Internal Error     a bug: logged, and still a readable page
"""

from __future__ import annotations

import logging

from flask import Flask, Response, render_template, request
from flask.globals import request_ctx
from werkzeug.exceptions import HTTPException, InternalServerError

from ..formats import HTML, TEXT, negotiate
from ..httpstore import RemoteError
from .state import NoRelease

log = logging.getLogger("lod_pub.web")
RETRY_AFTER = 10

EXPLAIN = {
    404: "There is nothing here. The IRI may be mistyped, or the resource is not in the current release.",
    405: "This server is read-only: it answers GET and HEAD (and the SPARQL protocol at /sparql).",
    416: "The byte range asked for starts past the end of the file; Content-Range gives the file's length.",
    503: "No release has been published yet. Run `lod-pub build`; this page will work as soon as it is done.",
    500: "Something went wrong on our side. It has been logged.",
}
STORE_DOWN = "The store that holds the data could not answer just now. Try again in a few seconds."


def error_response(status: int, title: str, detail: str) -> Response:
    fmt = negotiate(request.headers.get("Accept"), (TEXT, HTML)) or TEXT
    if request_ctx.url_adapter is None:  # a Host Werkzeug refused (BadHost): pages cannot build a URL
        fmt = TEXT
    if fmt is HTML:
        body = render_template("error.html", status=status, title=title, detail=detail, path=request.path)
    else:
        body = f"{status} {title}\n\n{detail}\n\nPath: {request.path}\n"
    response = Response(body, status, content_type=fmt.content_type)
    response.headers["Vary"] = "Accept"
    response.cache_control.no_store = status >= 500
    return response


def _http(exc: HTTPException):
    if exc.response is not None:  # already a full answer (e.g. a 406 naming the alternatives)
        return exc.response
    response = error_response(exc.code, exc.name, EXPLAIN.get(exc.code, exc.description or ""))
    if exc.code == 405 and getattr(exc, "valid_methods", None):
        response.headers["Allow"] = ", ".join(exc.valid_methods)
    if exc.code == 416 and getattr(exc, "length", None) is not None:
        response.headers["Content-Range"] = f"{exc.units} */{exc.length}"
    return response


def _no_release(exc: NoRelease):
    response = error_response(503, "Service Unavailable", EXPLAIN[503])
    response.headers["Retry-After"] = str(RETRY_AFTER)
    return response


def _store_failed(exc: RemoteError):
    log.error("remote store: %s", exc.detail)  # names the store; the answer does not
    response = error_response(503, "Service Unavailable", STORE_DOWN)
    response.headers["Retry-After"] = str(RETRY_AFTER)
    return response


def _internal(exc: InternalServerError):
    log.error("internal error on %s", request.path, exc_info=getattr(exc, "original_exception", None))
    return error_response(500, "Internal Server Error", EXPLAIN[500])


def register(app: Flask) -> None:
    for code in (400, 404, 405, 406, 413, 414, 416):
        app.register_error_handler(code, _http)
    app.register_error_handler(NoRelease, _no_release)
    app.register_error_handler(RemoteError, _store_failed)
    app.register_error_handler(InternalServerError, _internal)
