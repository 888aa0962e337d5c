"""Compacted JSON-LD without a JSON-LD processor: the dumps (lod_pub.dumps) and the web's documents
(lod_pub.web) write it with this one compactor, so they read alike.

    context() -> dict                 the project's context (data/context.jsonld), as a release copies it
    Compactor(ctx).node(subject, pairs)   one node object
    Compactor(ctx).graph(name, quads)     one named graph's object, for a streamed dump
    Compactor(ctx).document(triples)      a whole document: the context embedded, one node per subject

Keys read like schema.org ("name", "startDate") through @vocab, other vocabularies by the context's
prefixes; strings in the context's @language need no value object, other plain strings are bare
value objects. Oxigraph writes only expanded JSON-LD and rdflib's compaction holds the whole graph in
memory; this writer needs neither, and writes one node object at a time.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any, Iterable, Mapping

import pyoxigraph as ox

from .vocab import RDF, XSD, PrefixTable

TYPE = str(RDF.type)
Subject = ox.NamedNode | ox.BlankNode | ox.Triple
Object = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple


def context() -> dict[str, Any]:
    """The context document ({"@context": {...}}); Any: JSON, whose shape the file gives."""
    ctx: dict[str, Any] = json.loads(resources.files("lod_pub").joinpath("data/context.jsonld").read_text("utf-8"))
    return ctx


def _no_triple_term(term: ox.Triple) -> TypeError:
    return TypeError(f"JSON-LD 1.1 cannot carry a triple term: {term}")


class Compactor:
    """Writes triples and quads as JSON-LD compacted with one context (a dict with "@context")."""

    SEPARATOR = b","          # between the graph objects of a dump
    TAIL = b"\n]\n}\n"

    def __init__(self, ctx: Mapping[str, Any]):
        self.ctx: dict[str, Any] = ctx["@context"]
        self.vocab: str = self.ctx["@vocab"]
        self.language: str | None = self.ctx.get("@language")
        self.prefixes = PrefixTable({k: v for k, v in self.ctx.items()
                                     if not k.startswith("@") and isinstance(v, str) and k != "schema"})

    def term(self, iri: str) -> str:
        if iri.startswith(self.vocab) and iri[len(self.vocab):].isidentifier():
            return iri[len(self.vocab):]
        return self.prefixes.curie(iri)

    def value(self, term: Object) -> object:
        if isinstance(term, ox.NamedNode):
            return {"@id": term.value}
        if isinstance(term, ox.BlankNode):
            return {"@id": f"_:{term.value}"}
        if isinstance(term, ox.Triple):
            raise _no_triple_term(term)
        if term.language:
            return term.value if term.language == self.language else {"@value": term.value, "@language": term.language}
        datatype = term.datatype.value
        if datatype == str(XSD.string):  # a value object with no @language: a plain string, whatever the default
            return {"@value": term.value}
        if datatype == str(XSD.integer) and term.value.lstrip("-").isdigit() and str(int(term.value)) == term.value:
            return int(term.value)
        return {"@type": self.term(datatype), "@value": term.value}

    def node(self, subject: Subject, pairs: list[tuple[ox.NamedNode, Object]]) -> dict[str, object]:
        """One node object. @type comes first, then @id: the order Oxigraph's streaming JSON-LD parser
        (and any other streaming reader) needs to read the dump back in constant memory."""
        if isinstance(subject, ox.Triple):
            raise _no_triple_term(subject)
        types: list[object] = [self.term(v.value) for p, v in pairs if p.value == TYPE and isinstance(v, ox.NamedNode)]
        obj: dict[str, list[object]] = {"@type": types} if types else {}
        obj["@id"] = [subject.value if isinstance(subject, ox.NamedNode) else f"_:{subject.value}"]
        for predicate, value in pairs:
            if not (predicate.value == TYPE and isinstance(value, ox.NamedNode)):
                obj.setdefault(self.term(predicate.value), []).append(self.value(value))
        return {k: (v[0] if len(v) == 1 else v) for k, v in obj.items()}

    def document(self, triples: Iterable[ox.Triple]) -> dict[str, object]:
        """A document of its own: the context embedded (never fetched), one node object per subject, flat,
        in `@graph`, in the order the subjects first come."""
        pairs: dict[Subject, list[tuple[ox.NamedNode, Object]]] = {}
        for t in triples:
            pairs.setdefault(t.subject, []).append((t.predicate, t.object))
        return {"@context": self.ctx, "@graph": [self.node(subject, p) for subject, p in pairs.items()]}

    def head(self) -> bytes:
        """What a dump file opens with, up to its graph objects."""
        return b'{\n"@context": ' + json.dumps(self.ctx, indent=1).encode() + b',\n"@graph": ['

    def graph(self, name: str, quads: Iterable[ox.Quad]) -> bytes:
        """One named graph's object, after a line end. quads must come grouped by subject (as
        Oxigraph gives one graph's quads). Graph objects are joined with SEPARATOR."""
        nodes: list[dict[str, object]] = []
        subject: Subject | None = None
        pairs: list[tuple[ox.NamedNode, Object]] = []
        for q in quads:
            if q.subject != subject:
                if subject is not None:
                    nodes.append(self.node(subject, pairs))
                subject, pairs = q.subject, []
            pairs.append((q.predicate, q.object))
        if subject is not None:
            nodes.append(self.node(subject, pairs))
        body = ",\n".join(json.dumps(node, ensure_ascii=False) for node in nodes)
        return b'\n{"@id": ' + json.dumps(name).encode() + b', "@graph": [\n' + body.encode() + b"\n]}"
