"""The web reads releases; it never imports the mapping, the sources or the validator (ARCHITECTURE.md)."""

from __future__ import annotations

import subprocess
import sys



def loaded_by_the_web() -> set[str]:
    code = ("import sys\nfrom lod_pub.web import create_app, resources, files, describe, site, view, vocabulary\n"
            "print(' '.join(m for m in sys.modules if m.startswith(('lod_pub.mapping', 'lod_pub.sources')) "
            "or m == 'pyshacl'))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(out.stdout.split())


def test_the_web_does_not_load_the_pipeline():
    assert loaded_by_the_web() == set()


def test_web_modules_do_not_import_the_pipeline_themselves():
    from pathlib import Path

    import lod_pub.web as web

    for path in Path(web.__file__).parent.glob("*.py"):
        text = path.read_text("utf-8")
        for banned in ("from ..mapping", "from ..sources", "from ..validation", "import pyshacl", "lod_pub.mapping",
                       "lod_pub.sources"):
            assert banned not in text, f"{path.name} imports {banned}"
