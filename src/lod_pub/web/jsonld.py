"""Compacted JSON-LD of a description, with the release's own context, without a JSON-LD processor.

Terms and values are compacted by the dumps' own writer (`lod_pub.dumps.JsonLdCompactor`: @vocab for
schema.org, prefixes for the rest, English strings plain), so a document and the dumps read alike; a
plain (xsd:string) literal is written as a bare value object.
Here: one node object per subject, flat, in `@graph`, the described resource first, the context
embedded (never fetched). `script_json` makes the same document safe inside
<script type="application/ld+json">.
"""

from __future__ import annotations

import json
from typing import Iterable

import pyoxigraph as ox

from ..dumps import JsonLdCompactor


XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


class Compactor(JsonLdCompactor):
    def value(self, term) -> object:
        # A plain string as {"@value": v}: not a bare string (the context's @language would make it
        # English), and not typed xsd:string, which rdflib reads back as a literal unequal to the plain one.
        if isinstance(term, ox.Literal) and not term.language and term.datatype.value == XSD_STRING:
            return {"@value": term.value}
        return super().value(term)

    def document(self, triples: Iterable[ox.Triple]) -> dict:
        pairs: dict = {}
        for t in triples:
            pairs.setdefault(t.subject, []).append((t.predicate, t.object))
        return {"@context": self.ctx, "@graph": [self.node(subject, p) for subject, p in pairs.items()]}


def dumps(document: dict) -> bytes:
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")


def script_json(document: dict) -> str:
    """JSON that cannot end its <script> element early: <, > and & as \\u escapes (still the same JSON)."""
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))  # no indent: the C encoder
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e") \
        .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
