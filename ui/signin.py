"""Whether the page will ask for sign-in, read as Streamlit will read it, and whether an address is loopback:
what `minutes serve` checks before it lets the page listen beyond this machine.

Streamlit reads `.streamlit/secrets.toml` from the home folder, the working folder and the page's own folder
(later ones win); sign-in is configured when they give an `[auth]` table.
"""
from __future__ import annotations

import ipaddress
import tomllib
from pathlib import Path

SECRETS = Path(".streamlit") / "secrets.toml"


class SecretsUnreadable(ValueError):
    """A secrets.toml that Streamlit would fail to read."""


def secrets_files(cwd: Path, home: Path, app_dir: Path | None = None) -> list[Path]:
    """Where Streamlit looks for secrets, in its order."""
    places = [home / SECRETS, cwd / SECRETS] + ([app_dir / SECRETS] if app_dir else [])
    return list(dict.fromkeys(p.resolve() for p in places))


def signin_configured(cwd: Path, home: Path, app_dir: Path | None = None) -> bool:
    """Whether the secrets Streamlit will read hold an [auth] table. Raises SecretsUnreadable."""
    for path in secrets_files(cwd, home, app_dir):
        if not path.is_file():
            continue
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise SecretsUnreadable(f"cannot read {path}: {exc}") from None
        if isinstance(data.get("auth"), dict):
            return True
    return False


def is_loopback(host: str) -> bool:
    """Whether only this machine can reach an address: 127.0.0.0/8, ::1 or the name localhost."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip().strip("[]")).is_loopback
    except ValueError:
        return False        # any other name may resolve to an address others can reach
