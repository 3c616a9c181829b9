"""Who held a role when, and the owner filter: a name, a role or an acronym, an exact one picking exactly it."""
from __future__ import annotations

from pathlib import Path

import pytest

from index import browse, roles
from index.embed import HashEmbedder
from index.roles import Holding, Owner, Roles
from index.sync import Ingester
from ingest.people import find_attendees

# Two meetings of one series, a year apart, with a new Chief Constable; and a committee where the deputy acted up.
HOLDINGS = [
    Holding("Dame Alison Hart", "Chief Constable", "CC", 1, "Assurance", "2022-12-15"),
    Holding("Simon Greaves", "Deputy Chief Constable", "DCC", 1, "Assurance", "2022-12-15"),
    Holding("Rebecca Lowe", "Assistant Chief Constable Local Policing", "ACC", 1, "Assurance", "2022-12-15"),
    Holding("Helen Marsh", "Chief Executive, OPCC", "CEx", 1, "Assurance", "2022-12-15"),
    Holding("Marcus Obi", "Chief Constable", "CC", 2, "Assurance", "2023-10-19"),
    Holding("Simon Greaves", "Deputy Chief Constable", "DCC", 2, "Assurance", "2023-10-19"),
    Holding("Rebecca Lowe", "Assistant Chief Constable Local Policing", "ACC", 2, "Assurance", "2023-10-19"),
    Holding("Simon Greaves", "Acting Chief Constable", None, 3, "Audit", "2023-07-25"),
    Holding("Tom Reed", "Councillor", None, 4, "Council", "2023-05-10"),
]
PEOPLE = Roles(HOLDINGS, [("PCC", "Police and Crime Commissioner")])


def owner(written: str, meeting_id: int, when: str, series: str = "Assurance") -> Owner:
    return PEOPLE.owner(written, meeting_id, series, when)


def test_an_acronym_is_the_role_and_the_person_who_held_it_at_that_meeting():
    assert owner("CC", 1, "2022-12-15") == Owner("CC", "Chief Constable", "CC", "Dame Alison Hart")
    assert owner("CC", 2, "2023-10-19").label == "CC — Marcus Obi"
    assert owner("ACC", 2, "2023-10-19").label == "ACC — Rebecca Lowe"


def test_a_role_written_out_is_read_as_the_role():
    assert owner("Acting Chief Constable", 3, "2023-07-25", "Audit").label == "Acting Chief Constable — Simon Greaves"
    assert owner("the Chief Executive", 1, "2022-12-15").person == "Helen Marsh"   # a part of "Chief Executive, OPCC"


def test_a_meeting_that_lists_nobody_so_named_asks_the_nearest_meeting_of_its_series():
    assert owner("CC", 9, "2023-11-30").person == "Marcus Obi"
    assert owner("CC", 9, "2023-01-10").person == "Dame Alison Hart"


def test_a_person_named_is_found_by_name_and_shown_by_name():
    for written in ("Cllr Reed", "Mr T Reed", "Tom Reed", "Reed"):
        found = owner(written, 4, "2023-05-10", "Council")
        assert (found.person, found.role, found.label) == ("Tom Reed", "Councillor", "Tom Reed"), written
    assert owner("Mr J Reed", 4, "2023-05-10", "Council").person is None, "another Reed"


def test_an_owner_nobody_held_stays_as_written():
    assert owner("Clerk", 1, "2022-12-15") == Owner("Clerk")
    assert owner("PCC", 1, "2022-12-15") == Owner("PCC", role="Police and Crime Commissioner", acronym="PCC")
    assert owner(None, 1, "2022-12-15") is None


OWNERS = [owner("CC", 1, "2022-12-15"), owner("CC", 2, "2023-10-19"), owner("ACC", 2, "2023-10-19"),
          owner("DCC", 2, "2023-10-19"), owner("Acting Chief Constable", 3, "2023-07-25", "Audit"),
          owner("CEx", 1, "2022-12-15"), owner("Clerk", 1, "2022-12-15"), None]


def picked(query: str) -> list[str]:
    return [o.label for o, ok in zip(OWNERS, roles.select(query, OWNERS)) if ok]


@pytest.mark.parametrize(("query", "labels"), [
    ("CC", ["CC — Dame Alison Hart", "CC — Marcus Obi"]),           # not ACC, DCC or the Acting Chief Constable
    ("cc", ["CC — Dame Alison Hart", "CC — Marcus Obi"]),
    ("Chief Constable", ["CC — Dame Alison Hart", "CC — Marcus Obi"]),
    ("Chief Constable (CC)", ["CC — Dame Alison Hart", "CC — Marcus Obi"]),
    ("Marcus Obi", ["CC — Marcus Obi"]),
    ("Simon Greaves", ["DCC — Simon Greaves", "Acting Chief Constable — Simon Greaves"]),
    ("ACC", ["ACC — Rebecca Lowe"]),
    ("Clerk", ["Clerk"]),
    ("Chief", ["CC — Dame Alison Hart", "CC — Marcus Obi", "ACC — Rebecca Lowe", "DCC — Simon Greaves",
               "Acting Chief Constable — Simon Greaves", "CEx — Helen Marsh"]),
    ("Obi", ["CC — Marcus Obi"]),
    ("Treasurer", []),
])
def test_the_owner_filter_takes_a_name_a_role_or_an_acronym(query, labels):
    assert picked(query) == labels


def test_the_filter_offers_each_role_with_its_acronym_and_each_person():
    assert roles.choices(OWNERS) == [
        "Acting Chief Constable", "Assistant Chief Constable Local Policing (ACC)", "Chief Constable (CC)",
        "Chief Executive, OPCC (CEx)", "Clerk", "Dame Alison Hart", "Deputy Chief Constable (DCC)", "Helen Marsh",
        "Marcus Obi", "Rebecca Lowe", "Simon Greaves"]


def test_an_attendance_row_run_together_keeps_its_acronym_apart():
    """ "Dame Alison Hart Chief Constable (CC)", as a PDF extractor leaves a table row."""
    text = "Name Capacity\nDame Alison Hart Chief Constable (CC)\nSimon Greaves Deputy Chief Constable (DCC)\n"
    person, deputy = find_attendees(text, len(text))
    assert (deputy.name, deputy.role, deputy.acronym) == ("Simon Greaves", "Deputy Chief Constable", "DCC")
    assert (person.name, person.role, person.acronym) == ("Dame Alison Hart", "Chief Constable", "CC")


def test_the_stores_attendance_tables_say_who_held_each_role(tmp_path: Path):
    src = tmp_path / "src"
    src.mkdir()
    for n, (year, chief) in enumerate([(2021, "Dame Alison Hart"), (2024, "Marcus Obi")]):
        (src / f"board-{year}.txt").write_text(
            f"Estates Board March {year} - Minutes\n\nDate: 14 March {year}\nChair: Ann Cole\n\n"
            f"Name                Capacity\n{chief:<20}Chief Constable (CC)\nRebecca Lowe        Assistant Chief "
            f"Constable (ACC)\n\n1\nEstates\n\nAction: CC to review the estate by 30 April {year}.\n"
            f"Action: ACC to visit the depot by 30 April {year}.\n", encoding="utf-8")
    index = tmp_path / "index"
    Ingester(index, embedder=HashEmbedder(), progress=False).run([src])
    with browse.reading(index) as store:
        rows = browse.actions(store)
    assert sorted(a.holder.label for a in rows) == ["ACC — Rebecca Lowe", "ACC — Rebecca Lowe",
                                                    "CC — Dame Alison Hart", "CC — Marcus Obi"]
    owners = [a.holder for a in rows]
    assert [a.date for a, ok in zip(rows, roles.select("Marcus Obi", owners)) if ok] == ["2024-03-14"]
    assert sum(roles.select("CC", owners)) == 2
