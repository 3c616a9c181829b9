"""Hybrid search and answers: fusion, filters, duplicates, empty index, verbatim quotes, and the real model on made-up minutes."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from index.embed import HashEmbedder
from index.query import content_terms, parse_question
from index.search import Filters, Searcher, Settings
from index.store import Store

MEETINGS = {
    "monthly-assurance-2022-05-19.txt": """\
Monthly Assurance Meeting May 2022

Date: Thursday 19 May 2022, 10:00 am
Chair: Gareth Pennington
Venue: Committee Room 1, County Hall, Ashbridge

Name                Capacity
Gareth Pennington   Police and Crime Commissioner (PCC)
Marcus Obi          Chief Constable (CC)
Rebecca Lowe        Assistant Chief Constable (ACC)
Colin Ashworth      Director of Finance (DoF)
Karen Doyle         Head of Contact Management (HCM)

1
Contact management

The HCM reported that 71.5% of 101 calls were answered within 30 seconds in April, against a
target of 80%. The PCC said that this was not good enough and asked for a recovery plan.

Action: HCM to present a recovery plan for 101 performance to the PCC by 16 June 2022.

2
Air support

The ACC reported that the drone unit had flown 310 missions since January and had found
eleven missing people, four of them in the hills above Ashbridge.

3
Finance

The DoF said that general reserves stood at £12.4m at the end of March, above the minimum of
£8m agreed with the PCC.

4
Custody

The PCC said that the custody block on Mill Lane was no longer fit for use and would be sold once
a new suite had been built.

5
Date of next meeting

The next meeting will be held on 16 June 2022.
""",
    "monthly-assurance-2023-05-18.txt": """\
Monthly Assurance Meeting May 2023

Date: Thursday 18 May 2023, 10:00 am
Chair: Gareth Pennington
Venue: Committee Room 1, County Hall, Ashbridge

Name                Capacity
Gareth Pennington   Police and Crime Commissioner (PCC)
Marcus Obi          Chief Constable (CC)
Colin Ashworth      Director of Finance (DoF)
Karen Doyle         Head of Contact Management (HCM)

1
Contact management

The HCM reported that 82.3% of 101 calls were answered within 30 seconds in April, so the
target of 80% had been met.

2
Estates

The Chief Constable said that the new custody suite at Ashbridge would open in September with
24 cells. The PCC said that the old custody block on Mill Lane would then be sold.

3
Overtime

The HCM said that the contact centre had not drawn on reserves to pay for overtime this year,
because vacancies among call handlers had fallen.

4
Missing people

The PCC said that missing people cases now took up a growing share of officer time, and asked for
figures by district.
""",
    "joint-audit-committee-2023-07-25.md": """\
# Joint Audit Committee - 25 July 2023

Date: Tuesday 25 July 2023
Chair: Janet Fielding, Independent Chair

| Name | Role |
|---|---|
| Janet Fielding | Independent Chair |
| Priya Desai | Chief Finance Officer, OPCC (CFO) |
| Sophie Lang | Audit Manager, internal audit |

## 1 Internal audit

The auditors gave reasonable assurance on payroll controls. Two recommendations on the checking
of overtime claims were agreed by management.

## 2 Risk register

The committee noted that cyber security remained the highest risk on the register, and asked for
a report on the testing of backups at its next meeting.
""",
}

QUESTIONS = [
    "What was the 101 target?",
    "How many cells will the new custody suite have?",
    "What did the DoF say about reserves?",
    "what assurance did the auditors give on payroll",
    "When is the next meeting?",
]


def write_corpus(folder: Path, meetings: dict[str, str] = MEETINGS) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in meetings.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def build(tmp_path: Path, embedder, meetings: dict[str, str] = MEETINGS, name: str = "index") -> Path:
    from index.sync import Ingester

    corpus = write_corpus(tmp_path / f"{name}-corpus", meetings)
    folder = tmp_path / name
    report = Ingester(folder, embedder=embedder, progress=False).run([corpus])
    assert report.added == len(meetings) and not report.failed, report.failed
    return folder


@pytest.fixture(scope="module")
def hashed(tmp_path_factory) -> Searcher:
    # Read only by the tests, so one index serves them all.
    searcher = Searcher(build(tmp_path_factory.mktemp("hashed"), HashEmbedder()), embedder=HashEmbedder())
    yield searcher
    searcher.store.close()


@pytest.fixture(scope="module")
def real(tmp_path_factory, real_embedder) -> Searcher:
    searcher = Searcher(build(tmp_path_factory.mktemp("real"), real_embedder), embedder=real_embedder)
    yield searcher
    searcher.store.close()


def meeting_text(searcher: Searcher, document: str) -> str:
    return searcher.store.conn.execute(
        "SELECT m.text FROM meetings m JOIN documents d ON d.id = m.document_id WHERE d.path = ?",
        (document,)).fetchone()[0]


def assert_verbatim(searcher: Searcher, result) -> None:
    a = result.answer
    assert any(a.text in p.text for p in result.passages if p.document == a.document)
    assert meeting_text(searcher, a.document)[a.start:a.end] == a.text
    assert a.page is None or (isinstance(a.page, int) and a.page >= 1)


# -- plumbing, with the hashing embedder -------------------------------------

def test_a_chunk_both_rankings_found_outranks_one_only_one_found(hashed):
    # Fusion alone: what the question names (meetings, dates), the facts it asks for and the passage the
    # answer is quoted from reorder on purpose.
    fusion = Settings(meetings=False, dates=False, latest=False, structure=False, lead_with_answer=False)
    for question in QUESTIONS:
        passages = hashed.ask(question, top_k=20, settings=fusion).passages
        both = [p.rank for p in passages if p.dense_rank and p.keyword_rank]
        one = [p.rank for p in passages if bool(p.dense_rank) != bool(p.keyword_rank)]
        assert both, question
        if one:
            assert max(both) < min(one), question
        assert [p.rank for p in passages] == list(range(1, len(passages) + 1))
        assert all(a.score >= b.score for a, b in zip(passages, passages[1:]))


def test_fusion_of_two_rankings(hashed):
    hashed.refresh()
    ids = [r[0] for r in hashed.store.conn.execute("SELECT id FROM chunks ORDER BY id LIMIT 4")]
    q = parse_question("anything at all")
    dense = [(ids[0], 0.9), (ids[1], 0.8), (ids[2], 0.7)]
    keyword = [(ids[3], 9.0), (ids[1], 8.0)]
    passages = hashed._rank(q, dense, keyword, 4, Settings())
    assert passages[0].chunk_id == ids[1]
    assert {p.chunk_id for p in passages[1:3]} == {ids[0], ids[3]}
    assert passages[0].score > passages[1].score


@pytest.mark.parametrize("since, until", [("2023-01-01", None), (None, "2022-12-31"),
                                          ("2023-05-18", "2023-05-18"), ("2022-01-01", "2023-06-30")])
def test_date_filters(hashed, since, until):
    for question in QUESTIONS:
        result = hashed.ask(question, filters=Filters(since=since, until=until))
        for p in result.passages:
            assert p.date is not None
            assert (since or "0000") <= p.date <= (until or "9999")
    everything = {p.date for q in QUESTIONS for p in hashed.ask(q, top_k=20, filters=Filters(since, until)).passages}
    assert everything, "a date range holding meetings must return passages"


def test_series_and_document_filters(hashed):
    rows = hashed.store.conn.execute(
        "SELECT d.path, m.series FROM meetings m JOIN documents d ON d.id = m.document_id").fetchall()
    series = {path: s for path, s in rows}
    audit = series["joint-audit-committee-2023-07-25.md"]
    assert audit and audit != series["monthly-assurance-2022-05-19.txt"]
    result = hashed.ask("overtime", top_k=10, filters=Filters(series=[audit]))
    assert result.passages and {p.series for p in result.passages} == {audit}
    docs = ["monthly-assurance-2022-05-19.txt"]
    result = hashed.ask("overtime reserves 101", top_k=10, filters=Filters(documents=docs))
    assert result.passages and {p.document for p in result.passages} == set(docs)


def test_a_filter_that_excludes_everything_answers_none(hashed):
    result = hashed.ask("What was the 101 target?", filters=Filters(since="2030-01-01"))
    assert result.passages == [] and result.answer is None
    result = hashed.ask("What was the 101 target?", filters=Filters(documents=["no-such-file.pdf"]))
    assert result.passages == [] and result.answer is None


def test_near_duplicates_are_collapsed(tmp_path):
    twice = {**MEETINGS, "copy-of-may-2022.txt": MEETINGS["monthly-assurance-2022-05-19.txt"]}
    searcher = Searcher(build(tmp_path, HashEmbedder(), twice), embedder=HashEmbedder())
    for question in QUESTIONS + ["drone missions", "reserves"]:
        passages = searcher.ask(question, top_k=10).passages
        texts = [" ".join(re.findall(r"\w+", p.text.lower())) for p in passages]
        assert len(texts) == len(set(texts)), question
        for a in passages:
            for b in passages:
                if a is not b and a.meeting_id == b.meeting_id:
                    overlap = min(a.end, b.end) - max(a.start, b.start)
                    assert overlap <= 0.5 * min(a.end - a.start, b.end - b.start), question
    searcher.store.close()


def test_an_empty_index_answers_none(tmp_path):
    from index.sync import Ingester

    empty = tmp_path / "empty"
    empty.mkdir()
    Ingester(tmp_path / "index", embedder=HashEmbedder(), progress=False).run([empty])
    for embedder in (HashEmbedder(), None):
        searcher = Searcher(tmp_path / "index", embedder=embedder)
        for question in QUESTIONS + ["", "   ", "the of"]:
            result = searcher.ask(question)
            assert result.answer is None and result.passages == []
            assert result.to_json()["answer"] is None
        searcher.store.close()


def test_a_fresh_store_with_no_run_answers_none(tmp_path):
    Store(tmp_path / "index", create=True).close()
    searcher = Searcher(tmp_path / "index", embedder=HashEmbedder())
    assert searcher.ask("What was the 101 target?").answer is None


def test_empty_questions_answer_none(hashed):
    for question in ["", "   ", "\n", "?!", "😀"]:
        result = hashed.ask(question)
        assert result.answer is None


HOSTILE = ['"', 'text:101', "101*", "-target", "AND OR NOT NEAR", "NEAR(101 target, 2)", "[x] (y) {z} ^w",
           "😀 101 target 🚓", "the CC's \"target\": -80%*", "x" * 2000, " ".join(["reserves"] * 400),
           "DROP TABLE chunks; --", "\x00", "Chief Constable AND CC OR PCC"]


@pytest.mark.parametrize("question", HOSTILE, ids=lambda t: repr(t[:20]))
def test_hostile_questions_through_the_whole_search(hashed, question):
    result = hashed.ask(question, filters=Filters(since="2000-01-01", series=["Monthly Assurance Meeting"]))
    assert set(result.to_json()) == {"question", "answer", "later", "passages"}
    if result.answer is not None:
        assert_verbatim(hashed, result)


def test_answers_are_verbatim_with_their_citation(hashed):
    answered = 0
    for question in QUESTIONS:
        result = hashed.ask(question)
        if result.answer is None:
            continue
        answered += 1
        assert_verbatim(hashed, result)
        a = result.answer
        assert a.document in MEETINGS and a.date and a.date[:4] in a.document
    assert answered >= len(QUESTIONS) // 2


def test_the_citation_gives_the_page_of_the_answer(tmp_path):
    from fpdf import FPDF

    from index.sync import Ingester

    pages = [
        "Finance Committee - 14 March 2023\n\n1 Apologies\n\nThere were no apologies. The Chair welcomed "
        "the new members of the committee and thanked those who had left.",
        "2 Fleet\n\nThe fleet manager said that the force ran 412 vehicles, of which 37 were electric, and "
        "that charging points would be fitted at every station by 2025.",
        "3 Any other business\n\nThere was no other business. The meeting closed at 4:10 pm.",
    ]
    pdf = FPDF()
    pdf.set_font("helvetica", size=12)
    for text in pages:
        pdf.add_page()
        pdf.multi_cell(0, 8, text)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "finance-2023-03-14.pdf").write_bytes(bytes(pdf.output()))
    report = Ingester(tmp_path / "index", embedder=HashEmbedder(), progress=False).run([corpus])
    assert report.added == 1, report.failed
    searcher = Searcher(tmp_path / "index", embedder=HashEmbedder())
    result = searcher.ask("How many electric vehicles does the fleet have?")
    assert result.answer is not None and "412 vehicles" in result.answer.text
    assert result.answer.page == 2 and result.answer.document == "finance-2023-03-14.pdf"
    assert_verbatim(searcher, result)
    # A passage is cited by the page it starts on; the answer inside it by its own page.
    top = next(p for p in result.passages if result.answer.text in p.text)
    assert top.page in (1, 2)
    searcher.store.close()


def test_json_shapes(hashed):
    result = hashed.ask("What was the 101 target?").to_json()
    assert set(result) == {"question", "answer", "later", "passages"}
    assert set(result["answer"]) == {"text", "document", "title", "date", "item", "page", "collection"}
    for p in result["passages"]:
        assert set(p) == {"rank", "score", "text", "document", "title", "date", "item", "page", "collection"}
        assert re.fullmatch(r"\d{4}-\d\d-\d\d", p["date"])
        assert p["page"] is None or isinstance(p["page"], int)


# -- the real model -----------------------------------------------------------

def _stems(text: str) -> set[str]:
    return {t[:5] for t in content_terms(text)}


def test_real_paraphrase_finds_the_passage(real):
    question = "How often have unmanned aircraft been sent up to look for lost persons?"
    target = "drone unit"
    passage = next(p for p in re.split(r"\n\n", MEETINGS["monthly-assurance-2022-05-19.txt"]) if target in p)
    # A paraphrase in earnest: the question shares no content word with the passage.
    assert not _stems(question) & _stems(passage)
    result = real.ask(question)
    # Listed for the officer among the five passages. (On an Intel Xeon it came in the top three and was
    # quoted; on an AMD EPYC without VNNI it ranks 4th with the int8 encoder, 5th with torch, and no span is
    # likely enough to quote: a paraphrase this far from its passage is at the model's edge.)
    assert any(target in p.text for p in result.passages[:5])
    if result.answer is not None:
        assert_verbatim(real, result)


def test_real_glossary_expands_both_ways(real):
    real.refresh()
    assert "Chief Constable" in parse_question("What did the CC say?", real._glossary).expansions
    assert "HCM" in parse_question("What did the Head of Contact Management say?", real._glossary).expansions


def test_real_glossary_keeps_mixed_case_acronyms(real):
    real.refresh()
    assert "Director of Finance" in parse_question("What did the DoF say?", real._glossary).expansions
    assert "DoF" in parse_question("What did the Director of Finance say?", real._glossary).expansions


def test_real_acronym_finds_the_role_name(real):
    # Two people spoke on custody; only the role the acronym stands for says which.
    result = real.ask("What did the CC say about custody?")
    assert result.answer is not None
    assert "Chief Constable" in result.answer.text and "custody" in result.answer.text
    assert_verbatim(real, result)


def test_real_role_name_finds_the_acronym(real):
    # Two people spoke on missing people; only the acronym the role stands for says which.
    result = real.ask("What did the Assistant Chief Constable say about missing people?")
    assert result.answer is not None
    assert "ACC" in result.answer.text and "missing people" in result.answer.text
    assert_verbatim(real, result)


def test_real_questions_with_no_content_answer_none(real):
    for question in ["the of and", "what was it?", "?", "😀"]:
        assert real.ask(question).answer is None, question


@pytest.mark.parametrize("question", ["How many cells will the new custody suite have?",
                                      "How many missions had the drone unit flown?",
                                      "How much did general reserves stand at?"])
def test_real_how_many_gets_a_number(real, question):
    result = real.ask(question)
    assert result.answer is not None
    assert re.search(r"\d", result.answer.text)
    assert_verbatim(real, result)


@pytest.mark.parametrize("question", ["What is the recipe for a lemon drizzle cake?",
                                      "Which team won the Eurovision song contest?"])
def test_real_absent_subject_answers_none(real, question):
    result = real.ask(question)
    assert result.answer is None


def test_real_latest_meeting_is_preferred(real):
    result = real.ask("What is the latest figure for 101 calls answered within 30 seconds?")
    assert result.answer is not None and "2023" in result.answer.date
    assert any(p.date and p.date.startswith("2022") for p in result.passages)


def test_real_answers_are_verbatim(real):
    for question in QUESTIONS:
        result = real.ask(question)
        assert result.answer is not None, question
        assert_verbatim(real, result)



def test_real_the_answer_names_the_passage_it_is_quoted_from(real):
    # The page shows the answer's passage "in context" by this rank: it must be the passage holding the quote.
    for question in QUESTIONS + ["How many police officers did the force have on 31 March 2023?",
                                 "Who is the Chief Constable?"]:
        result = real.ask(question)
        if result.answer is None:
            continue
        source = next(p for p in result.passages if p.rank == result.answer.passage_rank)
        assert source.meeting_id == result.answer.meeting_id, question
        assert source.start <= result.answer.start and result.answer.end <= source.end, question
