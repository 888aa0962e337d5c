"""Hostile files and values in the editors' folder, refused with the file (and line) and why, and
nothing published: texts, records or a register that are links (out of the seeds folder or within it),
pipes, devices or folders; look-alike ids (mixed scripts, compatibility letters); URLs that are not
http(s) with a host. Each test builds its own small corpus."""

from __future__ import annotations

import gzip
import json
import os
import pickle
import resource
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from lod_pub.cli import main
from lod_pub.errors import RecordError
from lod_pub.published import current
from lod_pub.sources import load_corpus
from lod_pub.sources.files import Refused, read_at_most

ROOT = Path(__file__).resolve().parents[2]
LOD_PUB = str(Path(sys.executable).parent / "lod-pub")
REGISTER = """\
people:
  - id: sohail-mahmood
    name: Sohail Mahmood
organizations:
  - id: daily-news
    type: NewsMediaOrganization
    name: Daily News
"""
RECORD = """\
article:
  id: a-story
  text: a.txt
  name: A story
  url: https://example.org/news/a-story
  publisher: daily-news
  datePublished: {value: 2021-10-21, evidence: 21 October 2021}
  inLanguage: en
  about: [sohail-mahmood]
"""
TEXT = "Islamabad, 21 October 2021. Sohail Mahmood met the delegation.\n"
SECRET = "root:x:0:0:a-secret-outside-the-seeds-folder"
TEXT_LINE, URL_LINE = 3, 5
#: each kind of editor's file: its path below seeds/, and the file, field and start of the reason a problem with it gives
WHERE = {
    "text": ("articles/a.txt", "seeds/articles/a.yaml", "article.text", "a.txt is "),
    "record": ("articles/a.yaml", "seeds/articles/a.yaml", "", "is "),
    "register": ("entities.yaml", "seeds/entities.yaml", "", "is "),
}
KINDS = {"link-outside": "a symbolic link", "link-inside": "a symbolic link", "pipe": "a named pipe",
         "folder": "a folder"}


@pytest.fixture()
def project(tmp_path) -> Path:
    """A project of one article (its own corpus; the project's ontology and shapes), and a secret file
    beside it, outside its seeds folder."""
    project = tmp_path / "project"
    (project / "seeds" / "articles").mkdir(parents=True)
    (project / "seeds" / "entities.yaml").write_text(REGISTER, "utf-8")
    (project / "seeds" / "articles" / "a.yaml").write_text(RECORD, "utf-8")
    (project / "seeds" / "articles" / "a.txt").write_text(TEXT, "utf-8")
    (project / "seeds" / "spare.txt").write_text(TEXT, "utf-8")  # not in articles/: a text there needs a record
    for name in ("ontology", "shapes"):
        shutil.copytree(ROOT / name, project / name)
    (tmp_path / "secret.txt").write_text(SECRET, "utf-8")
    return project


def make(path: Path, kind: str, secret: Path) -> None:
    """Put at path, in place of the file there, a thing of the given kind."""
    path.unlink()
    if kind == "link-outside":
        path.symlink_to(secret)
    elif kind == "link-inside":  # a link to a regular file of the same seeds folder
        path.symlink_to(path.parent.parent / "spare.txt" if path.parent.name == "articles" else "spare.txt")
    elif kind == "pipe":
        os.mkfifo(path)
    elif kind == "folder":
        path.mkdir()
    else:
        path.symlink_to(kind)  # a device's path


def read_within(seeds: Path, index: Path | None = None, seconds: float = 10):
    """load_corpus's outcome (the corpus, or the exception it raised), failing the test if it does not
    end within seconds (a reader stuck on a pipe is let go by opening the pipe for writing)."""
    outcome: dict = {}

    def run() -> None:
        try:
            outcome["corpus"] = load_corpus(seeds, index, "v1") if index else load_corpus(seeds)
        except BaseException as exc:  # noqa: BLE001 - handed to the test
            outcome["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        for pipe in (p for p in seeds.rglob("*") if p.is_fifo()):
            os.close(os.open(pipe, os.O_WRONLY | os.O_NONBLOCK))
        thread.join(seconds)
        pytest.fail(f"reading the seeds did not end within {seconds} s")
    return outcome.get("error") or outcome["corpus"]


def problems_of(outcome) -> list:
    got = repr(outcome) if isinstance(outcome, BaseException) else "a corpus: every file was read"
    assert isinstance(outcome, RecordError), f"expected a RecordError, got {got}"
    return outcome.problems


# -- files -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", sorted(KINDS))
@pytest.mark.parametrize("which", sorted(WHERE))
def test_a_file_that_is_not_a_regular_file_of_the_seeds_folder_is_refused(project, which, kind):
    name, file, field, start = WHERE[which]
    seeds = project / "seeds"
    make(seeds / name, kind, project.parent / "secret.txt")
    found = problems_of(read_within(seeds))
    assert [(p.file, p.field) for p in found] == [(file, field)], "\n".join(map(str, found))
    assert found[0].reason.startswith(start + KINDS[kind]), found[0].reason
    assert SECRET not in str(found[0])


def test_files_in_a_linked_articles_folder_are_refused(project):
    seeds = project / "seeds"
    os.rename(seeds / "articles", project.parent / "elsewhere")
    (seeds / "articles").symlink_to(project.parent / "elsewhere")
    found = problems_of(read_within(seeds))
    assert [(p.file, p.field) for p in found] == [("seeds/articles/a.yaml", "")]
    assert found[0].reason.startswith("is in articles, a symbolic link")


def test_a_text_name_with_a_nul_is_refused_not_crashed(project):
    path = project / "seeds" / "articles" / "a.yaml"
    path.write_text(RECORD.replace("text: a.txt", 'text: "a\\0.txt"'), "utf-8")
    found = problems_of(read_within(project / "seeds"))
    assert [(p.file, p.line, p.field) for p in found] == [("seeds/articles/a.yaml", TEXT_LINE, "article.text")]


@pytest.mark.parametrize("which", sorted(WHERE))
def test_a_link_to_a_device_is_refused_without_reading_it(project, which):
    """`lod-pub check` in a process held to 1 GiB of address space: a device is refused before a byte of
    it is read, with the file named, exit 1 (not a MemoryError, not a hang)."""
    name, file, field, start = WHERE[which]
    make(project / "seeds" / name, "/dev/zero", project.parent / "secret.txt")

    def held() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    done = subprocess.run([LOD_PUB, "check", "--project", str(project), "--data-dir", str(project / "var"), "-q"],
                          capture_output=True, text=True, timeout=120, preexec_fn=held)
    assert done.returncode == 1, done.stderr[-2000:]
    assert "Traceback" not in done.stderr and "MemoryError" not in done.stderr, done.stderr[-2000:]
    line = f"{file}:{TEXT_LINE}: [{field}] " if field else f"{file}: "
    assert f"{line}{start}a symbolic link" in done.stderr, done.stderr


def test_the_reader_stops_at_the_cap_whatever_the_file_holds():
    """A file whose size says nothing (a device, a file in /proc, one that grows) is read only up to
    the cap and one byte more."""
    fd = os.open("/dev/zero", os.O_RDONLY)
    try:
        with pytest.raises(Refused, match="larger than 1000 bytes"):
            read_at_most(fd, 1000)
    finally:
        os.close(fd)
    read, write = os.pipe()
    try:
        os.write(write, b"x" * 5000)
        with pytest.raises(Refused):
            read_at_most(read, 4096)
        os.write(write, b"y" * 10)
        os.close(write)
        write = -1
        assert read_at_most(read, 4096) == b"x" * (5000 - 4097) + b"y" * 10  # it took 4097 bytes, no more
    finally:
        os.close(read)
        if write >= 0:
            os.close(write)


@pytest.mark.parametrize("which", ["text", "record"])
def test_a_file_moved_out_and_linked_back_is_not_taken_as_unchanged(project, which):
    """The reader's index tells a file unchanged by its size, time and inode: a file moved out of the
    seeds folder keeps them, and a link to it must not pass for it."""
    name, file, field, start = WHERE[which]
    seeds, index = project / "seeds", project / "index.pickle"
    read_within(seeds, index)
    outside = project.parent / "moved-out"
    os.rename(seeds / name, outside)
    (seeds / name).symlink_to(outside)
    found = problems_of(read_within(seeds, index))
    assert [(p.file, p.field) for p in found] == [(file, field)]
    assert found[0].reason.startswith(start + "a symbolic link")


def test_a_file_that_becomes_a_link_after_the_index_said_unchanged_is_refused_when_read(project):
    """A text known good from the index is read when the mapper asks for it: if it became a link to a
    file outside meanwhile, the read is refused as a record error (one that crosses a process pool whole)."""
    seeds, index = project / "seeds", project / "index.pickle"
    read_within(seeds, index)
    corpus = read_within(seeds, index)
    article = corpus.articles[0]
    assert article.known_digest and article.stored_text is None  # unchanged: not read
    (seeds / "articles" / "a.txt").unlink()
    (seeds / "articles" / "a.txt").symlink_to(project.parent / "secret.txt")
    with pytest.raises(RecordError) as caught:
        _ = article.text  # read when first needed: refused then
    assert [(p.file, p.line, p.field) for p in caught.value.problems] == [("seeds/articles/a.yaml", TEXT_LINE,
                                                                            "article.text")]
    assert "a.txt is a symbolic link" in str(caught.value) and SECRET not in str(caught.value)
    again = pickle.loads(pickle.dumps(caught.value))
    assert type(again) is type(caught.value) and again.problems == caught.value.problems


def _published_bytes(data_dir: Path) -> bytes:
    """Every file of every release, gzip files unpacked."""
    out = []
    for path in sorted((data_dir / "releases").rglob("*")):
        if path.is_file() and "store" not in path.relative_to(data_dir / "releases").parts[1:2]:
            raw = path.read_bytes()
            out.append(gzip.decompress(raw) if path.suffix == ".gz" else raw)
    return b"".join(out)


def test_a_build_with_a_linked_text_exits_1_and_the_previous_release_stays(project, capsys):
    data = project / "var"
    argv = ["--project", str(project), "--data-dir", str(data), "-q"]
    assert main(["build", *argv]) == 0
    before = current(data)
    (project / "seeds" / "articles" / "a.txt").unlink()
    (project / "seeds" / "articles" / "a.txt").symlink_to(project.parent / "secret.txt")
    capsys.readouterr()
    for command in ("check", "build"):
        assert main([command, *argv]) == 1
        err = capsys.readouterr().err
        assert f"seeds/articles/a.yaml:{TEXT_LINE}: [article.text] a.txt is a symbolic link" in err, err
        assert "nothing was published" in err
    after = current(data)
    assert after.id == before.id
    assert [p.name for p in (data / "releases").iterdir()] == [before.id]
    assert SECRET.encode() not in _published_bytes(data)


# -- values ----------------------------------------------------------------------------------------
def _with_person(project: Path, slug: str) -> int:
    """Add a person of the given id to the register; return the line of its id."""
    path = project / "seeds" / "entities.yaml"
    text = path.read_text("utf-8")
    line = text.count("\n", 0, text.index("organizations:")) + 1
    path.write_text(text.replace("organizations:", f"  - id: {json.dumps(slug, ensure_ascii=False)}\n    name: Someone\norganizations:"),
                    "utf-8")
    return line


LOOK_ALIKES = {
    "cyrillic-o": "s\u043ehail-mahmood",  # a Cyrillic о among Latin letters
    "cyrillic-a": "p\u0430ypal",
    "greek-alpha": "\u03b1lpha-group",
    "full-width": "\uff53\uff4f\uff48\uff41\uff49\uff4c-mahmood",
    "ligature": "\ufb01nance-ministry",
    "math-bold": "\U0001d42c\U0001d428\U0001d421\U0001d41a\U0001d422\U0001d425",
    "superscript": "area\u00b2",
}


@pytest.mark.parametrize("slug", LOOK_ALIKES.values(), ids=LOOK_ALIKES.keys())
def test_look_alike_ids_are_refused(project, slug):
    line = _with_person(project, slug)
    found = problems_of(read_within(project / "seeds"))
    assert [(p.file, p.line, p.field) for p in found] == [("seeds/entities.yaml", line, "people[1].id")], \
        "\n".join(map(str, found))
    assert "scripts" in found[0].reason or "compatibility form" in found[0].reason


def test_a_look_alike_article_id_is_refused(project):
    path = project / "seeds" / "articles" / "a.yaml"
    path.write_text(RECORD.replace("id: a-story", "id: a-st\u043ery"), "utf-8")
    found = problems_of(read_within(project / "seeds"))
    assert [(p.file, p.line, p.field) for p in found] == [("seeds/articles/a.yaml", 2, "article.id")]
    assert "CYRILLIC, LATIN" in found[0].reason


@pytest.mark.parametrize("slug", ["Ünïcødé-Ñame", "москва-2021", "αθήνα", "東京-2021", "とうきょう-東京", "トーキョー",
                                  "서울-2021", "القاهرة-2021", "zürich_hb.2021"])
def test_ids_of_one_script_are_accepted(project, slug):
    _with_person(project, slug)
    corpus = read_within(project / "seeds")
    assert not isinstance(corpus, BaseException), corpus
    assert corpus.kind(slug) == "person"


HOSTILE_URLS = ["javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,<script>alert(1)</script>",
                "vbscript:msgbox(1)", "file:///etc/passwd", "ftp://example.org/a", "//evil.example/x", "/relative/path",
                "http:///etc/passwd", "https://", "https://user@evil.example/", "https://example.org@evil.example/",
                "https://example.org/\u202egnp.exe", "https://example.org/a b", "https://exa mple.org/",
                "https://example.org/<script>", "https://example.org:99999/", "https://example.org/a\n",
                "https://-example.org/", "HTTPS://example.org/"]


@pytest.mark.parametrize("url", HOSTILE_URLS)
def test_urls_other_than_absolute_http_ones_are_refused(project, url):
    path = project / "seeds" / "articles" / "a.yaml"
    path.write_text(RECORD.replace("url: https://example.org/news/a-story", f"url: {json.dumps(url)}"), "utf-8")
    found = problems_of(read_within(project / "seeds"))
    assert [(p.file, p.line, p.field) for p in found] == [("seeds/articles/a.yaml", URL_LINE, "article.url")], \
        "\n".join(map(str, found))


@pytest.mark.parametrize("url", ["https://example.org/news/a?x=1&y=2#p", "http://example.org:8080/a",
                                 "https://example.org/ünï-code", "https://[2001:db8::1]/a", "https://xn--80ak6aa92e.com/",
                                 "http://192.0.2.1/a%20b", "https://example.org"])
def test_absolute_http_urls_are_accepted(project, url):
    path = project / "seeds" / "articles" / "a.yaml"
    path.write_text(RECORD.replace("url: https://example.org/news/a-story", f"url: {json.dumps(url)}"), "utf-8")
    corpus = read_within(project / "seeds")
    assert not isinstance(corpus, BaseException), corpus
