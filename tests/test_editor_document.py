"""The editor's document model: every edit undoes exactly and redoes exactly."""

from __future__ import annotations

import copy
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from command_game.editor import edits
from command_game.editor.document import Document, Ref
from command_game.editor.template import new_level_data
from command_game.editor.validation import validate
from command_game.level.io import level_to_dict, load_level
from tests.conftest import LEVELS

coord = st.floats(min_value=0, max_value=1000, allow_nan=False).map(lambda v: round(v, 1))
pick = st.integers(min_value=0, max_value=10_000)


def _refs(doc: Document) -> list[Ref]:
    return list(doc.all_refs())


def _choose(items: list, n: int):
    return items[n % len(items)] if items else None


# Each op reads the document as it is and returns an action (maybe empty).
def op_node(doc, x, y, n):
    return edits.add_node(doc, x, y)


def op_edge(doc, x, y, n):
    ids = doc.ids("nodes")
    if len(ids) < 2:
        return edits.add_node(doc, x, y)
    return edits.add_edge(doc, ids[n % len(ids)], ids[(n // 7) % len(ids)])


def op_office(doc, x, y, n):
    return edits.add_office(doc, ("polres", "kpu", "tps", "bawaslu")[n % 4], x, y)


def op_polygon(doc, x, y, n):
    kind = ("districts", "buildings")[n % 2]
    return edits.add_polygon(doc, kind, [(x, y), (x + 30, y), (x + 30, y + 20)])


def op_move(doc, x, y, n):
    refs = _refs(doc)
    chosen = refs[n % len(refs):][: 1 + n % 3] if refs else []
    return edits.move(doc, chosen, x - 500, y - 500)


def op_delete(doc, x, y, n):
    refs = _refs(doc)
    return edits.delete(doc, refs[n % len(refs):][: 1 + n % 2] if refs else [])


def op_vertex(doc, x, y, n):
    polys = [Ref("districts", i) for i in doc.ids("districts")] + \
            [Ref("buildings", i) for i in doc.ids("buildings")]
    ref = _choose(polys, n)
    if ref is None:
        return edits.add_node(doc, x, y)
    size = len(doc.get(ref)["polygon"])
    if n % 3 == 0:
        return edits.insert_vertex(doc, ref, n % (size + 1), (x, y))
    if n % 3 == 1:
        return edits.move(doc, [Ref(ref.collection, ref.id, n % size)], 5.0, -3.0)
    return edits.delete(doc, [Ref(ref.collection, ref.id, n % size)])


def op_meta(doc, x, y, n):
    return edits.set_value(doc, ("meta", "title", "en"), f"Level {n}")


def op_field(doc, x, y, n):
    ref = _choose([Ref("offices", i) for i in doc.ids("offices")], n)
    if ref is None:
        return edits.set_value(doc, ("map", "width_m"), 500.0 + n % 500)
    return edits.set_field(doc, ref, ("radius_m", "name", "id")[n % 3],
                           (30.0, f"Kantor {n}", f"renamed_{n}")[n % 3])


def op_roster(doc, x, y, n):
    offices = doc.ids("offices")
    if n % 3 == 0:
        return edits.add_unit(doc, ("samapta", "intelkam")[n % 2])
    if n % 3 == 1 and offices:
        return edits.add_incident(doc, offices[n % len(offices)], at_s=float(n % 300))
    return edits.add_objective(doc, ("hold_site", "resolve_incidents", "no_riot")[n % 3])


def op_crowd(doc, x, y, n):
    return edits.add_crowd_source(doc, x, y)


def op_split(doc, x, y, n):
    ids = doc.ids("edges")
    return edits.split_edge(doc, ids[n % len(ids)], x, y)[0] if ids else edits.add_node(doc, x, y)


def op_paste(doc, x, y, n):
    refs = _refs(doc)
    clip = edits.copy_selection(doc, refs[n % len(refs):][:3] if refs else [])
    return edits.paste(doc, clip, 20.0, 20.0)[0]


OPS = [op_node, op_edge, op_office, op_polygon, op_move, op_delete, op_vertex, op_meta,
       op_field, op_roster, op_crowd, op_paste, op_split]

step = st.tuples(st.sampled_from(OPS), coord, coord, pick, st.booleans())


def _start(which: int) -> Document:
    if which == 0:
        return Document(new_level_data())
    return Document(level_to_dict(load_level(LEVELS / "01_singkawang.json")))


@settings(max_examples=150, deadline=None)
@given(st.integers(0, 1), st.lists(step, min_size=1, max_size=25))
def test_any_edits_then_undo_all_restores_the_original_and_redo_reapplies(which, steps):
    doc = _start(which)
    original = copy.deepcopy(doc.data)
    for op, x, y, n, undo_now in steps:
        doc.apply(op(doc, x, y, n))
        if undo_now and n % 5 == 0:
            doc.undo()
    final = copy.deepcopy(doc.data)
    depth = 0
    while doc.undo():
        depth += 1
    assert doc.data == original
    assert not doc.modified
    for _ in range(depth):
        assert doc.redo()
    assert doc.data == final
    json.dumps(doc.data)  # stays plain JSON data


def test_new_action_clears_redo_and_modified_follows_the_save_point():
    doc = Document(new_level_data())
    doc.apply(edits.add_node(doc, 10, 10))
    doc.mark_saved()
    assert not doc.modified
    doc.apply(edits.add_node(doc, 20, 10))
    assert doc.modified
    doc.undo()
    assert not doc.modified and doc.can_redo
    doc.apply(edits.add_node(doc, 30, 10))
    assert not doc.can_redo and doc.modified


def test_typing_in_one_field_undoes_as_one_edit():
    doc = Document(new_level_data())
    for text in ("P", "Pi", "Pil", "Pilkada"):
        doc.apply(edits.set_value(doc, ("meta", "title", "en"), text))
    assert doc.data["meta"]["title"]["en"] == "Pilkada"
    doc.undo()
    assert doc.data["meta"]["title"]["en"] == "New level"
    assert not doc.can_undo


def test_deleting_a_road_node_takes_its_edges_and_undo_brings_both_back():
    doc = _start(1)
    before = copy.deepcopy(doc.data)
    node = doc.items("edges")[0]["a"]
    doc.apply(edits.delete(doc, [Ref("nodes", node)]))
    assert node not in doc.ids("nodes")
    assert not any(node in (e["a"], e["b"]) for e in doc.items("edges"))
    doc.undo()
    assert doc.data == before


def test_rename_updates_every_reference():
    doc = _start(1)
    site = doc.items("incidents")[0]["site"]
    users = [i["id"] for i in doc.items("incidents") if i["site"] == site]
    doc.apply(edits.set_field(doc, Ref("offices", site), "id", "renamed_site"))
    level, problems = validate(doc.data)
    assert not [p for p in problems if p.severity == "error"], problems
    assert [i.id for i in level.incidents if i.site == "renamed_site"] == users
    assert site not in {i.site for i in level.incidents}


def test_paste_gives_fresh_ids_and_keeps_links_between_copied_nodes():
    doc = Document(new_level_data())
    doc.apply(edits.add_node(doc, 10, 10))
    doc.apply(edits.add_node(doc, 110, 10))
    doc.apply(edits.add_edge(doc, "node_1", "node_2"))
    clip = edits.copy_selection(doc, [Ref("nodes", "node_1"), Ref("nodes", "node_2")])
    action, refs = edits.paste(doc, clip, 0, 50)
    doc.apply(action)
    assert {r.id for r in refs} == {"node_3", "node_4", "road_2"}
    pasted = next(e for e in doc.items("edges") if e["id"] == "road_2")
    assert {pasted["a"], pasted["b"]} == {"node_3", "node_4"}
    assert doc.get(Ref("nodes", "node_3"))["y"] == 60


def test_grid_snapping():
    assert edits.snap_point(123.4, 56.6, 10) == (120.0, 60.0)
    assert edits.snap_point(123.44, 56.66, None) == (123.4, 56.7)


def test_polygon_keeps_three_points():
    doc = Document(new_level_data())
    doc.apply(edits.add_polygon(doc, "buildings", [(0, 0), (10, 0), (10, 10)]))
    assert not edits.delete(doc, [Ref("buildings", "building_1", 0)])


def test_problems_name_the_object_so_the_editor_can_select_it():
    doc = _start(1)
    office, unit = doc.ids("offices")[-1], doc.ids("units")[0]
    doc.apply(edits.set_field(doc, Ref("offices", office), "node", "nowhere"))
    _, problems = validate(doc.data)
    assert any(p.ref == office and "nowhere" in p.message for p in problems)
    doc.apply(edits.set_field(doc, Ref("units", unit), "personnel", 0))
    _, problems = validate(doc.data)  # a schema error: its ref comes from the path
    assert any(p.ref == unit and p.path.endswith("personnel") for p in problems)


def test_splitting_a_road_keeps_it_connected():
    doc = Document(new_level_data())
    doc.apply(edits.add_node(doc, 0, 0))
    doc.apply(edits.add_node(doc, 100, 0))
    doc.apply(edits.add_edge(doc, "node_1", "node_2"))
    doc.apply(edits.set_field(doc, Ref("edges", "road_1"), "speed_kmh", 60.0))
    action, node = edits.split_edge(doc, "road_1", 50, 0)
    doc.apply(action)
    assert [(e["a"], e["b"], e["speed_kmh"]) for e in doc.items("edges")] == [
        ("node_1", node, 60.0), (node, "node_2", 60.0)]
