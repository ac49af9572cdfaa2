"""`python -m bot`: see bot/cli.py."""

import sys

from bot.startup import prepare_process


def run() -> int:
    """Prepare the process (before numpy is imported: `bot.startup`), then run the command."""
    prepare_process(sys.argv[1:])
    from bot.cli import main  # imported here: after the process settings

    return main()


sys.exit(run())
