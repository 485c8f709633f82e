"""The editor writes event cards and the variation block: undoable JSON-backed edits,
checked against the level models, and a page in the editor driven by real events."""

from __future__ import annotations

import json
import shutil

import arcade

from command_game.editor import cards as card_edits
from command_game.editor.document import Document
from command_game.i18n import t
from command_game.level.io import level_to_dict, load_level, parse_level
from command_game.scenes.editor_cards import EditorCardsScene
from tests.conftest import LEVELS, pump, save_frame
from tests.test_editor_scene import Driver, editor  # noqa: F401  (the editor fixture)

SINGKAWANG = LEVELS / "01_singkawang.json"


def document() -> Document:
    return Document(level_to_dict(load_level(SINGKAWANG)))


def test_cards_are_added_edited_checked_and_undone_as_document_edits():
    doc = document()
    before = json.loads(json.dumps(doc.data))
    assert doc.apply(card_edits.add_card(doc))
    assert len(card_edits.cards(doc)) == 6 and card_edits.cards(doc)[-1]["id"] == "card_1"
    parse_level(doc.data)  # the new card is a valid card
    text = card_edits.card_text(doc, 5).replace('"at_s": 60.0', '"at_s": 75.5')
    action, errors = card_edits.set_card(doc, 5, text)
    assert errors == [] and doc.apply(action)
    assert card_edits.cards(doc)[5]["at_s"] == 75.5
    bad = card_edits.card_text(doc, 5).replace('"default": "no"', '"default": "maybe"')
    action, errors = card_edits.set_card(doc, 5, bad)
    assert not action and "default 'maybe'" in errors[0]
    action, errors = card_edits.set_card(doc, 5, "{ nope")
    assert not action and "invalid JSON" in errors[0] and "line 1" in errors[0]
    missing = json.loads(card_edits.card_text(doc, 5))
    del missing["choices"][0]["label"]["en"]
    action, errors = card_edits.set_card(doc, 5, json.dumps(missing))
    assert any("choices[0].label.en" in e and "fix:" in e for e in errors)
    action, errors = card_edits.set_card(doc, 5, card_edits.card_text(doc, 0))
    assert any("another card" in e for e in errors)  # ids stay unique
    var = json.loads(card_edits.variation_text(doc))
    var["cards"]["draw"] = 4
    action, errors = card_edits.set_variation(doc, json.dumps(var))
    assert errors == [] and doc.apply(action) and doc.data["variation"]["cards"]["draw"] == 4
    assert doc.apply(card_edits.delete_card(doc, 0))
    while doc.undo():
        pass
    assert doc.data == before


def test_deleting_the_last_card_leaves_a_level_without_cards():
    doc = Document(level_to_dict(load_level(SINGKAWANG)))
    while card_edits.cards(doc):
        doc.apply(card_edits.delete_card(doc, 0))
    assert "event_cards" not in doc.data
    assert doc.apply(card_edits.add_card(doc)) and len(doc.data["event_cards"]) == 1


def test_the_card_page_in_the_editor(editor, tmp_path):  # noqa: F811
    from command_game.scenes.editor import EditorScene

    path = tmp_path / "singkawang.json"
    shutil.copyfile(SINGKAWANG, path)
    d = editor
    d.window.stack.pop()
    d.scene = d.window.stack.push(EditorScene(path))
    pump(d.window, 2)
    d.press(t("editor.tab.script"))
    d.press(t("editor.action.cards"))
    page = d.window.stack.top
    assert isinstance(page, EditorCardsScene)
    d.press("ketua_kpu_pleno · 60s")
    assert '"id": "ketua_kpu_pleno"' in page.area.text
    pump(d.window, 2)
    save_frame(d.window, "editor_cards")

    d.press(t("editor.cards.add"))
    assert page.index == 5 and '"id": "card_1"' in page.area.text
    d.click_at(round(page.area.center_x), round(page.area.center_y))
    d.type_text("}{")  # typing breaks it: Apply refuses and says where
    d.key(arcade.key.ENTER, arcade.key.MOD_CTRL)
    assert "invalid JSON" in page.message and page.area.invalid
    assert card_edits.cards(d.scene.doc)[5]["at_s"] == 60.0
    # a corrected card pasted in is written as one edit; Undo takes it back
    page.area.text = card_edits.card_text(d.scene.doc, 5).replace('"at_s": 60.0',
                                                                 '"at_s": 90.0')
    d.key(arcade.key.ENTER, arcade.key.MOD_CTRL)
    assert card_edits.cards(d.scene.doc)[5]["at_s"] == 90.0
    assert d.scene.level is not None and d.scene.level.event_cards[5].at_s == 90.0
    d.press(t("editor.cards.undo"))
    assert card_edits.cards(d.scene.doc)[5]["at_s"] == 60.0
    d.key(arcade.key.ESCAPE)  # leaves the text field
    d.key(arcade.key.ESCAPE)  # back to the editor
    assert d.window.stack.top is d.scene
    d.key(arcade.key.S, arcade.key.MOD_CTRL)
    assert [c.id for c in load_level(path).event_cards][-1] == "card_1"


def test_renaming_an_office_or_incident_follows_into_cards_and_variation():
    from command_game.editor import edits
    from command_game.editor.document import Ref
    from command_game.editor.validation import validate

    doc = document()
    doc.apply(edits.rename(doc, Ref("offices", "ppk_singkawang_barat"), "ppk_barat"))
    doc.apply(edits.rename(doc, Ref("incidents", "intimidasi_ppk"), "ancaman_ppk"))
    level, problems = validate(doc.data)
    assert not [p for p in problems if p.severity == "error"], problems
    card = next(c for c in level.event_cards if c.id == "laporan_warga_ppk")
    assert card.site == "ppk_barat"
    rule = next(r for r in level.variation.incidents if r.incident == "ancaman_ppk")
    assert "ppk_barat" in rule.sites and "ppk_singkawang_barat" not in rule.sites
    doc.undo()
    doc.undo()
    assert doc.data == document().data
