"""What an LLM is shown to polish a template draft: the draft alone, or the listener, the facts and the draft.

Two prompt styles (``responder.prompt``):

* ``paraphrase``: a bare paraphrase request holding only the draft. Measured with SmolLM2-135M: a small
  model follows it best; adding the listener's message or a worked example makes it answer the listener
  or copy the example instead. The default for local models (``transformers``, ``llama_cpp``).
* ``grounded``: the listener's message, what is known of their state (``ResponseRequest.listener_state``:
  any keys, one "key: value" line each), the pick's catalog facts (title, artist, album, year,
  descriptive tags, the previous pick) and the draft, with the rules a reply must keep. The default for
  endpoints (``openai``), which serve models big enough to use it.

``shown_facts`` is the facts text exactly as the model sees it: the checks let a rewrite use its names,
numbers and words, and nothing else beyond the draft and the listener's message.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ltr.respond.base import ResponderError
from ltr.respond.facts import Facts

PROMPTS = ("paraphrase", "grounded")
SYSTEM_PROMPT = "You are a friendly music recommendation assistant."
USER_PROMPT = "Paraphrase the following message. Keep all names in quotes unchanged.\n\n{draft}"
GROUNDED_SYSTEM_PROMPT = """You are a friendly music recommendation assistant. You get what the listener \
just said, what is known about their request, catalog facts about the recommended track and a draft reply. \
Write the reply to send: natural and warm, at most four sentences, built on the draft.
Rules:
- Keep every quoted title and every artist and album name exactly as the draft writes it, quotes included.
- Name no track, artist or album that the draft does not name.
- State nothing that is not in the draft or the catalog facts; add no years or numbers of your own.
- Never mention or use the listener's age, gender, country, nationality or ethnicity.
- If the listener said something about the last pick, agree with what they said.
- If the listener asked a question, answer it briefly from the facts.
Answer with the reply text only."""
GROUNDED_USER_PROMPT = """The listener said: {message}

{listener}Catalog facts about the recommended track:
{facts}

Draft reply:
{draft}"""


def default_prompt(backend: str) -> str:
    """The prompt style a backend gets when ``responder.prompt`` is ``auto``."""
    return "grounded" if backend == "openai" else "paraphrase"


def listener_lines(state: Mapping[str, Any], max_chars: int = 200) -> list[str]:
    """One "key: value" line per known key of a listener state; empty values are left out."""
    lines = []
    for key, value in state.items():
        if (
            value is None
            or value == ""
            or (isinstance(value, list | tuple | set | frozenset | dict) and not value)
        ):
            continue
        if isinstance(value, bool):
            text = "yes" if value else "no"
        elif isinstance(value, float):
            text = f"{value:g}"
        elif isinstance(value, Mapping):
            text = ", ".join(f"{k}: {v}" for k, v in value.items())
        elif isinstance(value, list | tuple | set | frozenset):
            text = ", ".join(_entity(v) if isinstance(v, Mapping) else str(v) for v in value)
        else:
            text = str(value)
        text = " ".join(text.split())
        lines.append(f"{str(key).replace('_', ' ')}: {text[:max_chars]}")
    return lines


def _entity(entity: Mapping[str, Any]) -> str:
    """A named entity of a listener state as a prompt line shows it: "artist Radiohead (praised, this message)"."""
    if "name" not in entity:
        return ", ".join(f"{k}: {v}" for k, v in entity.items())
    back = entity.get("turns_back", 0)
    when = "this message" if not back else f"{back} message{'s' if back > 1 else ''} back"
    return f"{entity.get('kind', '')} {entity['name']} ({entity.get('sentiment', 'neutral')}, {when})".strip()


def shown_facts(facts: Facts, max_tags: int = 5) -> str:
    """The pick's catalog facts as the grounded prompt shows them, one per line ("" without a pick)."""
    top = facts.top
    if top is None:
        return ""
    lines = [f'title: "{top.title}"', f"artist: {top.artist}"]
    if top.album and top.album.lower() != top.title.lower():
        lines.append(f'album: "{top.album}"')
    if top.year:
        lines.append(f"year: {top.year}")
    tags = facts.top_tags[:max_tags]
    if tags:
        lines.append(f"tags: {', '.join(tags)}")
    if facts.prev is not None:
        lines.append(f'previous pick: "{facts.prev.title}" by {facts.prev.artist}')
    return "\n".join(lines)


def build_chat(
    style: str,
    draft: str,
    message: str = "",
    listener: Mapping[str, Any] | None = None,
    facts: str = "",
    system_prompt: str | None = None,
    user_prompt: str | None = None,
) -> list[dict[str, str]]:
    """The chat for one draft in ``style``; a ``user_prompt`` may use {draft} {message} {listener} {facts}."""
    if style not in PROMPTS:
        raise ResponderError(f"responder.prompt={style!r}; expected one of auto, {', '.join(PROMPTS)}")
    grounded = style == "grounded"
    system = system_prompt or (GROUNDED_SYSTEM_PROMPT if grounded else SYSTEM_PROMPT)
    template = user_prompt or (GROUNDED_USER_PROMPT if grounded else USER_PROMPT)
    lines = listener_lines(listener or {})
    known = (
        "What is known about the listener:\n" + "\n".join(f"- {line}" for line in lines) + "\n\n"
        if lines
        else ""
    )
    user = template.format_map(
        {
            "draft": draft,
            "message": message.strip() or "(nothing)",
            "listener": known,
            "facts": facts or "(none)",
        }
    )
    return [{"role": "system", "content": system}, {"role": "user", "content": user}]
