"""Sources: read the seeds folder, check every record, and hand the mapper a corpus it can trust.

    load_corpus(seeds_dir, index=None, version="") -> Corpus     raises RecordError listing every problem found

With an index file (sources.index), a reading reads again only the files that changed since the last.
"""

from .corpus import Article, Corpus, Source
from .index import load_corpus

__all__ = ["Article", "Corpus", "Source", "load_corpus"]
