"""The command line: click commands that build things from files and hand them to the core."""

from hwreview.cli.commands import main

__all__ = ["main"]
