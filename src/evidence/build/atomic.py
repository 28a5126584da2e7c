"""The temporary file of a build: removed when the build stops, or by the next build.

`evidence build` writes `.evidence.db.PID.XXXX.tmp` beside the database and os.replace()s it into
place. A build stopped by SIGTERM or Ctrl-C removes it on the way out (stop_on_sigterm turns
SIGTERM into SystemExit while a build runs in the main thread); one killed outright leaves it,
and the next build removes every such file whose process is gone (remove_abandoned_builds).
"""

from __future__ import annotations

import contextlib
import os
import signal
import tempfile
import threading
from pathlib import Path


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    return True


def remove_abandoned_builds(db_path: Path) -> list[Path]:
    """Remove the temporary files of builds of db_path whose process is gone; the removed files."""
    removed = []
    for tmp in db_path.parent.glob(f".{db_path.name}.*.tmp"):
        pid = tmp.name[len(db_path.name) + 2 :].split(".", 1)[0]
        if not pid.isdigit() or not _alive(int(pid)):
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
            removed.append(tmp)
    return removed


@contextlib.contextmanager
def stop_on_sigterm():
    """While building in the main thread, SIGTERM stops the build as Ctrl-C does (so the temporary
    file is removed on the way out) instead of ending the process on the spot."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum, frame):
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def temporary_file(db_path: Path) -> Path:
    """A new temporary file for a build of db_path, named after this process; first removes the
    files of abandoned builds."""
    remove_abandoned_builds(db_path)
    prefix = f".{db_path.name}.{os.getpid()}."
    fd, name = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=db_path.parent)
    os.close(fd)
    return Path(name)
