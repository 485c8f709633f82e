"""The settings file: every setting round-trips and changes what it should; an unusable
file is kept as a backup and replaced by defaults, never a crash."""

from __future__ import annotations

import json

import numpy as np
import pytest

from command_game import controls, i18n, settings
from command_game.render import palette
from command_game.userdata import settings_path


@pytest.fixture(autouse=True)
def defaults_after():
    yield
    settings.apply(settings.Settings())


#: One non-default value per setting: the round trip must carry each of them.
CHANGED = {
    "language": "id",
    "master_volume": 0.3,
    "effects_volume": 0.5,
    "music_volume": 0.1,
    "fullscreen": True,
    "window_size": (1600, 900),
    "ui_scale": 150,
    "palette": "colorblind",
    "reduced_flashing": True,
    "edge_scrolling": False,
    "key_bindings": {"order_dialogue": "K"},
    "show_tutorial": False,
    "board_url": "http://127.0.0.1:8765",
    "player_name": "Rani",
}


def test_every_field_is_covered_by_the_round_trip():
    assert set(CHANGED) == set(settings.Settings.model_fields) - {"version"}
    defaults = settings.Settings()
    for name, value in CHANGED.items():
        assert getattr(defaults, name) != value, name


@pytest.mark.parametrize("name", sorted(CHANGED))
def test_each_setting_round_trips_through_the_file(name):
    saved = settings.Settings(**{name: CHANGED[name]})
    path = settings.save_settings(saved)
    assert path == settings_path()
    loaded = settings.load_settings()
    assert loaded == saved and loaded.notice is None
    assert getattr(loaded, name) == CHANGED[name]
    assert settings.current() is loaded


def test_file_is_plain_json_with_a_version():
    settings.save_settings(settings.Settings(**CHANGED))
    data = json.loads(settings_path().read_text("utf-8"))
    assert data["version"] == settings.SETTINGS_VERSION
    assert data["window_size"] == [1600, 900]
    assert not list(settings_path().parent.glob(".settings.json.*.tmp"))  # atomic: no leftovers


def test_no_file_means_defaults():
    assert not settings_path().exists()
    assert settings.load_settings() == settings.Settings()


class FakeWindow:
    def __init__(self):
        self.fullscreen, self.size, self.calls = False, (1280, 800), []

    def set_fullscreen(self, on):
        self.calls.append(("fullscreen", on))
        self.fullscreen = on

    def set_size(self, w, h):
        self.calls.append(("size", (w, h)))
        self.size = (w, h)

    def get_size(self):
        return self.size


def test_apply_changes_what_each_setting_should():
    values = np.linspace(0, 1, 20)
    before_colors = palette.agitation_colors(values)
    before_title = i18n.t("settings.title")
    window = FakeWindow()
    problems = settings.apply(settings.Settings(**CHANGED), window)
    assert problems == []
    assert i18n.language() == "id" and i18n.t("settings.title") == "Pengaturan" != before_title
    assert not np.array_equal(palette.agitation_colors(values), before_colors)
    assert palette.reduced_flashing() and palette.pulse(0.25) == 1.0
    assert controls.edge_scroll(0, 400, 1280, 800) == (0, 0)
    from pyglet.window import key

    assert controls.action_for(key.K) == "order_dialogue"
    assert window.calls == [("fullscreen", True)]  # fullscreen: the size is left alone
    s = settings.current()
    assert s.effects_gain() == pytest.approx(0.15) and s.music_gain() == pytest.approx(0.03)
    from command_game import sound

    settings.apply(settings.Settings(master_volume=0.0))
    assert sound.play("order") is False  # master at 0% mutes every effect
    settings.apply(settings.Settings())
    assert sound.play("order") is True  # the silent test driver still "plays"
    settings.apply(settings.Settings(window_size=(1600, 900)), window)
    assert window.calls[-2:] == [("fullscreen", False), ("size", (1600, 900))]
    settings.apply(settings.Settings())
    assert controls.edge_scroll(0, 400, 1280, 800) == (-1, 0)
    assert controls.action_for(key.D) == "order_dialogue"


def test_music_plays_at_master_times_music_volume():
    from command_game import music

    assert music.start() and music.playing()
    try:
        settings.apply(settings.Settings(master_volume=0.5, music_volume=0.4))
        assert music.volume() == pytest.approx(0.2)
        assert music._player.volume == pytest.approx(0.2)  # the playing loop, at once
        settings.apply(settings.Settings(music_volume=0.0))
        assert music._player.volume == 0.0
    finally:
        music.stop()
    assert not music.playing()


def test_music_loop_is_a_quiet_wav_of_the_stated_length():
    import io
    import wave

    from command_game import music

    with wave.open(io.BytesIO(music.synthesise())) as wav:
        frames = wav.readframes(wav.getnframes())
        assert wav.getnframes() == int(music.RATE * music.CHORD_S) * len(music.CHORDS)
    samples = np.frombuffer(frames, dtype="<i2")
    assert 0.15 * 32767 < np.abs(samples).max() <= 0.23 * 32767  # quiet, never clipping


def test_update_applies_saves_and_tells_listeners():
    heard = []
    unsubscribe = settings.subscribe(heard.append)
    try:
        settings.update(palette="colorblind")
    finally:
        unsubscribe()
    assert palette.palette() == "colorblind"
    assert settings.load_settings().palette == "colorblind"
    assert heard and heard[-1].palette == "colorblind"
    with pytest.raises(ValueError):
        settings.update(ui_scale=500)
    assert settings.load_settings().ui_scale == 100


@pytest.mark.parametrize("content, reason", [
    (b"{ this is not json", "not valid JSON"),
    (b"\xff\xfe\x00garbage", "codec"),
    (b"[1, 2, 3]", "JSON object"),
    (b'{"language": "en"}', "version None"),
    (b'{"version": 0, "language": "en"}', "version 0"),
    (b'{"version": 99}', "version 99"),
    (b'{"version": 1, "ui_scale": 500}', "field 'ui_scale'"),
    (b'{"version": 1, "window_size": [10, 10]}', "field 'window_size'"),
    (b'{"version": 1, "colour": "blue"}', "field 'colour'"),
])
def test_unusable_file_is_backed_up_and_replaced_by_defaults(content, reason):
    path = settings_path()
    path.write_bytes(content)
    loaded = settings.load_settings()
    assert loaded.model_dump() == settings.Settings().model_dump()
    assert loaded.notice is not None and reason in loaded.notice.reason
    assert loaded.notice.backup.read_bytes() == content  # nothing the player had is lost
    assert settings.parse_settings(path.read_text("utf-8")) == settings.Settings()


def test_a_second_reset_keeps_the_first_backup():
    settings_path().write_text("broken once")
    first = settings.load_settings().notice.backup
    settings_path().write_text("broken twice")
    second = settings.load_settings().notice.backup
    assert first != second
    assert first.read_text() == "broken once" and second.read_text() == "broken twice"


def test_bad_binding_in_file_is_reported_and_the_rest_applies():
    settings.save_settings(settings.Settings(key_bindings={"pause": "P", "help": "Nonsense"}))
    problems = settings.apply(settings.load_settings())
    assert len(problems) == 1 and "help" in problems[0]
    assert controls.key_name("pause") == "P" and controls.key_name("help") == "F1"


def test_a_file_that_cannot_be_backed_up_is_left_alone(monkeypatch):
    def no_backup(_path):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(settings, "backup_file", no_backup)
    settings_path().write_text("{broken")
    loaded = settings.load_settings()
    assert loaded.model_dump() == settings.Settings().model_dump()
    assert "left as it is" in loaded.notice.reason and loaded.notice.backup is None
    assert settings_path().read_text() == "{broken"  # never overwritten without a copy
    assert "defaults are in use for now" in loaded.notice_text()
    assert settings.Settings().notice_text() == ""
