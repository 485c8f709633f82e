"""Level files: models, loading, checks. The models load first, so that the modules they
include (``cards``, ``variation``) can be imported on their own."""

from command_game.level import models as _models  # noqa: F401
