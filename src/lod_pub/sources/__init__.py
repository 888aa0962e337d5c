"""Sources: read the seeds folder, check every record, and hand the mapper a corpus it can trust.

    load_corpus(seeds_dir) -> Corpus     raises RecordError listing every problem found
"""

from .corpus import Article, Corpus, Source, load_corpus

__all__ = ["Article", "Corpus", "Source", "load_corpus"]
