"""The check of an incremental build's store, after the basis release's store is copied and patched: each
changed graph holds exactly its mapped quads, the store names exactly the planned graphs and nothing is in
its default graph (the kept graphs are not counted again: they are the basis store's, checkpointed)."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from lod_pub.errors import ReleaseError
from lod_pub.ledger import Entry
from lod_pub.release import Plan, _check_patch

A, B, C = (f"https://lod.example.org/graph/article/{n}" for n in "abc")
S, P = ox.NamedNode("https://lod.example.org/id/x"), ox.NamedNode("http://schema.org/name")


def quad(graph: str | None, text: str) -> ox.Quad:
    return ox.Quad(S, P, ox.Literal(text), ox.NamedNode(graph) if graph else ox.DefaultGraph())


def setup(tmp_path: Path, held: list[ox.Quad], mapped: list[ox.Quad]) -> tuple[ox.Store, Path, Plan]:
    store = ox.Store(str(tmp_path / "store"))
    store.extend(held)
    path = tmp_path / "mapped.nq"
    path.write_bytes(ox.serialize(mapped, format=ox.RdfFormat.N_QUADS) or b"")
    plan = Plan("id", 1)
    plan.graphs = {A: Entry("ka", 1), B: Entry("kb", 1)}  # B is the changed one: no basis, so all are "changed"
    return store, path, plan


def test_the_planned_graphs_with_their_mapped_quads_pass(tmp_path):
    store, path, plan = setup(tmp_path, [quad(A, "a"), quad(B, "b")], [quad(A, "a"), quad(B, "b")])
    _check_patch(store, path, plan)


def test_a_graph_outside_the_plan_is_refused(tmp_path):
    store, path, plan = setup(tmp_path, [quad(A, "a"), quad(B, "b"), quad(C, "c")], [quad(A, "a"), quad(B, "b")])
    with pytest.raises(ReleaseError, match=r"1 more \(https://lod.example.org/graph/article/c\), 0 missing"):
        _check_patch(store, path, plan)


def test_a_planned_graph_missing_from_the_store_is_refused(tmp_path):
    store, path, plan = setup(tmp_path, [quad(A, "a"), quad(B, "b")], [quad(A, "a"), quad(B, "b")])
    plan.graphs[C] = Entry("kc", 3)  # the ledger says it holds quads
    with pytest.raises(ReleaseError, match=r"0 more \(\), 1 missing \(https://lod.example.org/graph/article/c\)"):
        _check_patch(store, path, plan)


def test_a_quad_in_the_default_graph_is_refused(tmp_path):
    store, path, plan = setup(tmp_path, [quad(A, "a"), quad(B, "b"), quad(None, "d")], [quad(A, "a"), quad(B, "b")])
    with pytest.raises(ReleaseError, match="default graph"):
        _check_patch(store, path, plan)


def test_a_changed_graph_not_holding_its_mapped_quads_is_refused(tmp_path):
    store, path, plan = setup(tmp_path, [quad(A, "a"), quad(B, "other")], [quad(A, "a"), quad(B, "b")])
    with pytest.raises(ReleaseError, match="does not hold the mapped quads of https://lod.example.org/graph/article/b"):
        _check_patch(store, path, plan)


def test_a_planned_graph_of_no_quads_and_an_emptied_name_pass(tmp_path):
    store, path, plan = setup(tmp_path, [quad(A, "a"), quad(B, "b"), quad(C, "c")], [quad(A, "a"), quad(B, "b")])
    store.remove(quad(C, "c"))  # its name stays, with no quads
    plan.graphs["https://lod.example.org/graph/article/empty"] = Entry("ke", 0)
    _check_patch(store, path, plan)
