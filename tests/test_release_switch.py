"""The switch to a new release and the pruning of old ones: `current` is a link relative to the data
folder (so the folder may move, and the working directory does not matter); pruning keeps the newest
releases, however few are asked for, leaves alone what is not a release, and never fails a build that
has published."""

from __future__ import annotations

import os

from lod_pub.release import build, current
from lod_pub.settings import Settings


def releases_in(data_dir) -> list[str]:
    return sorted(p.name for p in (data_dir / "releases").iterdir() if p.is_dir() and not p.name.startswith("."))


def test_current_is_a_relative_link_so_the_data_folder_may_move(project_copy, tmp_path, monkeypatch):
    monkeypatch.chdir(project_copy)  # a working directory that is not the data folder's
    settings = Settings(project_dir=project_copy, data_dir=tmp_path / "a" / "var")
    first = build(settings).release
    assert not os.path.isabs(os.readlink(settings.data_dir / "current"))
    moved = tmp_path / "b" / "c" / "var"
    moved.parent.mkdir(parents=True)
    settings.data_dir.rename(moved)
    assert current(moved).id == first.id


def test_with_one_release_kept_only_the_current_one_stays(project_copy, tmp_path):
    settings = Settings(project_dir=project_copy, data_dir=tmp_path / "var", keep_releases=1)
    build(settings)
    last = build(settings).release
    assert releases_in(settings.data_dir) == [last.id]
    assert current(settings.data_dir).id == last.id


def test_what_is_not_a_release_in_the_releases_folder_is_left_alone(project_copy, tmp_path):
    settings = Settings(project_dir=project_copy, data_dir=tmp_path / "var", keep_releases=2)
    build(settings)
    (settings.data_dir / "releases" / "README").write_text("notes of the operator\n", "utf-8")
    (settings.data_dir / "releases" / ".keep").mkdir()
    for _ in range(3):
        last = build(settings).release
    assert len(releases_in(settings.data_dir)) == 2 and releases_in(settings.data_dir)[-1] == last.id
    assert (settings.data_dir / "releases" / "README").is_file()
    assert (settings.data_dir / "releases" / ".keep").is_dir()


def test_a_release_that_cannot_be_pruned_does_not_fail_the_build(project_copy, tmp_path, monkeypatch):
    """Pruning comes after the switch: an old release that will not go is left, and the build, which
    has published, still succeeds."""
    settings = Settings(project_dir=project_copy, data_dir=tmp_path / "var", keep_releases=1)
    first = build(settings).release
    unlink = os.unlink

    def refusing(path, *args, dir_fd=None, **kwargs):
        if dir_fd is not None and os.fspath(path) == "manifest.json":  # shutil.rmtree removing a release
            raise PermissionError(13, "Permission denied", path)
        return unlink(path, *args, dir_fd=dir_fd, **kwargs)

    monkeypatch.setattr(os, "unlink", refusing)
    second = build(settings).release
    monkeypatch.undo()
    assert current(settings.data_dir).id == second.id != first.id
