"""Compacted JSON-LD from triples, with the release's own context, without a JSON-LD processor.

The context (context.jsonld) is flat: `@vocab` (schema.org), a default `@language`, and prefixes. That
makes compaction a lookup: a property or class IRI under `@vocab` becomes its local name, one under a
prefix `prefix:local`, anything else stays a full IRI; node references stay full IRIs (`@id` is not
vocabulary-relative). A string in the default language is a plain JSON string; any other literal is a
value object, so a plain xsd:string never picks up the default language. One node object per subject,
flat, in `@graph`, the described resource first. The context is embedded, never fetched.

`script_json` makes the same document safe inside <script type="application/ld+json">.
"""

from __future__ import annotations

import json
import re
from typing import Iterable

import pyoxigraph as ox

from ..vocab import RDF, XSD

_LOCAL = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")
_TYPE = str(RDF.type)
_STRING = str(XSD.string)
_LANG_STRING = str(RDF.langString)


class Compactor:
    def __init__(self, context: dict):
        self.context = context["@context"] if "@context" in context else context
        self.vocab: str | None = self.context.get("@vocab")
        self.language: str | None = self.context.get("@language")
        prefixes = {k: v for k, v in self.context.items() if not k.startswith("@") and isinstance(v, str)}
        self.terms = set(prefixes)
        self.prefixes = sorted(prefixes.items(), key=lambda kv: -len(kv[1]))

    def iri(self, iri: str, vocab: bool = True) -> str:
        if vocab and self.vocab and iri.startswith(self.vocab):
            local = iri[len(self.vocab):]
            if _LOCAL.match(local) and local not in self.terms:
                return local
        for prefix, ns in self.prefixes:
            if iri.startswith(ns) and _LOCAL.match(iri[len(ns):]):
                return f"{prefix}:{iri[len(ns):]}"
        return iri

    def value(self, term) -> object:
        if isinstance(term, ox.NamedNode):
            return {"@id": term.value}
        if isinstance(term, ox.BlankNode):
            return {"@id": f"_:{term.value}"}
        if term.language:
            if term.language == self.language:
                return term.value
            return {"@value": term.value, "@language": term.language}
        datatype = term.datatype.value
        if datatype == _STRING:
            return {"@value": term.value} if self.language else term.value
        return {"@value": term.value, "@type": self.iri(datatype, vocab=False)}

    def node_id(self, term) -> str:
        return f"_:{term.value}" if isinstance(term, ox.BlankNode) else term.value

    def document(self, triples: Iterable[ox.Triple]) -> dict:
        nodes: dict[str, dict] = {}
        for t in triples:
            node = nodes.setdefault(self.node_id(t.subject), {"@id": self.node_id(t.subject)})
            if t.predicate.value == _TYPE and isinstance(t.object, ox.NamedNode):
                node.setdefault("@type", []).append(self.iri(t.object.value))
            else:
                node.setdefault(self.iri(t.predicate.value), []).append(self.value(t.object))
        graph = [{k: (v[0] if isinstance(v, list) and len(v) == 1 else v) for k, v in n.items()}
                 for n in nodes.values()]
        return {"@context": self.context, "@graph": graph}


def dumps(document: dict) -> bytes:
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")


def script_json(document: dict) -> str:
    """JSON that cannot end its <script> element early: <, > and & as \\u escapes (still the same JSON)."""
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))  # no indent: the C encoder
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e") \
        .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
