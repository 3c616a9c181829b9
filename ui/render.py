"""Turning document and question text into safe page markup: escaping, highlighting, snippets, citations."""
from __future__ import annotations

import re
from datetime import date

from index.query import content_terms

# Every character HTML or Markdown (or Streamlit's Markdown extensions: $ maths, :emoji:, :red[colour])
# could read as syntax becomes a numeric character reference, so document text is only ever text.
_SYNTAX = "&<>\"'`*_[](){}#+-.!|~$:\\=^@"
_ENTITIES = {ord(c): f"&#{ord(c)};" for c in _SYNTAX}
_MD_LABEL = re.compile(r"([\\`*_\[\](){}#+\-.!|~$:<>])")


def esc(text: str) -> str:
    """Text as inert HTML: no tag, entity, Markdown, link or maths can come out of it. Keeps newlines."""
    return text.translate(_ENTITIES)


def md_label(text: str) -> str:
    """Text for a Streamlit label or caption, which read Markdown but not HTML: every mark escaped."""
    return _MD_LABEL.sub(r"\\\1", " ".join(text.split()))


def _layout(escaped: str) -> str:
    """Lines and paragraphs as the clean text has them; a line that runs on in lower case joins the one before.

    Never leaves a blank line, so a Markdown renderer sees one raw HTML block and parses nothing inside.
    """
    text = re.sub(r"\n\s*\n\s*", "<br><br>", escaped.replace("\r", ""))
    text = re.sub(r"\s*\n(?=\s*[a-z])", " ", text)
    return text.replace("\n", "<br>")


def term_pattern(question: str) -> re.Pattern | None:
    """Words of the question to mark in passages: content words, loosely stemmed, whole words only."""
    parts = []
    for t in content_terms(question):
        if t.isalpha() and len(t) > 4:
            for suffix in ("ing", "ed", "es", "s"):
                if t.endswith(suffix) and len(t) - len(suffix) >= 4:
                    t = t[: -len(suffix)]
                    break
            parts.append(re.escape(t) + r"\w*")
        else:
            parts.append(re.escape(t) + r"(?!\w)")
    if not parts:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(sorted(parts, key=len, reverse=True)) + ")", re.IGNORECASE)


def marked(text: str, terms: re.Pattern | None = None, answer: tuple[int, int] | None = None) -> str:
    """Escaped HTML of ``text`` with the answer span and the question's words marked."""
    spans: list[tuple[int, int, str]] = []
    if answer and 0 <= answer[0] < answer[1] <= len(text):
        spans.append((answer[0], answer[1], "answer"))
    out, pos = [], 0
    for s, e, kind in sorted(spans):
        out.append(_terms_marked(text[pos:s], terms))
        out.append(f'<mark class="mq-answer">{esc(text[s:e])}</mark>')
        pos = e
    out.append(_terms_marked(text[pos:], terms))
    return _layout("".join(out))


def _terms_marked(text: str, terms: re.Pattern | None) -> str:
    if terms is None:
        return esc(text)
    out, pos = [], 0
    for m in terms.finditer(text):
        out.append(esc(text[pos:m.start()]))
        out.append(f'<mark class="mq-term">{esc(m.group())}</mark>')
        pos = m.end()
    out.append(esc(text[pos:]))
    return "".join(out)


def snippet(text: str, terms: re.Pattern | None, limit: int = 360) -> tuple[str, bool]:
    """A readable window of ``text`` holding most of the question's words, and whether it was cut."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat, False
    starts = [m.start() for m in terms.finditer(flat)] if terms else []
    best = 0
    if starts:
        # The window that holds the most matches, begun a little before its first one.
        scored = [(sum(1 for t in starts if s <= t < s + limit - 60), -s) for s in starts]
        best = max(0, -max(scored)[1] - 60)
        sentence = max(flat.rfind(". ", 0, best + 1), flat.rfind("; ", 0, best + 1))
        if sentence != -1 and best - sentence < 120:
            best = sentence + 2
    best = min(best, max(0, len(flat) - limit))
    if best:
        space = flat.find(" ", best)
        best = space + 1 if 0 <= space < best + 20 else best
    end = best + limit
    if end < len(flat):
        space = flat.rfind(" ", best, end)
        end = space if space > best + limit // 2 else end
    body = flat[best:end].rstrip()
    tail = "…" if end < len(flat) and not body.endswith((".", "?", "!")) else ""
    return ("…" if best else "") + body + tail, True


def nice_date(iso: str | None) -> str:
    """21 March 2024 for an ISO date; the text as it is otherwise; "date unknown" for none."""
    if not iso:
        return "date unknown"
    try:
        d = date.fromisoformat(iso)
    except ValueError:
        return iso
    return f"{d.day} {d:%B %Y}"


def citation(title: str | None, date_iso: str | None, item: str | None, page: int | None,
             document: str | None = None, sep: str = " · ") -> str:
    """Meeting, date, agenda item and page (and the file, if given) as one plain line."""
    parts = [title or "Untitled meeting", nice_date(date_iso)]
    if item:
        parts.append(f"item {item}")
    if page:
        parts.append(f"page {page}")
    if document:
        parts.append(document)
    return sep.join(parts)


def table(columns: list[str], rows: list[list[str | None]], row_classes: list[str] | None = None,
          css_class: str = "mq-table") -> str:
    """A plain HTML table of text cells, every cell escaped; long text wraps instead of being cut off.

    A newline in a cell starts a new line; other whitespace is collapsed.
    """
    head = "".join(f"<th>{esc(c)}</th>" for c in columns)
    body = []
    for i, row in enumerate(rows):
        cls = f' class="{row_classes[i]}"' if row_classes and row_classes[i] else ""
        # data-label: a narrow screen shows each cell under its column's name (see the page's style sheet).
        cells = "".join(f'<td class="mq-col-{n}" data-label="{esc(columns[n])}">{_cell(c)}</td>'
                        for n, c in enumerate(row))
        body.append(f"<tr{cls}>{cells}</tr>")
    return f'<table class="{css_class}"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'


def _cell(text: str | None) -> str:
    return "<br>".join(esc(" ".join(line.split())) for line in (text or "").split("\n"))
