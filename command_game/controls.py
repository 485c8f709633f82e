"""Every hotkey as a named action, with the player's own bindings on top of the defaults.

Scenes never test raw keys: they ask `action_for(symbol, modifiers)` and act on the
action's name, so a rebound key works everywhere at once and the help overlay and
tooltips show the real key through `key_name(action)`.

A binding is one key plus Ctrl/Alt/Shift, written as text the player can read and the
settings file can store ("Ctrl+1", "Shift+Tab", "Space"). Each binding belongs to one
action only; `rebind` refuses a key another action holds (or swaps the two on request).
Escape is not rebindable: it always backs out (menu, cancel), so a player can never
lock themselves out of the menus.

Keyboard-only play: Tab cycles units, I cycles incidents, O cycles sites (offices);
an order key (M move, H hold, P patrol, D dialogue, E escort, R respond, B recall,
C cyber response, T call TNI) orders the selected units to the focused target.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from pyglet.window import key

MODIFIER_MASK = key.MOD_CTRL | key.MOD_ALT | key.MOD_SHIFT
_MODIFIER_NAMES = ((key.MOD_CTRL, "Ctrl"), (key.MOD_ALT, "Alt"), (key.MOD_SHIFT, "Shift"))
#: Keys that are only modifiers, or that are reserved, can never be bound.
_UNBINDABLE = frozenset({
    key.LSHIFT, key.RSHIFT, key.LCTRL, key.RCTRL, key.LALT, key.RALT, key.LMETA, key.RMETA,
    key.LWINDOWS, key.RWINDOWS, key.CAPSLOCK, key.NUMLOCK, key.SCROLLLOCK, key.ESCAPE,
    key.LCOMMAND, key.RCOMMAND, key.LOPTION, key.ROPTION, key.FUNCTION,
})
#: Number-pad keys act like their main-keyboard twins.
_NUMPAD = {
    key.NUM_ENTER: key.ENTER, key.NUM_ADD: key.PLUS, key.NUM_SUBTRACT: key.MINUS,
    key.NUM_UP: key.UP, key.NUM_DOWN: key.DOWN, key.NUM_LEFT: key.LEFT,
    key.NUM_RIGHT: key.RIGHT, key.NUM_PAGE_UP: key.PAGEUP, key.NUM_PAGE_DOWN: key.PAGEDOWN,
    key.NUM_TAB: key.TAB, key.NUM_SPACE: key.SPACE,
    **{getattr(key, f"NUM_{n}"): getattr(key, f"_{n}") for n in range(10)},
}
#: How a few keys are written; everything else is pyglet's name in title case.
_PRETTY = {"PAGEUP": "PageUp", "PAGEDOWN": "PageDown", "BACKSPACE": "Backspace",
           "RETURN": "Enter", "APOSTROPHE": "'", "BRACKETLEFT": "[", "BRACKETRIGHT": "]",
           "MINUS": "-", "EQUAL": "=", "COMMA": ",", "PERIOD": ".", "SLASH": "/",
           "SEMICOLON": ";", "BACKSLASH": "\\", "GRAVE": "`", "PLUS": "+"}
_FROM_PRETTY = {v.upper(): k for k, v in _PRETTY.items()} | {"ENTER": "RETURN"}

ESCAPE = key.ESCAPE


@dataclass(frozen=True, order=True)
class Binding:
    symbol: int
    modifiers: int = 0

    def __str__(self) -> str:
        parts = [name for flag, name in _MODIFIER_NAMES if self.modifiers & flag]
        raw = key.symbol_string(self.symbol)
        parts.append(_PRETTY.get(raw, raw.lstrip("_").title() if len(raw) > 1 else raw))
        return "+".join(parts)


@dataclass(frozen=True)
class Action:
    name: str
    category: str  # camera, time, selection, groups, group_assign, orders, interface
    default: str  # a binding written as text

    @property
    def label_key(self) -> str:
        """The translation key of the action's name in menus and help."""
        return f"controls.action.{self.name}"


def _actions() -> tuple[Action, ...]:
    listed = [
        Action("pan_up", "camera", "Up"), Action("pan_down", "camera", "Down"),
        Action("pan_left", "camera", "Left"), Action("pan_right", "camera", "Right"),
        Action("zoom_in", "camera", "PageUp"), Action("zoom_out", "camera", "PageDown"),
        Action("center_selection", "camera", "F"),
        Action("pause", "time", "Space"), Action("speed_down", "time", "-"),
        Action("speed_up", "time", "="),
        Action("next_unit", "selection", "Tab"), Action("prev_unit", "selection", "Shift+Tab"),
        Action("next_incident", "selection", "I"),
        Action("prev_incident", "selection", "Shift+I"),
        Action("next_site", "selection", "O"), Action("prev_site", "selection", "Shift+O"),
        Action("select_all", "selection", "Ctrl+A"),
        Action("deselect", "selection", "Backspace"),
    ]
    listed += [Action(f"group_{n}", "groups", str(n)) for n in range(1, 10)]
    listed += [Action(f"group_set_{n}", "group_assign", f"Ctrl+{n}") for n in range(1, 10)]
    listed += [Action(f"order_{kind}", "orders", default) for kind, default in (
        ("move", "M"), ("hold", "H"), ("patrol", "P"), ("dialogue", "D"), ("escort", "E"),
        ("respond", "R"), ("recall", "B"), ("cyber_response", "C"), ("call_tni", "T"),
        ("cordon", "L"), ("exit_route", "X"),
    )]
    listed += [Action("help", "interface", "F1"), Action("toggle_heatmap", "interface", "G"),
               Action("skip_tutorial", "interface", "F10")]
    return tuple(listed)


ACTIONS: dict[str, Action] = {a.name: a for a in _actions()}
CATEGORIES: tuple[str, ...] = tuple(dict.fromkeys(a.category for a in ACTIONS.values()))
#: Order actions and the Command kind each one issues.
ORDER_KINDS: dict[str, str] = {
    name: name.removeprefix("order_") for name, a in ACTIONS.items() if a.category == "orders"
}


class BindingError(ValueError):
    """A binding that cannot be used: unknown key name, modifier-only key, Escape."""


class BindingConflict(BindingError):
    def __init__(self, action: str, other: str, binding: Binding) -> None:
        super().__init__(f"{binding} is already bound to '{other}'")
        self.action, self.other, self.binding = action, other, binding


def normalise(symbol: int, modifiers: int = 0) -> Binding:
    """The binding a key press means: number pad folded in, lock keys ignored."""
    return Binding(_NUMPAD.get(symbol, symbol), modifiers & MODIFIER_MASK)


def parse_binding(text: str) -> Binding:
    """Reads "Ctrl+Shift+Tab"; raises BindingError naming the part it cannot read."""
    if not text or not text.strip():
        raise BindingError("empty binding: write a key such as 'M' or 'Ctrl+1'")
    head, sep, tail = text.strip().rpartition("+")
    if not tail:  # the key itself is "+", as in "+" or "Shift++"; "Ctrl+" lacks a key
        if head and not head.endswith("+"):
            raise BindingError(f"'{text}' has no key after the last '+'")
        head, tail = head.removesuffix("+"), "+"
    mods, name = [p.strip() for p in head.split("+")] if sep and head else [], tail.strip()
    modifiers = 0
    for mod in mods:
        flag = {n.upper(): f for f, n in _MODIFIER_NAMES}.get(mod.upper())
        if flag is None:
            raise BindingError(f"unknown modifier '{mod}' in '{text}': use Ctrl, Alt or Shift")
        modifiers |= flag
    raw = _FROM_PRETTY.get(name.upper(), name.upper())
    symbol = getattr(key, f"_{raw}" if raw.isdigit() else raw, None)
    if not isinstance(symbol, int) or raw.startswith("MOD_"):
        raise BindingError(f"unknown key '{name}' in '{text}'")
    binding = normalise(symbol, modifiers)
    check_bindable(binding)
    return binding


def check_bindable(binding: Binding) -> None:
    if binding.symbol == key.ESCAPE:
        raise BindingError("Escape cannot be bound: it always backs out of menus")
    if binding.symbol in _UNBINDABLE:
        raise BindingError(f"{binding} alone cannot be bound: press it with another key")


DEFAULTS: dict[str, Binding] = {name: parse_binding(a.default) for name, a in ACTIONS.items()}
_bindings: dict[str, Binding] = dict(DEFAULTS)
_by_binding: dict[Binding, str] = {b: a for a, b in _bindings.items()}
assert len(_by_binding) == len(DEFAULTS), "two default bindings share a key"


def bindings() -> dict[str, Binding]:
    """Every action's current binding."""
    return dict(_bindings)


def action_for(symbol: int, modifiers: int = 0) -> str | None:
    """The action a key press triggers, or None."""
    return _by_binding.get(normalise(symbol, modifiers))


def key_name(action: str) -> str:
    """The current key of an action as the player sees it ("Ctrl+1"), for help and tooltips,
    with the named keys (Up, Space...) in the player's language."""
    return display_name(_bindings[action])


def display_name(binding: Binding) -> str:
    from command_game.i18n import t

    words = str(binding).split("+")
    return "+".join(t(f"controls.key.{w}") if w in _LOCALIZED_KEYS else w for w in words)


_LOCALIZED_KEYS = ("Up", "Down", "Left", "Right", "Space", "Delete", "Home", "End")


def conflict(action: str, binding: Binding) -> str | None:
    """The other action that already holds a binding, if any."""
    other = _by_binding.get(binding)
    return other if other not in (None, action) else None


def rebind(action: str, binding: Binding | str, swap: bool = False) -> None:
    """Binds an action to a key. A key another action holds raises BindingConflict,
    unless swap is set: then the other action takes this action's old key."""
    if action not in ACTIONS:
        raise BindingError(f"unknown action '{action}'")
    new = parse_binding(binding) if isinstance(binding, str) else binding
    check_bindable(new)
    other = conflict(action, new)
    if other is not None and not swap:
        raise BindingConflict(action, other, new)
    old = _bindings[action]
    if other is not None:
        _bindings[other] = old
    _bindings[action] = new
    _reindex()


def reset_bindings() -> None:
    _bindings.clear()
    _bindings.update(DEFAULTS)
    _reindex()


def overrides() -> dict[str, str]:
    """The bindings that differ from the defaults, as text: what the settings file stores."""
    return {a: str(b) for a, b in _bindings.items() if b != DEFAULTS[a]}


def set_overrides(stored: Mapping[str, str]) -> list[str]:
    """Applies stored bindings over the defaults. Entries that cannot apply (unknown
    action, unreadable key, a key already taken) are skipped and described in the
    returned list, so a hand-edited settings file never stops the game."""
    reset_bindings()
    problems: list[str] = []
    for action, text in stored.items():
        try:
            rebind(action, text, swap=True)
        except BindingError as exc:
            problems.append(f"key_bindings.{action}: {exc}")
    return problems


def _reindex() -> None:
    _by_binding.clear()
    _by_binding.update({b: a for a, b in _bindings.items()})


def cycle(items: Sequence[str], current: str | None, step: int = 1) -> str | None:
    """The next (step=1) or previous (step=-1) item after `current`, wrapping around;
    the first (or last) item when `current` is None or gone. For Tab through units,
    I through incidents, O through sites."""
    if not items:
        return None
    if current not in items:
        return items[0] if step > 0 else items[-1]
    return items[(list(items).index(current) + step) % len(items)]


_edge_scrolling = True
EDGE_MARGIN = 12  # pixels from the window edge where the mouse pans the map


def set_edge_scrolling(on: bool) -> None:
    global _edge_scrolling
    _edge_scrolling = bool(on)


def edge_scrolling() -> bool:
    """Whether the mouse at the window's edge should pan the map (a player setting)."""
    return _edge_scrolling


def edge_scroll(x: float, y: float, width: float, height: float,
                margin: float = EDGE_MARGIN) -> tuple[int, int]:
    """Which way the map pans with the mouse at (x, y): each of dx, dy is -1, 0 or 1.
    Always (0, 0) when the player turned edge scrolling off."""
    if not _edge_scrolling:
        return 0, 0
    dx = -1 if x < margin else (1 if x > width - margin else 0)
    dy = -1 if y < margin else (1 if y > height - margin else 0)
    return dx, dy
