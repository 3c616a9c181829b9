"""Minutes-like files made in tests: each carries one invented fact that only it holds, to ask about."""
from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
# Invented names: no real minutes hold them, so a question naming one has exactly one right document.
SYLLABLES = ["vel", "mor", "quan", "drin", "sto", "bel", "kar", "zun", "thi", "plo", "gra", "wen", "oss", "ruk"]


@dataclass
class Fact:
    name: str            # the invented place, unique to one file
    count: int
    question: str
    sentence: str


def fact(n: int) -> Fact:
    digits = [(n // len(SYLLABLES) ** k) % len(SYLLABLES) for k in range(3)]
    name = ("".join(SYLLABLES[d] for d in digits) + "ton").capitalize()
    count = 10 + n % 80
    sentence = (f"The inspection of the {name} custody suite found {count} cells needing repair before "
                f"the winter.")
    return Fact(name, count, f"How many cells at the {name} custody suite need repair?", sentence)


def minutes_text(n: int, extra: str = "") -> str:
    """One meeting's minutes in plain text, with its own date, items, an action and fact(n)."""
    year = 2015 + n % 8
    month = MONTHS[n % 12]
    day = 1 + n % 27
    f = fact(n)
    return f"""Estates and Custody Board {month} {year} - Minutes

Date: {day} {month} {year}, 10:00 am
Chair: Gareth Pennington
Venue: Committee Room 2, County Hall, Ashbridge

Name                Capacity
Gareth Pennington   Police and Crime Commissioner (PCC)
Marcus Obi          Chief Constable (CC)
Colin Ashworth      Director of Finance (DoF)

1
Apologies

Apologies were received from the Deputy Chief Constable.

2
Custody estate

{f.sentence} The DoF said that the repairs would be paid for from the estates reserve.
The CC reported that custody throughput in {month} had been {300 + n} detainees.
{extra}
Action: DoF to report the cost of the {f.name} repairs to the PCC by the next meeting.

3
Date of next meeting

The next meeting will be held in County Hall.
"""


def write_minutes(folder: Path, n: int, name: str | None = None, extra: str = "") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / (name or f"estates-board-{n:04d}.txt")
    path.write_text(minutes_text(n, extra), encoding="utf-8")
    return path


def pdf_bytes(pages: list[str]) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("helvetica", size=11)
    for text in pages:
        pdf.add_page()
        if text:
            pdf.multi_cell(0, 6, text)
    return bytes(pdf.output())


def encrypted_pdf(data: bytes, password: str = "secret") -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password=password, owner_password=password + "-owner", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def image_only_pdf() -> bytes:
    """A page holding a picture and no text layer, as a scan without OCR is."""
    from fpdf import FPDF
    from PIL import Image

    picture = Image.new("L", (200, 120), color=255)
    for x in range(20, 180):
        for y in range(40, 44):
            picture.putpixel((x, y), 0)
    pdf = FPDF()
    pdf.add_page()
    pdf.image(picture, x=10, y=10, w=150)
    return bytes(pdf.output())


def docx_bytes(text: str) -> bytes:
    import docx

    document = docx.Document()
    for line in text.splitlines():
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


HASH_INGEST = """
import json, sys
from pathlib import Path
from index.embed import HashEmbedder
from index.sync import Ingester
report = Ingester(Path(sys.argv[1]), embedder=HashEmbedder(), progress=False).run([Path(p) for p in sys.argv[2:]])
print(json.dumps(report.full()))
"""


def hash_ingest_command(index: Path, *paths: Path) -> list[str]:
    """An ingest in its own process with the hashing embedder: what a nightly run does, minus the model."""
    import sys

    return [sys.executable, "-c", HASH_INGEST, str(index), *map(str, paths)]


def kill_hash_ingest_at(stage: str, index: Path, *paths: Path) -> None:
    """Run ``hash_ingest_command`` until it reaches the pause point ``stage`` (index/pause.py), then SIGKILL it
    there; the marker it wrote is removed."""
    import os
    import signal
    import subprocess

    from tests.test_concurrency import wait_for

    proc = subprocess.Popen(hash_ingest_command(index, *paths), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={**os.environ, "MINUTES_TEST_PAUSE": stage})
    try:
        wait_for(index / f"paused-{stage}", proc, timeout=300)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.communicate()
    (index / f"paused-{stage}").unlink()


# A council's minutes recording its business the ways minutes do: apologies with reasons, an interest, a late
# arrival and an early departure, a motion with its mover, seconder, result, tally and a vote against, an
# action in a sentence and one on an Action: line, and the close. Markup in them must reach a reader as text.
TOWN_COUNCIL = """Ashbridge Town Council Minutes May 2023

Date: Wednesday 10 May 2023
Chair: Councillor Gareth Pennington
Venue: Council Chamber, Town Hall, Ashbridge

Present: Cllr Gareth Pennington (Chair), Cllr Priya Shah, Cllr Tom Reed, Cllr Ann Lowe, Cllr Bill Stone.

1 Apologies for absence

Apologies were received from Cllr Dora Finch (illness <script>alert('reason')</script>) and Cllr Mark Hill (work commitments).

2 Declarations of interest

Cllr Priya Shah declared an interest in item 4 as a member of the allotment society :red[alarm] $x^2$.

3 Attendance

Cllr Tom Reed arrived at 7.20 pm. Cllr Ann Lowe left the meeting at 8.15 pm.

4 Allotment rents

Cllr Bill Stone proposed that allotment rents <script>alert('motion')</script> rise by 5% from April 2024, seconded by Cllr Priya Shah. The motion was carried by 4 votes to 1. Cllr Tom Reed voted against.

The Clerk agreed to write to every allotment holder about the new rents by 1 June 2023.

Action: Clerk to publish the <script>alert('action')</script> rents on the website by 15 June 2023.

5 Close

The meeting closed at 9.05 pm.
"""
