"""The template responder of an earlier git revision, loaded beside today's: the "before" of a before / after bench.

``responder_at(rev, catalog)`` copies that revision's ``ltr/respond`` modules (``git show REV:ltr/respond/<file>``)
into a temporary package, rewrites their ``ltr.respond`` imports to it and builds its ``TemplateResponder``.
An old responder reads only ``request.turn`` and ``request.track_ids``, so today's requests feed it as they are.
"""

from __future__ import annotations

import importlib
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import polars as pl


def responder_at(rev: str, catalog: pl.DataFrame, repo: Path | None = None, **params: Any) -> Any:
    """The ``TemplateResponder`` of revision ``rev`` of ``repo`` (default: this checkout), built with ``params``."""
    repo = Path(repo) if repo is not None else Path(__file__).resolve().parents[2]
    full = subprocess.run(["git", "rev-parse", rev], cwd=repo, capture_output=True, text=True, check=True).stdout.strip()
    package = f"respond_at_{full[:12]}"
    if package not in sys.modules:
        folder = Path(tempfile.mkdtemp(prefix="respond-before-")) / package
        folder.mkdir()
        (folder / "__init__.py").write_text(f'"""ltr/respond template modules at {full}."""\n')
        listed = subprocess.run(["git", "ls-tree", "--name-only", full, "ltr/respond/"], cwd=repo, capture_output=True,
                                text=True, check=True).stdout.split()  # fmt: skip
        for name in (Path(p).name for p in listed if p.endswith(".py") and not p.endswith("__init__.py")):
            source = subprocess.run(["git", "show", f"{full}:ltr/respond/{name}"], cwd=repo, capture_output=True,
                                    text=True, check=True).stdout  # fmt: skip
            source = re.sub(r"\bfrom ltr\.respond import (\w+)", rf"from {package} import \1", source)
            source = re.sub(r"\bltr\.respond\.", f"{package}.", source)
            (folder / name).write_text(source)
        sys.path.insert(0, str(folder.parent))
    module = importlib.import_module(f"{package}.template")
    return module.TemplateResponder(catalog, **params)
