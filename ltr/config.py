"""Typed configs and the one entry point every `python -m ltr.<command>` goes through.

``conf/`` holds the values (and their documentation); this module holds their types and ranges, as
Hydra structured configs registered in the ConfigStore: each yaml lists its schema first in its
defaults (``conf/candidates/bm25.yaml`` -> ``bm25_schema``), so Hydra rejects a wrong type or an
unknown key while it composes, naming the key (``candidates.bm25.k=abc``). Ranges and choices
(``k >= 1``, ``backend in {bm25s, rank_bm25}``) are field metadata, checked by ``check`` right after
composition, before any work starts.

``command(config_name)`` wraps ``hydra.main`` with the exit-code convention of every command:

- 0: done;
- 2: a usage or input problem, reported as ``error: ...`` naming the key, file, column or row (a bad
  option, a missing or unfinished run, a malformed data file), no traceback;
- 130: interrupted (Ctrl-C);
- 1: anything else, i.e. a bug: Hydra prints the traceback.

A new generator, family or responder with parameters gets a dataclass here and one line in
``SCHEMAS``; its yaml names the schema in its defaults.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from dataclasses import MISSING as DC_MISSING
from dataclasses import dataclass, field, fields, is_dataclass
from pathlib import Path
from typing import Any

from hydra.core.config_store import ConfigStore
from omegaconf import MISSING, DictConfig, OmegaConf

CONF_PATH = str(Path(__file__).resolve().parents[1] / "conf")  # the repository's conf/


class ConfigError(ValueError):
    """A config value outside its range or choices (the message names the key)."""


def _f(default: Any = DC_MISSING, **rules: Any) -> Any:
    """A schema field with range / choice rules: ge, gt, le, lt, choices."""
    if default is DC_MISSING:
        return field(default=MISSING, metadata=rules)
    if isinstance(default, list | dict):
        return field(default_factory=lambda: type(default)(default), metadata=rules)
    return field(default=default, metadata=rules)


# ---- data ---------------------------------------------------------------------------------------------------


@dataclass
class SyntheticData:
    name: str = _f(choices=("synthetic",))
    scale: str = _f(choices=("tiny", "mini", "full"))
    seed: int = _f(ge=0)
    root: str = _f()


@dataclass
class TalkplayData:
    name: str = _f(choices=("talkplay",))
    root: str = _f()


# ---- candidates (k is the caller's; the rest are the generator's parameters) ------------------------------


@dataclass
class Popularity:
    k: int = _f(ge=1)


@dataclass
class BM25:
    k: int = _f(ge=1)
    backend: str = _f(choices=("bm25s", "rank_bm25"))
    query: str = _f(choices=("conversation", "message"))
    recent_weight: float = _f(ge=0.0)
    k1: float = _f(gt=0.0)
    b: float = _f(ge=0.0, le=1.0)


@dataclass
class Dense:
    k: int = _f(ge=1)
    model: str = _f()
    query: str = _f(choices=("conversation", "message"))
    recent_weight: float = _f(ge=0.0)
    track_vectors: str = _f()
    query_prompt: str | None = _f(None)
    encode_batch_size: int = _f(ge=1)
    device: str | None = _f(None)


@dataclass
class Clap:
    k: int = _f(ge=1)
    mode: str = _f(choices=("max", "mean", "centroid", "blend", "text"))
    last_n: int = _f(ge=1)
    blend_weights: list[float] = _f()
    fallback: str = _f(choices=("none", "text"))
    text_model: str | None = _f(None)
    text_query: str = _f(choices=("conversation", "message"))
    recent_weight: float = _f(ge=0.0)
    device: str | None = _f(None)


@dataclass
class BPR:
    k: int = _f(ge=1)
    played_fallback: bool = _f()
    played_weight: float = _f(ge=0.0, le=1.0)


@dataclass
class BPRTraining:
    """The ``implicit`` BPR fit, shared by the ``bpr_trained`` generator and the ``user`` family."""

    factors: int = _f(ge=1)
    iterations: int = _f(ge=1)
    learning_rate: float = _f(gt=0.0)
    regularization: float = _f(ge=0.0)
    num_threads: int = _f(ge=1)


@dataclass
class TrainedBPR(BPR, BPRTraining):
    pass


@dataclass
class History:
    k: int = _f(ge=1)
    w_last_artist: float = _f()
    w_any_artist: float = _f()
    w_last_album: float = _f()
    w_any_album: float = _f()
    w_user: float = _f()
    w_user_artist: float = _f()
    w_cooc: float = _f()
    w_transition: float = _f()


@dataclass
class Entity:
    k: int = _f(ge=1)
    w_title: float = _f(ge=0.0)
    w_album: float = _f(ge=0.0)
    w_artist: float = _f(ge=0.0)
    exclude_rejected: bool = _f()


# ---- features -------------------------------------------------------------------------------------------------


@dataclass
class TextFeatures:
    dense: bool = _f()
    dense_model: str = _f()
    recent_weight: float = _f(ge=0.0)


@dataclass
class UserFeatures(BPRTraining):
    pass


@dataclass
class ContextFeatures:
    test_split: bool = _f()


@dataclass
class ListenerFeatures:
    model: str = _f()
    max_train: int = _f(ge=20)


# ---- model, folds, responder ----------------------------------------------------------------------------------


@dataclass
class Selection:
    holdout_users: float = _f(ge=0.0, lt=1.0)
    refit: bool = _f()


@dataclass
class Reweight:
    target_artist_played: float = _f(gt=0.0, lt=1.0)


@dataclass
class LambdaRank:
    learning_rate: float = _f(gt=0.0)
    num_leaves: int = _f(ge=2)
    min_data_in_leaf: int = _f(ge=1)
    feature_fraction: float = _f(gt=0.0, le=1.0)
    num_boost_round: int = _f(ge=1)
    early_stopping_rounds: int | None = _f(None, ge=1)
    train_negatives: int | None = _f(None, ge=1)
    selection: Selection = field(default_factory=Selection)
    train_on: str = _f(choices=("train", "train+dev", "reweighted"))
    dev_folds: int = _f(ge=2)
    dev_share: float | None = _f(None, gt=0.0, lt=1.0)
    reaction_penalty: list[float] = _f([0.0])
    reweight: Reweight = field(default_factory=Reweight)
    params: dict[str, Any] = _f({})


@dataclass
class FoldsConfig:
    k: int = _f(ge=2)
    group_by: str = _f(choices=("user", "session"))


@dataclass
class TemplateResponder:
    kind: str = _f(choices=("template",))
    seed: int = _f()
    n_candidates: int = _f(ge=1)
    slot_samples: int = _f(ge=1)
    p_opener: float = _f(ge=0.0, le=1.0)
    p_lead: float = _f(ge=0.0, le=1.0)
    p_personal: float = _f(ge=0.0, le=1.0)
    p_extras: float = _f(ge=0.0, le=1.0)
    p_closer: float = _f(ge=0.0, le=1.0)
    max_reasons: int = _f(ge=0)


@dataclass
class RewriteKnobs:
    """What every LLM polish shares (``ltr/respond/llm.py``): model, prompt, generation, check bounds."""

    model: str = _f()
    prompt: str = _f(choices=("auto", "paraphrase", "grounded"))
    max_new_tokens: int = _f(ge=1)
    temperature: float = _f(ge=0.0)
    top_p: float = _f(gt=0.0, le=1.0)
    min_length_ratio: float = _f(gt=0.0)
    max_length_ratio: float = _f(gt=0.0)
    max_chars: int = _f(ge=1)
    system_prompt: str | None = _f(None)
    user_prompt: str | None = _f(None)


@dataclass
class EndpointKnobs:
    """How ``backend: openai`` reaches its server (``ltr/respond/endpoint.py``)."""

    base_url: str = _f()
    api_key_env: str | None = _f(None)
    timeout: float = _f(gt=0.0)
    retries: int = _f(ge=0)
    retry_backoff: float = _f(ge=0.0)
    concurrency: int = _f(ge=1)
    give_up_after: int = _f(ge=0)


@dataclass
class LLMResponder(TemplateResponder, RewriteKnobs, EndpointKnobs):
    kind: str = _f(choices=("llm",))
    backend: str = _f(choices=("transformers", "llama_cpp", "openai"))
    gguf_file: str | None = _f(None)
    repetition_penalty: float = _f(gt=0.0)
    batch_size: int = _f(ge=1)
    n_threads: int | None = _f(None, ge=1)
    n_ctx: int = _f(ge=1)


@dataclass
class OpenAIResponder(TemplateResponder, RewriteKnobs, EndpointKnobs):
    """``conf/responder/openai.yaml``: the LLM polish through an endpoint, without the local-model knobs."""

    kind: str = _f(choices=("llm",))
    backend: str = _f(choices=("openai",))


# ---- engine: where the per-chunk stages and LightGBM run ---------------------------------------------------


@dataclass
class LocalEngine:
    """``conf/engine/local.yaml``: chunks one after another in this process."""

    name: str = _f(choices=("local",))
    chunk_turns: int = _f(ge=1)


@dataclass
class DaskEngine:
    """``conf/engine/dask.yaml``: chunks as Dask tasks, LightGBM by ``lightgbm.dask`` (the ``dask`` extra)."""

    name: str = _f(choices=("dask",))
    chunk_turns: int = _f(ge=1)
    address: str | None = _f(None)
    n_workers: int = _f(ge=1)
    threads_per_worker: int = _f(ge=1)
    memory_limit: str = _f()
    processes: bool = _f()


# ---- top level: what every command shares, and each command's own keys -----------------------------------------


@dataclass
class Paths:
    outputs: str = _f()
    real_stats: str = _f()


@dataclass
class Base:
    """Keys every command has; the groups are typed by their own schemas."""

    data: Any = MISSING
    candidates: dict[str, Any] = _f({})
    features: dict[str, Any] = _f({})
    model: Any = MISSING
    responder: Any = MISSING
    folds: Any = MISSING
    engine: Any = MISSING
    seed: int = _f(0, ge=0)
    train_sessions: int | None = _f(None, ge=1)
    paths: Paths = field(default_factory=Paths)


@dataclass
class TrainCommand(Base):
    pass


@dataclass
class PredictCommand(Base):
    split: str = _f(choices=("dev", "blind_a", "blind_b"))
    run: str | None = _f(None)
    output: str | None = _f(None)


@dataclass
class ChatCommand(Base):
    run: str | None = _f(None)
    user: str | None = _f(None)


@dataclass
class AblateCommand(Base):
    run: str | None = _f(None)


@dataclass
class ReportCommand(Base):
    run: str | None = _f(None)


@dataclass
class RecallCommand(Base):
    splits: list[str] = _f(["dev"])


@dataclass
class CurveCommand(Base):
    sizes: list[int | None] = _f([500, 2000, 5000, None])


@dataclass
class CalibrateCommand(Base):
    pass


@dataclass
class EvaluateCommand(Base):
    predictions: str = _f()
    split: str | None = _f(None, choices=("train", "dev", "blind_a", "blind_b"))
    ground_truth: str | None = _f(None)
    catalog_size: int = _f(ge=1)
    by: str | None = _f(None)


# (group, schema name) -> dataclass; each conf/<group>/<option>.yaml names its schema in its defaults.
SCHEMAS: dict[tuple[str | None, str], type] = {
    ("data", "synthetic_schema"): SyntheticData,
    ("data", "talkplay_schema"): TalkplayData,
    ("candidates", "popularity_schema"): Popularity,
    ("candidates", "bm25_schema"): BM25,
    ("candidates", "dense_schema"): Dense,
    ("candidates", "clap_schema"): Clap,
    ("candidates", "bpr_schema"): BPR,
    ("candidates", "bpr_trained_schema"): TrainedBPR,
    ("candidates", "history_schema"): History,
    ("candidates", "entity_schema"): Entity,
    ("features", "text_schema"): TextFeatures,
    ("features", "user_schema"): UserFeatures,
    ("features", "listener_schema"): ListenerFeatures,
    ("features", "context_schema"): ContextFeatures,
    ("model", "lambdarank_schema"): LambdaRank,
    ("folds", "default_schema"): FoldsConfig,
    ("engine", "local_schema"): LocalEngine,
    ("engine", "dask_schema"): DaskEngine,
    ("responder", "template_schema"): TemplateResponder,
    ("responder", "llm_schema"): LLMResponder,
    ("responder", "openai_schema"): OpenAIResponder,
    (None, "train_schema"): TrainCommand,
    (None, "predict_schema"): PredictCommand,
    (None, "chat_schema"): ChatCommand,
    (None, "ablate_schema"): AblateCommand,
    (None, "report_notebooks_schema"): ReportCommand,
    (None, "recall_schema"): RecallCommand,
    (None, "calibrate_schema"): CalibrateCommand,
    (None, "curve_schema"): CurveCommand,
    (None, "evaluate_schema"): EvaluateCommand,
}


def register_schemas() -> None:
    """Put every schema in Hydra's ConfigStore (idempotent)."""
    store = ConfigStore.instance()
    for (group, name), node in SCHEMAS.items():
        store.store(group=group, name=name, node=node)


register_schemas()


def check(cfg: DictConfig) -> None:
    """Ranges and choices of every typed node of ``cfg`` (types were checked by Hydra while composing)."""
    problems: list[str] = []
    _check_node(cfg, "", problems)
    _check_engine(cfg, problems)
    if problems:
        raise ConfigError("; ".join(problems))


def _check_engine(cfg: DictConfig, problems: list[str]) -> None:
    """``engine=dask`` needs the optional ``dask`` extra: say so before any work, not in the middle of it."""
    engine = cfg.get("engine") if isinstance(cfg, DictConfig) else None
    if not isinstance(engine, DictConfig) or engine.get("name") != "dask":
        return
    try:
        import distributed  # noqa: F401
        import lightgbm.dask  # noqa: F401
        import pandas  # noqa: F401  (lightgbm.dask refuses to train without it)
    except ImportError as err:
        problems.append(f"engine=dask needs the `dask` extra (pip install -e '.[dask]'): {err}")


def _check_node(node: Any, prefix: str, problems: list[str]) -> None:
    if not isinstance(node, DictConfig):
        return
    schema = OmegaConf.get_type(node)
    rules = {f.name: f.metadata for f in fields(schema)} if schema is not None and is_dataclass(schema) else {}
    for key in node.keys():
        name = str(key)
        if name == "hydra":
            continue
        full = f"{prefix}{name}"
        if OmegaConf.is_missing(node, name):  # a required value (???): the command says how to give it
            continue
        value = node[name]
        if isinstance(value, DictConfig):
            _check_node(value, f"{full}.", problems)
        elif name in rules and value is not None:
            problem = _violates(value, rules[name])
            if problem:
                problems.append(f"{full}={value!r}: {problem}")


def _violates(value: Any, rules: Any) -> str | None:
    if "choices" in rules and value not in rules["choices"]:
        return f"expected one of {', '.join(map(str, rules['choices']))}"
    if not isinstance(value, int | float) or isinstance(value, bool):
        return None
    for rule, ok, word in (("ge", value.__ge__, ">="), ("gt", value.__gt__, ">"), ("le", value.__le__, "<="),
                           ("lt", value.__lt__, "<")):  # fmt: skip
        if rule in rules and not ok(rules[rule]):
            return f"expected {word} {rules[rule]}"
    return None


def usage_errors() -> tuple[type[BaseException], ...]:
    """The exceptions a command reports as one ``error:`` line with exit code 2."""
    from ltr.data.errors import DataError
    from ltr.model import ModelFileError
    from ltr.respond.base import ResponderError
    from ltr.run import RunError

    return (ConfigError, DataError, RunError, ModelFileError, ResponderError)


def command(config_name: str) -> Callable[[Callable[[DictConfig], Any]], Callable[[], None]]:
    """``@command("predict")`` on ``main(cfg)``: hydra.main on ``conf/<config_name>.yaml``, then ``check(cfg)``,
    with the exit codes of the module docstring."""
    import hydra

    def wrap(task: Callable[[DictConfig], Any]) -> Callable[[], None]:
        started = False

        @hydra.main(version_base="1.3", config_path=CONF_PATH, config_name=config_name)
        def hydra_main(cfg: DictConfig) -> None:
            nonlocal started
            started = True
            try:
                check(cfg)
                task(cfg)
            except usage_errors() as err:
                print(f"error: {err}", file=sys.stderr)
                sys.exit(2)

        @functools.wraps(task)
        def main() -> None:
            try:
                hydra_main()
            except KeyboardInterrupt:
                print("interrupted", file=sys.stderr)
                sys.exit(130)
            except SystemExit as exit_:
                # Hydra exits 1 both for a config it cannot compose and for a crash of the task: only the
                # first is a usage error.
                if exit_.code == 1 and not started:
                    sys.exit(2)
                raise

        main.task = task  # type: ignore[attr-defined]  # the undecorated function, for tests
        return main

    return wrap


def overrides() -> list[str]:
    """The running command's command-line overrides (``key=value``), e.g. for ``Run.config_for``."""
    from hydra.core.hydra_config import HydraConfig

    return list(HydraConfig.get().overrides.task)
