"""lod-pub: news records in, a validated knowledge graph out, published as Linked Data."""

__version__ = "0.1.0"
