"""Which meetings a question names, and which facts it asks for: read from the store's own metadata."""
from __future__ import annotations

import pytest

from index.query import parse_question
from index.search import Settings
from index.search.facts import wanted
from index.search.meetings import MeetingNames, name_lists, naming_words
from index.store import MeetingCard

CARDS = [
    MeetingCard(1, "Stoke Ferry Parish Council February Meeting", "Stoke Ferry Parish Council", "Stoke Ferry Village Hall",
                "2018-02-07"),
    MeetingCard(2, "Stoke Ferry Parish Council Minutes February", "Stoke Ferry Parish Council", "Stoke Ferry Village Hall",
                "2019-02-06"),
    MeetingCard(3, "Wereham Parish Council May Meeting", "Wereham Parish Council", "Wereham Village Hall", "2014-05-13"),
    MeetingCard(4, "SUMMARY OF DES MOINES CITY COUNCIL", "Des Moines City Council", None, "1996-01-02"),
    MeetingCard(5, "SUMMARY OF DES MOINES CITY COUNCIL MEETING", "Des Moines City Council", None, "1998-11-16"),
    MeetingCard(6, "Joint Audit Committee July 2023 | Northshire OPCC", "Joint Audit Committee",
                "Meeting Room 4 (the meeting was held here because of its theme)", "2023-07-25"),
    MeetingCard(7, "Monthly Assurance Meeting October 2021", "Monthly Assurance Meeting", "West Mercia Police HQ",
                "2021-10-21"),
    MeetingCard(8, "Minutes of the Municipal District of Newcastle West", "Municipal District of Newcastle West",
                "Aras William Smith O'Brien, Newcastle West", "2023-03-01"),
]


@pytest.fixture(scope="module")
def names() -> MeetingNames:
    return MeetingNames(CARDS)


def named(names: MeetingNames, question: str) -> dict[int, float]:
    return names.named(parse_question(question), Settings())


def surely(names: MeetingNames, question: str) -> set[int]:
    return {m for m, w in named(names, question).items() if w >= Settings().meeting_scope}


def test_a_place_names_its_body(names):
    assert surely(names, "Who sent apologies to the Stoke Ferry parish council?") == {1, 2}
    assert surely(names, "What did the Des Moines council approve?") == {4, 5}
    assert surely(names, "Who chaired the West Mercia assurance meeting?") == {7}


def test_a_place_and_a_date_name_one_meeting(names):
    assert surely(names, "Who seconded the bench quote at the February 2019 Stoke Ferry meeting?") == {2}
    assert surely(names, "Who was absent from the Des Moines council meeting of 16 November 1998?") == {5}


def test_a_name_in_a_list_of_people_or_a_firm_is_not_a_venue_word(names):
    # "Smith" is a word of one meeting's venue, but here one of six partners of a law firm.
    assert surely(names, "Who moved to appoint Ahlers, Cooney, Dorweiler, Haynie, Smith & Albee as the Des Moines "
                         "bond counsel?") == {4, 5}
    # A list of places each naming meetings names them all.
    assert {1, 2, 3, 8} <= set(named(names, "What did Stoke Ferry, Wereham and Newcastle West decide?"))
    assert name_lists("Ahlers, Cooney, Dorweiler, Haynie, Smith & Albee") == [
        ["Ahlers", "Cooney", "Dorweiler", "Haynie", "Smith", "Albee"]]
    assert name_lists("Who attended, Mr Smith and Mrs Jones?") == []


def test_a_date_alone_names_the_meeting_held_on_it(names):
    assert surely(names, "Who chaired the meeting of 13 May 2014?") == {3}


def test_a_month_names_a_meeting_only_when_the_question_speaks_of_one(names):
    assert surely(names, "What was agreed at the May 2014 meeting?") == {3}
    assert named(names, "How many calls were answered in May 2014?") == {}


def test_topic_words_and_site_names_name_no_meeting(names):
    # "council homes", "theme", "new" and a web page's site name are not the names of meetings.
    assert named(names, "How many council homes are needed?") == {}
    assert named(names, "What was the theme of the new plan?") == {}
    assert named(names, "What did the OPCC report?") == {}


def test_naming_words_are_proper_nouns_and_body_words():
    assert naming_words("Who chaired the Stoke Ferry parish council in 2018?") == ["stoke", "ferry", "parish",
                                                                                    "council"]
    assert naming_words("how many new homes came forward") == []
    # the words before a body's possessive, or before those the body is made of
    assert naming_words("What time did the harbour board's May meeting end?")[:2] == ["harbour", "board"]
    assert "harbour" in naming_words("When will the harbour commissioners next meet?")


@pytest.mark.parametrize("question, kinds", [
    ("Who proposed and seconded the quote to paint the bench?", ("mover", "seconder")),
    ("Who seconded the adoption of the budget?", ("seconder",)),
    ("Who moved the motion on the parklet?", ("mover",)),
    ("Who voted against the bond counsel contract?", ("against",)),
    ("Who voted for the school calendar?", ("voted_for", "tally")),
    ("Who recused herself from the variance request?", ("interest",)),
    ("Which members voted in favour of the precept?", ("voted_for", "tally")),
    ("How many members voted for the internal audit plan?", ("tally", "result")),
    ("Did anyone abstain on the precept?", ("abstained",)),
    ("Who sent apologies to the February meeting?", ("apologies",)),
    ("Which councillors couldn't make the annual meeting?", ("apologies",)),
    ("Which two members missed the council meeting?", ("absent", "apologies", "vote_absent")),
    ("At what time did Council Member Daniels leave the meeting?", ("left",)),
    ("Who declared an interest at the panel?", ("interest",)),
    ("Who declared a conflict at the council?", ("interest",)),
    ("Who was the presiding officer at the council meeting?", ("chair",)),
    ("Who was elected chairman?", ("chair",)),
    ("Who were the members present?", ("present",)),
    ("How many councillors supported the parking motion?", ("tally", "result")),
    ("Did the motion on parking pass?", ("result", "tally")),
    ("Who was excused from the board meeting?", ("apologies",)),
    ("Who sent regrets to the council meeting?", ("apologies",)),
    ("When did Raj Patel arrive at the committee?", ("arrived",)),
    ("When is the next Joint Audit Committee meeting?", ("next_meeting",)),
    ("What time did the meeting close?", ("closed",)),
    ("When did the meeting of the Newcastle West district on 1 March 2023 end?", ("closed",)),
    ("At what time did the council finish its business on 12 January 2011?", ("closed",)),
    ("Who takes the minutes of the assurance meetings?", ("clerk",)),
    ("Who chaired the meeting in June 2023?", ("chair",)),
    ("What time did the October 2021 assurance meeting start?", ("started",)),
    ("What did the ACC have to give the PCC after the June 2021 meeting?", ("action", "resolution")),
    ("What was the CFO asked to do about the audit delays?", ("action", "resolution")),
    ("What actions were agreed at the March 2022 meeting?", ("action", "resolution")),
    ("What did the panel decide at the confirmation hearing?", ("resolution", "motion")),
    ("How did the council decide in November 1998 to fill the vacant seat?", ("resolution", "motion")),
    ("By when is the superintendent to give the board the data?", ("action", "resolution")),
    ("Who is to apply for the junior kit grant?", ("action", "resolution")),
    ("By what date must the works council chair send HR the written refusal?", ("action",)),
    ("By when should members receive the draft Local Plan response?", ("action",)),
    ("What was the result of the division on the targeted rate?", ("tally", "result")),
    ("Which portfolio holder missed the cabinet on 19 November 2024?", ("absent", "apologies", "vote_absent")),
    ("Which member stayed away without an excuse?", ("absent", "vote_absent")),
    ("Which member had a conflict over the bowling club licence?", ("interest",)),
    ("What was the nature of Cllr Fenwick's interest?", ("interest",)),
    ("When did Cllr Fenwick leave the room for the Beech Grove application?", ("left",)),
    # Asked why someone left, the interest they declared says; a motion on the apologies asks for its mover.
    ("Why did Cllr Rees leave the room after declaring an interest?", ("interest",)),
    ("Who moved and seconded accepting the apologies?", ("mover", "seconder")),
    ("What time did the planning committee close?", ("closed",)),
    ("When was the panel's following meeting fixed for?", ("next_meeting",)),
    ("Why was Director Osei not at the board meeting in September?", ("absent", "apologies")),
    ("Why was Hon. Cheruiyot away from the committee sitting?", ("absent", "apologies")),
    ("What time did Director Gill turn up to the board meeting?", ("arrived",)),
    ("At what time did the Chair close the January 2024 F&GP meeting?", ("closed",)),
    ("What happened to the proposal to give the roof repair job to the cheapest bidder?", ("result", "tally")),
])
def test_what_a_question_asks_for(question, kinds):
    assert wanted(parse_question(question))[:len(kinds)] == kinds


@pytest.mark.parametrize("question", [
    "What was the 101 target at the end of March?",
    "How much was spent on the new pavilion?",
    "What caused the network outage?",
    "When did the network outage start?",
    "When did the council open the new library?",
    "How much was the PCC expected to raise from the precept?",
    "How many officers was the force required to recruit?",
    "When will the upgrade works be finished?",
    "How many residents supported the new parking scheme in the consultation?",
    "When will the software get its next release, and when will that work be finished?",
    # Words of the business that are also everyday words.
    "What interest rate does the PWLB loan carry?",
    "What interest was earned on the reserves?",
    "When did the county withdraw the bus subsidy?",
    "When did the contractor leave the site?",
    "What is the crime rate in the Northern Division?",
    "What is the fee to book the village hall?",
    "What is the deadline to apply for the community grant?",
    "What was missing from the council's response?",
    "Who asked for a recorded vote on water rates?",
    "Was the budget not at the top of the agenda?",
])
def test_questions_about_a_topic_ask_for_no_fact(question):
    assert wanted(parse_question(question)) == ()


def test_a_possessive_names_its_place(names):
    assert surely(names, "Who is Wereham's parish clerk?") == {3}


def test_the_date_of_a_named_meeting_names_it_and_no_other_date_does(names):
    words = names.name_words(parse_question("Who was absent from the meeting of 16 November 1998?"), Settings())
    assert {"16", "november", "1998"} <= set(words)
    # A day no meeting was held on is what the question asks about, not which meeting.
    words = names.name_words(parse_question("How many officers were there on 31 March 2023?"), Settings())
    assert not {"march", "2023"} & set(words)


def test_a_name_of_several_words_names_a_meeting_only_when_one_is_called_by_it(names):
    # "West Square" is a place in a town and "Annual Service Delivery Plan" a document: neither names a meeting.
    assert named(names, "Who proposed the parklet plan for West Square?") == {}
    assert surely(names, "Who seconded Wereham's Annual Service Delivery Plan?") == {3}
    assert surely(names, "What did the Des Moines City Council approve?") == {4, 5}


def test_of_two_meetings_a_word_only_one_is_called_by_names_it():
    two = MeetingNames([MeetingCard(1, "Minutes - Planning Committee - Kestrel District Council", "Planning Committee",
                                    None, "2024-05-14"),
                        MeetingCard(2, "Greenhill Housing Association - Board Meeting", "Greenhill Housing Association",
                                    None, "2024-06-20")])
    assert set(two.named(parse_question("Who chaired the Kestrel planning committee?"), Settings())) == {1}
    assert set(two.named(parse_question("Who chaired the Greenhill board?"), Settings())) == {2}


@pytest.mark.parametrize("question, kind", [
    ("When is the next Kestrel planning committee?", "next_meeting"),
    ("When did Rev Fellows return to the meeting?", "arrived"),
    ("Did the pavilion fee waiver pass?", "result"),
    ("When did the Fernside AGM close?", "closed"),
    ("Who is responsible for the tree survey?", "action"),
    ("Did Cllr Smith attend the March meeting?", "present"),
    ("Was Cllr Smith present at the March meeting?", "apologies"),
])
def test_more_ways_of_asking_for_the_business(question, kind):
    assert kind in wanted(parse_question(question))
    assert "apologies" not in wanted(parse_question("Who was absent without apologies?"))


def test_asked_who_moved_or_seconded_a_passage_that_does_neither_does_not_say():
    from index.search.facts import says_part
    assert not says_part(("seconder",), "The Chair presented the Panel's annual report for 2022/23.")
    assert says_part(("seconder",), "Proposed Cllr Holloway, seconded Cllr Nolan, all in favour.")
    assert not says_part(("mover",), "The Chair presented the Panel's annual report for 2022/23.")
    assert says_part(("mover",), "It was moved by Councillor Carter that the application be refused.")
    assert says_part(("chair",), "The Chair presented the report."), "other kinds are not checked"
