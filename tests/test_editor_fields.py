"""The property panel's rules and the picking of objects under the cursor, headless."""

from __future__ import annotations

import pytest

from command_game.editor import edits, picking
from command_game.editor.document import Document, Ref
from command_game.editor.fields import LEVEL_FIELDS, fields_for, parse, show
from command_game.editor.template import new_level_data


@pytest.fixture
def doc() -> Document:
    doc = Document(new_level_data())
    doc.apply(edits.add_node(doc, 100, 100))
    doc.apply(edits.add_node(doc, 300, 100))
    doc.apply(edits.add_edge(doc, "node_1", "node_2"))
    doc.apply(edits.add_office(doc, "polsek", 90, 130))
    doc.apply(edits.add_office(doc, "tps", 310, 130))
    doc.apply(edits.add_polygon(doc, "districts", [(0, 0), (1000, 0), (1000, 800), (0, 800)]))
    doc.apply(edits.add_polygon(doc, "buildings", [(150, 150), (250, 150), (250, 250)]))
    doc.apply(edits.add_unit(doc))
    return doc


def test_choices_come_from_the_document(doc):
    office = {f.name: f for f in fields_for(doc, Ref("offices", "tps_1"))}
    assert office["node"].choices == ("node_1", "node_2")
    unit = {f.name: f for f in fields_for(doc, Ref("units", "samapta_1"))}
    assert unit["base"].choices == ("polsek_1",)  # only police HQs can base units


def test_typed_text_becomes_typed_values():
    fields = {f.name: f for f in LEVEL_FIELDS}
    assert parse(fields["meta.duration_s"], " 600,5 ") == 600.5
    assert parse(fields["meta.difficulty"], "3") == 3
    assert show(fields["meta.duration_s"], 600.0) == "600"
    with pytest.raises(ValueError):
        parse(fields["meta.duration_s"], "ten minutes")
    with pytest.raises(ValueError, match="choose one of"):
        parse(fields["meta.phase"], "voting")


def test_optional_fields_clear_to_absent(doc):
    doc.apply(edits.add_crowd_source(doc, 500, 500))
    end = next(f for f in fields_for(doc, Ref("crowd_sources", "crowd_1")) if f.name == "end_s")
    assert parse(end, "") is None
    doc.apply(edits.set_field(doc, Ref("crowd_sources", "crowd_1"), "end_s", 300.0))
    doc.mark_saved()  # a save ends the typing run: the next change undoes on its own
    doc.apply(edits.set_field(doc, Ref("crowd_sources", "crowd_1"), "end_s", None))
    assert "end_s" not in doc.items("crowd_sources")[0]
    doc.undo()
    assert doc.items("crowd_sources")[0]["end_s"] == 300.0


def test_pick_prefers_small_things_over_large(doc):
    assert picking.pick(doc, 101, 99, 5) == Ref("nodes", "node_1")
    assert picking.pick(doc, 200, 102, 5) == Ref("edges", "road_1")
    assert picking.pick(doc, 220, 170, 5) == Ref("buildings", "building_1")
    assert picking.pick(doc, 700, 600, 5) == Ref("districts", "district_1")


def test_box_takes_what_lies_wholly_inside(doc):
    found = set(picking.in_box(doc, 50, 50, 320, 140))
    assert found == {Ref("nodes", "node_1"), Ref("nodes", "node_2"), Ref("edges", "road_1"),
                     Ref("offices", "polsek_1"), Ref("offices", "tps_1")}


def test_vertex_and_midpoint_handles(doc):
    building = [Ref("buildings", "building_1")]
    assert picking.pick_vertex(doc, 249, 151, 4, building) == Ref("buildings", "building_1", 1)
    ref, index, point = picking.pick_midpoint(doc, 200, 150, 4, building)
    assert (index, point) == (1, (200.0, 150.0))
