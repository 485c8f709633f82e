"""The level being edited, as plain JSON data, with an undo and a redo stack.

After OpenRA's EditorActionManager: every edit is a record that can do and undo itself;
a new edit clears the redo stack. Records are built from three primitive steps (set a
value, insert into a list, remove from a list), so undo is exact by construction and the
view never mutates the data by hand. The data is the dict a level file holds
(``level_to_dict``), so a half-built level that the schema rejects can still be edited.
"""

from __future__ import annotations

import copy
import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

JsonPath = tuple[str | int, ...]

#: Editable lists of objects with ids, by the name the editor uses for them.
COLLECTIONS: dict[str, JsonPath] = {
    "districts": ("districts",),
    "buildings": ("buildings",),
    "nodes": ("roads", "nodes"),
    "edges": ("roads", "edges"),
    "offices": ("offices",),
    "crowd_sources": ("crowd_sources",),
    "units": ("units",),
    "incidents": ("incidents",),
    "triggers": ("triggers",),
    "convoys": ("convoys",),
    "objectives": ("objectives",),
}


@dataclass(frozen=True)
class Ref:
    """One selectable thing: an object, or one vertex of a district/building polygon."""

    collection: str
    id: str
    vertex: int | None = None


def resolve(data: Any, path: JsonPath) -> Any:
    for part in path:
        data = data[part]
    return data


@dataclass(frozen=True)
class SetValue:
    path: JsonPath  # parent path + key/index of the value replaced
    old: Any  # None: the key was absent
    new: Any  # None: remove the key

    def apply(self, data: Any) -> None:
        parent = resolve(data, self.path[:-1])
        if self.new is None:  # level data never holds null: None means "key absent"
            parent.pop(self.path[-1], None)
        else:
            parent[self.path[-1]] = copy.deepcopy(self.new)

    def inverse(self) -> SetValue:
        return SetValue(self.path, self.new, self.old)


@dataclass(frozen=True)
class Insert:
    path: JsonPath  # the list
    index: int
    value: Any

    def apply(self, data: Any) -> None:
        resolve(data, self.path).insert(self.index, copy.deepcopy(self.value))

    def inverse(self) -> Remove:
        return Remove(self.path, self.index, self.value)


@dataclass(frozen=True)
class Remove:
    path: JsonPath
    index: int
    value: Any

    def apply(self, data: Any) -> None:
        del resolve(data, self.path)[self.index]

    def inverse(self) -> Insert:
        return Insert(self.path, self.index, self.value)


Step = SetValue | Insert | Remove


@dataclass
class EditAction:
    """One undoable edit as the author sees it ("Move 3 objects"), made of steps."""

    label: str
    steps: list[Step] = field(default_factory=list)
    merge_key: str | None = None  # consecutive edits with the same key undo as one

    def __bool__(self) -> bool:
        return bool(self.steps)


_serials = itertools.count(1)


@dataclass
class _Record:
    action: EditAction
    serial: int


class Document:
    """The level data plus its edit history; the only way to change the data is apply()."""

    def __init__(self, data: dict[str, Any], path: str | None = None) -> None:
        self.data = copy.deepcopy(data)
        self.path = path
        self._undo: list[_Record] = []
        self._redo: list[_Record] = []
        self._saved_state = 0
        self.revision = 0  # bumps on every change: views rebuild when it moves

    # history -------------------------------------------------------------
    def _state(self) -> int:
        return self._undo[-1].serial if self._undo else 0

    @property
    def modified(self) -> bool:
        return self._state() != self._saved_state

    def mark_saved(self) -> None:
        self._saved_state = self._state()

    def mark_unsaved(self) -> None:
        """For restored work: modified until saved, whatever is undone."""
        self._saved_state = -1

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    def undo_label(self) -> str | None:
        return self._undo[-1].action.label if self._undo else None

    def redo_label(self) -> str | None:
        return self._redo[-1].action.label if self._redo else None

    def apply(self, action: EditAction) -> bool:
        """Does an edit and records it; an empty action changes nothing and is dropped."""
        if not action:
            return False
        for step in action.steps:
            step.apply(self.data)
        top = self._undo[-1] if self._undo else None
        if (action.merge_key and top is not None and top.action.merge_key == action.merge_key
                and not self._redo and top.serial != self._saved_state):
            top.action = EditAction(top.action.label, top.action.steps + action.steps,
                                    action.merge_key)
        else:
            self._undo.append(_Record(action, next(_serials)))
        self._redo.clear()
        self.revision += 1
        return True

    def undo(self) -> bool:
        if not self._undo:
            return False
        record = self._undo.pop()
        for step in reversed(record.action.steps):
            step.inverse().apply(self.data)
        self._redo.append(record)
        self.revision += 1
        return True

    def redo(self) -> bool:
        if not self._redo:
            return False
        record = self._redo.pop()
        for step in record.action.steps:
            step.apply(self.data)
        self._undo.append(record)
        self.revision += 1
        return True

    # lookup --------------------------------------------------------------
    def items(self, collection: str) -> list[dict[str, Any]]:
        return resolve(self.data, COLLECTIONS[collection])

    def index_of(self, collection: str, obj_id: str) -> int | None:
        for i, item in enumerate(self.items(collection)):
            if item.get("id") == obj_id:
                return i
        return None

    def get(self, ref: Ref) -> dict[str, Any] | None:
        i = self.index_of(ref.collection, ref.id)
        return None if i is None else self.items(ref.collection)[i]

    def ids(self, collection: str) -> list[str]:
        return [item.get("id", "") for item in self.items(collection)]

    def all_refs(self) -> Iterator[Ref]:
        for name in COLLECTIONS:
            for obj_id in self.ids(name):
                yield Ref(name, obj_id)

    def find(self, obj_id: str) -> Ref | None:
        """The first object with this id, in the order of COLLECTIONS."""
        return next((r for r in self.all_refs() if r.id == obj_id), None)
