"""The README stays true: every command and option is documented, generated parts are current."""

from __future__ import annotations

import pytest
import typer
from cogapp import Cog
from conftest import ROOT

from ttkhc_cli.cli import app

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _commands(cmd, path: tuple[str, ...] = ()) -> list:
    """Every command under ``cmd`` (typer vendors its own click: duck-typed, not isinstance)."""
    out = [(path, cmd)]
    if hasattr(cmd, "commands"):
        for name, sub in sorted(cmd.commands.items()):
            if not sub.hidden:
                out += _commands(sub, path + (name,))
    return out


COMMANDS = _commands(typer.main.get_command(app))


@pytest.mark.parametrize(
    "path,cmd", [c for c in COMMANDS if c[0]], ids=lambda x: " ".join(x) if isinstance(x, tuple) else ""
)
def test_every_command_and_option_is_in_the_readme(path, cmd):
    assert f"ttkhc {' '.join(path)}" in README, f"ttkhc {' '.join(path)} is not in the README"
    for param in cmd.params:
        if param.param_type_name == "option" and not param.hidden:
            longest = max(param.opts, key=len)
            if longest != "--help":
                assert longest in README, f"ttkhc {' '.join(path)} {longest} is not in the README"


def test_generated_parts_of_the_readme_are_current():
    """The finding codes (and anything else cog writes) match the code: `cog -r README.md` to refresh."""
    assert Cog().main(["cog", "--check", str(ROOT / "README.md")]) == 0
