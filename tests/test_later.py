"""Current answers: a present-tense question is answered from the latest meeting that speaks to it, and an
answer quoted from an older meeting says what a later one of the same series says ("later")."""
from __future__ import annotations

import json
import re

import pytest

from index.search import DEFAULT, Searcher

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def searcher(corpus_index, real_embedder):
    s = Searcher(corpus_index, embedder=real_embedder)
    yield s
    s.store.close()


def latest_meeting_date(searcher: Searcher, series: str) -> str:
    return searcher.store.conn.execute("SELECT max(date) FROM meetings WHERE series = ?", (series,)).fetchone()[0]


def test_a_present_tense_question_is_answered_from_the_latest_meeting(searcher):
    result = searcher.ask("How many police officers does the force have?")
    a = result.answer
    assert a is not None and "police officers" in a.text
    assert a.date == latest_meeting_date(searcher, "Monthly Assurance Meeting")


def test_an_older_answer_says_what_a_later_meeting_says(searcher):
    result = searcher.ask("How many police officers did the force have?")
    a, later = result.answer, result.later
    assert a is not None and later is not None
    assert later.date > a.date and later.document != a.document
    text = searcher.store.conn.execute(
        "SELECT m.text FROM meetings m JOIN documents d ON d.id = m.document_id WHERE d.path = ?",
        (later.document,)).fetchone()[0]
    assert text[later.start:later.end] == later.text, "the later line is verbatim too"
    assert any(ch.isdigit() for ch in later.text), "a question for a figure gets a later figure"
    payload = result.to_json()
    assert set(payload["later"]) == set(payload["answer"]), "later carries the same fields as answer"


def test_a_question_naming_its_time_has_no_later(searcher):
    result = searcher.ask("How many police officers did the force have on 28 February 2022?")
    assert result.answer is not None and "2,241" in result.answer.text
    assert result.later is None
    assert json.loads(json.dumps(result.to_json()))["later"] is None


def test_a_figure_reported_again_and_again_has_its_history(searcher):
    result = searcher.ask("What percentage of 101 calls are answered within 30 seconds?")
    points = result.history
    assert len(points) >= 3
    assert [p.date for p in points] == sorted(p.date for p in points) and len({p.date for p in points}) == len(points)
    assert {p.unit for p in points} == {"%"}
    for p in points:
        assert p.written in p.quote, "the figure is read from the quote, never guessed"
        text = searcher.store.conn.execute("SELECT text FROM meetings WHERE id = ?", (p.meeting_id,)).fetchone()[0]
        assert p.quote in text


def test_a_question_that_is_not_about_a_figure_has_no_history(searcher):
    assert searcher.ask("Who chaired the panel in June 2023?").history == []


def _holder(searcher: Searcher, where: str, args: tuple) -> tuple[str, str]:
    """(name, date) of the role's holder at the latest meeting whose attendance table lists it so."""
    return searcher.store.conn.execute(
        "SELECT a.name, m.date FROM attendees a JOIN meetings m ON m.id = a.meeting_id WHERE " + where
        + " ORDER BY m.date DESC LIMIT 1", args).fetchone()


@pytest.mark.parametrize("question", ["Who is the CC?", "Who is the Chief Constable now?"])
def test_who_holds_a_role_is_read_from_the_latest_attendance_table_listing_it(searcher, question):
    name, date = _holder(searcher, "a.acronym = ?", ("CC",))
    a = searcher.ask(question).answer
    assert a is not None and a.fact == "role"
    assert name in a.text and "Chief Constable" in a.text and a.date == date
    assert searcher.store.meeting_text(a.meeting_id)[a.start:a.end].strip() == a.text


def test_who_held_a_role_in_a_year_is_read_from_that_years_meetings(searcher):
    name, date = _holder(searcher, "a.acronym = ? AND m.date LIKE ?", ("CC", "2022-%"))
    a = searcher.ask("Who was the Chief Constable in 2022?").answer
    assert a is not None and name in a.text and a.date == date
    deputy, _ = _holder(searcher, "a.acronym = ?", ("DCC",))
    a = searcher.ask("Who is the Deputy Chief Constable?").answer
    assert a is not None and deputy in a.text and "Deputy Chief Constable" in a.text


def test_asked_how_large_now_a_later_quote_without_a_figure_does_not_replace_one_with_it(searcher):
    # The latest meeting speaking of the reserve says it "will not be needed"; an earlier one gives its size.
    a = searcher.ask("How large is the general reserve?").answer
    assert a is not None and "general reserve" in a.text and re.search(r"£\d", a.text)


def test_what_became_of_something_asked_for_is_answered_by_a_later_meeting(searcher):
    # June 2021 names the meeting that asked for the trajectory; a later meeting reports its receipt.
    a = searcher.ask("On what date did the PCC receive the 101 trajectory that he asked for in June 2021?").answer
    assert a is not None and a.date > "2021-06-30" and "received" in a.text


def test_a_task_set_at_a_meeting_is_answered_from_its_action(searcher):
    # The June 2021 minutes open with a welcome that shares the question's words; the task is an Action line.
    a = searcher.ask("What did the ACC have to give the PCC after the June 2021 assurance meeting?").answer
    assert a is not None and a.document == "monthly-assurance-2021-06-17.txt"
    assert "month-by-month improvement trajectory" in a.text and a.text.startswith("Action:")


def test_a_decision_is_the_resolution_whose_own_words_fit(searcher):
    # Two resolutions of the panel name 2022/23 (the precept for it, the annual report for it): the one whose
    # own line speaks of the annual report answers, however well the other's passage ranks.
    a = searcher.ask("What did the panel resolve on its annual report for 2022/23?").answer
    assert a is not None and a.document == "police-and-crime-panel-2023-06-12.docx"
    assert "approved its annual report" in a.text
    other = searcher.ask("What did the panel resolve on its annual report for 2022/23?",
                         settings=DEFAULT.with_(fact_topic_own=0.0)).answer
    assert other is None or "approved its annual report" not in other.text


def test_the_learned_ranking_orders_passages_but_not_for_how_things_stand_now(searcher, monkeypatch):
    from index.search.features import FEATURES

    calls = []

    class Backwards:   # the hand-set order turned upside down, to see that the model's order is the one used
        def predict(self, x):
            calls.append(len(x))
            return x[:, FEATURES.index("hand")] * -1.0

    plain = "What did the DCC report about police officer numbers in February 2022?"
    hand = searcher.ask(plain, settings=DEFAULT.with_(learned=False, structure=False))
    monkeypatch.setattr(searcher, "_learned_ranker", lambda: Backwards())
    flipped = searcher.ask(plain, settings=DEFAULT.with_(learned=True, structure=False))
    assert calls and hand.passages[0].chunk_id != flipped.passages[0].chunk_id
    # The model's outputs order; the scores shown and weighed stay the hand-set ones, best first.
    shown = [p.score for p in flipped.passages]
    assert shown == sorted(shown, reverse=True) and min(shown) > 0
    assert shown[0] == hand.passages[0].score
    calls.clear()
    searcher.ask("What is the current forecast overspend?", settings=DEFAULT.with_(learned=True))
    assert not calls, "asked how things stand now, the hand-set ranking decides"
