"""Running another ``python -m`` command of this package as a child process (``ltr.noise``, ``ltr.select``)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def split_passed(argv: list[str] | None) -> tuple[list[str], list[str]]:
    """This command's own arguments and those after ``--``, which it passes to every child ``ltr.train``."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if "--" not in argv:
        return argv, []
    cut = argv.index("--")
    return argv[:cut], argv[cut + 1 :]


def run_command(args: list[str], log: Path) -> None:
    """One `python -m ...` process; its output goes to ``log``; a failure stops with the log's tail."""
    with open(log, "w") as fh:
        done = subprocess.run([sys.executable, "-m", *args], stdout=fh, stderr=subprocess.STDOUT)
    if done.returncode != 0:
        tail = log.read_text()[-3000:]
        raise SystemExit(
            f"error: `python -m {' '.join(args)}` exited {done.returncode}; end of {log}:\n{tail}"
        )
