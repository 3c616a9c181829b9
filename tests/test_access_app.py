"""The page with sign-in: nothing is drawn before sign-in, and a signed-in officer sees only the collections the
access policy clears them for, in every view (answer, passages, meetings, actions, counts, series, documents,
dates, examples, downloads), with each answer's and passage's handling label; every question is audited.

Run headless through Streamlit's AppTest, which plays the identity provider's part by setting `st.user`.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from index import browse
from index.audit import AuditLog, audit_path
from tests.test_app import html_blocks, shown_text

pytestmark = pytest.mark.slow

APP = Path(__file__).resolve().parents[1] / "ui" / "app.py"
QUESTION = "What was the helicopter fund set at?"

# Two collections, each stating an answer of its own to QUESTION and holding words no other file holds.
OFFICIAL = {
    "fleet-2023-03-16.txt": """Fleet and Estates Committee March 2023

Date: Thursday 16 March 2023
Chair: Gareth Pennington
Venue: Committee Room 1, County Hall

1 Air support

The helicopter fund was set at £40,000 for the year by the Fleet and Estates Committee.

2 Contact management

The HCM reported that 74% of 101 calls were answered within 30 seconds. The 101 target is 80%.

Action: DoF to publish the Wexcombe fleet plan by 1 May 2023.
""",
    "fleet-2023-09-14.txt": """Fleet and Estates Committee September 2023

Date: Thursday 14 September 2023
Chair: Gareth Pennington
Venue: Committee Room 1, County Hall

1 Vehicles

The committee noted that twelve Wexcombe patrol cars had been replaced.

Action: Head of Fleet to report on electric vans by 1 December 2023.
""",
}
SENSITIVE = {
    "standards-2019-02-04.txt": """Professional Standards Board February 2019

Date: Monday 4 February 2019
Chair: Quentin Marlowe
Venue: Interview Suite, Quarrington House

1 Air support

The helicopter fund was cut to £5,000 after the Quarrington misconduct inquiry.

2 Finance

The forecast overspend is £1.2m on the Quarrington inquiry.

Action: Head of PSD to brief the PCC on the Quarrington inquiry by 1 March 2019.
""",
    "standards-2025-06-02.txt": """Professional Standards Board June 2025

Date: Monday 2 June 2025
Chair: Quentin Marlowe
Venue: Interview Suite, Quarrington House

1 Vetting

The board heard that four Quarrington vetting appeals were upheld.

Action: Head of PSD to close the Quarrington vetting review by 30 June 2025.
""",
}
# Words that only one collection's files hold (ASCII: they must show in a repr of anything the page sent).
ONLY = {"official": ["Wexcombe", "Fleet and Estates", "fleet-2023", "40,000", "Pennington"],
        "sensitive": ["Quarrington", "Professional Standards", "standards-20", "5,000", "Marlowe", "PSD"]}

POLICY = """
[collections.official]
label = "OFFICIAL"
domains = ["opcc.example"]

[collections.sensitive]
label = "OFFICIAL-SENSITIVE"
groups = ["opcc-psd"]
"""
AUTH = {"auth": {"redirect_uri": "http://127.0.0.1:8501/oauth2callback", "cookie_secret": "x" * 32,
                 "client_id": "minutes-qa", "client_secret": "not-a-secret",
                 "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration"}}

ANN = {"is_logged_in": True, "email": "ann.officer@opcc.example", "name": "Ann Officer"}      # official
PAT = {"is_logged_in": True, "email": "pat@psd.example", "name": "Pat Vetting", "groups": ["opcc-psd"]}  # sensitive
CHIEF = {"is_logged_in": True, "email": "chief@opcc.example", "roles": ["opcc-psd"]}          # both
EVE = {"is_logged_in": True, "email": "eve@elsewhere.example", "groups": ["visitors"]}        # neither


@pytest.fixture(scope="module")
def two_collections(tmp_path_factory, real_embedder) -> Path:
    from index.sync import Ingester

    base = tmp_path_factory.mktemp("access-app")
    for name, files in (("official", OFFICIAL), ("sensitive", SENSITIVE)):
        (base / name).mkdir()
        for file, text in files.items():
            (base / name / file).write_text(text, encoding="utf-8")
    folder = base / "index"
    for name in ("official", "sensitive"):
        report = Ingester(folder, embedder=real_embedder, progress=False, collection=name).run([base / name])
        assert report.added == 2 and not report.failed, report.failed
    (base / "policy.toml").write_text(POLICY, encoding="utf-8")
    return folder


def page(folder: Path, monkeypatch, user: dict | None, policy: bool = True, signin: bool = True) -> AppTest:
    monkeypatch.setenv("MINUTES_INDEX", str(folder))
    if policy:
        monkeypatch.setenv("MINUTES_POLICY", str(folder.parent / "policy.toml"))
    else:
        monkeypatch.delenv("MINUTES_POLICY", raising=False)
    at = AppTest.from_file(str(APP), default_timeout=120)
    if signin:
        at.secrets = dict(AUTH)
    if user is not None:
        at.user = dict(user)
    at.run()
    assert not at.exception, at.exception
    return at


def everything(at: AppTest) -> str:
    """All the page sent to the browser, in every tab and the sidebar: each element's message as text (a table's
    Arrow bytes included, where ASCII text shows as itself)."""
    out: list[str] = []

    def walk(node) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None:
            out.append(str(proto))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return "\n".join(out)


def assert_nothing_of(at: AppTest, collection: str) -> None:
    sent = everything(at)
    leaked = [w for w in ONLY[collection] if w in sent]
    assert not leaked, f"the page sent words of the {collection} collection: {leaked}"


def documents_of(collection: str) -> set[str]:
    return set(OFFICIAL if collection == "official" else SENSITIVE)


def labels(html: str) -> list[str]:
    """The handling labels shown in a block of the page's HTML."""
    return [shown_text(m) for m in re.findall(r'class="mq-handling"[^>]*>([^<]*)</span>', html)]


def ask(at: AppTest, question: str) -> AppTest:
    at.text_input(key="question").input(question).run()
    assert not at.exception, at.exception
    return at


# -- before and without clearance --------------------------------------------------------------------------

def test_the_page_asks_for_sign_in_before_anything_is_shown(two_collections, monkeypatch):
    at = page(two_collections, monkeypatch, {"is_logged_in": False})
    assert at.button(key="sign-in").label == "Sign in"
    assert not at.tabs and not at.text_input and not at.sidebar.children, "no search, views or filters"
    assert not any("Searching" in c.value for c in at.caption), "no counts"
    assert_nothing_of(at, "official")
    assert_nothing_of(at, "sensitive")
    # Without the flag, as Streamlit's own st.user gives it before the identity cookie is read.
    at = page(two_collections, monkeypatch, {"email": "spoofed@opcc.example"})
    assert at.button(key="sign-in") and not at.tabs


@pytest.mark.parametrize("user, policy", [(EVE, True), (ANN, False)], ids=["cleared-for-nothing", "no-policy"])
def test_a_reader_cleared_for_nothing_sees_a_plain_message_and_nothing_of_the_index(two_collections, monkeypatch,
                                                                                    user, policy):
    at = page(two_collections, monkeypatch, user, policy=policy)
    assert any("no minutes are open to you" in e.value for e in at.error)
    assert any(user["email"] in c.value.replace("\\", "") for c in at.caption), "who is signed in"
    assert at.button(key="sign-out")
    assert not at.tabs and not at.text_input and not at.sidebar.children
    assert_nothing_of(at, "official")
    assert_nothing_of(at, "sensitive")


def test_signing_out_brings_back_the_sign_in_screen(two_collections, monkeypatch):
    at = page(two_collections, monkeypatch, ANN)
    assert at.tabs
    at.button(key="sign-out").click().run()
    assert not at.exception, at.exception
    at.run()
    assert at.button(key="sign-in") and not at.tabs
    assert_nothing_of(at, "official")


# -- every view, as officers with different clearances ---------------------------------------------------------

def _meeting_ids(folder: Path, collection: str) -> set[int]:
    with browse.reading(folder, [collection]) as store:
        return {m.id for m in browse.meetings(store)}


@pytest.mark.parametrize("user, sees, hidden", [(ANN, "official", "sensitive"), (PAT, "sensitive", "official")],
                         ids=["official-reader", "sensitive-reader"])
def test_an_officer_sees_only_the_collections_they_are_cleared_for_in_every_view(two_collections, monkeypatch,
                                                                                 user, sees, hidden):
    at = page(two_collections, monkeypatch, user)
    mine = documents_of(sees)
    with browse.reading(two_collections, [sees]) as store:
        counts, (first, last) = store.counts(), browse.date_range(store)
        series = browse.series(store)
    # Status counts, from the cleared store.
    strip = next(c.value for c in at.caption if c.value.startswith("Searching"))
    assert f"Searching {counts['documents']} documents · {counts['meetings']} meetings · " \
           f"{counts['chunks']} passages" in strip.replace("\\", "")
    assert "cleared for " + sees in strip.replace("\\", "")
    assert not any("open to anyone" in c.value for c in at.caption)
    # The sidebar: dates, series and documents of the cleared collection only.
    lo, hi = at.date_input(key="dates").value
    assert (lo.isoformat(), hi.isoformat()) == (first, last)
    assert at.multiselect(key="series").options and len(at.multiselect(key="series").options) == len(series)
    assert set(at.multiselect(key="documents").options) == mine
    # Meetings: the list, and each meeting opened in turn.
    listing = next(d.value for d in at.dataframe if "Chair" in d.value.columns)
    assert set(listing["Document"]) == mine
    assert len(at.selectbox(key="meeting").options) == len(_meeting_ids(two_collections, sees))
    for mid in _meeting_ids(two_collections, sees):
        at.selectbox(key="meeting").set_value(mid).run()
        assert not at.exception, at.exception
        assert_nothing_of(at, hidden)
    # Actions: the table, and each action opened in turn with its downloads.
    actions = next(b for b in html_blocks(at) if "mq-table" in b and "<th>Meeting</th>" in b)
    assert len(re.findall(r"<tr class=", actions)) == 2
    for option in at.selectbox(key="action-open").options:
        at.selectbox(key="action-open").set_value(option).run()
        assert not at.exception, at.exception
        assert_nothing_of(at, hidden)
    downloads = {b.proto.label for b in at.get("download_button")}
    assert downloads and all(label == "Download as CSV" or label.removeprefix("Download ") in mine
                             for label in downloads)
    # Examples: only those the reader's own minutes speak of.
    offered = {b.label for b in at.button if b.key and b.key.startswith("example-")}
    assert offered == ({"What was the 101 target?"} if sees == "official" else {"What is the forecast overspend?"})
    # The answer and every passage: the cleared collection's, labelled with its handling label.
    ask(at, QUESTION)
    card = next(b for b in html_blocks(at) if "mq-answer-text" in b)
    quote = shown_text(re.search(r'class="mq-quote mq-answer-text">(.*?)</div>', card).group(1))
    assert ("£40,000" if sees == "official" else "£5,000") in quote
    label = "OFFICIAL" if sees == "official" else "OFFICIAL-SENSITIVE"
    assert labels(card) == [label]
    passages = [b for b in html_blocks(at) if b.startswith('<div class="mq-cite">')]
    for b in passages:
        assert labels(b) == [label]
        assert any(d in shown_text(b) for d in mine)
    downloads = {b.proto.label for b in at.get("download_button")}
    assert all(label == "Download as CSV" or label.removeprefix("Download ") in mine for label in downloads)
    assert_nothing_of(at, hidden)
    assert all(w in everything(at) for w in ONLY[sees]), "the scan reads what the page sent"


def test_an_officer_cleared_for_both_sees_both_with_their_labels(two_collections, monkeypatch):
    at = page(two_collections, monkeypatch, CHIEF)
    assert set(at.multiselect(key="documents").options) == documents_of("official") | documents_of("sensitive")
    ask(at, QUESTION)
    assert set(labels(" ".join(html_blocks(at)))) == {"OFFICIAL", "OFFICIAL-SENSITIVE"}
    # The same page process (its searcher and caches shared) then serves an officer cleared for less.
    at = ask(page(two_collections, monkeypatch, ANN), QUESTION)
    assert_nothing_of(at, "sensitive")


# -- sign-in off -------------------------------------------------------------------------------------------------

def test_without_sign_in_the_page_reads_every_collection_and_says_it_is_open(two_collections, monkeypatch):
    at = page(two_collections, monkeypatch, None, policy=False, signin=False)
    assert any("open to anyone who can reach it" in c.value for c in at.caption)
    assert not any(b.key in ("sign-in", "sign-out") for b in at.button)
    assert set(at.multiselect(key="documents").options) == documents_of("official") | documents_of("sensitive")
    ask(at, QUESTION)
    assert set(labels(" ".join(html_blocks(at)))) == {"official", "sensitive"}, \
        "with no policy, a collection's name is its label"


# -- the audit trail -----------------------------------------------------------------------------------------------

def test_each_question_asked_is_audited_with_who_asked_and_their_clearance(two_collections, monkeypatch):
    trail = audit_path(two_collections)
    before = len(AuditLog(trail).read()) if trail.exists() else 0
    at = ask(page(two_collections, monkeypatch, PAT), QUESTION)
    at.toggle(key="show-scores").set_value(True).run()         # a rerun is not a question asked again
    at = page(two_collections, monkeypatch, None, policy=False, signin=False)
    ask(at, "What is the forecast overspend?")
    log = AuditLog(trail)
    rows = log.read()[before:]
    log.close()
    assert [(r.user, r.question, r.collections) for r in rows] == [
        (PAT["email"], QUESTION, ["sensitive"]), (None, "What is the forecast overspend?", None)]
    assert rows[0].answer_document in documents_of("sensitive")
    assert set(rows[0].passage_documents) <= documents_of("sensitive")
    assert b"Quarrington misconduct" not in trail.read_bytes(), "no passage text is kept"
