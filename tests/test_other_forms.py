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


WEXCOMBE = """# Wexcombe District Council - Planning Committee

Minutes of the meeting held on Wednesday 14 February 2024 at 6.00 pm in the Council Chamber, Wexcombe.

Present: Councillors P Adams (Chair), R Baker, S Clarke, T Davies, U Evans and V Fox.

Officers: Head of Planning (M Osei), Democratic Services Officer (J Irving).

5. 23/01187/FUL - Land at Mill Lane, Wexcombe

It was proposed by Councillor Baker and seconded by Councillor Evans that the application be refused on highway
safety grounds.

RECORDED VOTE
For: Councillors Baker and Evans (2)
Against: Councillors Adams, Davies and Fox (3)
Abstain: Councillor Clarke (1)

The motion was LOST.
"""

GLENARDEN = """# Glenarden Community Council

Minute of meeting held in Glenarden Village Hall on Monday 4 March 2024 at 7.30pm

Sederunt: Alasdair Munro (Convener), Fiona Ross (Secretary), Callum Fraser (Treasurer), Morag Stewart

Apologies: Kirsty Bain, Hamish Reid

1. Police report

PC Dunn reported 6 incidents in the area since the last meeting.
"""

CEDAR_RIDGE = """# Cedar Ridge Unified School District - Board of Education

Regular Meeting Minutes - Tuesday, February 27, 2024

## Call to Order

Board President Dana Whitfield called the meeting to order at 6:32 p.m. in the District Office Board Room.

## Roll Call

Present: Dana Whitfield, Luis Ortiz, Mei Chen, Grant Walker, Priya Kim
Absent: Tom Reyes
Staff present: Superintendent Alan Brooks; Recording Secretary Joan Pike

## Consent Agenda

Motion by Board Member Ortiz, seconded by Board Member Chen, to approve the consent agenda as presented.
Ayes: Ortiz, Chen, Walker, Kim, Whitfield. Nays: None. Absent: Reyes. Motion carried 5-0.

## New Business

### 5.1 Approval of the 2024-25 School Calendar

Superintendent Brooks presented two calendar options. Board Member Walker moved to adopt Option B; Board Member Kim seconded.
Ayes: Walker, Kim, Whitfield. Nays: Ortiz, Chen. Motion carried 3-2.

### 5.2 Bus Replacement Purchase

Motion by Board Member Chen, seconded by Board Member Walker, to authorize the purchase of four electric school buses at a total cost of $1,480,000, funded in part by a state clean transportation grant of $900,000.
Ayes: Chen, Walker, Kim, Whitfield. Nays: None. Abstain: Ortiz. Motion carried 4-0-1.

## Adjournment

There being no further business, the meeting was adjourned at 8:47 p.m.

Next regular meeting: Tuesday, March 12, 2024 at 6:30 p.m., District Office Board Room.
"""


HARBOURSIDE = """# Harbourside Food Bank - Board of Trustees

Minutes of the Board meeting, 18 January 2023, held on Zoom

Trustees present: Ruth Okafor (Chair), Ben Lowry (Treasurer), Sana Mirza
Apologies: Janet Wells (illness)

1. Operations

2,316 food parcels were issued in December, up 18% on December 2021.
"""


OAK_HOLLOW = """# Village of Oak Hollow Board of Trustees - Regular Meeting Minutes

**Date:** Monday, April 8, 2024
**Location:** Village Hall, 12 Main Street

## Call to Order
Village President Dana Kowalski called the meeting to order at 7:02 p.m.

## Roll Call
Present: President Kowalski, Trustees Ellis, Moreno, Patel and Whitfield.
Absent: Trustee Grant.
Also present: Village Clerk Maria Santos, Village Attorney Ben Rourke.

## Approval of Minutes
M/S/C (Ellis/Moreno) to approve the minutes of March 25, 2024 as presented.

## New Business

### Water Main Replacement – Elm Street
Public Works Director Tom Harlan presented three bids for the Elm Street water main replacement. The lowest responsible bid was from Crestline Utilities at $412,600.
Motion made by Trustee Patel, seconded by Trustee Whitfield, to award the contract to Crestline Utilities in the amount of $412,600.
Roll call vote: Trustee Ellis – aye; Trustee Moreno – aye; Trustee Patel – aye; Trustee Whitfield – nay. Motion carried 3-1.

### Sidewalk Café Ordinance
Upon motion by Trustee Moreno, seconded by Trustee Ellis, and carried unanimously, the Board adopted Ordinance 2024-07 permitting sidewalk cafés on Main Street from May 1 to October 31.

### Parks Fee Waiver
A motion was made by Trustee Whitfield, seconded by Trustee Patel, to waive the pavilion fee for the Oak Hollow Lions Club. The motion failed 2-2, with Trustees Ellis and Moreno voting no.

## Adjournment
There being no further business, the meeting was adjourned at 8:17 p.m. on a motion by Trustee Ellis, seconded by Trustee Moreno.

Next meeting: Monday, April 22, 2024 at 7:00 p.m., Village Hall.
"""


FERNSIDE = """# Fernside Residents' Association
## Annual General Meeting – 15 October 2024, St Luke's Church Hall

Attendance: 34 members. Apologies: Ruth Adeyemi, Colin Marsh, Pat O'Neill.

1. Welcome
The Chair, Helen Greaves, welcomed members and opened the meeting at 7.30pm.

2. Minutes of the 2023 AGM
Agreed as a true record (proposed Jim Taylor, seconded Sue Park).

3. Treasurer's report
The Treasurer, Raj Bhatt, reported a balance of £3,216.40 at 30 September 2024, up from £2,870.15 a year earlier. The accounts were accepted (proposed Ann Lowe, seconded Jim Taylor).

4. Election of officers
Chair: Helen Greaves (re-elected unopposed).
Secretary: Tom Fielding (proposed Sue Park, seconded Ann Lowe).
Treasurer: Raj Bhatt (re-elected unopposed).

5. Subscriptions
It was moved and seconded (Jim Taylor / Ann Lowe) that the annual subscription rise from £5 to £6. Carried, 28 for, 4 against, 2 abstentions.

6. Any other business
Members raised parking on Fern Road; the committee will write to the council.

The meeting closed at 9.05pm. Next AGM: October 2025.
"""


HARROWGATE = """# Harrowgate Borough Council – Licensing Committee

Minutes of the meeting held on Wednesday 10 April 2024 at 10.00am in Committee Room 1, Town Hall

| Member | Attendance |
|---|---|
| Cllr A Patterson (Chair) | Present |
| Cllr B Greene (Vice-Chair) | Present |
| Cllr C Holt | Apologies |
| Cllr D Kaur | Present |
| Cllr E Moss | Absent |

Officers: Licensing Manager (J Reed), Solicitor (M Tan), Democratic Services Officer (H Lowe)

## 1. Declarations of interest
Cllr Kaur declared a non-pecuniary interest in item 3 as she lives near the premises.

## 2. Minutes
The minutes of 13 March 2024 were confirmed as a correct record.

## 3. Application for a premises licence – The Anchor, 12 Quay Street
The Licensing Manager presented the application for late-night refreshment until 02:00 on Fridays and Saturdays. Four representations had been received from residents.
Cllr Greene moved that the licence be granted with the hours reduced to 00:30, and Cllr Kaur seconded. On being put to the vote the motion was carried (3 for, 1 against).
RESOLVED: That the premises licence be granted with late-night refreshment until 00:30 on Fridays and Saturdays.

## 4. Actions

| Ref | Action | Owner | Due |
|---|---|---|---|
| LC24/07 | Write to the applicant confirming the decision | Licensing Manager | 17 April 2024 |
| LC24/08 | Report on taxi licensing fees | Licensing Manager | 12 June 2024 |

## 5. Date of next meeting
Wednesday 12 June 2024 at 10.00am.

The meeting closed at 11.25am.
"""


RIVERTON = """# City of Riverton – City Commission Regular Meeting

Minutes – May 20, 2024 – 6:00 p.m. – Commission Chambers

PRESENT: Mayor Linda Cho; Mayor Pro Tem Victor Hale; Commissioners Ana Ruiz, Greg Olsen and Tasha Bell.
STAFF: City Manager Paul Ito; City Attorney Rena Frost; City Clerk Omar Diaz.

1. CALL TO ORDER
Mayor Cho called the meeting to order at 6:01 p.m.

2. CONSENT AGENDA
Commissioner Ruiz moved, seconded by Commissioner Olsen, to approve the consent agenda. The motion passed unanimously.

3. PUBLIC HEARING – REZONING 400 RIVER ROAD
The public hearing opened at 6:12 p.m. Two residents spoke against the rezoning, citing traffic.
Commissioner Bell moved to deny the rezoning of 400 River Road; Mayor Pro Tem Hale seconded. The motion passed 3-2, with Mayor Cho and Commissioner Olsen dissenting.

4. BUDGET AMENDMENT NO. 3
City Manager Ito presented Budget Amendment No. 3, which adds $1.2 million for stormwater repairs funded from the general fund balance.
Commissioner Olsen moved approval; Commissioner Ruiz seconded. Motion passed 5-0.
Commissioner Bell left the meeting at 7:40 p.m.

5. RECESS
The Commission recessed at 7:45 p.m. and reconvened at 7:55 p.m.

6. CITY MANAGER REPORT
Mr Ito reported that the new fire station on Elm Avenue would open on July 1, 2024.

7. ADJOURNMENT
There being no further business, Mayor Cho adjourned the meeting at 8:20 p.m.

The next regular meeting will be held on June 3, 2024 at 6:00 p.m.
"""


# Hard-wrapped as a PDF's text comes out.
ASHWORTH = """MINUTES OF THE MEETING OF ASHWORTH PARISH COUNCIL HELD ON
MONDAY 9 SEPTEMBER 2024 AT 7.30PM IN THE VILLAGE HALL

PRESENT: Cllr M Barnes (Chairman), Cllr S Holloway, Cllr T Jenkins,
Cllr A Kowalczyk, Cllr R Nolan
IN ATTENDANCE: Mrs P Whitlock (Clerk), 3 members of the public

24/101 APOLOGIES FOR ABSENCE
Apologies were received from Cllr D Fairbrother (holiday) and Cllr
K Osborne (work commitments).

24/102 DECLARATIONS OF INTEREST
Cllr Jenkins declared a personal interest in item 24/106 as a member
of the allotment association.

24/103 MINUTES
The minutes of the meeting held on 8 July 2024 were approved and
signed by the Chairman. Proposed Cllr Holloway, seconded Cllr Nolan,
all in favour.

24/104 PLAYGROUND
The Clerk reported that the annual inspection had found the
zip wire cable worn. Three quotes had been obtained. It was
proposed by Cllr Kowalczyk and seconded by Cllr Barnes that the
quote from Safeplay Ltd of £1,460 plus VAT be accepted. Carried
unanimously.
ACTION: Clerk to instruct Safeplay Ltd and arrange closure of the zip
wire until the work is complete.

24/105 FINANCE
The Clerk reported a bank balance of £18,742.16 at 31 August 2024.
The payments list was approved (proposed Cllr Nolan, seconded Cllr
Holloway; 4 in favour, 1 against). Cllr Jenkins voted against.

24/106 ALLOTMENTS
Cllr Jenkins left the meeting at 8.20pm. The council agreed to raise
allotment rents from £30 to £35 a year from 1 October 2025. Cllr
Jenkins returned at 8.32pm.

24/107 DATE OF NEXT MEETING
The next meeting will be held on Monday 11 November 2024 at 7.30pm
in the Village Hall.

The meeting closed at 9.05pm.
"""


# A council's minutes as its committee web pages publish them.
KESTREL = """<html><head><title>Minutes - Planning Committee, Tuesday, 14th May, 2024 6.30 pm - Kestrel District Council</title></head>
<body>
<div id="modgov">
<h1>Minutes:</h1>
<p class="mgSubTitleTxt">Planning Committee</p>
<p>Tuesday, 14th May, 2024 6.30 pm</p>
<p>Venue: Council Chamber, Kestrel House</p>
<p><strong>Present:</strong> Councillors R. Ahmed (Chair), J. Bailey (Vice-Chair), L. Carter, M. Dobson, P. Evans and S. Fraser.</p>
<p><strong>Also present:</strong> Councillor T. Grant (Ward Member for item 24).</p>
<p><strong>Officers:</strong> H. Ingram (Head of Planning), K. Jones (Legal Adviser), N. Khan (Committee Clerk).</p>
<h2>21. Apologies for Absence</h2>
<p>Apologies for absence were received from Councillor V. Lewis. Councillor W. Morris attended as substitute.</p>
<h2>22. Declarations of Interest</h2>
<p>Councillor Dobson declared a pecuniary interest in item 24 as the applicant is a client of his firm, and left the chamber for that item.</p>
<h2>23. Minutes</h2>
<p>RESOLVED – That the minutes of the meeting held on 9 April 2024 be approved as a correct record and signed by the Chair.</p>
<h2>24. 23/01456/FUL - Land at Mill Farm, Oakley - Erection of 45 dwellings</h2>
<p>The Head of Planning presented the report, which recommended approval subject to a Section 106 agreement securing 30% affordable housing.</p>
<p>Councillor Grant, as Ward Member, spoke against the application, citing flooding on Mill Lane.</p>
<p>It was moved by Councillor Carter and seconded by Councillor Fraser that the application be refused on the grounds of flood risk, contrary to the officer recommendation.</p>
<p>On being put to the vote there voted: For 4, Against 2, Abstentions 0.</p>
<p>RESOLVED – That application 23/01456/FUL be refused for the reason that the development would increase flood risk on Mill Lane.</p>
<h2>25. Date of Next Meeting</h2>
<p>Tuesday 11 June 2024 at 6.30 pm.</p>
<p>The meeting ended at 8.40 pm.</p>
</div></body></html>
"""


def _greenhill(path: Path) -> None:
    """A housing association's board minutes as Word writes them: the attendance a table with a status column."""
    import docx
    d = docx.Document()
    d.add_heading("Greenhill Housing Association – Board Meeting", 0)
    d.add_paragraph("Minutes of the Board meeting held on Thursday 20 June 2024 at 5.00pm, Greenhill Offices")
    table = d.add_table(rows=1, cols=3)
    for i, h in enumerate(["Name", "Role", "Attendance"]):
        table.rows[0].cells[i].text = h
    for row in [("Sarah Quinn", "Chair", "Present"), ("Imran Baig", "Vice-Chair", "Present"),
                ("Helen Cross", "Board Member", "Apologies"), ("Owen Price", "Board Member", "Present"),
                ("Mark Field", "Company Secretary (minutes)", "In attendance")]:
        cells = table.add_row().cells
        for i, v in enumerate(row):
            cells[i].text = v
    d.add_paragraph("1. Rent setting 2025/26")
    d.add_paragraph("The Chief Executive proposed a rent increase of 2.7% from April 2025. The Board approved the "
                    "increase. Proposed: Imran Baig. Seconded: Sarah Quinn. Carried with one abstention (Owen Price).")
    d.add_paragraph("2. Date of next meeting: Thursday 19 September 2024 at 5.00pm.")
    d.save(str(path))


# Ten routine items, enough to carry the minutes onto a second page.
HIGHWAYS = "\n\n".join(
    f"C/24/04{i} HIGHWAYS MATTER {i}\nMembers discussed the condition of the footway on Castle Street section {i}, "
    "which residents had reported as uneven in several places after the winter, and asked the Clerk to report the "
    "defects to the county council highways team for repair as soon as possible." for i in range(10))


# A town council's minutes as a PDF: a running header and footer on each page, lettered minute numbers.
THORNBURY = """MINUTES OF THE MEETING OF THORNBURY TOWN COUNCIL HELD ON MONDAY 11 MARCH 2024 AT 7.00PM IN THE TOWN HALL

PRESENT: Councillors P Harding (Mayor, in the Chair), J Ellison, K Fraser, L Grant, M Hussain, N Irving and O Jacobs.
IN ATTENDANCE: Mrs Q Kemp (Town Clerk), 6 members of the public.

C/24/031 APOLOGIES FOR ABSENCE
Apologies were received and accepted from Councillors R Lane (family commitment) and S Moss (illness).

C/24/032 DECLARATIONS OF INTEREST
Councillor Fraser declared a non-pecuniary interest in item C/24/036 as a member of the Thornbury Bowls Club.

C/24/033 MINUTES
RESOLVED: That the minutes of the meeting held on 12 February 2024 be approved as a correct record and signed by the Mayor.

C/24/034 FINANCE
The Town Clerk presented the budget monitoring report for the period to 29 February 2024, showing expenditure of GBP 412,300 against a budget of GBP 438,000. It was proposed by Councillor Ellison, seconded by Councillor Irving and RESOLVED to note the report. The Town Clerk reported that the reserves stood at GBP 205,600 at the end of February, which is within the policy range agreed by the council last year.

C/24/035 GRANTS
Members considered four grant applications. It was proposed by Councillor Grant and seconded by Councillor Hussain that grants be awarded to the Thornbury Food Bank (GBP 1,500) and the Youth Football Club (GBP 750). On being put to the vote the motion was carried, 5 voting in favour and 2 against. Councillors Jacobs and Fraser asked that their votes against be recorded.

C/24/036 BOWLS CLUB LEASE
Councillor Fraser left the meeting at 8.05pm. The council agreed to renew the lease of the bowling green to Thornbury Bowls Club for ten years at a rent of GBP 1 a year. Councillor Fraser returned at 8.15pm.

""" + HIGHWAYS + """

C/24/050 DATE OF NEXT MEETING
The next meeting of the Council will be held on Monday 8 April 2024 at 7.00pm in the Town Hall.

The meeting closed at 8.40pm.
"""


def _thornbury(path: Path) -> None:
    from fpdf import FPDF

    class Minutes(FPDF):
        def header(self):
            self.set_font("Helvetica", size=8)
            self.cell(0, 6, "Thornbury Town Council - Full Council - 11 March 2024", align="C")
            self.ln(8)

        def footer(self):
            self.set_y(-15)
            self.set_font("Helvetica", size=8)
            self.cell(0, 6, f"Page {self.page_no()} of {{nb}}", align="C")

    pdf = Minutes()
    pdf.alias_nb_pages()
    pdf.set_auto_page_break(auto=True, margin=20)
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    for para in THORNBURY.split("\n"):
        if para.strip():
            pdf.multi_cell(0, 6, para, new_x="LMARGIN", new_y="NEXT")
        else:
            pdf.ln(4)
    pdf.output(str(path))


@pytest.fixture(scope="module")
def searcher(tmp_path_factory, real_embedder):
    folder = tmp_path_factory.mktemp("forms")
    corpus = folder / "corpus"
    corpus.mkdir()
    for name, text in [("elmhurst-council-2023-06-05.md", ELMHURST), ("yarrow-council-2023-05-17.md", YARROW),
                       ("maple-county-board-2023-03-07.md", MAPLE_FALLS), ("wexcombe-planning-2024-02-14.md", WEXCOMBE),
                       ("glenarden-cc-2024-03-04.md", GLENARDEN), ("cedar-ridge-board-2024-02-27.md", CEDAR_RIDGE),
                       ("harbourside-trustees-2023-01-18.md", HARBOURSIDE),
                       ("oak-hollow-trustees-2024-04-08.md", OAK_HOLLOW), ("fernside-ra-agm-2024-10-15.md", FERNSIDE),
                       ("harrowgate-licensing-2024-04-10.md", HARROWGATE), ("riverton-commission-2024-05-20.md", RIVERTON),
                       ("ashworth-pc-2024-09-09.txt", ASHWORTH), ("kestrel-planning-2024-05-14.html", KESTREL)]:
        (corpus / name).write_text(text, encoding="utf-8")
    _greenhill(corpus / "greenhill-board-2024-06-20.docx")
    _thornbury(corpus / "thornbury-tc-2024-03-11.pdf")
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
    ("Who voted for refusing the Mill Lane application?", "wexcombe-planning-2024-02-14.md",
     "For: Councillors Baker and Evans (2)"),
    ("Who abstained on the Mill Lane application?", "wexcombe-planning-2024-02-14.md", "Abstain: Councillor Clarke (1)"),
    ("Who chaired the Glenarden community council?", "glenarden-cc-2024-03-04.md", "Alasdair Munro (Convener)"),
    ("Who took the minutes at the Cedar Ridge board?", "cedar-ridge-board-2024-02-27.md", "Recording Secretary Joan Pike"),
    # "Elm Street" is a place: the motion that names it answers, not one naming another street.
    ("Who moved to award the Elm Street water main contract?", "oak-hollow-trustees-2024-04-08.md",
     "Motion made by Trustee Patel"),
    ("Who voted against the water main contract?", "oak-hollow-trustees-2024-04-08.md", "Trustee Whitfield – nay"),
    ("Who voted no on the pavilion fee waiver?", "oak-hollow-trustees-2024-04-08.md",
     "with Trustees Ellis and Moreno voting no"),
    ("Who moved approval of the March 25 minutes?", "oak-hollow-trustees-2024-04-08.md", "M/S/C (Ellis/Moreno)"),
    ("Did the pavilion fee waiver pass?", "oak-hollow-trustees-2024-04-08.md", "The motion failed 2-2"),
    ("Who sent apologies to the Fernside AGM?", "fernside-ra-agm-2024-10-15.md", "Apologies: Ruth Adeyemi"),
    ("Who seconded the subscription rise?", "fernside-ra-agm-2024-10-15.md", "moved and seconded (Jim Taylor / Ann Lowe)"),
    ("When did the Fernside AGM close?", "fernside-ra-agm-2024-10-15.md", "The meeting closed at 9.05pm"),
    # An attendance table with a status column: "Apologies" is no one present.
    ("Who sent apologies to the Harrowgate licensing committee?", "harrowgate-licensing-2024-04-10.md",
     "Cllr C Holt\tApologies"),
    ("Who chaired the Harrowgate licensing committee?", "harrowgate-licensing-2024-04-10.md",
     "Cllr A Patterson (Chair)\tPresent"),
    ("Who voted against denying the River Road rezoning?", "riverton-commission-2024-05-20.md",
     "with Mayor Cho and Commissioner Olsen dissenting"),
    ("Who seconded the motion to deny the rezoning of 400 River Road?", "riverton-commission-2024-05-20.md",
     "Mayor Pro Tem Hale seconded"),
    # "the minutes" approved are the motion's topic, not a word for the meeting.
    ("Who seconded the approval of the July minutes at Ashworth?", "ashworth-pc-2024-09-09.txt",
     "Proposed Cllr Holloway, seconded Cllr Nolan"),
    ("Who voted against the Ashworth payments list?", "ashworth-pc-2024-09-09.txt", "Cllr Jenkins voted against."),
    ("When did Cllr Jenkins return to the Ashworth meeting?", "ashworth-pc-2024-09-09.txt",
     "Cllr Jenkins returned at 8.32pm."),
    ("What was the vote on the Mill Farm application?", "kestrel-planning-2024-05-14.html",
     "For 4, Against 2, Abstentions 0"),
    ("When is the next Kestrel planning committee?", "kestrel-planning-2024-05-14.html", "Tuesday 11 June 2024"),
    ("Who took the minutes of the Kestrel planning committee?", "kestrel-planning-2024-05-14.html",
     "N. Khan (Committee Clerk)"),
    ("Who sent apologies to the Greenhill board?", "greenhill-board-2024-06-20.docx", "Helen Cross\tBoard Member\tApologies"),
    ("Who abstained on the Greenhill rent increase?", "greenhill-board-2024-06-20.docx", "one abstention (Owen Price)"),
    # The minutes give only the count: that is what they say of who voted against.
    ("Who voted against the Anchor premises licence?", "harrowgate-licensing-2024-04-10.md",
     "the motion was carried (3 for, 1 against)"),
    # Asked whether someone attended, the row naming them answers: present, apologies or absent.
    ("Did Cllr Osborne attend the Ashworth parish council meeting?", "ashworth-pc-2024-09-09.txt",
     "Cllr K Osborne (work commitments)"),
    ("Was Cllr Nolan present at the Ashworth parish council meeting?", "ashworth-pc-2024-09-09.txt",
     "Cllr R Nolan"),
])
def test_business_of_other_countries_minutes_is_answered_from_the_structure(searcher, question, document, quote):
    a = searcher.ask(question).answer
    assert a is not None and a.fact is not None, question
    assert Path(a.document).name == document and quote in a.text, a.text
    assert "Minutes" not in a.text.split("\n")[0], "the meeting's title is the citation's, not the quote's"


def test_the_words_for_a_meeting_do_not_widen_a_fact_into_the_call_to_order(searcher):
    a = searcher.ask("Who was absent from the Cedar Ridge school board meeting?").answer
    assert a is not None and a.fact == "absent" and "Absent: Tom Reyes" in a.text, a
    assert "called the meeting to order" not in a.text, a.text


def test_a_person_named_is_answered_from_the_meeting_that_names_them_not_the_latest(searcher):
    a = searcher.ask("What reason did Janet Wells give for her apologies?").answer
    assert a is not None and a.fact == "apologies", a
    assert a.document.endswith("harbourside-trustees-2023-01-18.md") and "Janet Wells (illness)" in a.text, a


def test_a_role_asked_of_a_body_named_is_its_holder_there_not_at_the_latest_meeting(searcher):
    a = searcher.ask("Who is the treasurer of Harbourside Food Bank?").answer
    assert a is not None and a.document.endswith("harbourside-trustees-2023-01-18.md"), a
    assert "Ben Lowry (Treasurer)" in a.text, a.text


def test_the_words_asking_for_the_minute_taker_do_not_widen_the_quote_into_the_title(searcher):
    a = searcher.ask("Who was the minute taker at Glenarden?").answer
    assert a is not None and a.fact == "clerk" and a.text.startswith("Sederunt:"), a


def test_a_pdfs_answer_cites_its_page_and_lettered_minute_number(searcher):
    a = searcher.ask("Who voted against the Thornbury grants to the food bank?").answer
    assert a is not None and a.fact == "against" and "Councillors Jacobs and Fraser" in a.text, a
    assert a.page == 1 and a.item and a.item.startswith("C/24/035"), (a.page, a.item)
    a = searcher.ask("When is the next Thornbury town council meeting?").answer
    assert a is not None and "Monday 8 April 2024" in a.text and a.page == 2, a
    assert "Page 1 of 2" not in a.text and "Page 2 of 2" not in a.text
