"""Edits to a level's event cards and its variation block, as undoable document edits.

The card editor shows each card (and the variation block) as JSON text; applying the
text checks it against the level models first, so a card that would not load is never
written, and the error names the field and the fix. Each change is one EditAction, so
Ctrl+Z undoes it like any other edit.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from pydantic import BaseModel, ValidationError

from command_game.editor.document import Document, EditAction, Insert, Remove, SetValue
from command_game.level.cards import EventCard
from command_game.level.io import problems_from_validation
from command_game.level.variation import Variation

CARDS = ("event_cards",)
VARIATION = ("variation",)


def cards(doc: Document) -> list[dict[str, Any]]:
    return doc.data.get("event_cards") or []


def card_text(doc: Document, index: int) -> str:
    return json.dumps(cards(doc)[index], indent=2, ensure_ascii=False)


def variation_text(doc: Document) -> str:
    return json.dumps(doc.data.get("variation") or {"incidents": [], "cards": {"draw": None}},
                      indent=2, ensure_ascii=False)


def new_card(doc: Document) -> dict[str, Any]:
    """A card to start from: two choices, each with one consequence, in both languages."""
    taken = {c.get("id") for c in cards(doc)}
    n = 1
    while f"card_{n}" in taken:
        n += 1
    site = next((o["id"] for o in doc.data.get("offices", [])
                 if o.get("type") not in ("polres", "polsek")), None)
    card: dict[str, Any] = {
        "id": f"card_{n}", "at_s": 60.0, "title": {"en": "A request", "id": "Sebuah permintaan"},
        "text": {"en": "Describe the situation.", "id": "Jelaskan situasinya."},
        "choices": [
            {"id": "yes", "label": {"en": "Agree", "id": "Setuju"},
             "outcome": {"en": "You agreed.", "id": "Anda setuju."},
             "effects": [{"kind": "trust", "delta": 3.0}], "recommended": True},
            {"id": "no", "label": {"en": "Refuse", "id": "Tolak"},
             "outcome": {"en": "You refused.", "id": "Anda menolak."},
             "effects": [{"kind": "trust", "delta": -3.0}]},
        ],
        "default": "no", "decide_s": 30.0,
    }
    if site is not None:
        card["site"] = site
    return card


def add_card(doc: Document) -> EditAction:
    card = new_card(doc)
    if "event_cards" not in doc.data or doc.data["event_cards"] is None:
        return EditAction(f"add {card['id']}", [SetValue(CARDS, None, [card])])
    return EditAction(f"add {card['id']}", [Insert(CARDS, len(cards(doc)), card)])


def delete_card(doc: Document, index: int) -> EditAction:
    items = cards(doc)
    if not 0 <= index < len(items):
        return EditAction("")
    label = f"delete {items[index].get('id')}"
    if len(items) == 1:  # no cards left: the level file goes back to having none
        return EditAction(label, [SetValue(CARDS, copy.deepcopy(items), None)])
    return EditAction(label, [Remove(CARDS, index, items[index])])


def set_card(doc: Document, index: int, text: str) -> tuple[EditAction, list[str]]:
    """The card at index from JSON text: an edit, or no edit and what is wrong."""
    items = cards(doc)
    if not 0 <= index < len(items):
        return EditAction(""), [f"no card {index}"]
    value, errors = _checked(text, EventCard, f"event_cards[{index}]")
    if errors:
        return EditAction(""), errors
    others = {c.get("id") for i, c in enumerate(items) if i != index}
    if value["id"] in others:
        return EditAction(""), [f"event_cards[{index}].id: another card is called "
                                f"'{value['id']}' (fix: give every card its own id)"]
    if value == items[index]:
        return EditAction(""), []
    return EditAction(f"edit {value['id']}", [SetValue((*CARDS, index), copy.deepcopy(
        items[index]), value)]), []


def set_variation(doc: Document, text: str) -> tuple[EditAction, list[str]]:
    value, errors = _checked(text, Variation, "variation")
    if errors:
        return EditAction(""), errors
    old = doc.data.get("variation")
    if value == old:
        return EditAction(""), []
    return EditAction("edit variation", [SetValue(VARIATION, copy.deepcopy(old), value)]), []


def _checked(text: str, model: type[BaseModel], where: str) -> tuple[dict[str, Any], list[str]]:
    """Parsed and schema-checked JSON, as the level file will hold it; or the problems."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return {}, [f"{where}: line {exc.lineno} column {exc.colno}: invalid JSON: {exc.msg} "
                    "(fix: correct the JSON at that position)"]
    try:
        parsed = model.model_validate(data)
    except ValidationError as exc:
        return {}, [f"{where}.{p.path}: {p.message} (fix: {p.fix})"
                    for p in problems_from_validation(exc)]
    return parsed.model_dump(mode="json", exclude_none=True), []


def renamed(doc: Document, collection: str, old: str, new: str) -> list[SetValue]:
    """Steps that follow a renamed office, incident or convoy into the cards and the
    variation block (edits.rename adds them to its own)."""
    steps: list[SetValue] = []
    if collection == "offices":
        for i, card in enumerate(cards(doc)):
            if card.get("site") == old:
                steps.append(SetValue((*CARDS, i, "site"), old, new))
            for j, choice in enumerate(card.get("choices", [])):
                for k, effect in enumerate(choice.get("effects", [])):
                    if effect.get("site") == old:
                        steps.append(SetValue((*CARDS, i, "choices", j, "effects", k, "site"),
                                              old, new))
    variation = doc.data.get("variation") or {}
    for key, ref_key, owner in (("incidents", "incident", "incidents"),
                                ("convoys", "convoy", "convoys")):
        for i, rule in enumerate(variation.get(key, [])):
            if collection == owner and rule.get(ref_key) == old:
                steps.append(SetValue((*VARIATION, key, i, ref_key), old, new))
            if collection == "offices" and key == "incidents" and old in rule.get("sites", []):
                sites = [new if s == old else s for s in rule["sites"]]
                steps.append(SetValue((*VARIATION, key, i, "sites"), list(rule["sites"]), sites))
    return steps
