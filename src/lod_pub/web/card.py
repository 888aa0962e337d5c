"""The dataset's page (/void as HTML): its VoID and DCAT description read as a card, not as raw triples.

    card(triples, dataset, href, label) -> Card

Title, description, licence (named: "CC BY 4.0", not the last step of its IRI), release, date, sizes, the
SPARQL endpoint, the classes (void:classPartition) and properties (void:propertyPartition) with their
counts, example resources, and every dump with its media type, size and checksum. Pure: no Flask, no store.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Callable, Iterable

import pyoxigraph as ox

from ..vocab import DCAT, DCTERMS, PREFIXES, VOID, curie
from .reading import Term, value_of
from .view import Value

SPDX = "http://spdx.org/rdf/terms#"
PREFIX_OF = {namespace: f"{prefix}:" for prefix, namespace in PREFIXES.items()}
LICENCES = re.compile(r"creativecommons\.org/(?:licenses/([a-z-]+)/([\d.]+)|publicdomain/zero/([\d.]+))", re.I)


@dataclass
class Distribution:
    url: str
    name: str
    media_type: str
    size: int | None
    sha256: str | None


@dataclass
class Card:
    title: str
    description: str | None
    licence: Value | None
    release: str | None
    modified: str | None
    triples: int | None
    subjects: int | None
    entities: int | None
    endpoint: str | None
    classes: list[tuple[Value, str, int]] = field(default_factory=list)      # (class, prefixed name, resources)
    properties: list[tuple[Value, str, int]] = field(default_factory=list)   # (property, prefixed name, triples)
    examples: list[Value] = field(default_factory=list)
    vocabularies: list[Value] = field(default_factory=list)
    dumps: list[Distribution] = field(default_factory=list)


Index = dict[Term, dict[str, list[Term]]]


def _index(triples: Iterable[ox.Triple]) -> Index:
    found: Index = defaultdict(lambda: defaultdict(list))
    for t in triples:
        found[t.subject][t.predicate.value].append(t.object)
    return found


def licence_name(iri: str) -> str:
    """'CC BY 4.0' for a Creative Commons licence IRI, 'CC0 1.0' for the public domain dedication; else the IRI."""
    found = LICENCES.search(iri)
    if found is None:
        return iri
    if found.group(3):
        return f"CC0 {found.group(3)}"
    return f"CC {found.group(1).upper()} {found.group(2)}"


def _one(props: dict[str, list[Term]], prop: str, lang: str = "en") -> str | None:
    values = props.get(prop, [])
    for v in values:
        if isinstance(v, ox.Literal) and v.language in (lang, None):
            return v.value
    return value_of(values[0]) if values else None


def _number(props: dict[str, list[Term]], prop: str) -> int | None:
    raw = _one(props, prop)
    return int(raw) if raw is not None and raw.isdigit() else None


def _partitions(index: Index, props: dict[str, list[Term]], partition: str, key: str, count: str,
                link: Callable[[str], Value]) -> list[tuple[Value, str, int]]:
    rows = []
    for node in props.get(partition, []):
        part = index.get(node, {})
        keyed = part.get(key, [])
        if keyed and isinstance(keyed[0], ox.NamedNode):
            rows.append((link(keyed[0].value), curie(keyed[0].value), _number(part, count) or 0))
    return sorted(rows, key=lambda r: (-r[2], r[0].text.lower()))


def _distribution(index: Index, node: Term, href: Callable[[str], str | None]) -> Distribution | None:
    props = index.get(node, {})
    url = _one(props, str(DCAT.downloadURL))
    if url is None:
        return None
    media = _one(props, str(DCAT.mediaType)) or ""
    sha256 = None
    for checksum in props.get(SPDX + "checksum", []):
        sha256 = _one(index.get(checksum, {}), SPDX + "checksumValue") or sha256
    return Distribution(href(url) or url, url.rstrip("/").rsplit("/", 1)[-1], media.split("media-types/", 1)[-1],
                        _number(props, str(DCAT.byteSize)), sha256)


def card(triples: Iterable[ox.Triple], dataset: str, href: Callable[[str], str | None],
         label: Callable[[str], str]) -> Card:
    """The card of the dataset `dataset` described by triples (void.ttl)."""
    index = _index(triples)
    props = index.get(ox.NamedNode(dataset), {})

    def link(iri: str) -> Value:
        return Value(label(iri), href(iri), iri)

    licence = _one(props, str(DCTERMS.license))
    dumps = [d for d in (_distribution(index, n, href) for n in props.get(str(DCAT.distribution), [])) if d is not None]
    return Card(
        title=_one(props, str(DCTERMS.title)) or "Dataset", description=_one(props, str(DCTERMS.description)),
        licence=Value(licence_name(licence), licence, licence) if licence else None,
        release=_one(props, str(DCTERMS.identifier)), modified=_one(props, str(DCTERMS.modified)),
        triples=_number(props, str(VOID.triples)), subjects=_number(props, str(VOID.distinctSubjects)),
        entities=_number(props, str(VOID.entities)), endpoint=_one(props, str(VOID.sparqlEndpoint)),
        classes=_partitions(index, props, str(VOID.classPartition), str(VOID["class"]), str(VOID.entities), link),
        properties=_partitions(index, props, str(VOID.propertyPartition), str(VOID.property), str(VOID.triples),
                               link),
        examples=sorted((link(o.value) for o in props.get(str(VOID.exampleResource), [])
                         if isinstance(o, ox.NamedNode)), key=lambda v: v.text.lower()),
        vocabularies=[Value(PREFIX_OF.get(o.value, o.value), o.value, o.value) for o in props.get(str(VOID.vocabulary), [])
                      if isinstance(o, ox.NamedNode)],
        dumps=sorted(dumps, key=lambda d: d.name))
