"""Media types: one table, and one pure function that chooses from it by an Accept header (RFC 9110 §12.5.1)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Format:
    key: str                 # short name, used in ?format= and file names
    media_type: str          # what we send in Content-Type (without charset)
    extension: str           # file extension of fixed-format URLs and dumps
    rdflib: str | None       # rdflib serializer/parser name, if RDF
    aliases: tuple[str, ...] = ()
    dataset: bool = False    # carries named graphs
    text: bool = True        # send "; charset=utf-8"

    @property
    def content_type(self) -> str:
        return f"{self.media_type}; charset=utf-8" if self.text else self.media_type


RDF_FORMATS: tuple[Format, ...] = (
    Format("turtle", "text/turtle", "ttl", "turtle", ("application/x-turtle",)),
    Format("jsonld", "application/ld+json", "jsonld", "json-ld", ("application/json",)),
    Format("ntriples", "application/n-triples", "nt", "nt", ("text/plain",)),
    Format("rdfxml", "application/rdf+xml", "rdf", "xml", ("application/xml", "text/xml")),
)
DATASET_FORMATS: tuple[Format, ...] = (
    Format("nquads", "application/n-quads", "nq", "nquads", (), dataset=True),
    Format("trig", "application/trig", "trig", "trig", (), dataset=True),
)
HTML = Format("html", "text/html", "html", None, ("application/xhtml+xml",))

BY_KEY: dict[str, Format] = {f.key: f for f in (*RDF_FORMATS, *DATASET_FORMATS, HTML)}
BY_EXTENSION: dict[str, Format] = {f.extension: f for f in BY_KEY.values()}


def _parse_accept(header: str) -> list[tuple[str, str, float]]:
    """[(type, subtype, q)] of an Accept header; malformed items are skipped, never raised."""
    ranges = []
    for item in header.split(","):
        parts = [p.strip() for p in item.split(";")]
        media = parts[0].lower()
        if media.count("/") != 1:
            continue
        mtype, subtype = media.split("/")
        if not mtype or not subtype or (mtype == "*" and subtype != "*"):
            continue
        q = 1.0
        for param in parts[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value.strip())
                except ValueError:
                    q = 0.0
                q = min(max(q, 0.0), 1.0)
                break  # parameters after q are accept-extensions
        ranges.append((mtype, subtype, q))
    return ranges


def _quality(media_type: str, ranges: list[tuple[str, str, float]]) -> float:
    """q of the most specific range that matches media_type (0 when none does)."""
    mtype, subtype = media_type.split("/")
    best_specificity, best_q = -1, 0.0
    for rtype, rsub, q in ranges:
        if rtype == mtype and rsub == subtype:
            specificity = 2
        elif rtype == mtype and rsub == "*":
            specificity = 1
        elif rtype == "*":
            specificity = 0
        else:
            continue
        if specificity > best_specificity:
            best_specificity, best_q = specificity, q
    return best_q


def negotiate(accept: str | None, offers: tuple[Format, ...]) -> Format | None:
    """The offer the client prefers most; ties go to the earlier offer. None means 406.

    A missing or empty Accept header means "anything": the first offer.
    Aliases (e.g. application/json for JSON-LD) count a little less than the main type, so that
    a client asking for both gets the main one.
    """
    if not accept or not accept.strip():
        return offers[0] if offers else None
    ranges = _parse_accept(accept)
    if not ranges:
        return offers[0] if offers else None
    best, best_q = None, 0.0
    for offer in offers:
        q = _quality(offer.media_type, ranges)
        for alias in offer.aliases:
            q = max(q, _quality(alias, ranges) * 0.99)
        if q > best_q:
            best, best_q = offer, q
    return best
