"""OPTIONS on the site's own routes: what a route accepts, for a resource that exists.

    register(app)     answers OPTIONS on every route that leaves OPTIONS to Flask (all but /sparql,
                      which answers its own) with 204 and `Allow: GET, HEAD, OPTIONS`, or whatever
                      the route accepts; with 404 where a GET would be 404 (an unknown IRI, a dump not
                      in the manifest), so that OPTIONS tells no more than GET does

A CORS preflight (an OPTIONS with `Origin` and `Access-Control-Request-Method`, which a browser sends
before a script's GET that carries, say, `If-None-Match`) gets `Access-Control-Allow-Origin: *` (from
the blueprints' after_request), the methods and the request headers a script may send, and a max age.
"""

from __future__ import annotations

from flask import Flask, Response, current_app, request
from flask.globals import request_ctx
from werkzeug.exceptions import HTTPException

ORDER = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")
#: Request headers a script may send to the documents and files (CORS): negotiation, conditions, ranges.
ALLOW_HEADERS = "Accept, Accept-Language, If-Match, If-None-Match, If-Modified-Since, If-Range, Range"
MAX_AGE = 86400


def allowed_methods() -> list[str]:
    """Every method some route accepts at the request's path, in a fixed order."""
    adapter = request_ctx.url_adapter
    assert adapter is not None, "OPTIONS is answered for a routed request, which has a URL adapter"
    methods = set(adapter.allowed_methods())
    return sorted(methods, key=lambda m: (ORDER.index(m) if m in ORDER else len(ORDER), m))


def _refuse_what_get_refuses(endpoint: str) -> None:
    """Run the route as a GET would and raise its 404; any other answer means the resource is there."""
    try:
        answer = current_app.view_functions[endpoint](**(request.view_args or {}))
    except HTTPException as exc:
        if exc.code in (404, 410):
            raise
        return
    close = getattr(answer, "close", None)  # a file answer holds its file open
    if close is not None:
        close()


def _options() -> Response | None:
    rule = request.url_rule
    # Flask.add_url_rule sets provide_automatic_options on each rule; werkzeug's Rule does not declare it
    if request.method != "OPTIONS" or rule is None or not rule.provide_automatic_options:  # type: ignore[attr-defined]
        return None
    _refuse_what_get_refuses(rule.endpoint)
    methods = allowed_methods()
    response = Response(status=204)
    response.headers["Allow"] = ", ".join(methods)
    if "Origin" in request.headers and "Access-Control-Request-Method" in request.headers:
        response.headers["Access-Control-Allow-Methods"] = ", ".join(m for m in methods if m != "OPTIONS")
        response.headers["Access-Control-Allow-Headers"] = ALLOW_HEADERS
        response.headers["Access-Control-Max-Age"] = str(MAX_AGE)
    return response


def register(app: Flask) -> None:
    app.before_request(_options)
