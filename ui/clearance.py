"""Who is reading the page and what they may read: Streamlit's own sign-in (OIDC), the collections the access
policy clears the reader for, and each collection's handling label.

Sign-in is on when Streamlit's secrets hold an [auth] table. Then nothing of the index is drawn until the
reader has signed in and the policy ($MINUTES_POLICY) clears them for at least one collection; every store
the page opens reads those collections alone. With sign-in off (a developer's `make serve` on their own
machine) the page reads every collection and says so.
"""
from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from index.access import Policy, PolicyError, load_policy
from index.config import POLICY
from ui import render

log = logging.getLogger("minutes.web")
ASK_ADMIN = "Please tell whoever looks after Minutes Q&A."


@dataclass(frozen=True)
class Reader:
    account: str | None                 # the signed-in e-mail (else account name); None where sign-in is off
    name: str | None
    collections: tuple[str, ...] | None  # None: sign-in is off and the page reads every collection
    policy: Policy | None

    @property
    def signed_in(self) -> bool:
        return self.collections is not None

    def label(self, collection: str) -> str:
        """The collection's handling label (OFFICIAL-SENSITIVE ...), or its name where no policy gives one."""
        return (self.policy.label(collection) if self.policy else None) or collection

    def cleared_for(self) -> str:
        """The reader's clearance in words, for the status strip."""
        if self.collections is None:
            return "every collection"
        return ", ".join(f"{c} ({self.label(c)})" if self.label(c) != c else c for c in self.collections)


def signin_configured() -> bool:
    """Whether Streamlit's secrets give an [auth] table; a secrets file Streamlit cannot read stops the page
    rather than leaving it open."""
    try:
        return "auth" in st.secrets
    except FileNotFoundError:            # Streamlit's "no secrets": none found, or one it cannot read
        present = [p for p in st.get_option("secrets.files") if Path(p).is_file()]
        if present:
            log.error("sign-in: the secrets file(s) %s cannot be read", ", ".join(present))
            _stop("Sign-in is not working.", f"The page's sign-in settings cannot be read. {ASK_ADMIN}")
        return False


def reader() -> Reader:
    """The reader of this run; draws the sign-in screen, or a plain message, and stops the page when there is
    nothing they may read."""
    policy = _policy()
    if not signin_configured():
        return Reader(None, None, None, policy)
    if not st.user.get("is_logged_in"):
        _sign_in_screen()
    claims = st.user.to_dict()
    # The e-mail, where the provider sends one (Entra ID: an optional claim); else the account's own name.
    account = _claim(claims, "email") or _claim(claims, "preferred_username") or _claim(claims, "sub")
    name = _claim(claims, "name")
    _signed_in_bar(name, account)
    if policy is None:
        _stop("You are signed in, but no minutes are open to you.",
              f"This page has no access policy yet, so it shows no one any minutes. {ASK_ADMIN}")
    cleared = policy.cleared(claims)
    if not cleared:
        _stop("You are signed in, but no minutes are open to you.",
              f"The access policy does not clear {account or 'this account'} for any collection of minutes. "
              f"If you should see them, {ASK_ADMIN[0].lower()}{ASK_ADMIN[1:]}")
    return Reader(account, name, tuple(cleared), policy)


def _claim(claims: dict, key: str) -> str | None:
    value = claims.get(key)
    return value.strip() if isinstance(value, str) and value.strip() else None


def _policy() -> Policy | None:
    path = os.environ.get(POLICY.envvar)
    if not path:
        return None
    try:
        return load_policy(Path(path).expanduser())
    except PolicyError as exc:
        log.error("access policy: %s", exc)
        _stop("The page cannot decide who may read what.", f"Its access policy cannot be read. {ASK_ADMIN}")


def _sign_in_screen() -> None:
    st.info("Sign in to ask questions of the minutes. You will see the minutes your account is cleared for.",
            icon=":material/lock:")
    if st.button("Sign in", key="sign-in", icon=":material/login:"):
        st.login()
    st.stop()


def _signed_in_bar(name: str | None, account: str | None) -> None:
    who = f"{name} ({account})" if name and account and name != account else \
        (account or name or "an account with no name")
    row = st.container(horizontal=True, vertical_alignment="center", key="signed-in")
    row.caption(render.md_label(f"Signed in as {who}"))
    if row.button("Sign out", key="sign-out", icon=":material/logout:", type="tertiary"):
        st.logout()
        st.stop()


def _stop(title: str, detail: str) -> None:
    st.error(f"**{title}**\n\n{render.md_label(detail)}")
    st.stop()
