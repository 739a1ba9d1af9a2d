"""The command line: the only package that knows typer and rich."""

from ttkhc_cli.cli.commands import app, main, run

__all__ = ["app", "main", "run"]
