"""Archetype profiles: the one piece of configuration every part of the suite reads (see ARCHITECTURE.md)."""

from sds.profiles.errors import Problem, ProfileError
from sds.profiles.explain import explain
from sds.profiles.loading import SHIPPED, load_profile, parse_profile, parse_profile_text, shipped_path
from sds.profiles.model import KOLOMMEN, SERVICES, Profile

__all__ = [
    "KOLOMMEN",
    "SERVICES",
    "SHIPPED",
    "Problem",
    "Profile",
    "ProfileError",
    "explain",
    "load_profile",
    "parse_profile",
    "parse_profile_text",
    "shipped_path",
]
