"""Writes a synthetic world in the exact real Hugging Face layout, atomically, with a ``world.json`` manifest.

``generate_world`` builds into a sibling temporary folder and renames it into place at the end, so a
crash never leaves a half-written world at ``root``; ``ensure_world`` reuses a complete matching world.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import time
from collections import Counter
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from .. import layout as L
from .embeddings import Projector, build_latents, user_vectors
from .scales import SCALES, Scale, get_scale
from .seeds import np_rng
from .sessions import SessionRecord
from .world import World, build_world

log = logging.getLogger(__name__)

GENERATOR_VERSION = "1"


def source_hash() -> str:
    """Hash of the generator's own source: a world made by different code is regenerated, not reused."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


MANIFEST = "world.json"
BLIND_TRUTH = "synthetic_blind_truth.json"
N_EMBEDDING_SHARDS = 4
TEST_TRACKS_EXTRA = 0.02  # test_tracks = tracks of dev/blind sessions plus this share of other tracks

# Writer options: deterministic bytes; float vectors byte-stream-split + zstd (close to the real file sizes).
_PQ = dict(compression="zstd", compression_level=3)
_PQ_VEC = dict(compression="zstd", compression_level=1, use_dictionary=False)

_STEPS = (
    "catalog",
    "users",
    "sessions",
    "compact",
    "tables",
    "emb-0",
    "emb-1",
    "emb-2",
    "emb-3",
    "emb-test",
    "users-emb",
)


def _data_dir(root: Path, dataset: str) -> Path:
    d = root / dataset / "data"
    d.mkdir(parents=True, exist_ok=True)
    return d


# ---- sessions -------------------------------------------------------------------------------------------
def _profile(world: World, u: int, split: str) -> dict:
    us = world.users
    if split == "train":
        user_split = "train_warm"
    elif split == "dev":
        user_split = "test_cold" if us.role[u] == "cold" else "test_warm"
    else:
        user_split = "challenge"
    return {
        "age": int(us.age[u]),
        "age_group": us.age_group[u],
        "country_code": us.country_code[u],
        "country_name": us.country_name[u],
        "gender": us.gender[u],
        "preferred_language": "English",
        "preferred_musical_culture": us.culture[u],
        "user_id": us.user_id[u],
        "user_split": user_split,
    }


_NULL_PROFILE = {k: None for k in L.USER_PROFILE_TYPE.names}


def _session_row(world: World, rec: SessionRecord) -> dict:
    blind = rec.split in ("blind_a", "blind_b")
    anon = rec.anonymous
    msgs = rec.messages
    if blind:
        msgs = [
            m for m in msgs if m.turn < rec.target_turn or (m.turn == rec.target_turn and m.role == "user")
        ]
    conv = []
    for m in msgs:
        if blind and m.role == "music":
            conv.append({"content": m.content, "role": m.role, "thought": None, "turn_number": m.turn})
        elif blind and m.role == "assistant":  # blind releases carry the recommender's rationale here
            music_thought = next(x.thought for x in rec.messages if x.turn == m.turn and x.role == "music")
            conv.append(
                {"content": m.content, "role": m.role, "thought": music_thought, "turn_number": m.turn}
            )
        else:
            conv.append({"content": m.content, "role": m.role, "thought": m.thought, "turn_number": m.turn})
    return {
        "session_id": rec.session_id,
        "user_id": "" if anon else world.users.user_id[rec.user],
        "session_date": None if blind else rec.session_date,
        "user_profile": _NULL_PROFILE if anon else _profile(world, rec.user, rec.split),
        "conversation_goal": None
        if anon
        else {"category": rec.category, "listener_goal": rec.listener_goal, "specificity": rec.specificity},
        "conversations": conv,
        "goal_progress_assessments": []
        if blind
        else [{"goal_progress_assessment": a, "turn_number": t + 1} for t, a in enumerate(rec.assessments)],
    }


def _write_sessions(world: World, root: Path) -> None:
    files = {
        "train": (_data_dir(root, L.SESSIONS), "train-00000-of-00001.parquet"),
        "dev": (_data_dir(root, L.SESSIONS), "test-00000-of-00001.parquet"),
        "blind_a": (_data_dir(root, L.BLIND_A), "test-00000-of-00001.parquet"),
        "blind_b": (_data_dir(root, L.BLIND_B), "test-00000-of-00001.parquet"),
    }
    for split, (d, name) in files.items():
        rows = [_session_row(world, r) for r in world.sessions[split]]
        table = pa.Table.from_pylist(rows, schema=L.SESSION_SCHEMA)
        pq.write_table(table, d / name, **_PQ)
    truth = [
        {
            "split": split,
            "session_id": r.session_id,
            "user_id": "" if r.anonymous else world.users.user_id[r.user],
            "turn_number": r.target_turn,
            "ground_truth_track_id": world.cat.track_id[r.golds[r.target_turn - 1]],
        }
        for split in ("blind_a", "blind_b")
        for r in world.sessions[split]
    ]
    (root / BLIND_TRUTH).write_text(json.dumps(truth, indent=1))


# ---- catalog ----------------------------------------------------------------------------------------------
def _catalog_table(world: World, idx: np.ndarray) -> pa.Table:
    cat = world.cat
    cols = {
        "track_id": [cat.track_id[i] for i in idx],
        "ISRC": [cat.track_isrc[i] for i in idx],
        "track_name": [[cat.track_name[i]] for i in idx],
        "artist_name": [[cat.artist_name[a] for a in cat.track_artists[i]] for i in idx],
        "album_name": [[cat.album_name[cat.track_album[i]]] for i in idx],
        "tag_list": [cat.track_tags[i] for i in idx],
        "popularity": cat.track_popularity[idx],
        "release_date": [cat.album_date[cat.track_album[i]] for i in idx],
        "duration": cat.track_duration[idx],
        "artist_id": [[cat.artist_id[a] for a in cat.track_artists[i]] for i in idx],
        "album_id": [[cat.album_id[cat.track_album[i]]] for i in idx],
    }
    return pa.Table.from_pydict(cols, schema=L.TRACK_METADATA_SCHEMA)


def _test_track_rows(world: World) -> np.ndarray:
    """Catalog rows of the test subset: every track of a dev/blind session plus a small random sample."""
    used = {g for split in ("dev", "blind_a", "blind_b") for r in world.sessions[split] for g in r.golds}
    rest = np.setdiff1d(np.arange(world.cat.n_tracks), np.fromiter(used, dtype=np.int64))
    rng = np_rng(world.seed, "test-tracks")
    extra = rng.choice(rest, size=min(rest.size, int(round(TEST_TRACKS_EXTRA * len(used)))), replace=False)
    return np.sort(np.concatenate([np.fromiter(used, dtype=np.int64), extra]))


# ---- embeddings ---------------------------------------------------------------------------------------------
def _vec_array(x: np.ndarray, missing: np.ndarray) -> pa.Array:
    """list<double> array from float32 rows; missing rows become empty lists."""
    n, d = x.shape
    lengths = np.where(missing, 0, d).astype(np.int64)
    offsets = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    values = pa.array(x[~missing].reshape(-1).astype(np.float64))
    return pa.ListArray.from_arrays(pa.array(offsets.astype(np.int32)), values)


def _embedding_shard(
    world: World, lat, proj: Projector, rows: np.ndarray, shard_name: str
) -> dict[str, np.ndarray]:
    out = {}
    for k, dim in L.EMBEDDING_DIMS.items():
        rng = np_rng(world.seed, f"emb-noise-{k}-{shard_name}")
        shared = None
        if k == "image-siglip2":  # album covers: the same noise draw for every track of an album
            albums, inv = np.unique(world.cat.track_album[rows], return_inverse=True)
            covers = [
                np_rng(world.seed, f"emb-cover-{a}").standard_normal(dim, dtype=np.float32) for a in albums
            ]
            shared = np.stack(covers)[inv]
        out[k] = proj.project(k, lat.rows[k][rows], lat.norms[k][rows], rng, shared)
        assert out[k].shape[1] == dim
    return out


def _write_embedding_table(
    world: World, lat, rows: np.ndarray, vecs: dict[str, np.ndarray], path: Path
) -> None:
    cols = {"track_id": pa.array([world.cat.track_id[i] for i in rows], type=pa.string())}
    for k in L.EMBEDDING_DIMS:
        cols[k] = _vec_array(vecs[k], lat.missing[k][rows])
    table = pa.Table.from_pydict(cols, schema=L.TRACK_EMBEDDING_SCHEMA)
    pq.write_table(
        table,
        path,
        row_group_size=4096,
        use_byte_stream_split=[f"{k}.list.element" for k in L.EMBEDDING_DIMS],
        **_PQ_VEC,
    )


def _write_track_embeddings(world: World, root: Path, test_rows: np.ndarray, step) -> None:
    lat = build_latents(world.cat, world.users, world.seed)
    proj = Projector(world.seed, L.EMBEDDING_DIMS)
    d = _data_dir(root, L.TRACK_EMBEDDINGS)
    n = world.cat.n_tracks
    bounds = np.linspace(0, n, N_EMBEDDING_SHARDS + 1).round().astype(int)
    is_test = np.zeros(n, dtype=bool)
    is_test[test_rows] = True
    test_parts: dict[str, list[np.ndarray]] = {k: [] for k in L.EMBEDDING_DIMS}
    test_ids: list[np.ndarray] = []
    for s in range(N_EMBEDDING_SHARDS):
        rows = np.arange(bounds[s], bounds[s + 1])
        vecs = _embedding_shard(world, lat, proj, rows, f"all-{s}")
        _write_embedding_table(
            world, lat, rows, vecs, d / f"all_tracks-{s:05d}-of-{N_EMBEDDING_SHARDS:05d}.parquet"
        )
        sel = is_test[rows]
        test_ids.append(rows[sel])
        for k in L.EMBEDDING_DIMS:
            test_parts[k].append(vecs[k][sel])
        del vecs
        step(f"emb-{s}")
    t_rows = np.concatenate(test_ids)
    t_vecs = {k: np.concatenate(v) for k, v in test_parts.items()}
    _write_embedding_table(world, lat, t_rows, t_vecs, d / "test_tracks-00000-of-00001.parquet")
    step("emb-test")
    _write_user_embeddings(world, root, lat.user_cf, proj)
    step("users-emb")


def _write_user_embeddings(world: World, root: Path, user_cf: np.ndarray, proj: Projector) -> None:
    us = world.users
    d = _data_dir(root, L.USER_EMBEDDINGS)
    train = [u for u in range(us.n) if us.role[u] == "train"]
    warm = list(world.plan.warm_dev_users)
    cold = list(world.plan.cold_dev_users)
    rng = np_rng(world.seed, "emb-cold-missing")
    n_cold_present = int(round(len(cold) * 25 / 129))  # real: 104 of 129 cold users have an empty vector
    cold_present = np.zeros(len(cold), dtype=bool)
    cold_present[rng.choice(len(cold), size=n_cold_present, replace=False)] = True
    for name, who, which, present in (
        ("train", train, "train", np.ones(len(train), dtype=bool)),
        ("test_warm", warm, "warm", np.ones(len(warm), dtype=bool)),
        ("test_cold", cold, "cold", cold_present),
    ):
        vec = (
            user_vectors(user_cf[who], proj, world.seed, which)
            if who
            else np.zeros((0, L.USER_EMBEDDING_DIM), np.float32)
        )
        table = pa.Table.from_pydict(
            {
                "user_id": pa.array([us.user_id[u] for u in who], type=pa.string()),
                "cf-bpr": _vec_array(vec, ~present),
            },
            schema=L.USER_EMBEDDING_SCHEMA,
        )
        pq.write_table(
            table,
            d / f"{name}-00000-of-00001.parquet",
            use_byte_stream_split=["cf-bpr.list.element"],
            **_PQ_VEC,
        )


# ---- users ---------------------------------------------------------------------------------------------------
def _write_users(world: World, root: Path) -> None:
    us = world.users
    table = pa.Table.from_pydict(
        {
            "user_id": us.user_id,
            "age": us.age.astype(np.int64),
            "age_group": us.age_group,
            "country_code": us.country_code,
            "country_name": us.country_name,
            "gender": us.gender,
        },
        schema=L.USER_METADATA_SCHEMA,
    )
    pq.write_table(table, _data_dir(root, L.USER_METADATA) / "all_users-00000-of-00001.parquet", **_PQ)


# ---- summary stats for the manifest -------------------------------------------------------------------------
def _stats(world: World) -> dict:
    cat = world.cat
    ta = cat.track_artist
    out = {}
    for split in ("train", "dev"):
        recs = world.sessions[split]
        adj = [ta[r.golds[t]] == ta[r.golds[t - 1]] for r in recs for t in range(1, 8)]
        alb = [
            cat.track_album[r.golds[t]] in {cat.track_album[g] for g in r.golds[:t]}
            for r in recs
            for t in range(1, 8)
        ]
        mv = [a == "MOVES_TOWARD_GOAL" for r in recs for a in r.assessments[1:]]
        out[split] = {
            "artist_same_as_previous": round(float(np.mean(adj)), 4),
            "album_seen_before": round(float(np.mean(alb)), 4),
            "moves_toward_goal": round(float(np.mean(mv)), 4),
        }
    train_played = {g for r in world.sessions["train"] for g in r.golds}
    dev_g = [g for r in world.sessions["dev"] for g in r.golds]
    out["dev_golds_not_in_train"] = round(float(np.mean([g not in train_played for g in dev_g])), 4)
    out["catalog_played_in_train"] = round(len(train_played) / cat.n_tracks, 4)
    return out


# ---- public entry points ----------------------------------------------------------------------------------------
def _manifest_matches(root: Path, scale: str, seed: int) -> bool:
    try:
        m = json.loads((root / MANIFEST).read_text())
    except (OSError, ValueError):
        return False
    return (
        m.get("scale") == scale
        and m.get("seed") == seed
        and m.get("generator_version") == GENERATOR_VERSION
        and m.get("source_hash") == source_hash()
    )


def _build(root: Path, scale: Scale, seed: int, step) -> dict:
    """Writes everything under ``root`` (a fresh folder). Returns the manifest."""
    t0 = time.time()
    world = build_world(scale, seed, step=step)
    _write_sessions(world, root)
    all_rows = np.arange(world.cat.n_tracks)
    meta_dir = _data_dir(root, L.TRACK_METADATA)
    pq.write_table(_catalog_table(world, all_rows), meta_dir / "all_tracks-00000-of-00001.parquet", **_PQ)
    test_rows = _test_track_rows(world)
    pq.write_table(_catalog_table(world, test_rows), meta_dir / "test_tracks-00000-of-00001.parquet", **_PQ)
    _write_users(world, root)
    step("tables")
    _write_track_embeddings(world, root, test_rows, step)
    us = world.users
    manifest = {
        "scale": scale.name,
        "seed": seed,
        "generator_version": GENERATOR_VERSION,
        "source_hash": source_hash(),
        "counts": {
            "tracks": world.cat.n_tracks,
            "tracks_unplayed": world.n_unplayed,
            "test_tracks": int(test_rows.size),
            "artists": world.cat.n_artists,
            "albums": len(world.cat.album_id),
            "users": us.n,
            "train_users": sum(1 for r in us.role if r == "train"),
            "dev_users_warm": len(world.plan.warm_dev_users),
            "dev_users_cold": len(world.plan.cold_dev_users),
            **{f"sessions_{k}": len(v) for k, v in world.sessions.items()},
            "blind_a_target_turns": dict(
                sorted(Counter(r.target_turn for r in world.sessions["blind_a"]).items())
            ),
            "blind_b_target_turns": dict(
                sorted(Counter(r.target_turn for r in world.sessions["blind_b"]).items())
            ),
        },
        "stats": _stats(world),
        "seconds": round(time.time() - t0, 1),
    }
    (root / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True))
    return manifest


def generate_world(root: Path | str, scale: str, seed: int) -> Path:
    """Generates the world for (scale, seed) at ``root``, atomically; an existing world there is replaced."""
    sc = get_scale(scale)
    root = Path(root)
    if root.exists() and not (root / MANIFEST).exists() and any(root.iterdir()):
        raise FileExistsError(
            f"{root} exists, is not empty and holds no synthetic world ({MANIFEST}); not overwriting"
        )
    root.parent.mkdir(parents=True, exist_ok=True)
    tmp = root.parent / f".{root.name}.tmp-{os.getpid()}"
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir()
    bar = None
    if sc.name != "tiny":
        try:
            from tqdm.auto import tqdm

            bar = tqdm(total=len(_STEPS), desc=f"synthetic world {sc.name}", unit="step")
        except ImportError:  # pragma: no cover
            bar = None

    def step(name: str) -> None:
        if bar is not None:
            bar.set_postfix_str(name)
            bar.update(1)

    try:
        _build(tmp, sc, seed, step)
        old = None
        if root.exists():
            old = root.parent / f".{root.name}.old-{os.getpid()}"
            os.replace(root, old)
        os.replace(tmp, root)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    finally:
        if bar is not None:
            bar.close()
    return root


def ensure_world(root: Path | str, scale: str, seed: int) -> Path:
    """``root`` if it holds a complete world for (scale, seed, generator version); else generates it there."""
    get_scale(scale)
    root = Path(root)
    if _manifest_matches(root, scale, seed):
        return root
    log.info("generating synthetic world scale=%s seed=%s at %s", scale, seed, root)
    return generate_world(root, scale, seed)


__all__ = ["SCALES", "generate_world", "ensure_world", "GENERATOR_VERSION"]
