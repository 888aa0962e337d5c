"""Mapping: a checked corpus in, RDF out. Pure: no I/O, no validation, no store.

    map_corpus(corpus, minter) -> Mapped

One named graph per article (its facts, each with evidence) and one for the shared descriptions of
entities from the register. `Mapped.origins` says which record line every subject came from, so a
validation report can point the editor at the line to fix.
"""

from .core import Mapped, declared_types, map_articles, map_corpus, map_register

__all__ = ["Mapped", "declared_types", "map_articles", "map_corpus", "map_register"]
