"""Every `evidence` command has help, as sqlite-utils' and datasette's tests require."""

from __future__ import annotations

import pytest

from evidence.cli import main, parser

COMMANDS = sorted(parser()._subparsers._group_actions[0].choices)


def test_commands_are_the_documented_ones():
    assert COMMANDS == ["ask", "audit", "build", "extract", "validate"]


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
