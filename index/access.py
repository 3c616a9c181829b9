"""Who may read which collection: the access policy, a TOML file an office keeps beside its settings.

    [collections.official]
    label = "OFFICIAL"
    everyone = true                       # anyone signed in

    [collections.audit]
    label = "OFFICIAL-SENSITIVE"
    groups = ["opcc-audit"]               # a value of the sign-in's "groups" or "roles" claim
    emails = ["chief.exec@opcc.example"]
    domains = []                          # "opcc.example": anyone whose e-mail ends "@opcc.example"

A collection the policy does not name is readable by nobody when sign-in is on. The policy only says
which collections a reader is cleared for; the store enforces it (Store(collections=...)).
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path


class PolicyError(ValueError):
    """The access policy file cannot be read or says something that is not a policy."""


@dataclass(frozen=True)
class Rule:
    label: str = "OFFICIAL"
    everyone: bool = False
    groups: frozenset[str] = field(default_factory=frozenset)
    emails: frozenset[str] = field(default_factory=frozenset)
    domains: frozenset[str] = field(default_factory=frozenset)

    def admits(self, email: str | None, groups: set[str]) -> bool:
        email = (email or "").strip().lower()
        if self.everyone and (email or groups):
            return True
        if email and (email in self.emails or email.rpartition("@")[2] in self.domains):
            return True
        return bool(groups & self.groups)


@dataclass(frozen=True)
class Policy:
    rules: dict[str, Rule]

    def label(self, collection: str) -> str | None:
        rule = self.rules.get(collection)
        return rule.label if rule else None

    def cleared(self, claims: dict) -> list[str]:
        """The collections a signed-in reader with these claims may read (e-mail, groups, roles)."""
        email = claims.get("email") if isinstance(claims.get("email"), str) else None
        groups: set[str] = set()
        for key in ("groups", "roles"):
            value = claims.get(key)
            if isinstance(value, str):
                groups.add(value)
            elif isinstance(value, (list, tuple)):
                groups.update(str(v) for v in value)
        return sorted(name for name, rule in self.rules.items() if rule.admits(email, groups))


def load_policy(path: Path) -> Policy:
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise PolicyError(f"cannot read the access policy {path}: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError(f"{path} is not a TOML access policy: {exc}") from None
    collections = data.get("collections")
    if not isinstance(collections, dict):
        raise PolicyError(f"{path} names no [collections.NAME] tables")
    rules = {}
    for name, spec in collections.items():
        if not isinstance(spec, dict):
            raise PolicyError(f"{path}: collections.{name} is not a table")
        unknown = set(spec) - {"label", "everyone", "groups", "emails", "domains"}
        if unknown:
            raise PolicyError(f"{path}: collections.{name} has unknown keys {sorted(unknown)}")
        rules[name] = Rule(label=str(spec.get("label", "OFFICIAL")), everyone=bool(spec.get("everyone", False)),
                           groups=frozenset(map(str, spec.get("groups", []))),
                           emails=frozenset(str(e).lower() for e in spec.get("emails", [])),
                           domains=frozenset(str(d).lower().lstrip("@") for d in spec.get("domains", [])))
    return Policy(rules)
