"""The page's style sheet (screen, small screens, print) and the little script Streamlit's widgets need."""
from __future__ import annotations

from pathlib import Path

import streamlit as st

# Text is #4b5563 or darker: 7.6:1 on white, 6.7:1 on the sidebar's grey (WCAG AA asks 4.5:1). Streamlit draws
# captions at 60% opacity, 3.9:1; here they are opaque.
CSS = """
<style>
[data-testid="stMainBlockContainer"] {padding-top: 2.5rem;}
[data-testid="stCaptionContainer"] {opacity: 1; color: #4b5563;}
.mq-quote {font-size: 1.25rem; line-height: 1.5; border-left: 4px solid #d97706; padding: .2rem 0 .2rem 1rem;
           margin: .3rem 0 .8rem 0;}
.mq-cite {color: #374151; font-size: .95rem; margin-bottom: .6rem;}
.mq-cite b {color: #111827;}
.mq-passage {line-height: 1.6; color: #1f2937;}
.mq-context, .mq-excerpt {background: #f9fafb; border-radius: .4rem; padding: .7rem .9rem; margin-bottom: .6rem;}
mark.mq-answer {background: #fde68a; color: inherit; padding: 0 .1rem; border-radius: .15rem;}
mark.mq-term {background: #dbeafe; color: inherit; padding: 0 .05rem; border-radius: .15rem;}
.mq-label {text-transform: uppercase; letter-spacing: .05em; font-size: .75rem; color: #4b5563;
           font-weight: 600;}
.mq-meta {color: #4b5563; font-size: .85rem;}
.mq-why {font-weight: 600; color: #1f2937;}
/* A collection's handling label (OFFICIAL, OFFICIAL-SENSITIVE): on every answer and passage, on paper too. */
.mq-handling {display: inline-block; font-size: .72rem; font-weight: 700; letter-spacing: .04em;
              text-transform: uppercase; color: #111827; background: #f3f4f6; border: 1px solid #4b5563;
              border-radius: .25rem; padding: 0 .35rem; margin-right: .3rem; vertical-align: .1em;}
.mq-later {border-top: 1px solid #e5e7eb; padding-top: .5rem; margin-bottom: .3rem; line-height: 1.5;}
.mq-later .mq-label {margin-right: .4rem;}
.mq-sr-only {position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden;
             clip: rect(0, 0, 0, 0); white-space: nowrap; border: 0;}
.mq-print-only {display: none;}
/* Long tables run on with the page, their header held at the top, rather than scroll in a box of their own: a
   box that scrolls cannot be reached from the keyboard. */
.mq-table-wrap {border: 1px solid #e5e7eb; border-radius: .5rem;}
.mq-table {width: 100%; border-collapse: collapse; font-size: .9rem; margin: 0;}
.mq-table th {position: sticky; top: 0; background: #f9fafb; text-align: left; font-weight: 600; color: #374151;}
.mq-table th, .mq-table td {padding: .45rem .6rem; border: none; border-bottom: 1px solid #e5e7eb;
                            vertical-align: top;}
.mq-actions td.mq-col-0, .mq-actions td.mq-col-1 {white-space: nowrap;}
.mq-actions td.mq-col-3 {width: 45%;}
.mq-actions tr.mq-overdue td.mq-col-0 {color: #b91c1c; font-weight: 600;}
.mq-facts td:last-child {width: 40%; color: #4b5563;}
.mq-history td.mq-col-2 {width: 50%;}
.mq-history tr.mq-quoted td {font-weight: 600;}

/* A phone is too narrow for seven columns: each row becomes a card, every cell under its column's name, and
   an action's own words come first, across the full width. */
@media (max-width: 640px) {
  .mq-table thead {position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0, 0, 0, 0);}
  .mq-table tbody, .mq-table td {display: block; width: auto !important;}
  .mq-table tr {display: flex; flex-direction: column; padding: .4rem 0; border-bottom: 1px solid #e5e7eb;}
  .mq-table td {border: none; padding: .1rem .6rem; white-space: normal !important;}
  .mq-table td:empty {display: none;}
  .mq-table td[data-label]::before {content: attr(data-label) ": "; font-weight: 600; color: #374151;}
  .mq-actions td.mq-col-3 {order: -1; font-size: 1rem; line-height: 1.5; padding-bottom: .3rem;}
  .mq-actions td.mq-col-3::before {content: none;}
}

/* On paper: the question, the answer card with its context, the figure's history and where each passage
   came from. Nothing to click or type, no sidebar, no chart. */
@media print {
  [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
  [data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stStatusWidget"],
  [data-testid="stTextInput"], [data-testid="stButton"], [data-testid="stDownloadButton"],
  [data-testid="stLinkButton"], [data-testid="stPopover"], [data-testid="stExpander"],
  [data-testid="stCaptionContainer"], [data-testid="stVegaLiteChart"], [data-testid="stTabs"] [role="tablist"],
  [data-testid="stElementToolbar"], [data-testid="stCode"], .st-key-verdict, .mq-other-text,
  button, input, textarea, select, iframe {display: none !important;}
  .mq-print-only {display: block !important;}
  html, body, .stApp, [data-testid="stAppViewContainer"], [data-testid="stMain"],
  [data-testid="stMainBlockContainer"] {overflow: visible !important; height: auto !important;
                                        position: static !important; padding-top: 0 !important;}
  .mq-table-wrap {border: none;}
  .mq-table th {position: static;}
  mark.mq-answer, mark.mq-term {-webkit-print-color-adjust: exact; print-color-adjust: exact;}
  .mq-question-print {font-size: 1.1rem; font-weight: 600; margin-bottom: .6rem;}
}
</style>
"""

SCRIPT = Path(__file__).with_name("page.js").read_text(encoding="utf-8")


def apply() -> None:
    st.markdown(CSS, unsafe_allow_html=True)
    st.html(f"<script>{SCRIPT}</script>", unsafe_allow_javascript=True)
