"""Every `evidence` command has help, as sqlite-utils' and datasette's tests require."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from evidence.cli import main, parser

COMMANDS = sorted(parser()._subparsers._group_actions[0].choices)
README = Path(__file__).resolve().parents[1] / "README.md"


def documented_commands() -> list[str]:
    """The commands the README's "Commands" section lists, one bullet each (`evidence NAME …`)."""
    section = README.read_text(encoding="utf-8").split("\n## Commands\n", 1)[1].split("\n## ", 1)[0]
    return sorted(re.findall(r"^- `evidence ([a-z-]+)", section, flags=re.M))


def test_commands_are_the_documented_ones():
    # as sqlite-utils' docs test does: an undocumented (or unimplemented) command fails here
    assert documented_commands() == COMMANDS
    assert "serve" in COMMANDS


def test_make_run_serves_through_the_command_line():
    makefile = (README.parent / "Makefile").read_text(encoding="utf-8")
    assert "evidence serve --host" in makefile
    assert "--no-dev" in makefile  # served without the dev tools


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command, capsys):
    with pytest.raises(SystemExit) as exit:
        main([command, "--help"])
    assert exit.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: evidence {command}")
    action = parser()._subparsers._group_actions[0]
    assert next(a.help for a in action._choices_actions if a.dest == command)


def test_missing_source_says_where_to_put_it(tmp_path, capsys):
    assert main(["--data", str(tmp_path), "extract", "--source", str(tmp_path / "nope.txt")]) == 2
    assert "set EVIDENCE_SOURCE" in capsys.readouterr().err
