"""The documentation stays true: every command and option is documented, generated parts are
current, the user guide's commands parse, and links lead somewhere."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
import typer
from cogapp import Cog
from conftest import ROOT

from ttkhc_cli.cli import app

DOCS = ROOT / "docs"
GUIDE = DOCS / "huong-dan-su-dung.md"
# The README and every page of docs/: what "documented" means.
PAGES = [ROOT / "README.md", *sorted(DOCS.glob("*.md"))]
DOCUMENTED = "\n".join(p.read_text(encoding="utf-8") for p in PAGES)

# Named in the user guide before the code has them (being added): a line using one of these is
# skipped while the app lacks it, and checked like any other once it exists.
PENDING_COMMANDS = {("init",)}
PENDING_OPTIONS = {"--unit": {("compute",), ("report",), ("validate",), ("explain",), ("index",)}}


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def _commands(cmd, path: tuple[str, ...] = ()) -> list:
    """Every command under ``cmd`` (typer vendors its own click: duck-typed, not isinstance)."""
    out = [(path, cmd)]
    if hasattr(cmd, "commands"):
        for name, sub in sorted(cmd.commands.items()):
            if not sub.hidden:
                out += _commands(sub, path + (name,))
    return out


ROOT_COMMAND = typer.main.get_command(app)
COMMANDS = _commands(ROOT_COMMAND)


@pytest.mark.parametrize(
    "path,cmd", [c for c in COMMANDS if c[0]], ids=lambda x: " ".join(x) if isinstance(x, tuple) else ""
)
def test_every_command_and_option_is_in_the_readme(path, cmd):
    """Documented in the README or in any page of docs/."""
    assert f"ttkhc {' '.join(path)}" in DOCUMENTED, f"ttkhc {' '.join(path)} is not in the README nor docs/"
    for param in cmd.params:
        if param.param_type_name == "option" and not param.hidden:
            longest = max(param.opts, key=len)
            if longest != "--help":
                assert longest in DOCUMENTED, f"ttkhc {' '.join(path)} {longest} is not in the README nor docs/"


GENERATED = [p for p in PAGES if "[[[cog" in p.read_text(encoding="utf-8")]


@pytest.mark.parametrize("page", GENERATED, ids=_rel)
def test_generated_parts_of_the_readme_are_current(page):
    """The synopsis, the finding codes, the JSON Schema (anything cog writes) match the code:
    `cog -r README.md docs/*.md` to refresh."""
    assert Cog().main(["cog", "--check", str(page)]) == 0, f"cog -r {_rel(page)}"


def test_the_generated_parts_are_where_they_are_expected():
    """The blocks did not vanish in a move: the synopsis in the README, the codes and the schema
    in docs/ (a page without a block would pass cog --check trivially)."""
    names = {_rel(p) for p in GENERATED}
    assert {"README.md", "docs/json.md", "docs/findings.md"} <= names


# -- the user guide's commands --------------------------------------------------------------


def _fenced(text: str, language: str | None = None) -> list[str]:
    """The bodies of the fenced code blocks (of one language, or all)."""
    pattern = r"^```" + (re.escape(language) if language else r"[^\n]*") + r"[ \t]*\n(.*?)^```"
    return re.findall(pattern, text, flags=re.M | re.S)


def _command_lines(text: str) -> list[str]:
    """Every line of a ```bash block that runs ttkhc (backslash continuations joined)."""
    out = []
    for block in _fenced(text, "bash"):
        for line in re.sub(r"\\\n\s*", " ", block).splitlines():
            if line.strip().startswith("ttkhc"):
                out.append(line.strip())
    return out


MONTHLY = DOCS / "cong-viec-hang-thang.md"
GUIDE_LINES = _command_lines(GUIDE.read_text(encoding="utf-8")) + _command_lines(MONTHLY.read_text(encoding="utf-8"))


def _option_names(cmd) -> dict[str, object]:
    names: dict[str, object] = {"--help": None}
    for param in cmd.params:
        if param.param_type_name == "option":
            for opt in (*param.opts, *param.secondary_opts):
                names[opt] = param
    return names


def _takes_value(param) -> bool:
    return param is not None and not getattr(param, "is_flag", False) and not getattr(param, "count", False)


def _check_options(tokens: list[str], cmd, where: str, pending: list[str], path: tuple[str, ...]) -> list[str]:
    """Check the options among ``tokens`` against ``cmd``; return what follows the options when
    ``cmd`` is a group (the subcommand and its arguments), else []."""
    names = _option_names(cmd)
    group = hasattr(cmd, "commands")
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token == "--":
            return []
        if token.startswith("-") and len(token) > 1 and not re.fullmatch(r"-\d[\d.,]*", token):
            name, _, inline = token.partition("=")
            if name not in names:
                if path in PENDING_OPTIONS.get(name, set()):
                    pending.append(name)
                    i += 1
                    continue
                pytest.fail(f"{where}: ttkhc {' '.join(path)} has no option {name}")
            if _takes_value(names[name]) and not inline:
                i += 1  # its value, even one that starts with "-"
        elif group:
            return tokens[i:]
        i += 1
    return []


def _check_line(line: str) -> None:
    """Fail when ``line`` names a command the app does not have, or an option its command does
    not have; skip when what it lacks is only pending (``init``, ``--unit``)."""
    where = f"{_rel(GUIDE)}: {line}"
    tokens = shlex.split(line, comments=True)
    assert tokens[0] == "ttkhc", where
    cmd, path, pending = ROOT_COMMAND, (), []
    rest = tokens[1:]
    while hasattr(cmd, "commands"):
        rest = _check_options(rest, cmd, where, pending, path)
        if not rest:
            if path:
                pytest.fail(f"{where}: ttkhc {' '.join(path)} needs a subcommand")
            return  # `ttkhc --help`, `ttkhc --version`
        name, rest = rest[0], rest[1:]
        if name not in cmd.commands:
            if path + (name,) in PENDING_COMMANDS:
                pytest.skip(f"ttkhc {' '.join(path + (name,))} is not in the app yet")
            pytest.fail(f"{where}: no command ttkhc {' '.join(path + (name,))}")
        cmd, path = cmd.commands[name], path + (name,)
    _check_options(rest, cmd, where, pending, path)
    if pending:
        pytest.skip(f"ttkhc {' '.join(path)} has no {', '.join(sorted(set(pending)))} yet")


@pytest.mark.parametrize("line", GUIDE_LINES, ids=lambda line: line[:70])
def test_every_command_in_the_user_guide_parses(line):
    """Each command line of the guide names a real command, and only options it has (a
    misspelt option fails; `init` and `--unit` are skipped until the code has them)."""
    _check_line(line)


def test_the_user_guide_has_commands_to_check():
    """The guide's examples are in ```bash blocks, so the test above sees them."""
    assert len(GUIDE_LINES) >= 20
    for command in ("init", "compute", "explain", "validate", "report", "targets check"):
        assert any(line.startswith(f"ttkhc {command} ") for line in GUIDE_LINES), command


@pytest.mark.parametrize("line,message", [
    ("ttkhc compute so.xlsx --perod 2024-Q1", "no option --perod"),
    ("ttkhc report so.xlsx --unti 'UBND xã A' -o b.xlsx", "no option --unti"),
    ("ttkhc sql --unit 'UBND xã A'", "no option --unit"),
    ("ttkhc compte so.xlsx", "no command ttkhc compte"),
    ("ttkhc targets chek k.yaml", "no command ttkhc targets chek"),
    ("ttkhc --debg compute so.xlsx", "no option --debg"),
])
def test_the_command_check_catches_mistakes(line, message):
    """The check is not vacuous: a misspelt command or option fails, and --unit is pending only
    on the commands that are getting it."""
    with pytest.raises(pytest.fail.Exception, match=re.escape(message)):
        _check_line(line)


# -- links ------------------------------------------------------------------------------------

LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")


def _links(text: str) -> list[str]:
    """Link and image targets outside code blocks and inline code."""
    text = re.sub(r"^```.*?^```", "", text, flags=re.M | re.S)
    text = re.sub(r"`[^`\n]*`", "", text)
    return LINK.findall(text)


@pytest.mark.parametrize("page", PAGES, ids=_rel)
def test_relative_links_point_at_existing_files(page):
    broken = []
    for target in _links(page.read_text(encoding="utf-8")):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target, flags=re.I) or target.startswith("#"):
            continue  # http:, mailto:, an anchor in the same page
        path = target.split("#", 1)[0]
        if not (page.parent / path).exists():
            broken.append(target)
    assert not broken, f"{_rel(page)}: links to missing files: {broken}"


def test_every_image_in_docs_is_shown_somewhere():
    """The rendered report pages stay linked from whichever page their text moved to."""
    shown = {(page.parent / t.split("#", 1)[0]).resolve() for page in PAGES for t in _links(
        page.read_text(encoding="utf-8"))}
    missing = [_rel(p) for p in sorted(DOCS.glob("*.png")) if p.resolve() not in shown]
    assert not missing, f"images no page shows: {missing}"
