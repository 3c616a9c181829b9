"""Sign-in: `minutes serve` keeps a page without sign-in on loopback, and an officer signs in through a real
OpenID provider (oidc-provider-mock on 127.0.0.1) in a real browser, asks, sees only the collection they are
cleared for, signs out and is asked to sign in again."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner

from tests.test_access_app import ONLY, POLICY, QUESTION, two_collections  # noqa: F401 (a fixture)
from tests.test_browser import CHROMIUM, IDLE, LAUNCH_ARGS, _free_port, _settled, _wait_healthy
from ui import cli
from ui.signin import is_loopback

AUTH_TOML = """[auth]
redirect_uri = "http://127.0.0.1:{port}/oauth2callback"
cookie_secret = "a-test-cookie-secret-of-some-length-0123456789"
client_id = "minutes-qa-test"
client_secret = "minutes-qa-test-secret"
server_metadata_url = "{issuer}/.well-known/openid-configuration"
"""


# -- minutes serve: where it may listen -----------------------------------------------------------------------

@pytest.fixture
def not_started(monkeypatch, tmp_path):
    """`minutes serve` up to the point it would start Streamlit: the command and environment it would run."""
    import index.status

    started: dict = {}
    monkeypatch.setattr(index.status, "is_empty", lambda folder: False)
    monkeypatch.setattr(cli, "_run_until_stopped", lambda cmd, env: started.update(cmd=cmd, env=env) or 0)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))          # Streamlit's ~/.streamlit/ for this test
    monkeypatch.delenv("MINUTES_POLICY", raising=False)
    if (Path.cwd() / ".streamlit" / "secrets.toml").exists():
        pytest.skip("this working folder has its own .streamlit/secrets.toml")
    return started


def _serve(*args: str):
    return CliRunner().invoke(cli.main, ["serve", "--index", "unused", *args])


@pytest.mark.parametrize("host", ["0.0.0.0", "192.0.2.7", "::", "minutes.opcc.example"])
def test_serve_without_sign_in_refuses_an_address_others_can_reach(not_started, host):
    result = _serve("--host", host)
    assert result.exit_code == 3 and not not_started
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: sign-in is not configured") and "--allow-open" in lines[0]


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "::1", "localhost"])
def test_serve_without_sign_in_listens_on_loopback(not_started, host):
    assert is_loopback(host)
    assert _serve("--host", host).exit_code == 0
    assert not_started["cmd"][not_started["cmd"].index("--server.address") + 1] == host


def test_serve_listens_openly_when_told_or_when_sign_in_is_configured(not_started, tmp_path):
    result = _serve("--host", "0.0.0.0", "--allow-open")
    assert result.exit_code == 0 and "anyone who can reach 0.0.0.0" in result.stderr
    secrets = tmp_path / "home" / ".streamlit" / "secrets.toml"
    secrets.parent.mkdir(parents=True)
    secrets.write_text(AUTH_TOML.format(port=8501, issuer="https://login.example"), encoding="utf-8")
    policy = tmp_path / "policy.toml"
    policy.write_text(POLICY, encoding="utf-8")
    result = _serve("--host", "0.0.0.0", "--policy", str(policy))
    assert result.exit_code == 0, result.stderr
    assert not_started["env"]["MINUTES_POLICY"] == str(policy.resolve()), "the policy is passed on to the page"
    result = _serve("--host", "0.0.0.0")
    assert result.exit_code == 0 and "no access policy" in result.stderr


def test_serve_refuses_a_policy_or_secrets_it_cannot_read(not_started, tmp_path):
    policy = tmp_path / "policy.toml"
    policy.write_text("[collections.x]\nreaders = ['*']\n", encoding="utf-8")
    result = _serve("--policy", str(policy))
    assert result.exit_code == 3 and "unknown keys" in result.stderr
    secrets = tmp_path / "home" / ".streamlit" / "secrets.toml"
    secrets.parent.mkdir(parents=True)
    secrets.write_text("[auth\n", encoding="utf-8")
    result = _serve()
    assert result.exit_code == 3 and "secrets.toml" in result.stderr


def test_the_deploy_examples_are_a_policy_and_entra_id_sign_in_settings():
    import tomllib

    from index.access import load_policy

    deploy = Path(__file__).resolve().parents[1] / "deploy"
    policy = load_policy(deploy / "policy.example.toml")
    assert policy.label("official") == "OFFICIAL" and policy.label("audit-committee") == "OFFICIAL-SENSITIVE"
    assert policy.cleared({"email": "Jo.Bloggs@opcc.example"}) == ["official"]
    assert policy.cleared({"email": "auditor@elsewhere.example", "roles": ["Minutes.Sensitive"]}) == \
        ["audit-committee"]
    auth = tomllib.loads((deploy / "secrets.example.toml").read_text(encoding="utf-8"))["auth"]
    assert set(auth) == {"redirect_uri", "cookie_secret", "client_id", "client_secret", "server_metadata_url"}
    assert auth["redirect_uri"].endswith("/oauth2callback")
    assert auth["server_metadata_url"] == \
        "https://login.microsoftonline.com/<tenant-id>/v2.0/.well-known/openid-configuration"


# -- a real sign-in in a real browser ----------------------------------------------------------------------

@contextmanager
def _provider() -> Iterator[str]:
    """oidc-provider-mock on 127.0.0.1 in a thread; any client id and secret, any subject typed in its form."""
    import werkzeug.serving
    from oidc_provider_mock import app

    server = werkzeug.serving.make_server("127.0.0.1", 0, app(), threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@contextmanager
def _serving_with_sign_in(folder: Path, site: Path, issuer: str) -> Iterator[str]:
    """`minutes serve` run from ``site``, whose .streamlit/secrets.toml points sign-in at ``issuer``."""
    port = _free_port()
    (site / ".streamlit").mkdir(parents=True)
    (site / ".streamlit" / "secrets.toml").write_text(AUTH_TOML.format(port=port, issuer=issuer), encoding="utf-8")
    (site / "policy.toml").write_text(POLICY, encoding="utf-8")
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "HOME": str(site)}
    env.pop("MINUTES_POLICY", None)
    log = site / "serve.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "ui.cli", "serve", "--index", str(folder), "--port", str(port),
                                 "--policy", str(site / "policy.toml")], cwd=site, env=env, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)
    try:
        _wait_healthy(port, proc, log)
        yield f"http://127.0.0.1:{port}"
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


def _on_loopback(url: str) -> bool:
    host = urlsplit(url).hostname
    return urlsplit(url).scheme in ("data", "blob", "about") or (host is not None and is_loopback(host))


@pytest.mark.slow
def test_browser_sign_in_ask_and_sign_out(two_collections, tmp_path):  # noqa: F811 (the fixture)
    if not CHROMIUM.exists():
        pytest.skip("Chromium is not installed at /usr/bin/chromium (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    aborted: list[str] = []

    def loopback_only(route):
        if _on_loopback(route.request.url):
            route.continue_()
        else:                                   # the provider's page asks a CDN for its style sheet
            aborted.append(route.request.url)
            route.abort()

    with _provider() as issuer, _serving_with_sign_in(two_collections, tmp_path / "site", issuer) as url, \
            sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 1400})
            page.set_default_timeout(60_000)
            page.route("**/*", loopback_only)
            page.goto(url)
            page.wait_for_selector(IDLE, timeout=120_000)
            # Nothing of the index before sign-in: no question box, no counts, no minutes.
            sign_in = page.get_by_role("button", name="Sign in")
            sign_in.wait_for()
            assert page.get_by_role("textbox", name="Ask a question").count() == 0
            assert "Searching" not in page.inner_text("body")

            sign_in.click()
            page.wait_for_url(f"{issuer}/oauth2/authorize*")
            page.get_by_placeholder("sub").fill("ann.officer@opcc.example")
            page.get_by_role("button", name="Authorize").click()
            page.wait_for_url(f"{url}/*")
            page.wait_for_selector(IDLE, timeout=120_000)    # the first signed-in visit loads the model
            page.get_by_text("Signed in as ann.officer@opcc.example").wait_for()

            box = page.get_by_role("textbox", name="Ask a question")
            box.fill(QUESTION)
            box.press("Enter")
            _settled(page)
            quote = page.locator(".mq-answer-text")
            quote.wait_for()
            assert "£40,000" in quote.inner_text()
            assert page.locator(".mq-answer-card .mq-handling").inner_text().strip().upper() == "OFFICIAL"
            shown = page.inner_text("body")
            assert "£5,000" not in shown and not [w for w in ONLY["sensitive"] if w in shown]
            for tab, theirs in (("Meetings", "fleet-2023-09-14.txt"), ("Actions", "Wexcombe fleet plan")):
                page.get_by_role("tab", name=tab).click()
                shown = page.inner_text("body")
                assert theirs in shown and not [w for w in ONLY["sensitive"] if w in shown], tab

            page.get_by_role("button", name="Sign out").click()
            page.wait_for_url(f"{issuer}/oauth2/end_session*")
            page.get_by_role("button", name="End session").click()
            page.wait_for_url(f"{url}/*")
            page.wait_for_selector(IDLE, timeout=60_000)
            page.get_by_role("button", name="Sign in").wait_for()
            assert "Signed in as" not in page.inner_text("body")
            assert page.get_by_role("textbox", name="Ask a question").count() == 0
        finally:
            browser.close()
    assert aborted and all(not _on_loopback(u) for u in aborted), "requests off this machine were stopped"
