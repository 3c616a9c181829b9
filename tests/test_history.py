"""Figures read from quotes, with their units; numbers the question names are names, not figures."""
from __future__ import annotations

from index.query import parse_question
from index.search.history import figures, in_unit


def test_percentages_money_and_counts_with_their_units():
    q = parse_question("What share of 101 calls were answered?")
    text = "In May 2021 only 53.8% of 101 calls were answered; the force had 2,187 police officers and a £2.3m overspend."
    found = [(f.unit, f.value, f.written) for f in figures(text, q)]
    assert ("%", 53.8, "53.8%") in found
    assert ("police officers", 2187.0, "2,187 police officers") in found
    assert ("£m", 2_300_000.0, "£2.3m") in found
    assert all(f.written != "101 calls" for f in figures(text, q)), "101 is the question's own name for the line"


def test_years_dates_and_unitless_numbers_are_not_figures():
    q = parse_question("How many?")
    assert figures("It met on 21 October 2021 at 10:30 in room 4.", q) == []
    assert in_unit("Answered within 30 seconds.", q, "%") is None
