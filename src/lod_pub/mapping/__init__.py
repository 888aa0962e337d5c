"""Mapping: a checked corpus in, RDF out. Pure: no I/O, no validation, no store.

    map_corpus(corpus, minter) -> Mapped

One named graph per article (its facts, each with evidence) and one for the shared descriptions of
entities from the register. `Mapped.origins` says which record line every subject came from, so a
validation report can point the editor at the line to fix.

    core.py        the register, the article and its curation; map_* and declared_types
    base.py        Mapped, literals, the article mapper's way with facts (asserted, or claimed)
    events.py      events, roles (dip:Participation), CAMEO codes, counts, foundings, schedules
    statements.py  reported statements and the claims they make (dip:Claim)
    documents.py   agreements and plans
    relations.py   tenures, heads, memberships, partnerships, family
    evidence.py    the Web Annotation of a fact
    terms.py       which RDF terms each kind of record becomes
"""

from .base import Mapped
from .core import declared_types, map_articles, map_corpus, map_register

__all__ = ["Mapped", "declared_types", "map_articles", "map_corpus", "map_register"]
