"""Both languages carry every key, and the language switch reaches t()."""

from __future__ import annotations

import string

import pytest

from command_game import i18n


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_catalogs_have_the_same_keys_and_placeholders():
    en, idn = i18n.catalog("en"), i18n.catalog("id")
    assert set(en) == set(idn), f"missing in id: {set(en) - set(idn)}; in en: {set(idn) - set(en)}"
    for key in en:
        assert placeholders(en[key]) == placeholders(idn[key]), key


def test_language_switch():
    try:
        i18n.set_language("id")
        assert i18n.t("game.subtitle") == "Komando malam pemilu"
        i18n.set_language("en")
        assert i18n.t("game.subtitle") == "Election night command"
        assert i18n.t("no.such.key") == "no.such.key"
    finally:
        i18n.set_language("en")
    with pytest.raises(ValueError, match="unknown language"):
        i18n.set_language("fr")
