"""The level editor's headless core: the document and its undoable edits, live
validation, files (levels, drafts, autosaves) and the `edit` command. Never imports a
window toolkit; the screens are in command_game/scenes/editor*.py."""
