"""Minutes written the way other countries write them (Canadian, US board, Australian, Scottish), asked end
to end: the business of the meeting is answered from its structure, quoted without the meeting's title."""
from __future__ import annotations

from pathlib import Path

import pytest

from index.search import Searcher
from index.sync import Ingester
from tests.test_business import AUSTRALIAN

pytestmark = pytest.mark.slow

ELMHURST = """# Town of Elmhurst Regular Council Meeting Minutes

June 5, 2023, 7:00 p.m., Council Chambers

Council Present: Mayor R. Thompson, Councillor A. Singh, Councillor B. Martin, Councillor C. Leblanc
Regrets: Councillor D. Moore

1. Call to Order
Mayor Thompson called the meeting to order at 7:02 p.m.

2. Disclosure of Pecuniary Interest
Councillor Martin declared a conflict on item 6.1 as the owner of an adjacent property.

6.2 Budget Amendment
Moved by Councillor Leblanc
Seconded by Councillor Singh
THAT Council amend the 2023 budget to add $45,000 for sidewalk repairs.
Recorded vote: Yeas: Thompson, Singh, Leblanc. Nays: Martin.
CARRIED
"""

YARROW = "# Yarrow Shire Council\n\n" + AUSTRALIAN

MAPLE_FALLS = """# Board of Commissioners of Maple County, Regular Meeting

Minutes of March 7, 2023

Members Present: Commissioner Ann Lee, Commissioner Bob Ortiz, Commissioner Carl Young
Excused: Commissioner Eva Hart

1. Budget transfer
A motion was made by Commissioner Lee and seconded by Commissioner Ortiz to approve the budget transfer of $12,000. The motion passed unanimously.
"""


@pytest.fixture(scope="module")
def searcher(tmp_path_factory, real_embedder):
    folder = tmp_path_factory.mktemp("forms")
    corpus = folder / "corpus"
    corpus.mkdir()
    for name, text in [("elmhurst-council-2023-06-05.md", ELMHURST), ("yarrow-council-2023-05-17.md", YARROW),
                       ("maple-county-board-2023-03-07.md", MAPLE_FALLS)]:
        (corpus / name).write_text(text, encoding="utf-8")
    assert not Ingester(folder / "index", embedder=real_embedder, progress=False).run([corpus]).failed
    s = Searcher(Path(folder / "index"), embedder=real_embedder)
    yield s
    s.store.close()


@pytest.mark.parametrize("question, document, quote", [
    ("Who sent regrets to the Elmhurst council meeting?", "elmhurst-council-2023-06-05.md",
     "Regrets: Councillor D. Moore"),
    ("Who chaired the Elmhurst council meeting?", "elmhurst-council-2023-06-05.md",
     "Mayor Thompson called the meeting to order at 7:02 p.m."),
    ("Who moved the road resealing program in Yarrow?", "yarrow-council-2023-05-17.md", "Moved: Cr Nguyen"),
    ("Who voted against the Elmhurst budget amendment?", "elmhurst-council-2023-06-05.md", "Nays: Martin."),
    ("Who seconded the budget transfer of the Maple County board?", "maple-county-board-2023-03-07.md",
     "seconded by Commissioner Ortiz"),
])
def test_business_of_other_countries_minutes_is_answered_from_the_structure(searcher, question, document, quote):
    a = searcher.ask(question).answer
    assert a is not None and a.fact is not None, question
    assert Path(a.document).name == document and quote in a.text, a.text
    assert "Minutes" not in a.text.split("\n")[0], "the meeting's title is the citation's, not the quote's"
