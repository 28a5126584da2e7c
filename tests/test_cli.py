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


@pytest.fixture
def busy_port():
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        yield s.getsockname()[1]


def test_serve_says_which_port_is_taken(busy_port, evidence_db, capsys):
    # a newcomer saw the URLs printed, then uvicorn's "address already in use" traceback
    code = main(["serve", "--db", str(evidence_db), "--port", str(busy_port)])
    out, err = capsys.readouterr()
    assert code == 2 and "http://" not in out
    assert f"127.0.0.1:{busy_port} is already in use" in err and "--port" in err


def test_make_run_checks_its_ports_first(busy_port):
    import subprocess

    root = README.parent
    r = subprocess.run(
        ["make", "-s", "ports", f"API_PORT={busy_port}"], cwd=root, capture_output=True, text=True
    )
    assert r.returncode != 0
    assert f"port {busy_port}" in r.stderr and "API_PORT=" in r.stderr
    makefile = (root / "Makefile").read_text(encoding="utf-8")
    run = makefile.split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert (
        "ports" in run.splitlines()[0] and "echo" not in run
    )  # the URLs come from evidence serve, once


def test_serve_stops_cleanly_on_sigterm(tmp_path, evidence_db):
    """Stopping `make run` (SIGTERM) is a clean stop, exit 0: uvicorn raises the signal again after
    its graceful shutdown, and make printed "Error 143" (newcomer 8)."""
    import os
    import signal
    import socket
    import subprocess
    import sys
    import time

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    command = [sys.executable, "-m", "evidence.cli", "serve", "--db", str(evidence_db)]
    proc = subprocess.Popen(
        [*command, "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            assert proc.poll() is None, proc.stdout.read() if proc.stdout else ""
            time.sleep(0.5)
        os.kill(proc.pid, signal.SIGTERM)
        out, _ = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 0, out
    assert "Stopped." in out
