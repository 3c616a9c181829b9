"""Word lists that minutes and questions share: month and weekday names, written once."""
from __future__ import annotations

import re

MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
               "November", "December")
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

# Every way minutes and questions write a month, lower case, to its number.
MONTHS: dict[str, int] = {}
for _n, _name in enumerate(MONTH_NAMES, 1):
    MONTHS[_name.lower()] = _n
    MONTHS[_name[:3].lower()] = _n
MONTHS["sept"] = 9

# Month names and abbreviations as minutes capitalise them, longest first: for patterns that read dates.
MONTH_ALTERNATION = "|".join(sorted({n for n in MONTH_NAMES} | {n[:3] for n in MONTH_NAMES} | {"Sept"},
                                    key=len, reverse=True))
WEEKDAY_ALTERNATION = "|".join(WEEKDAY_NAMES)


def spoken_date(iso: str | None) -> str | None:
    """'2022-03-17' as '17 March 2022': the words questions use, for both the model and BM25."""
    try:
        y, m, d = (int(x) for x in (iso or "").split("-"))
        return f"{d} {MONTH_NAMES[m - 1]} {y}"
    except (ValueError, IndexError):
        return iso


def squash(text: str) -> str:
    """Lower-case words joined by single spaces: text compared without its punctuation."""
    return " ".join(re.findall(r"\w+", text.lower()))
