"""JSON-LD documents as the web sends them: compacted by lod_pub.jsonld (the compactor the dumps are
written with, so a document and the dumps read alike), then written out.

    dumps(document) -> bytes          the document, indented, as the body of an answer
    script_json(document) -> str      the same, safe inside <script type="application/ld+json">
"""

from __future__ import annotations

import json
from typing import Mapping


def dumps(document: Mapping[str, object]) -> bytes:
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")


def script_json(document: Mapping[str, object]) -> str:
    """JSON that cannot end its <script> element early: <, > and & as \\u escapes (still the same JSON)."""
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))  # no indent: the C encoder
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e") \
        .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
