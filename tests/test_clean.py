"""Cleaning: debris goes, every word stays, pages stay mapped."""
from __future__ import annotations

import functools
import html
import re
from pathlib import Path

import pytest

from ingest.clean import clean
from ingest.model import RawDocument

DATA = Path(__file__).parents[1] / ".." / "shared" / "data"
OPCC = DATA / "opcc" / "west-mercia-monthly-assurance-2021-10-21.txt"
COUNCIL = DATA / "council-minutes"
needs_data = pytest.mark.skipif(not DATA.is_dir(), reason="real minutes not present at ../shared/data")


def raw(*pages: str, kind: str = "text") -> RawDocument:
    return RawDocument(path=f"x.{kind}", kind=kind, pages=list(pages))


@functools.lru_cache(maxsize=None)  # PDFs are slow to read; tests never change what they get
def load(path: Path) -> RawDocument:
    from ingest.loaders import load as load_file

    return load_file(path)


def words(text: str) -> list[str]:
    return re.findall(r"[A-Za-z0-9]+", text)


_PAGE_MARK = (
    r"^\s*(?:page\s*)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?\s*$|^\s*-\s*\d{1,4}\s*-\s*$"
    r"|\b\d{1,3} of \d{1,3}\b|\b\d{1,2}/\d{1,2}/\d{4}\b"
)


def assert_words_survive(before: str, after: str, droppable: frozenset[str] = frozenset()) -> None:
    """Every word of ``before`` is in ``after`` in order, except markup, page numbers and ``droppable`` furniture.

    Words may be glued together (hyphenation across a line break, "6 th" -> "6th"); nothing may be invented.
    Compared letter by letter, so a glued word is never mistaken for a lost one when a word repeats nearby.
    """
    before = html.unescape(re.sub(r"<[^<>]*>", " ", before))
    # Figures may go only as page numbers: at most as many as the text has page-number-like marks.
    marks = re.findall(_PAGE_MARK, before, re.I | re.M)
    a, kept = words(before), "".join(words(after))
    # Where in ``kept`` each prefix of ``a`` can end, with the fewest figures dropped to get there.
    reach = {0: 0}
    for n, word in enumerate(a):
        step: dict[int, int] = {}
        for at, figures in reach.items():
            if kept.startswith(word, at):
                step[at + len(word)] = min(step.get(at + len(word), figures), figures)
            if word.isdigit() or word in droppable:
                step[at] = min(step.get(at, figures + word.isdigit()), figures + word.isdigit())
        assert step, f"lost: {a[max(0, n - 6):n + 6]} -> {kept[max(reach):max(reach) + 60]!r}"
        reach = step
    assert len(kept) in reach, f"invented: {kept[max(reach):max(reach) + 60]!r}"
    dropped = reach[len(kept)]
    assert dropped <= 4 * len(marks), f"{dropped} figures dropped, {len(marks)} page marks"


# --- debris --------------------------------------------------------------------


def test_html_tags_go_block_tags_break_lines_entities_decode():
    text = clean(raw('<p>Budget agreed.</p> <ul style="list-style-type: none"><li>One &amp; two</li><li>Three</li></ul>')).text
    assert "<" not in text and "style" not in text
    assert text.split("\n") == ["Budget agreed.", "One & two", "Three"]


def test_bullets_become_their_own_lines_without_glyphs():
    text = clean(raw("Actions taken: \u2022 Calls diverted to other forces. \u2022 Paper records kept.\n\u25cf Staff thanked.")).text
    assert "\u2022" not in text and "\u25cf" not in text
    assert "Calls diverted to other forces." in text.split("\n")
    assert "Paper records kept." in text.split("\n")
    assert "Staff thanked." in text.split("\n")


@pytest.mark.parametrize(
    ("before", "after"),
    [("6 th September", "6th September"), ("1 st May", "1st May"), ("2 nd June", "2nd June"),
     ("3 rd July", "3rd July"), ("24 th August", "24th August"), ("11 th March", "11th March")],
)
def test_split_superscripts_rejoin(before, after):
    assert clean(raw(f"It started on {before} at noon.")).text == f"It started on {after} at noon."


def test_superscript_join_needs_the_right_suffix():
    assert "5 st" in clean(raw("Lot 5 st and more")).text


def test_hyphenation_across_lines_rejoins_but_real_hyphens_stay():
    text = clean(raw("The force has started targeted recruit-\nment of call handlers in the Adare-\nRathkeale district.")).text
    assert "recruitment of call handlers" in text
    assert "Adare-Rathkeale district" in text


def test_hard_breaks_inside_sentences_join_but_structure_stays():
    page = (
        "Date: Thursday 21 October\n"
        "Chair: John Campion\n"
        "\n"
        "1. Apologies\n"
        "The PCC explained that he had agreed with the CC that any queries would\n"
        "be dealt with by the virtual holding to account process.\n"
        "2.1\tCurrent performance\n"
    )
    lines = clean(raw(page)).text.split("\n")
    assert "Date: Thursday 21 October" in lines
    assert "Chair: John Campion" in lines
    assert "1. Apologies" in lines
    assert (
        "The PCC explained that he had agreed with the CC that any queries would be dealt with by the virtual "
        "holding to account process." in lines
    )
    assert "2.1\tCurrent performance" in lines


def test_lines_wrapped_at_a_width_and_separated_by_blank_lines_join():
    sentence = (
        "Councillor Teskey queried the funding available for the upkeep of footpaths in "
        "Housing Estates and the Senior Executive Engineer advised that maintenance in the "
        "estates is not covered under Active Travel Funding and that the only funding for "
        "estates comes from the District Development Fund allocations for this year."
    )
    wrapped, line = [], ""
    for word in sentence.split():
        if len(line) + len(word) + 1 > 84:
            wrapped.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    wrapped.append(line)
    page = "\n\n".join(["1.", "Adoption of Minutes", *wrapped, "2.", "Disposal of Land", *wrapped])
    lines = [ln for ln in clean(raw(page, kind="markdown")).text.split("\n") if ln]
    assert lines.count(sentence) == 2
    assert lines[:2] == ["1.", "Adoption of Minutes"]


def test_repeated_headers_footers_and_page_numbers_go():
    pages = [
        f"Stoke Ferry Parish Council Minutes\nItem {n} text on page {n} is here and it is content.\nPage {n} of 4"
        for n in range(1, 5)
    ]
    text = clean(raw(*pages, kind="pdf")).text
    assert "Stoke Ferry Parish Council Minutes" not in text
    assert "of 4" not in text
    for n in range(1, 5):
        assert f"Item {n} text on page {n} is here and it is content." in text


def test_bare_page_numbers_at_page_edges_go():
    text = clean(raw("First page text.\n1", "2\nSecond page text.", "- 3 -\nThird page text.", kind="pdf")).text
    assert words(text) == words("First page text. Second page text. Third page text.")


def test_markdown_page_markers_go_and_the_sentence_across_them_joins():
    page = "[Original file](https://example.org/minutes.pdf)\n\n---\nThe report was noted and a\n---\n2\n\nfurther update was requested.\n"
    text = clean(raw(page, kind="markdown")).text
    assert text == "The report was noted and a further update was requested."


def test_page_numbers_left_by_a_converter_inside_one_page_go():
    body = "\n\n".join([
        "The Members referred to the housing targets set for the district and asked for",
        "2",
        "an update on the delivery of new homes in the coming year.",
        "The Senior Engineer gave an overview of the programme and of the works under",
        "3",
        "way at Broadford and Newcastle West.",
    ])
    text = clean(raw(body, kind="markdown")).text
    assert "\n2\n" not in f"\n{text}\n" and "\n3\n" not in f"\n{text}\n"
    assert "asked for an update on the delivery" in text
    assert "works under way at Broadford" in text


def test_spaces_collapse_but_table_cells_keep_a_tab():
    text = clean(raw("Name:\tCapacity:\n\tJohn   Campion\t\tPolice and Crime Commissioner (PCC)\nThe  PCC    spoke.")).text
    assert "John Campion\tPolice and Crime Commissioner (PCC)" in text.split("\n")
    assert "The PCC spoke." in text


def test_markdown_emphasis_and_leading_link_line_go():
    text = clean(raw("[Original file](https://x.org/a.pdf)\n\n**1.**\n\n**Adoption of Minutes**\n", kind="markdown")).text
    assert text.split("\n")[0] == "1."
    assert "Adoption of Minutes" in text and "*" not in text and "Original" not in text


def test_action_lines_stand_on_their_own():
    text = clean(raw("<p>The CC agreed. Action: CC to provide a timeframe by 4 November.</p>")).text
    assert "Action: CC to provide a timeframe by 4 November." in text.split("\n")


# --- pages ---------------------------------------------------------------------


def test_page_starts_one_per_page_even_for_empty_pages():
    cleaned = clean(raw("Page one words.", "", "Page three words.", kind="pdf"))
    assert len(cleaned.page_starts) == 3
    assert cleaned.page_starts == sorted(cleaned.page_starts) and cleaned.page_starts[0] == 0
    assert cleaned.page_at(cleaned.text.index("Page three")) == 3
    assert cleaned.page_at(cleaned.text.index("Page one")) == 1


def test_a_sentence_across_a_page_break_joins_and_keeps_both_pages():
    cleaned = clean(raw("The committee agreed that the", "report should be published.", kind="pdf"))
    assert cleaned.text == "The committee agreed that the report should be published."
    assert cleaned.page_at(cleaned.text.index("report")) == 2
    assert cleaned.page_at(cleaned.text.index("committee")) == 1


def test_no_words_lost_on_a_messy_page():
    page = (
        "<p>Business continuity</p> <ul style=\"x\"> \u2022 999 calls were diverted. \u2022 The mapping\n"
        "facility failed on 6 th September &amp; was restored by recruit-\nment of staff.</ul>\n"
        "**Bold** heading\n   spaced     out    words\n"
    )
    assert_words_survive(page, clean(raw(page)).text)


# --- real minutes ----------------------------------------------------------------


@needs_data
def test_opcc_minutes_lose_their_debris():
    cleaned = clean(load(OPCC))
    assert "6th September" in cleaned.text and "7th September" in cleaned.text
    assert "<p>" not in cleaned.text and "</p>" not in cleaned.text and "<ul" not in cleaned.text
    assert "Pippa Mills\tChief Constable (CC)" in cleaned.text.split("\n")
    assert "2.2" in cleaned.text.split("\n")
    assert "A Critical Incident Management Meeting (CIMM) was established to address the complex system issues" in cleaned.text


def _council_files() -> list[Path]:
    if not COUNCIL.is_dir():
        return []
    return sorted(p for p in COUNCIL.iterdir() if p.suffix in (".md", ".txt", ".pdf") and p.name != "SOURCES.txt")


# Furniture a file family carries besides page numbers: a running header's words, a converter's link text.
_FURNITURE = {
    "us_portland": frozenset({"January", "of"}),
    "ie_limerick": frozenset({"Original", "file"}),
}


CORPUS = Path(__file__).parents[1] / "corpus"


@pytest.mark.parametrize("path", sorted(CORPUS.iterdir()) if CORPUS.is_dir() else [], ids=lambda p: p.name)
def test_sample_corpus_keeps_every_word_in_every_format(path):
    document = load(path)
    cleaned = clean(document)
    assert_words_survive("\n".join(document.pages), cleaned.text, running_header_words(document))
    assert len(cleaned.page_starts) == len(document.pages)


def running_header_words(document: RawDocument) -> frozenset[str]:
    """Words of lines that open or close every page of a multi-page document: its running header and footer."""
    if len(document.pages) < 2:
        return frozenset()
    edges = []
    for page in document.pages:  # page numbers differ from page to page, so compare without digits
        lines = [ln.strip() for ln in page.split("\n") if ln.strip()]
        edges.append({re.sub(r"\d+", "#", ln) for ln in lines[:2] + lines[-2:]})
    common = set.intersection(*edges)
    return frozenset(w for line in common for w in words(line))


@needs_data
@pytest.mark.parametrize("path", [OPCC, *_council_files()], ids=lambda p: p.name)
def test_real_minutes_keep_every_word_and_every_page(path):
    document = load(path)
    cleaned = clean(document)
    droppable = next((v for k, v in _FURNITURE.items() if path.name.startswith(k)), frozenset())
    assert_words_survive("\n".join(document.pages), cleaned.text, droppable)
    assert len(cleaned.page_starts) == len(document.pages)
    assert cleaned.page_starts == sorted(cleaned.page_starts)
    assert "\n\n\n" not in cleaned.text and "  " not in cleaned.text


@needs_data
def test_limerick_page_markers_and_broken_lines_are_handled():
    cleaned = clean(load(COUNCIL / "ie_limerick_md-adare-rathkeale_2023-05-16.md"))
    assert "Original file" not in cleaned.text
    assert "The Senior Executive Engineer, Roads, Traffic and Cleansing advised a number of funding streams are being pursued" in cleaned.text
    assert not re.search(r"^\d$", cleaned.text, re.M)


@needs_data
def test_pdf_running_header_goes_and_pages_map():
    document = load(COUNCIL / "us_desmoines_council_special_2022-01-14.pdf")
    cleaned = clean(document)
    assert "1/14/2022" not in cleaned.text
    assert cleaned.page_at(cleaned.text.index("MOTION TO ADJOURN")) == 3
    assert cleaned.page_at(cleaned.text.index("Council Discussion on Cold Weather")) == 2
