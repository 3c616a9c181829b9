"""Titles and series as the page shows them: tidied, one name for each series, the title as written kept apart."""
from __future__ import annotations

import pytest

from ui.names import Names, site_of, tidy


@pytest.mark.parametrize("written, shown", [
    ("Monthly Assurance Meeting July 2022 | Northshire OPCC", "Monthly Assurance Meeting July 2022"),
    ("Monthly Assurance Meeting June 2021 - Meeting Notes", "Monthly Assurance Meeting June 2021"),
    ("Monthly Assurance Meeting October 2021– Meeting Notes", "Monthly Assurance Meeting October 2021"),
    ("Audit Committee, 3 May 2023 — Minutes", "Audit Committee, 3 May 2023"),
    ("Parish Council: draft minutes", "Parish Council"),
    ("NORTHSHIRE POLICE AND CRIME PANEL", "Northshire Police and Crime Panel"),
    ("MINUTES OF THE ANNUAL MEETING OF NORTHWOLD PARISH COUNCIL",
     "Minutes of the Annual Meeting of Northwold Parish Council"),
    ("JOINT MEETING OF THE PCC AND THE DCC", "Joint Meeting of the PCC and the DCC"),   # no vowel: an acronym
    ("Police and Crime Panel Police and Crime Panel", "Police and Crime Panel"),
    ("Northshire Northshire Police and Crime Panel", "Northshire Police and Crime Panel"),
    ("  Joint   Audit Committee\n April 2022 ", "Joint Audit Committee April 2022"),
    ("Stoke Ferry Parish Council Minutes February", "Stoke Ferry Parish Council Minutes February"),
    ("Council of the City of Portland, Oregon", "Council of the City of Portland, Oregon"),
    ("Minutes", "Minutes"),                      # nothing but the kind of document: kept, not emptied
    ("Café Society AGM", "Café Society AGM"),
])
def test_tidy(written, shown):
    assert tidy(written) == shown


@pytest.mark.parametrize("blank", [None, "", "   "])
def test_tidy_leaves_a_missing_title_missing(blank):
    assert tidy(blank) == blank


def test_site_of_reads_the_name_after_a_web_pages_bar():
    assert site_of("Joint Audit Committee July 2023 | Northshire OPCC") == "Northshire OPCC"
    assert site_of("Joint Audit Committee July 2023") is None
    assert site_of(None) is None


TITLES = ["Police and Crime Panel September 2021 | Northshire OPCC", "NORTHSHIRE POLICE AND CRIME PANEL",
          "Joint Audit Committee April 2022", "Monthly Assurance Meeting March 2024 - Meeting Notes"]
SERIES = ["Police and Crime Panel", "Northshire Police and Crime Panel", "Joint Audit Committee",
          "Monthly Assurance Meeting", "Monthly assurance meeting", None, ""]


def test_a_series_with_the_bodys_name_in_front_is_the_series_without_it():
    names = Names.of(TITLES, SERIES)
    assert names.series("Northshire Police and Crime Panel") == "Police and Crime Panel"
    assert names.series("Monthly assurance meeting") == "Monthly Assurance Meeting"
    assert names.choices() == {
        "Joint Audit Committee": ["Joint Audit Committee"],
        "Monthly Assurance Meeting": ["Monthly Assurance Meeting", "Monthly assurance meeting"],
        "Police and Crime Panel": ["Northshire Police and Crime Panel", "Police and Crime Panel"],
    }


def test_a_place_no_page_names_as_its_body_is_part_of_the_series_name():
    # Without a web page saying "| Northshire OPCC", Northshire may be another body's panel: kept apart.
    names = Names.of([t for t in TITLES if "|" not in t], SERIES)
    assert names.series("Northshire Police and Crime Panel") == "Northshire Police and Crime Panel"
    assert len(names.choices()) == 4


def test_a_descriptive_word_in_front_is_never_taken_for_the_body():
    names = Names.of(["Audit Committee May 2023 | Southshire Council"], ["Audit Committee", "Joint Audit Committee"])
    assert names.series("Joint Audit Committee") == "Joint Audit Committee"
    assert set(names.choices()) == {"Audit Committee", "Joint Audit Committee"}


def test_a_series_the_index_did_not_hold_is_still_tidied():
    names = Names.of(TITLES, SERIES)
    assert names.series("POLICE AND CRIME PANEL | Northshire OPCC") == "Police and Crime Panel"
    assert names.series(None) is None
    assert names.title("Monthly Assurance Meeting March 2024 - Meeting Notes") == "Monthly Assurance Meeting March 2024"
