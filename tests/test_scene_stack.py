"""Scene stack semantics on a real window: paired hooks in order, input and updates to the
top scene only, overlays drawn over the scenes beneath them."""

from __future__ import annotations

import arcade
import pytest

from command_game.scenes.stack import Scene

pytestmark = pytest.mark.gl


class Recorder(Scene):
    """Writes every hook, key, update and draw it receives to a shared log."""

    def __init__(self, name: str, log: list[str], overlay: bool = False) -> None:
        super().__init__()
        self.name, self.log, self.overlay = name, log, overlay

    def on_enter(self) -> None:
        self.log.append(f"{self.name}.enter")

    def on_exit(self) -> None:
        self.log.append(f"{self.name}.exit")

    def on_pause(self) -> None:
        self.log.append(f"{self.name}.pause")

    def on_resume(self) -> None:
        self.log.append(f"{self.name}.resume")

    def on_key_press(self, symbol: int, modifiers: int) -> None:
        self.log.append(f"{self.name}.key")

    def on_update(self, delta_time: float) -> None:
        self.log.append(f"{self.name}.update")

    def on_draw(self) -> None:
        if self.overlay:
            self.draw_beneath()
        self.log.append(f"{self.name}.draw")


@pytest.fixture
def log() -> list[str]:
    return []


def test_push_pauses_the_top_and_pop_resumes_it(stack, log, clean_window):
    a, b = Recorder("a", log), Recorder("b", log)
    stack.push(a)
    stack.push(b)
    assert clean_window.current_view is b and stack.top is b
    assert stack.pop() is b
    assert clean_window.current_view is a
    assert log == ["a.enter", "a.pause", "b.enter", "b.exit", "a.resume"]
    assert b.stack is None and a.stack is stack


def test_replace_exits_the_top_without_resuming_the_one_beneath(stack, log):
    a, b, c = Recorder("a", log), Recorder("b", log), Recorder("c", log)
    stack.push(a)
    stack.push(b)
    log.clear()
    stack.replace(c)
    assert log == ["b.exit", "c.enter"]
    assert stack.scenes == (a, c)


def test_reset_exits_every_scene_top_first(stack, log, clean_window):
    a, b, c = Recorder("a", log), Recorder("b", log), Recorder("c", log)
    stack.push(a)
    stack.push(b)
    log.clear()
    stack.reset(c)
    assert log == ["b.exit", "a.exit", "c.enter"]
    assert stack.scenes == (c,) and clean_window.current_view is c


def test_clear_exits_every_scene_and_resumes_none(stack, log, clean_window):
    a, b = Recorder("a", log), Recorder("b", log)
    stack.push(a)
    stack.push(b)
    log.clear()
    stack.clear()
    assert log == ["b.exit", "a.exit"]
    assert len(stack) == 0 and clean_window.current_view is None


def test_popping_the_last_scene_hides_the_view_and_an_empty_pop_fails(stack, log, clean_window):
    stack.push(Recorder("a", log))
    stack.pop()
    assert clean_window.current_view is None and len(stack) == 0
    with pytest.raises(IndexError):
        stack.pop()


def test_only_the_top_scene_gets_keys_and_updates(stack, log, clean_window):
    stack.push(Recorder("a", log))
    stack.push(Recorder("b", log, overlay=True))
    log.clear()
    clean_window.dispatch_event("on_key_press", arcade.key.ESCAPE, 0)
    clean_window.dispatch_event("on_update", 1 / 60)
    clean_window.dispatch_pending_events()
    assert log == ["b.key", "b.update"]
    stack.pop()
    log.clear()
    clean_window.dispatch_event("on_key_press", arcade.key.ESCAPE, 0)
    clean_window.dispatch_pending_events()
    assert log == ["a.key"]


def test_overlays_draw_the_scenes_beneath_first(stack, log, clean_window):
    stack.push(Recorder("a", log))
    stack.push(Recorder("b", log))
    stack.push(Recorder("c", log, overlay=True))
    stack.push(Recorder("d", log, overlay=True))
    log.clear()
    clean_window.dispatch_event("on_draw")
    clean_window.dispatch_pending_events()
    # d and c are overlays: they show b (an opaque scene) and stop there; a stays hidden
    assert log == ["b.draw", "c.draw", "d.draw"]


def test_an_opaque_scene_draws_only_itself(stack, log, clean_window):
    stack.push(Recorder("a", log))
    stack.push(Recorder("b", log))
    log.clear()
    clean_window.dispatch_event("on_draw")
    clean_window.dispatch_pending_events()
    assert log == ["b.draw"]
