"""Event sound effects: made by the game, played quietly or not at all."""

from __future__ import annotations

import io
import wave

import pytest

from command_game import sound
from command_game.sim.events import Event


@pytest.fixture(autouse=True)
def fresh_sound(monkeypatch):
    monkeypatch.setattr(sound, "_broken", None)
    monkeypatch.setattr(sound, "_loaded", {})
    monkeypatch.setattr(sound, "_volume", 0.6)


def test_every_effect_is_a_short_valid_wav():
    for effect in sound.EFFECTS:
        with wave.open(io.BytesIO(sound.synthesise(effect))) as wav:
            assert wav.getnchannels() == 1 and wav.getframerate() == sound.RATE
            assert 0.03 < wav.getnframes() / sound.RATE < 1.5


def test_effects_are_cached_in_the_user_data_dir(user_home):
    path = sound.effect_path("incident")
    assert path.is_file() and user_home in path.parents
    assert sound.effect_path("incident") == path


def test_playing_on_the_silent_driver_works():
    assert sound.play("order") is True
    assert sound.play("no_such_effect") is False


def test_a_broken_audio_device_turns_sound_off_quietly(monkeypatch):
    import arcade

    def no_device(*args, **kwargs):
        raise OSError("no audio device")

    with monkeypatch.context() as patch:
        patch.setattr(arcade, "load_sound", no_device)
        assert sound.play("incident") is False
    assert sound._broken is not None
    assert sound.play("incident") is False  # stays off for the session, no retry storm


def test_the_most_important_event_of_a_tick_is_heard():
    events = [Event(1, "unit_arrived", "a"), Event(1, "incident_escalated", "i"),
              Event(1, "objective_met", "o")]
    assert sound.play_for_events(events) == "escalated"
    assert sound.play_for_events([Event(1, "unit_dispatched", "a")]) is None
    sound.set_volume(0)
    assert sound.play("won") is False
