import sys

from command_game.cli import main

sys.exit(main())
