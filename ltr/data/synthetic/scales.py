"""World sizes (tiny / mini / full) and the few per-scale knobs of the synthetic TalkPlayData world."""

from __future__ import annotations

from dataclasses import dataclass

# Real Blind-A target-turn mix per 80 sessions (turn 1 ... turn 8).
BLIND_A_TARGETS_80 = (20, 15, 10, 5, 8, 9, 8, 5)


@dataclass(frozen=True)
class Scale:
    """How big one synthetic world is. Users are split by role exactly like the real release."""

    name: str
    n_tracks: int
    n_train_users: int  # users with train sessions (and a train cf-bpr row)
    n_warm_dev_users: int  # dev users that are also train users
    n_cold_dev_users: int  # dev users with no train session
    n_blind_only_users: int  # users seen only in the blind splits (in no embedding table)
    n_train_sessions: int
    n_dev_sessions: int
    n_blind_a: int
    n_blind_b: int
    n_scenes: int  # how many of the taxonomy's scenes this world uses
    n_blind_a_warm_users: int  # Blind-A users that are warm train+dev users
    n_blind_a_new_users: int  # Blind-A users that are blind-only users
    universe_factor: float  # latent universe size / catalog size (the catalog keeps played tracks)

    @property
    def n_dev_users(self) -> int:
        return self.n_warm_dev_users + self.n_cold_dev_users

    @property
    def n_users(self) -> int:
        return self.n_train_users + self.n_cold_dev_users + self.n_blind_only_users

    def blind_a_targets(self) -> list[int]:
        """Blind-A target turns per turn number, the real uneven mix scaled to ``n_blind_a``."""
        return _scaled_counts(BLIND_A_TARGETS_80, self.n_blind_a)

    def blind_b_targets(self) -> list[int]:
        """Blind-B: the same number of sessions per target turn (10 per turn at 80)."""
        return _scaled_counts((1,) * 8, self.n_blind_b)


def _scaled_counts(weights: tuple[int, ...], total: int) -> list[int]:
    """Largest-remainder rounding of ``weights`` to integers summing to ``total``, each at least 1."""
    s = sum(weights)
    raw = [w * total / s for w in weights]
    out = [max(1, int(r)) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: raw[i] - int(raw[i]), reverse=True)
    i = 0
    while sum(out) < total:
        out[order[i % len(order)]] += 1
        i += 1
    while sum(out) > total:
        j = max(range(len(out)), key=lambda k: out[k])
        out[j] -= 1
    return out


SCALES: dict[str, Scale] = {
    "tiny": Scale(
        name="tiny",
        n_tracks=600,
        n_train_users=104,
        n_warm_dev_users=15,
        n_cold_dev_users=5,
        n_blind_only_users=11,
        n_train_sessions=150,
        n_dev_sessions=40,
        n_blind_a=16,
        n_blind_b=16,
        n_scenes=18,
        n_blind_a_warm_users=5,
        n_blind_a_new_users=7,
        universe_factor=1.1,
    ),
    "mini": Scale(
        name="mini",
        n_tracks=5000,
        n_train_users=1130,  # 2,000 sessions at the real 1.77 sessions per train user
        n_warm_dev_users=74,
        n_cold_dev_users=26,
        n_blind_only_users=44,
        n_train_sessions=2000,
        n_dev_sessions=200,
        n_blind_a=80,
        n_blind_b=80,
        n_scenes=60,
        n_blind_a_warm_users=25,
        n_blind_a_new_users=33,
        universe_factor=1.12,
    ),
    "full": Scale(
        name="full",
        n_tracks=47071,
        n_train_users=8591,
        n_warm_dev_users=371,
        n_cold_dev_users=129,
        n_blind_only_users=52,
        n_train_sessions=15199,
        n_dev_sessions=1000,
        n_blind_a=80,
        n_blind_b=80,
        n_scenes=0,  # 0 = every scene of the taxonomy
        n_blind_a_warm_users=25,
        n_blind_a_new_users=33,
        universe_factor=1.2,
    ),
}


def get_scale(name: str) -> Scale:
    """The named scale, or ValueError listing the valid names."""
    try:
        return SCALES[name]
    except KeyError:
        raise ValueError(f"unknown synthetic scale {name!r}; valid scales: {', '.join(SCALES)}") from None
