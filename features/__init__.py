"""The feature library: one module per feature family, registered by name, chosen in conf/features/."""

from features import context, goal, history, listener, source, text, track, user  # noqa: F401  (registers the families)
from features.base import REGISTRY, Family, FeatureContext, build_family, register

__all__ = ["REGISTRY", "FeatureContext", "Family", "build_family", "register"]
