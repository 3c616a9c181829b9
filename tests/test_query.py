"""Reading a question: the FTS5 query made from user text is always safe, run against the store's real FTS5 table."""
from __future__ import annotations

import random
import sqlite3

import pytest

from index.query import content_terms, expansions_for, fts_query, named_month, parse_question, question_kind
from index.store import Store

ROWS = {
    1: ("The 101 target of 80% of calls answered within 30 seconds was met in February.",
        "Monthly Assurance Meeting | 2024-03-21 | 2.1 The 101 target"),
    2: ("The forecast overspend fell to £0.6m because of tighter control of overtime; the budget holds.",
        "Monthly Assurance Meeting | 2024-03-21 | 4 Finance"),
    3: ("The CC said the café near the station would close; NOT a matter for the PCC.",
        "Joint Audit Committee | 2023-07-25 | 5 Estates"),
}

HOSTILE = [
    '"', '""', '"""', "'", "''", '"budget', 'budget"', '"the 101 target"',
    ":", "text:budget", "header : target", "chunks_fts:overspend", "rowid:1",
    "*", "budg*", "* budget *", "-", "-budget", "--budget", "budget -overspend", "a - b",
    "AND", "OR", "NOT", "NEAR", "AND OR NOT NEAR", "budget AND", "OR budget", "NOT budget",
    "NEAR(budget overspend, 2)", "NEAR/3", "budget NEAR overspend", "and or not near",
    "[", "]", "[budget]", "{text header}: budget", "{", "}",
    "(", ")", "((budget)", "(budget OR", "())(()",
    "^", "^budget", "^ target", "budget^2",
    "😀", "🚓 budget 🚓", "👮‍♀️👮🏽", "\u200d", "\ufeff", "\u202e target",
    "café", "cafe\u0301", "中文 问题", "مرحبا", "ß İ ﬁ", "² ½ Ⅻ", "𝟏𝟎𝟏 𝐭𝐚𝐫𝐠𝐞𝐭",
    "+", "a+b", "@", "#", "$", "%", "80%", "£0.6m", "7,190", "01/02/2024", "\\", "\\\"", "`budget`",
    "budget'; DROP TABLE chunks; --", "\x00", "budget\x00overspend", "\t\n\r",
    "What was the \"101\" target: AND/OR NOT (NEAR) -overspend* [x] ^y 😀?",
    "", " ", "   \t\n  ", "the of and a", "what is it that was there?", "?", "...", "!!!",
]


def _long_questions() -> list[str]:
    rng = random.Random(20240321)
    words = [w for text, _ in ROWS.values() for w in text.split()]
    prose = " ".join(rng.choice(words) for _ in range(400))[:2000]
    distinct = " ".join(f"term{i}" for i in range(400))[:2000]
    # Anything a paste can hold: every plane, control characters, surrogates excluded.
    noise = "".join(chr(rng.choice([rng.randint(1, 0x7F), rng.randint(0x80, 0xD7FF), rng.randint(0xE000, 0x2FFFF)]))
                    for _ in range(2000))
    operators = " ".join(rng.choice(['"', "AND", "OR", "NOT", "NEAR(", ")", "*", "-", ":", "^", "budget"])
                         for _ in range(700))[:2000]
    return [prose, distinct, noise, operators]


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    # Read only by the tests, so one table serves them all.
    s = Store(tmp_path_factory.mktemp("fts") / "index", create=True)
    with s.transaction() as conn:
        for rowid, (text, header) in ROWS.items():
            conn.execute("INSERT INTO chunks_fts (rowid, text, header) VALUES (?, ?, ?)", (rowid, text, header))
    yield s
    s.close()


def match(store: Store, query: str) -> set[int]:
    return {r[0] for r in store.conn.execute("SELECT rowid FROM chunks_fts WHERE chunks_fts MATCH ?", (query,))}


def ranked(store: Store, query: str) -> list[int]:
    # The same shape of query the search runs, BM25 ranking included.
    sql = "SELECT rowid, bm25(chunks_fts, 1.0, 0.4) AS s FROM chunks_fts WHERE chunks_fts MATCH ? ORDER BY s LIMIT 50"
    return [r[0] for r in store.conn.execute(sql, (query,))]


def test_the_table_is_real_fts5(store):
    # A raw operator string must be a syntax error here, or the tests below prove nothing.
    with pytest.raises(sqlite3.OperationalError):
        match(store, '"budget')
    assert match(store, "budget") == {2}


@pytest.mark.parametrize("text", HOSTILE + _long_questions(), ids=lambda t: repr(t[:30]))
def test_hostile_text_is_just_text(store, text):
    q = parse_question(text)
    query = fts_query(q.terms, q.expansions)
    assert isinstance(query, str)
    if query:
        ranked(store, query)   # must not raise
    else:
        assert not any(ch.isalnum() for t in q.terms for ch in t)


@pytest.mark.parametrize("text", HOSTILE + _long_questions(), ids=lambda t: repr(t[:30]))
def test_hostile_glossary_entries_are_just_text(store, text):
    # Expansions come from the corpus's attendance tables: a document is user text too.
    glossary = {"CC": {text or "x", "Chief Constable"}, "PCC": {"Police and Crime Commissioner"}}
    q = parse_question("What did the CC say about the budget?", glossary)
    query = fts_query(q.terms, q.expansions)
    assert isinstance(query, str) and query
    assert 2 in ranked(store, query)


def test_fts_query_with_raw_hostile_terms(store):
    terms = [t for t in HOSTILE if t] + ["NEAR", "AND", "budget"]
    query = fts_query(terms, ['"quoted" phrase', "a:b*"])
    assert isinstance(query, str)
    assert 2 in match(store, query)


def test_empty_and_stopword_questions_give_no_query():
    for text in ["", "   ", "\n\t", "the of and a", "what was it?", "😀 🚓"]:
        q = parse_question(text)
        assert fts_query(q.terms, q.expansions) == ""


def test_operators_in_a_question_do_not_act_as_operators(store):
    # As FTS5 syntax, NOT would drop row 2 and the column filter would search headers only.
    assert 2 in match(store, fts_query(parse_question("budget NOT overspend").terms))
    assert 2 in match(store, fts_query(parse_question("header:overspend").terms))
    assert 1 in match(store, fts_query(parse_question('"101" AND target*').terms))


def test_quoted_words_still_find_their_passage(store):
    q = parse_question('What was the "101 target"?')
    assert ranked(store, fts_query(q.terms, q.expansions))[0] == 1


def test_diacritics_match_both_ways(store):
    assert 3 in match(store, fts_query(parse_question("cafe").terms))
    assert 3 in match(store, fts_query(parse_question("CAFÉ").terms))


def test_terms_keep_numbers_and_drop_stopwords():
    terms = content_terms("What was the 101 target and the 7,190 figure of 80%?")
    assert "101" in terms and "target" in terms
    assert any(t.startswith("7") and "190" in t for t in terms)
    assert not {"what", "was", "the", "and", "of"} & set(terms)
    assert len(terms) == len(set(terms))


@pytest.mark.parametrize("text, kind", [
    ("How many officers were in post?", "number"),
    ("how much was the overspend", "number"),
    ("When did the outage start?", "date"),
    ("Who chaired the meeting?", "person"),
    ("Where was the meeting held?", "place"),
    ("Describe the estates strategy", "other"),
    ("When did the PCC agree the 85% target for 101 calls?", "date"),
    ("What score did the winning bid receive?", "number"),
    ("What share of the officers were women?", "number"),
    ("Which two children won the draw?", "person"),
    ("Which two Northwold councillors had sent apologies?", "person"),
    ("What did members decide about the bins?", "other"),
    ("Which report did members note?", "other"),
    ("What resident parking permits were approved?", "other"),
    ("What chairs were bought for the village hall?", "other"),
])
def test_question_kind(text, kind):
    assert question_kind(text) == kind


def test_expansions_go_both_ways():
    glossary = {"CC": {"Chief Constable"}, "ACC": {"Assistant Chief Constable"}}
    assert "Chief Constable" in expansions_for("What did the CC say?", glossary)
    assert "CC" in expansions_for("What did the chief constable say?", glossary)
    # An acronym inside another one, or inside a word, is not a mention.
    assert "Chief Constable" not in expansions_for("What did the ACC say?", glossary)
    assert expansions_for("the accused succeeded", glossary) == []


def test_named_month():
    assert named_month("the March 2022 meeting") == ((3, 2022), 2022)
    assert named_month("anything in 2023?") == (None, 2023)
    assert named_month("the budget") == (None, None)


def test_parse_question_normalises_whitespace():
    q = parse_question("  What   was\nthe\t101 target?  ")
    assert q.text == "What was the 101 target?"
    assert "101" in q.terms


@pytest.mark.parametrize("text, latest", [
    ("How many venues have signed up to Ask for Angela?", True),
    ("How many officers must the force keep to receive the full grant?", True),
    ("Who is the Chief Constable?", True),
    ("How many venues had signed up by March 2023?", False),
    ("Who was the Chief Constable in 2021?", False),
    ("What did the panel decide?", False),
    ("Do call handlers still get a pay supplement?", True),
    ("How much did the force still need to save in 2022/23 even with the precept increase?", False),
])
def test_present_tense_questions_ask_how_things_stand_now(text, latest):
    assert parse_question(text).wants_latest is latest


def test_a_possessive_is_no_part_of_a_name():
    assert content_terms("Northwold's clerk and the council\u2019s budget") == ["northwold", "clerk", "council", "budget"]


def test_a_month_things_were_reported_in_is_a_meeting_month():
    assert parse_question("How many properties, as reported in January 2024?").names_meeting
    assert parse_question("What was the figure the PCC was told in May 2023?").names_meeting
    assert not parse_question("How many calls were answered in May 2023?").names_meeting


@pytest.mark.parametrize("text, asked, after", [
    ("When did the PCC receive the 101 improvement trajectory he asked for in June 2021?",
     (2021, 6, 2021, 6), (2021, 7, 2021, 12)),
    ("Was the review requested in December 2022 completed?", (2022, 12, 2022, 12), (2023, 1, 2023, 6)),
])
def test_what_became_of_something_asked_for_then_is_asked_of_the_months_after(text, asked, after):
    q = parse_question(text)
    assert (q.asked_in, q.period, q.month) == (asked, after, None)


@pytest.mark.parametrize("text", ["What did the panel ask for in February 2023?",
                                  "When was the report published in June 2021?"])
def test_a_time_named_otherwise_is_the_time_asked_of(text):
    q = parse_question(text)
    assert q.asked_in is None and q.period is not None and q.month is not None


def test_a_british_word_is_searched_for_in_its_american_spelling_too():
    from index.query import american, spelling_variants
    assert spelling_variants(["organisation", "centre", "budget", "favour"]) == ["organization", "center", "favor"]
    assert american("organization") == "organization" and american("hour") == "hour"
    assert "organization" in fts_query(["organisation", *spelling_variants(["organisation"])])


@pytest.mark.parametrize("text, business", [
    ("What time did the meeting that co-opted the new councillor close?", "co-opted the new councillor"),
    ("Who gave apologies when the panel considered the precept?", "considered the precept"),
    ("What time did the council adjourn after awarding the Elm Street contract?", "awarding the Elm Street contract"),
    ("When was the next regular meeting after the Orchard Commons first reading?", "the Orchard Commons first reading"),
    ("Who chaired the meeting that considered the 2024/25 precept?", "considered the 2024/25 precept"),
    # A meeting named by its date is named by the date.
    ("What happened at the meeting on 4 May 2012?", None),
    ("When is the next meeting after 5 May 2024?", None),
    ("Who chaired the March meeting?", None),
])
def test_a_meeting_named_by_its_business(text, business):
    assert parse_question(text).described == business


@pytest.mark.parametrize("text, month, day", [
    ("What time did the March meeting finish?", (3, None), None),
    ("Which councillor sent regrets to the November 4 council meeting?", (11, None), 4),
    ("Who chaired the meeting held on 4 November?", (11, None), 4),
    ("Which board member was absent on February 11?", (2, None), 11),
    # A first name is no month; a day that is not a meeting's ("the bonfire on 5 November") names none.
    ("Did April Jones attend the council meeting?", None, None),
    ("Which roads will be closed for the bonfire on 5 November?", None, None),
    ("Is the report due by March 7?", None, None),
    ("What did the panel decide at the March 2022 meeting?", (3, 2022), None),
    # "may" asks; a month named beside a year elsewhere in the question is that year's.
    ("What may the council do at its meeting?", None, None),
    ("In May 2023, which group did they hear at their June meeting?", (5, 2023), None),
    # A body's possessive before the month; a person's report is no meeting
    ("What time did the harbour board's May meeting end?", (5, None), None),
    ("Did Cllr Jones's April report go to the committee?", None, None),
])
def test_a_meeting_named_by_its_month_without_a_year(text, month, day):
    q = parse_question(text)
    assert (q.month, q.month_day) == (month, day)


@pytest.mark.parametrize("text, business", [
    ("When was the panel's following meeting fixed for at the precept meeting?", "precept"),
    ("What time did the panel meeting on the precept finish?", "the precept"),
    # The kind of meeting, or a body's or a place's name, is no business.
    ("When is the next panel meeting?", None),
    ("Who chaired the annual meeting?", None),
    ("Who attended the Stoke Ferry meeting?", None),
    ("What happened at the meeting on Tuesday?", None),
    ("Who chaired the rescheduled meeting?", None),
    ("What was agreed at the meeting on the 4th?", None),
    ("Who told the council that the road would close?", None),
])
def test_a_meeting_called_by_what_it_dealt_with(text, business):
    assert parse_question(text).described == business
