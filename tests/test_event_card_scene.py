"""The event card overlay in a real window: it comes up over the map when the world says
a card is waiting, stops game time, and takes the choice from the number keys, the
arrows and Enter, or a mouse click; the answer is a Command the replay keeps."""

from __future__ import annotations

import arcade
import pytest
from pyglet.window import key, mouse

from command_game.i18n import set_language
from command_game.level.io import load_level, parse_level
from command_game.scenes.event_card import EventCardScene
from command_game.scenes.map import MapScene
from tests.conftest import LEVELS, pump, save_frame


def send(window, event: str, *args) -> None:
    window.dispatch_event(event, *args)
    window.dispatch_pending_events()


def press(window, symbol: int) -> None:
    send(window, "on_key_press", symbol, 0)
    send(window, "on_key_release", symbol, 0)


def click(window, x: float, y: float) -> None:
    x, y = int(round(x)), int(round(y))
    send(window, "on_mouse_motion", x, y, 0, 0)
    send(window, "on_mouse_press", x, y, mouse.LEFT, 0)
    send(window, "on_mouse_release", x, y, mouse.LEFT, 0)


def early_cards_level():
    """Singkawang with three of its own cards brought forward to the first seconds."""
    level = load_level(LEVELS / "01_singkawang.json")
    data = level.model_dump(mode="json", exclude_none=True)
    cards = {c["id"]: c for c in data["event_cards"]}
    data["event_cards"] = [dict(cards["video_bawaslu"], at_s=2.0),
                           dict(cards["ketua_kpu_pleno"], at_s=4.0),
                           dict(cards["tim_kampanye_bawaslu"], at_s=6.0)]
    data.pop("variation")
    return parse_level(data)


def advance_to_card(window, stack, scene, limit=60 * 20):
    """Steps time the way the window does (only the top scene gets fixed updates)."""
    for _ in range(limit):
        if isinstance(stack.top, EventCardScene):
            return stack.top
        window.current_view.on_fixed_update(1 / 60)
    raise AssertionError("no card came up")


@pytest.fixture
def stack(stack):
    """The shared stack (conftest), and English again afterwards."""
    yield stack
    set_language("en")


def test_cards_pause_the_night_and_take_keys_arrows_and_clicks(stack, clean_window):
    window = clean_window
    scene = stack.push(MapScene(early_cards_level(), seed=0))
    scene.set_speed(4)
    world = scene.world

    overlay = advance_to_card(window, stack, scene)
    assert overlay.card.id == "video_bawaslu" and window.current_view is overlay
    tick = world.tick
    for _ in range(30):  # the window's loop: the overlay is on top, the map gets nothing
        window.current_view.on_fixed_update(1 / 60)
    assert world.tick == tick and world.cards.showing.id == "video_bawaslu"
    pump(window, 2)
    frame = save_frame(window, "event_card_en")
    image = arcade.get_image(0, 0, *window.get_framebuffer_size())
    assert image.getpixel((window.width // 2, window.height // 2))[:3] != (0, 0, 0)
    assert frame.exists()

    press(window, key._2)  # "Answer it": the second choice, by its number
    assert stack.top is scene
    assert [c.choice for c in scene.pending if c.kind == "choose_card"] == ["jawab"]
    assert any("Binluh" in n.text for n in scene.notifications)  # the outcome is noted

    overlay = advance_to_card(window, stack, scene)  # the escort card, by the mouse
    assert overlay.card.id == "ketua_kpu_pleno"
    pump(window, 2)
    refuse = overlay.buttons[1]
    click(window, refuse.center_x, refuse.center_y)
    assert stack.top is scene
    window.current_view.on_fixed_update(1 / 60)
    assert [a[:2] for a in world.cards.answers] == [("video_bawaslu", "jawab"),
                                                    ("ketua_kpu_pleno", "tolak")]

    set_language("id")  # the third card in Bahasa Indonesia, answered by arrows + Enter
    overlay = advance_to_card(window, stack, scene)
    assert overlay.card.id == "tim_kampanye_bawaslu"
    assert "Tim salah satu paslon" in overlay.story.text
    pump(window, 2)
    save_frame(window, "event_card_id")
    press(window, key.DOWN)
    press(window, key.DOWN)
    press(window, key.ENTER)
    window.current_view.on_fixed_update(1 / 60)
    assert world.cards.answers[-1][:2] == ("tim_kampanye_bawaslu", "larang")
    assert [c.kind for c in world.command_log].count("choose_card") == 3


def test_a_card_whose_time_ran_out_elsewhere_closes_and_never_stacks(stack, clean_window):
    window = clean_window
    scene = stack.push(MapScene(early_cards_level(), seed=0))
    overlay = advance_to_card(window, stack, scene)
    for _ in range(60 * 40):  # the mission stepped directly (as a test or tool might)
        scene.on_fixed_update(1 / 60)
        if scene.world.cards.answers:
            break
    assert len(stack) == 2  # no second overlay pushed over the first
    overlay.on_update(1 / 60)
    assert scene.world.cards.answers[0][3]  # taken by its default
    if scene.world.cards.showing is None:
        assert stack.top is scene
    else:  # the next card came up meanwhile: it takes the old one's place
        assert isinstance(stack.top, EventCardScene) and len(stack) == 2
        assert stack.top.card is scene.world.cards.showing
