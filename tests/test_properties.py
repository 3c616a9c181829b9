"""Properties that hold for any input, checked on generated input with Hypothesis.

Cleaning keeps every word of minutes-like text; a Markdown file keeps every word it shows; chunks stay
inside their agenda item and within the model's limit; the keyword query made from any text is safe
in a real FTS5 table; every loader reads damaged bytes or refuses them with one line of reason, in
bounded time. Examples are derandomized and no example database is kept, so CI sees the same run.
"""
from __future__ import annotations

import io
import signal
import zipfile
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from index.embed import default_model_path, load_token_counter
from index.query import content_terms, fts_query
from index.store import Store
from ingest.chunk import chunk_meeting
from ingest.clean import clean
from ingest.errors import IngestError
from ingest.loaders import load
from ingest.loaders.text import read_markdown
from ingest.model import AgendaItem, Meeting, RawDocument
from tests.conftest import CORPUS
from tests.test_clean import assert_words_survive, running_header_words, words

LIMIT = 256  # the packaged model's word-piece limit


def fixed(max_examples: int, **kwargs) -> settings:
    # The autouse index fixture only sets an environment variable, the same for every example.
    return settings(max_examples=max_examples, derandomize=True, database=None, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow], **kwargs)


# --- minutes-like text ----------------------------------------------------------------

VOCAB = ["the", "council", "agreed", "budget", "precept", "Chair", "Cllr", "report", "noted", "of", "and", "a",
         "I", "café", "Éireann", "naïve", "£1.2m", "2023/24", "7,190", "80%", "6", "th", "a.m.", "(PCC)", "e.g.",
         "Item", "Action:", "CC", "O'Brien", "co-opted", "St.", "No.", "101", "Page"]
# A lone "o" before a capital is read as Word's hollow bullet glyph, by design: no generated word is "o".
WORD = st.one_of(
    st.sampled_from(VOCAB),
    st.from_regex(r"[A-Za-z][a-z]{1,9}", fullmatch=True),
    st.integers(0, 2030).map(str),
    st.text(st.characters(categories=["L"]), min_size=1, max_size=6).filter(lambda w: w != "o"),
)
# (source, what a reader sees): each piece of a line knows both.
Piece = tuple[str, str]


@st.composite
def marked_word(draw) -> Piece:
    w = draw(WORD)
    how = draw(st.sampled_from(["plain"] * 6 + ["bold", "under", "em", "link", "tag", "amp", "zwsp"]))
    if how == "bold":
        return f"**{w}**", w
    if how == "under":
        return f"__{w}__", w
    if how == "em":
        return f"_{w}_", w
    if how == "link":
        return f"[{w}](https://example.org/a.pdf)", w
    if how == "tag":
        return f"<b>{w}</b>", w
    if how == "amp":
        return f"{w} &amp;", f"{w} &"
    if how == "zwsp" and len(w) > 1:
        return f"{w[0]}\u200b{w[1:]}", w
    return w, w


def phrase(min_size: int = 1, max_size: int = 12) -> st.SearchStrategy[Piece]:
    def join(pieces: list[Piece]) -> Piece:
        return " ".join(p[0] for p in pieces), " ".join(p[1] for p in pieces)

    return st.lists(marked_word(), min_size=min_size, max_size=max_size).map(join)


@st.composite
def minutes_line(draw) -> list[Piece]:
    """One unit of minutes as the lines a converter gives: a heading, bullet, row, label or wrapped paragraph."""
    kind = draw(st.sampled_from(["heading", "bullet", "row", "label", "paragraph", "paragraph", "number", "rule"]))
    if kind == "heading":
        number = draw(st.sampled_from(["1", "2.", "2.1", "10.3", "(a)", "iv.", "Item 4", "5)"]))
        sep = draw(st.sampled_from([" ", "\t", "\n"]))
        title = draw(phrase(1, 5))
        shown_sep = "\n" if sep == "\n" else " "
        return [(f"{number}{sep}{title[0]}", f"{number}{shown_sep}{title[1]}")]
    if kind == "bullet":
        glyph = draw(st.sampled_from(["\u2022", "\u25cf", "-", "*", "\u25aa", "\uf0b7", "\u2013"]))
        body = draw(phrase())
        return [(f"{glyph} {body[0]}", body[1])]
    if kind == "row":
        cells = draw(st.lists(phrase(1, 4), min_size=2, max_size=4))
        sep = draw(st.sampled_from(["\t", "      ", " \t "]))
        return [(sep.join(c[0] for c in cells), " ".join(c[1] for c in cells))]
    if kind == "label":
        label = draw(st.sampled_from(["Chair", "Date", "Venue", "Present", "Apologies"]))
        value = draw(phrase(1, 6))
        return [(f"{label}: {value[0]}", f"{label} {value[1]}")]
    if kind == "number":  # an item number alone, or a page number a converter left mid-page
        line = draw(st.sampled_from(["{}", "- {} -", "{}."])).format(draw(st.integers(1, 99)))
        return [(line, line)]
    if kind == "rule":
        return [(draw(st.sampled_from(["---", "***", "___", "* * *"])), "")]
    return draw(paragraph())


@st.composite
def paragraph(draw) -> list[Piece]:
    """Sentences wrapped at random points, some words hyphenated across the break."""
    pieces = draw(st.lists(marked_word(), min_size=1, max_size=30))
    lines: list[Piece] = []
    source, seen = [], []
    for n, (src, vis) in enumerate(pieces):
        end = draw(st.sampled_from(["", "", "", ".", ","])) if n < len(pieces) - 1 else "."
        source.append(src + end)
        seen.append(vis + end)
        if n < len(pieces) - 1 and draw(st.integers(0, 5)) == 0:  # a line break
            if src == vis and len(src) > 3 and src.isalpha() and draw(st.booleans()):
                cut = draw(st.integers(1, len(src) - 1))
                source[-1] = f"{src[:cut]}-\n{src[cut:]}{end}"
                # Rejoined with or without its hyphen ("Adare-Rathkeale" keeps it): either reads as written.
                seen[-1] = f"{src[:cut]}-{src[cut:]}{end}"
            lines.append((" ".join(source), " ".join(seen)))
            source, seen = [], []
    lines.append((" ".join(source), " ".join(seen)))
    return lines


@st.composite
def minutes_document(draw) -> tuple[RawDocument, str]:
    """Pages of minutes-like lines, perhaps with a running header and page numbers; and the words they show.

    No content line repeats: a line recurring at the edge of most pages is page furniture by definition.
    """
    units = draw(st.lists(minutes_line(), min_size=1, max_size=25))
    lines = [piece for unit in units for piece in unit]
    seen_keys: set[str] = set()
    unique = []
    for src, vis in lines:
        key = "".join(ch for ch in src.lower() if not ch.isdigit()).strip()
        if key and key in seen_keys:
            continue
        seen_keys.add(key)
        unique.append((src, vis))
    lines = unique
    page_count = draw(st.integers(1, 4))
    cuts = sorted(draw(st.lists(st.integers(0, len(lines)), min_size=page_count - 1, max_size=page_count - 1)))
    bounds = [0, *cuts, len(lines)]
    header = draw(st.sampled_from([None, "NORTHSHIRE POLICE AND CRIME PANEL", "Parish Council Minutes"]))
    numbered = draw(st.booleans())
    blank = draw(st.sampled_from(["\n", "\n\n", "\n \n"]))
    pages, shown = [], []
    for n in range(page_count):
        body = lines[bounds[n]:bounds[n + 1]]
        src = [s for s, _ in body]
        vis = [v for _, v in body]
        if header and page_count > 1:
            src.insert(0, header)
            vis.insert(0, header)
        if numbered and page_count > 1:
            src.append(f"Page {n + 1} of {page_count}")
            vis.append(f"Page {n + 1} of {page_count}")
        pages.append(blank.join(src))
        shown.append("\n".join(vis))
    kind = draw(st.sampled_from(["pdf", "text", "html", "docx", "markdown"]))
    return RawDocument(path=f"x.{kind}", kind=kind, pages=pages), "\n".join(shown)


@fixed(300)
@given(minutes_document())
def test_cleaning_never_drops_a_word(case):
    document, shown = case
    cleaned = clean(document)
    assert_words_survive(shown, cleaned.text, running_header_words(document))
    assert len(cleaned.page_starts) == len(document.pages)
    assert cleaned.page_starts[0] == 0 and cleaned.page_starts == sorted(cleaned.page_starts)
    assert cleaned.page_starts[-1] <= len(cleaned.text)


# --- Markdown -----------------------------------------------------------------------------

@st.composite
def markdown_block(draw) -> Piece:
    """A Markdown block and the words it shows: headings, lists, tables (ragged ones too), quotes, code."""
    kind = draw(st.sampled_from(["heading", "setext", "bullets", "ordered", "table", "quote", "code", "para",
                                 "comment", "image", "escaped", "html"]))
    text = draw(phrase(1, 8))
    if kind == "heading":
        return f"{'#' * draw(st.integers(1, 6))} {text[0]}", text[1]
    if kind == "setext":
        return f"{text[0]}\n{draw(st.sampled_from(['===', '---']))}", text[1]
    if kind == "bullets":
        items = draw(st.lists(phrase(1, 6), min_size=1, max_size=4))
        marker = draw(st.sampled_from(["-", "*", "+"]))
        return "\n".join(f"{marker} {i[0]}" for i in items), "\n".join(i[1] for i in items)
    if kind == "ordered":
        start = draw(st.integers(1, 20))
        items = draw(st.lists(st.one_of(st.just(("", "")), phrase(1, 6)), min_size=1, max_size=4))
        delim = draw(st.sampled_from([".", ")"]))
        return ("\n".join(f"{start + k}{delim} {i[0]}".rstrip() for k, i in enumerate(items)),
                "\n".join(f"{start + k} {i[1]}" for k, i in enumerate(items)))
    if kind == "table":
        width = draw(st.integers(1, 4))
        rows = draw(st.lists(st.lists(phrase(1, 3), min_size=1, max_size=width + 2), min_size=1, max_size=4))
        header = draw(st.lists(phrase(1, 2), min_size=width, max_size=width))
        lines = ["| " + " | ".join(c[0] for c in header) + " |", "|" + "---|" * width]
        lines += ["| " + " | ".join(c[0] for c in row) + " |" for row in rows]
        shown = [" ".join(c[1] for c in header)] + [" ".join(c[1] for c in row) for row in rows]
        return "\n".join(lines), "\n".join(shown)
    if kind == "quote":
        return f"> {text[0]}", text[1]
    if kind == "code":
        return f"```\n{text[1]}\n```", text[1]
    if kind == "comment":
        return f"<!-- {text[1]} -->", ""
    if kind == "image":
        return f"![{text[1]}](logo.png) {text[0]}", text[1]
    if kind == "escaped":
        n = draw(st.integers(1, 30))
        return f"{n}\\. {text[0]} \\*", f"{n} {text[1]}"
    if kind == "html":
        return f"<p>{text[0]}</p>", text[1]
    return text


@st.composite
def markdown_document(draw) -> tuple[str, str]:
    blocks = draw(st.lists(markdown_block(), min_size=1, max_size=12))
    gap = draw(st.sampled_from(["\n\n", "\n\n\n"]))
    front = draw(st.sampled_from(["", "---\ntitle: Minutes\ndate: 2022-04-26\n---\n"]))
    return front + gap.join(b[0] for b in blocks) + "\n", "\n".join(b[1] for b in blocks)


@fixed(200)
@given(markdown_document())
def test_a_markdown_file_keeps_every_word_it_shows(case):
    source, shown = case
    if not words(shown):
        return
    # Raw HTML passes the loader for the cleaner to strip, so the words are compared after cleaning.
    document = read_markdown(Path("minutes.md"), source.encode("utf-8"))
    assert_words_survive(shown, clean(document).text)


# --- chunks -----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def count():
    return load_token_counter(default_model_path())


# Runs with no space in them (Chinese, a list of figures, a dotted leader) are where the tokenizer counts
# most word pieces per character; drawn as a short run repeated, as random text is seldom long.
DENSE_RUN = st.text(st.one_of(st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
                              st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3),
                              st.sampled_from(",.;:-/1a ")), min_size=1, max_size=4)
DENSE = st.builds(lambda run, n: run * n, DENSE_RUN, st.integers(1, 400))
SENTENCE = st.one_of(phrase(1, 40).map(lambda p: p[1] + "."), DENSE, st.text(max_size=80))


@st.composite
def meeting(draw) -> Meeting:
    text = "".join(draw(st.lists(st.tuples(SENTENCE, st.sampled_from([" ", "\n", "\n\n"])).map("".join),
                                 max_size=25)))
    starts = sorted(set(draw(st.lists(st.integers(0, len(text)), max_size=6))))
    items = [AgendaItem(str(n + 1), draw(st.text(max_size=60)), s, starts[n + 1] if n + 1 < len(starts) else len(text))
             for n, s in enumerate(starts)]
    # A title in Korean costs three word pieces a character: the header alone could fill the model's limit.
    korean = st.builds(lambda run, n: run * n, st.text(st.sampled_from("\ud68c\uc758\ub85d \uc608\uc0b0."), min_size=1, max_size=4),
                       st.integers(1, 100))
    title = draw(st.one_of(st.none(), st.text(max_size=200), DENSE, korean))
    when = draw(st.one_of(st.none(), st.dates(date(1990, 1, 1), date(2030, 12, 31)).map(date.isoformat)))
    return Meeting(source="m.txt", text=text, page_starts=[0], title=title, date=when, items=items)


@fixed(120)
@given(meeting())
def test_chunks_never_cross_an_item_nor_exceed_the_model_limit(count, m):
    bounds = [i.start for i in m.items]
    for c in chunk_meeting(m, count, LIMIT):
        assert m.text[c.start:c.end] == c.text and c.text.strip()
        assert count(c.embed_text) <= LIMIT, (count(c.embed_text), c.header[:40], c.text[:40])
        assert not any(c.start < b < c.end for b in bounds), "a chunk crosses an item start"
        owner = [i for i in m.items if i.start <= c.start]
        assert c.item == (owner[-1].label if owner else None)


# --- the keyword query ------------------------------------------------------------------------

ROWS = {1: "The 101 target of 80% of calls was met.", 2: "The forecast overspend fell to £0.6m."}
FTS_SYNTAX = ['"', "'", "AND", "OR", "NOT", "NEAR", "NEAR(", ")", "(", "*", "-", "+", ":", "^", "{", "}", "[", "]",
              "text:", "header:", "budget", "\x00", "\\", "a*", "-x", '"x', "😀", "\u200d", "\ufeff"]
# Any code point, lone surrogates and control characters included: a pasted or piped question may hold them.
ANY_TEXT = st.one_of(
    st.text(st.characters(categories=["L", "M", "N", "P", "S", "Z", "C"]), max_size=300),
    st.lists(st.one_of(st.sampled_from(FTS_SYNTAX), WORD), max_size=40).map(" ".join),
)


@pytest.fixture(scope="module")
def fts(tmp_path_factory):
    store = Store(tmp_path_factory.mktemp("fts") / "index", create=True)
    with store.transaction() as conn:
        for rowid, text in ROWS.items():
            conn.execute("INSERT INTO chunks_fts (rowid, text, header) VALUES (?, ?, ?)", (rowid, text, ""))
    yield store
    store.close()


def search(store: Store, query: str) -> set[int]:
    sql = "SELECT rowid, bm25(chunks_fts, 1.0, 0.4) FROM chunks_fts WHERE chunks_fts MATCH ?"
    return {row[0] for row in store.conn.execute(sql, (query,))}


@fixed(400)
@given(ANY_TEXT)
def test_the_keyword_query_from_any_text_is_safe(fts, text):
    terms = content_terms(text)
    query = fts_query(terms)
    if query:
        search(fts, query)  # a syntax error raises here
    else:
        assert not any(ch.isalnum() for t in terms for ch in t)
    # Whatever else a question holds, a real word in it still finds its passage: no operator took effect.
    assert 2 in search(fts, fts_query(content_terms(f"{text} overspend")))


# --- loaders on damaged bytes ---------------------------------------------------------------

SUFFIXES = [".pdf", ".docx", ".html", ".md", ".txt"]
SAMPLES = {s: [p.read_bytes() for p in sorted(CORPUS.glob(f"*{s}"))] for s in SUFFIXES}
SECONDS = 5  # far above any real file's time; a parser looping on damaged input is stopped here


class Hung(BaseException):
    """A loader ran past its time (BaseException: ``load`` must not turn it into a reason)."""


@contextmanager
def time_limit(seconds: float):
    def stop(signum, frame):
        raise Hung(f"still reading after {seconds} s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def damaged(suffix: str) -> st.SearchStrategy[bytes]:
    sample = st.sampled_from(SAMPLES[suffix])
    truncated = st.tuples(sample, st.floats(0, 1)).map(lambda t: t[0][:int(len(t[0]) * t[1])])
    spliced = st.tuples(sample, st.floats(0, 1), st.integers(0, 512), st.binary(max_size=64)).map(
        lambda t: t[0][:int(len(t[0]) * t[1])] + t[3] + t[0][int(len(t[0]) * t[1]) + t[2]:])
    # The right first bytes get a file past the magic-number check into the parser proper.
    headed = st.tuples(sample, st.integers(0, 64), st.binary(max_size=2048)).map(lambda t: t[0][:t[1]] + t[2])
    markup = st.text(st.sampled_from("[]()*_`<>|\\!#-=~:&;\n \ta1"), max_size=4000).map(str.encode)
    strategies = [truncated, spliced, headed, st.binary(max_size=2048), markup]
    if suffix == ".docx":  # a sound zip holding broken XML reaches python-docx's parser, not zipfile's checks
        strategies.append(st.builds(damaged_member, sample, st.integers(0, 50), st.floats(0, 1), st.binary(max_size=32)))
    return st.one_of(strategies)


def damaged_member(data: bytes, member: int, keep: float, junk: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = [(info, archive.read(info)) for info in archive.infolist()]
    member %= len(members)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for n, (info, content) in enumerate(members):
            archive.writestr(info, content[:int(len(content) * keep)] + junk if n == member else content)
    return out.getvalue()


@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("damaged")


@pytest.mark.parametrize("suffix", SUFFIXES)
@fixed(60)
@given(data=st.data())
def test_a_loader_reads_or_refuses_damaged_bytes_in_bounded_time(scratch, suffix, data):
    path = scratch / f"r\u00e9union{suffix}"
    path.write_bytes(data.draw(damaged(suffix), label="bytes"))
    try:
        with time_limit(SECONDS):
            document = load(path)
    except IngestError as exc:
        event(type(exc).__name__)  # shown by --hypothesis-show-statistics: which refusals the run reached
        reason = str(exc)
        assert reason.strip() and "\n" not in reason and len(reason) <= 400, reason
        assert path.name in reason, reason
        return
    event("read")
    assert document.pages and any(page.strip() for page in document.pages)
    assert all("\r" not in page for page in document.pages)
