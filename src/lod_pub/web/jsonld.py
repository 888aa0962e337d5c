"""Compacted JSON-LD of a description, with the release's own context, without a JSON-LD processor.

Terms and values are compacted by the dumps' own writer (`lod_pub.dumps.JsonLdCompactor`: @vocab for
schema.org, prefixes for the rest, English strings plain, other plain strings as bare value objects),
so a document and the dumps read alike.
Here: one node object per subject, flat, in `@graph`, the described resource first, the context
embedded (never fetched). `script_json` makes the same document safe inside
<script type="application/ld+json">.
"""

from __future__ import annotations

import json
from typing import Iterable

import pyoxigraph as ox

from ..dumps import JsonLdCompactor


class Compactor(JsonLdCompactor):
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
