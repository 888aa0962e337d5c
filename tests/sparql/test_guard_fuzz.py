"""The guard and Oxigraph's parser must agree on where code is: no SERVICE may hide from the guard.

Valid queries are assembled from what makes lexers disagree (strings of all four kinds holding
quotes, escapes, `#`, `<`, braces and the word SERVICE; comments; IRIs), with a SERVICE clause among
them, in code, in a string or in a comment. Whenever the guard lets a query through as SERVICE-free,
Oxigraph must not try to call a service. The service IRI uses port 9, which Oxigraph's HTTP client
refuses before connecting, so no packet leaves even if a SERVICE slipped by.
"""

from __future__ import annotations

import pyoxigraph as ox
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lod_pub.web.sparql.guard import Rejected, scan

SERVICE = "SERVICE <http://127.0.0.1:9/sparql> { ?a ?b ?c }"
INNER = ["a", " ", "#", "<", ">", "{", "}", "(", "\\\\", "\\n", "\\t", SERVICE]
store = ox.Store()


def quoted(quote: str, long: bool):
    other = "'" if quote == '"' else '"'
    pieces = INNER + [other, f"\\{quote}", f"\\{other}"] + ([f"{quote}a", f"{quote * 2}a", "\n"] if long else [])
    mark = quote * 3 if long else quote
    return st.lists(st.sampled_from(pieces), max_size=6).map(lambda p: f"?s ?p {mark}{''.join(p)}{mark} .")


element = st.one_of(
    quoted('"', False), quoted("'", False), quoted('"', True), quoted("'", True),
    st.lists(st.sampled_from(INNER + ['"', "'", '"""']), max_size=5).map(lambda p: "#" + "".join(p) + "\n"),
    st.sampled_from(["?s ?p <http://x/#SERVICE> .", "?s ?p ?o .", "FILTER(?s < ?o)", "{ ?s ?p ?o }", SERVICE]),
)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(parts=st.lists(element, min_size=1, max_size=6))
def test_no_service_hides_from_the_guard(parts):
    query = "SELECT * WHERE { " + " ".join(parts) + " }"
    try:
        found = scan(query, 100)
    except Rejected:
        return  # refused before any parser: safe
    if found.services:
        return  # seen, so refused by the endpoint: safe
    try:
        list(store.query(query))
    except SyntaxError:
        return  # Oxigraph does not run it at all
    except OSError as exc:  # Oxigraph tried to call the service the guard did not see
        raise AssertionError(f"SERVICE hidden from the guard: {query!r} ({exc})") from None
