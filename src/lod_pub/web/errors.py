"""Errors as readable answers, in HTML or plain text by what the client asked for; never a bare 500.

    render_error(status, message, ...) -> Response   the one function that turns an error into an
                                                     answer; a page (the SPARQL page) may choose its template

    404 Not Found          no such resource (an unknown IRI, a page past the last)
    405 Method Not Allowed the web is read-only (Allow: what the route accepts)
    406 Not Acceptable     no offered format fits Accept (the alternatives listed, and linked)
    416 Range Not Satisfiable  a byte range that starts past the end of a file (Content-Range: its length)
    502 Bad Gateway        the remote store refused a request the web sent it
    503 Service Unavailable nothing has been published yet, or the remote store is unreachable (Retry-After)
    500 Internal Error     a bug: logged, and still a readable page
Every lod_pub.errors.WebError (the SPARQL endpoint's refusals among them) is rendered here.
"""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Mapping

from flask import Flask, Response, render_template, request
from flask.globals import request_ctx
from werkzeug.exceptions import HTTPException, InternalServerError, MethodNotAllowed, RequestedRangeNotSatisfiable
from werkzeug.sansio.response import Response as SansIOResponse

from ..errors import WebError
from ..formats import HTML, TEXT, negotiate
from ..store.http import RemoteError, StoreUnavailable
from .state import NoRelease

log = logging.getLogger("lod_pub.web")
RETRY_AFTER = 10

EXPLAIN = {
    404: "There is nothing here. The IRI may be mistyped, or the resource is not in the current release.",
    405: "This server is read-only: it answers GET and HEAD (and the SPARQL protocol at /sparql).",
    416: "The byte range asked for starts past the end of the file; Content-Range gives the file's length.",
    500: "Something went wrong on our side. It has been logged.",
}
STORE_DOWN = "The store that holds the data could not answer just now. Try again in a few seconds."


def render_error(status: int, message: str, *, title: str | None = None, headers: dict[str, str] | None = None,
           html: bool | None = None, template: str = "error.html",
           context: Mapping[str, object] | None = None) -> Response:
    """The answer for an error: HTML (`template`, given status, title, detail, path and `context`) or plain
    text, by `html` or else by Accept; Vary: Accept; never stored when the server is at fault."""
    title = title or HTTPStatus(status).phrase
    if html is None:
        html = negotiate(request.headers.get("Accept"), (TEXT, HTML)) is HTML
    if request_ctx.url_adapter is None:  # a Host Werkzeug refused (BadHost): pages cannot build a URL
        html = False
    if html:
        body = render_template(template, **{"status": status, "title": title, "detail": message,
                                            "path": request.path, **(context or {})})
    else:
        body = f"{status} {title}\n\n{message}\n\nPath: {request.path}\n"
    response = Response(body, status, headers=headers, content_type=(HTML if html else TEXT).content_type)
    response.headers["Vary"] = "Accept"
    response.cache_control.no_store = status >= 500
    return response


def _http(exc: HTTPException) -> SansIOResponse:
    if exc.response is not None:  # already a full answer (e.g. a 406 naming the alternatives)
        return exc.response
    code = exc.code or 500  # never None here: register() hands this handler the codes it lists
    response = render_error(code, EXPLAIN.get(code, exc.description or ""), title=exc.name)
    if code == 405 and isinstance(exc, MethodNotAllowed) and exc.valid_methods:
        response.headers["Allow"] = ", ".join(exc.valid_methods)
    if code == 416 and isinstance(exc, RequestedRangeNotSatisfiable) and exc.length is not None:
        response.headers["Content-Range"] = f"{exc.units} */{exc.length}"
    return response


def _web_error(exc: WebError) -> Response:
    return render_error(exc.status, getattr(exc, "public", None) or exc.message, headers=exc.headers)


def _store_failed(exc: RemoteError) -> Response:
    log.error("remote store: %s", exc.detail)  # names the store; the answer does not
    if isinstance(exc, StoreUnavailable):
        return render_error(503, STORE_DOWN, headers={"Retry-After": str(RETRY_AFTER)})
    return render_error(502, f"The store that holds the data refused the request: {exc}")  # not "try again"


def _internal(exc: InternalServerError) -> Response:
    log.error("internal error on %s", request.path, exc_info=getattr(exc, "original_exception", None))
    return render_error(500, EXPLAIN[500])


def register(app: Flask) -> None:
    for code in (400, 404, 405, 406, 413, 414, 416):
        app.register_error_handler(code, _http)
    app.register_error_handler(NoRelease, _web_error)
    app.register_error_handler(WebError, _web_error)
    app.register_error_handler(RemoteError, _store_failed)
    app.register_error_handler(InternalServerError, _internal)
