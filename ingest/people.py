"""Who was at a meeting, who chaired it and who took the minutes."""
from __future__ import annotations

import re

from ingest.model import Attendee

HONORIFIC = r"(?:Mr|Mrs|Ms|Miss|Dr|Prof|Sir|Dame|Lord|Lady|Rev|Hon|Eng(?=\.))\.?"  # "Hon." a member of a legislature, "Eng." an engineer (Kenya)
# "Cr" is how Australian and New Zealand minutes write Councillor.
_COUNCILLOR = re.compile(r"^(?:Cllr\.?|Councillor|Clr\.?|Cr\.?)\s+", re.I)
# Offices written before a name in a list: "Members Present: Commissioner Ann Lee, Commissioner Bob Ortiz".
_OFFICE_PREFIX = re.compile(r"^(?:Commissioner|Alderman|Alderwoman|Supervisor|Trustee|Council\s*[Mm]ember|Director|Selectman|"
                            r"Selectwoman)\s+(?=[A-Z])")
# "Council Present: Mayor R. Thompson, Councillor A. Singh": the mayor is listed by office.
_MAYOR = re.compile(r"^(?:Deputy\s+|Vice[- ])?Mayor(?:\s+Pro\s+Tem(?:pore)?)?\s+(?=[A-Z])")
# Not inside brackets: "Councillor G Hill (for Councillor J King)" is one person, a substitute.
# "Cllr Mrs P. Haldane" is one person: an honorific after a councillor's title opens no name of its own.
_PERSON_PREFIX = re.compile(rf"(?:(?<=\s)|^)(?<!Cllr\s)(?<!Cllr\.\s)(?<!Councillor\s)(?<!Cr\s)(?<!Cr\.\s)"
                            rf"(?=(?:Cllr\.?|Councillor|Cr\.?|Mayor|{HONORIFIC})\s+[A-Z])(?![^()]*\))")
# "Councillor R Adams in the Chair, Councillors B Brown and C Cole": the chair, named without brackets.
_SEATED = re.compile(r"(?<=[A-Za-z.])\s+in\s+the\s+chair\b(?=\s*(?:[,;]|and\b|$))", re.I)
_PLURAL_ROLE = re.compile(r"^(Councillors|Cllrs\.?|Crs\.?|Commissioners|(?:Council\s+)?Members|Aldermen|Directors|Trustees"
                          r"|Governors|Selectmen)\s+",
                          re.I)
_ROLE_WORDS = frozenset(
    """chair chairman chairperson chairwoman vice vice-chair vice-chairman deputy clerk parish mayor treasurer
    secretary officer manager director commissioner constable chief assistant superintendent inspector member
    warden footpath head senior executive administrator engineer cathaoirleach presiding leader president
    representative county borough district city council councillor committee policy planning finance financial
    responsible person solicitor attorney counsel sergeant controller auditor minutes minute-taker
    operations local policing police crime hall village committee group society club association trust school
    church centre center board panel forum convener convenor recording town democratic services governance pro tem
    tempore alternate""".split()
)
# What may stand between a label and its colon: its translation ("Present / Yn bresennol:", "Apologies /
# Ymddiheuriadau:") or a note in brackets ("Attendees (Councillors):").
LABEL_GLOSS = r"(?:[ \t]*/[ \t]*[^\W\d_][^:/\n]{1,30}|[ \t]*\([^)\n]{1,40}\))?"
_LIST_LABEL = re.compile(
    r"(?:^|(?<=[.:;\t])\s*|(?<=\s))(?<!not\s)(?<!Not\s)(?<!NOT\s)"
    r"(?P<label>(?:Also,?\s+)?in\s+attendance|Attendance|Attendees|(?:Members|Councillors|Those)\s+present(?:\s+were)?"
    r"|Present(?:\s*\([^)\n]{0,40}\))?|Attending[^:\n]{0,40}|(?:Officials?|Officers?|Staff)(?:\s+in\s+attendance)?"
    # Scottish minutes head their list of those present "Sederunt"; a committee lists its substitutes apart.
    r"|Sederunt|Substitutes?(?:\s+members?)?"
    # "Councillors: Cr A (Mayor), Cr B": the members in their own list, which a name with its title opens.
    r"|(?:Councillors|Elected\s+members|Board\s+members|Members|Trustees|Governors|Directors)"
    r"(?=\s*:\s*(?:Cr|Cllr|Councillor|Mr|Mrs|Ms|Miss|Dr|Prof)\.?\s+[A-Z]))"
    rf"{LABEL_GLOSS}"
    r"\s*(?::-|:|\s-\s)",
    re.I | re.M,
)
_HEADING_LABEL = re.compile(
    r"^[ \t]*(?:(?:Members|Councillors|Governors|Trustees|Directors|Those)[ \t]+present|Present|Attendance|Attendees"
    r"|In[ \t]+attendance)[ \t]*\n(?:[ \t]*\n)*(?P<body>[^\n]+)", re.M | re.I)
_STOP_LABEL = re.compile(
    r"\s(?=(?:Also,?\s+)?in\s+attendance\s*:|Absent\s*:|Not\s+present\s*:|(?:\w+\s+){0,2}(?:members|councillors)\s+absent\s*:|Apologies\b|Regrets\s*:|Excused\s*:|Leave\s+of\s+absence\s*:|Members\s+of\s+the\s+public\s*:|Public\s*:"
    r"|(?:Officials|Officers)\s+in\s+attendance)",
    re.I,
)
_TABLE_HEADING = re.compile(
    r"^(?:name|members?\tattendance|(?:officers|officials|staff|councillors|governors|trustees|directors)\s+present|attendance|(?:also\s+)?present|attendees|(?:also\s+)?in attendance|members present)\b\s*:?(?:\s|$)", re.I
)
# An attendance table's status column: "Present", or "Apologies" / "Absent" (read as such by attendance.py).
PRESENT_STATUS = re.compile(r"(?i:present|attended|in[ \t]+attendance|yes|y|\u2713|\u2714)")
ABSENT_STATUS = re.compile(r"(?i:apologies(?:[ \t]+(?:received|given|sent))?|apology|sent[ \t]+apologies|absent"
                           r"(?:[ \t]+with(?:out)?[ \t]+apologies)?|not[ \t]+present|no|n|x)")
_NAME_DASH_ROLE = re.compile(r"(?P<name>[^\u2013\u2014\n]{3,40}?)\s+[\u2013\u2014-]\s+(?P<role>[A-Z][^\u2013\u2014\n]{1,60})")
_OTHER_LIST = re.compile(r"(?:apolog\w*|regrets|excused|absent|not\s+present|leave\s+of\s+absence)\b[^\n]{0,30}:?\s*$",
                         re.I)
_COLUMN_NAMES = frozenset({"name", "capacity", "role", "position", "title", "organisation", "attendance", "status"})
_ACR_TOKEN = re.compile(r"^[A-Z][A-Za-z]{0,1}[A-Z]{1,4}$")
_ROLE_THEN_NAME = re.compile(rf"(?P<role>[^()]+?)\s*\((?P<name>{HONORIFIC}\s[^()]+)\)")
# "Town Clerk (K Lomas)", "The Mayor (Councillor R Sandhu) in the Chair": an office with its holder in brackets.
_OFFICE_HOLDER = re.compile(r"(?:[Tt]he\s+)?(?P<role>[A-Z][^()]{1,50}?)\s*\((?P<name>[^()]{2,40})\)"
                            r"(?P<chair>\s+in\s+the\s+[Cc]hair)?")
_NAME_THEN_ACR = re.compile(r"(?P<name>[A-Z][\w'\u2019.-]*(?:\s+[A-Z][\w'\u2019.-]*){0,3})\s*\((?P<acr>[A-Z][A-Za-z]{1,5})\)")


# --- attendees ---------------------------------------------------------------


def find_attendees(text: str, region_end: int) -> list[Attendee]:
    """Attendees from the attendance table and the "Present:" style lists before ``region_end``."""
    region = text[:region_end]
    people = _from_table(region)
    for m in _LIST_LABEL.finditer(region):
        label = m.group("label").lower()
        if "chair" in region[m.end():m.end() + 12].split("\n")[0].lower():
            continue
        column = _column(region, m.end())
        body = _list_body(region, m.end())
        if not body or "\t" in body:  # a table row, read with the table
            continue
        found = [p for line in column for p in column_person(line)] if column else parse_people(body, None)
        if "councillor" in label:
            for person in found:
                person.role = person.role or "Councillor"
        people.extend(found)
    for m in _HEADING_LABEL.finditer(region):
        column = _column(region, region.index("\n", m.start()))
        if column and _LIST_NUMBER.match(column[0]):   # "MEMBERS PRESENT" over "1. Hon. Peter Langat, MCA"
            people.extend(p for line in column for p in column_person(line))
            continue
        body = m.group("body").strip()
        # "Members present" as a heading, the list the paragraph below it, opened by a title
        if "\t" not in body and (_PERSON_PREFIX.match(body) or _PLURAL_ROLE.match(body)):
            people.extend(parse_people(body, None))
    seen: set[str] = set()
    unique: list[Attendee] = []
    for person in people:
        key = person.name.lower()
        if key not in seen:
            seen.add(key)
            unique.append(person)
    return unique


def attendance_start(text: str, end: int) -> int | None:
    """Where the attendance list begins: its first label ("Present:") or table heading before ``end``."""
    found = [m.start("label") for m in _LIST_LABEL.finditer(text, 0, end)][:1]
    offset = 0
    for line in text[:end].split("\n"):
        stripped = line.strip()
        if stripped and _TABLE_HEADING.match(stripped) and (len(stripped.split()) <= 4 or "\t" in stripped):
            found.append(offset + line.index(stripped[0]))
            break
        offset += len(line) + 1
    return min(found) if found else None


def is_role(text: str) -> bool:
    """Whether ``text`` is only role words ("Vice Chair", "District Borough"), no person's name."""
    words = re.findall(r"[A-Za-z][A-Za-z'-]*", text)
    return bool(words) and all(w.lower() in _ROLE_WORDS or w.lower() in ("and", "of", "the") for w in words)


# A line that starts another list or part of the minutes, under which a column of names stops.
_COLUMN_STOP = re.compile(r"^[ \t]*(?:[^\n:]{0,40}:[ \t]*$|(?!\d{1,2}[.)][ \t]+\D)\d+[.)]?[ \t]|[A-Z][A-Z \t&,'-]{3,}$)")
# "1. Hon. Peter Langat, MCA - Chairperson (Chepkoiyo Ward)": a numbered list of members
_LIST_NUMBER = re.compile(r"^[ \t]*\d{1,2}[.)][ \t]+")


def _column(region: str, start: int) -> list[str]:
    """A list under a label ending its line, one person a line ("PRESENT:\nChair M. Okafor, Electoral
    Area B\nDirector R. Fontaine, City of Port Alder\n..."): its lines, up to a blank line or another label."""
    line_end = region.find("\n", start)
    if line_end < 0 or region[start:line_end].strip():
        return []
    lines = []
    for line in region[line_end + 1:].lstrip("\n").split("\n")[:40]:
        if not line.strip() or _COLUMN_STOP.match(line) or len(line) > 160:
            break
        lines.append(line.strip())
    return lines if len(lines) >= 2 else []


def column_person(line: str) -> list[Attendee]:
    """One line of a column: "Director S. Gill, City of Port Alder (arrived 9:48 a.m.)", the person first
    and what they are or represent after the comma."""
    line = re.sub(r"^[A-Z][\w ]{0,30}:\s*", "", _LIST_NUMBER.sub("", line))  # "Councillors: Aoife Kinsella, Declan Tierney"
    pieces = [p.strip(" .") for p in re.split(r",(?![^()]*\))", line)]
    prefixes = len(_PERSON_PREFIX.findall(line))
    # "Cllr James Whitfield – Deputy Leader; Portfolio Holder for Housing": one person's offices
    if ((";" in line and prefixes != 1) or prefixes >= 2
            or (len(pieces) > 1 and all(_looks_like_name(_strip_paren(p)) and not is_role(_strip_paren(p))
                                        and len(_strip_paren(p).split()) >= 2
                                        and not any(w.lower() in _BODY_WORDS | _ROLE_WORDS
                                                    for w in _strip_paren(p).split()) for p in pieces))):
        return parse_people(line, None)
    first, rest = pieces[0], ", ".join(pieces[1:])
    dashed = _NAME_DASH_ROLE.fullmatch(first)
    if dashed and _looks_like_name(dashed.group("name")):   # "Fiona Greatorex - Chief Executive, Office of the PCC"
        first, rest = dashed.group("name"), ", ".join(x for x in (dashed.group("role"), rest) if x)
    people = parse_people(first, None)
    rest = re.sub(r"\s*\(([^()]*)\)", lambda m: "" if _NOTE.search(m.group(1)) else m.group(0), rest).strip(" .,")
    if len(people) == 1 and rest:
        people[0].role = f"{people[0].role}, {rest}" if people[0].role else rest
    return people


def _list_body(region: str, start: int) -> str:
    line_end = region.find("\n", start)
    line_end = len(region) if line_end < 0 else line_end
    body = region[start:line_end].strip()
    if not body:  # the list is on the line below its label
        nxt = re.match(r"\n+([^\n]+)", region[line_end:])
        body = nxt.group(1).strip() if nxt else ""
    stop = _STOP_LABEL.search(" " + body)
    if stop:
        body = body[:max(0, stop.start() - 1)]
    return body.strip(" .;")


def _from_table(region: str) -> list[Attendee]:
    """People listed one a line under a "Name / Capacity", "Attendance:" or "PRESENT" heading.

    Cells are tab-separated ("Pippa Mills<TAB>Chief Constable (CC)") or run together by a PDF
    extractor ("Dame Alison Hart Chief Constable (CC)", "Cllr Peter Walsh Chair").
    """
    people: list[Attendee] = []
    inside = False
    for line in region.split("\n"):
        stripped = line.strip()
        if not stripped:
            continue
        heading = bool(_TABLE_HEADING.match(stripped)) and (len(stripped.split()) <= 4 or "\t" in stripped)
        if heading:
            inside = True
        elif inside and _OTHER_LIST.match(stripped):
            inside = False      # "Apologies:" under the list of those present starts another list
            continue
        if not inside:
            continue
        cells = [c.strip() for c in stripped.split("\t") if c.strip()]
        cells = [c for c in cells if not c.endswith(":") and c.lower() not in _COLUMN_NAMES]
        if not cells:
            continue
        found = _table_row(cells)
        if found is None:
            if heading:
                continue
            if people:
                break  # the table has ended ("No.<TAB>Item" heads the next one)
            inside = False
            continue
        people.extend(person for person in found if person.name)
    return people


def _table_row(cells: list[str]) -> list[Attendee] | None:
    """The people a row names ([] for a row to skip, "Public Members<TAB>5"); None when it is no person's row."""
    if len(cells) >= 2:
        if not _looks_like_name(_strip_paren(_COUNCILLOR.sub("", cells[0]))):
            return None
        if re.search(r"\d", cells[1]) or ABSENT_STATUS.fullmatch(cells[-1]):
            return []   # "Public Members<TAB>5"; "Cllr C Holt<TAB>Apologies" was not there (attendance.py)
        if PRESENT_STATUS.fullmatch(cells[-1]):   # "Cllr A Patterson (Chair)<TAB>Present"
            return _chunk_people(cells[0]) if len(cells) == 2 else [_person(cells[0], cells[1])]
        return [_person(cells[0], cells[1])]
    row = cells[0]
    dashed = _NAME_DASH_ROLE.fullmatch(row)
    if dashed and _looks_like_name(_strip_paren(_COUNCILLOR.sub("", dashed.group("name")))):
        return [_person(dashed.group("name"), dashed.group("role"))]     # "J Smith – Clerk"
    if _PERSON_PREFIX.match(row) and len(row.split()) <= 12:
        return parse_people(row) if len(_PERSON_PREFIX.findall(row)) > 1 else _chunk_people(row)
    m = re.search(r"\s*\(([A-Z][A-Za-z&]{1,9})\)$", row)
    if m and _is_acronym(m.group(1)):
        tokens = row[:m.start()].split()
        name = _take_name(tokens)
        role = " ".join(tokens[len(name):]).strip(" ,")
        if name and role:
            return [Attendee(" ".join(name).rstrip(","), role, m.group(1))]
    return None


def parse_people(body: str, role: str | None = None) -> list[Attendee]:
    """People in a free-text attendance list, in the forms minutes write them."""
    body = _SEATED.sub(" (in the Chair)", body.strip(" .;"))
    m = _PLURAL_ROLE.match(body)
    if m:
        role = _singular(m.group(1))
        body = body[m.end():]
    parts = re.split(r";(?![^()]*\))", body)   # "(Vice-Chair; until 8.40 pm)" is one person's note
    if len(parts) > 1:  # "Karla Moore-Love, Clerk of the Council; Ben Walters, Chief Deputy City Attorney; and ..."
        people = []
        for part in parts:
            part = re.sub(r"^\s*and\s+", "", part.strip())
            people.extend(parse_people(part, role) if _PLURAL_ROLE.match(part) else _name_comma_role(part))
        return people
    # Both forms need brackets; without any, their lazy scans would retry from every position of a long line.
    if "(" in body and len(_ROLE_THEN_NAME.findall(body)) >= 2:
        return _role_then_name(body)
    if "(" in body and sum(1 for m in _NAME_THEN_ACR.finditer(body) if _is_acronym(m.group("acr"))) >= 2:
        return _name_then_acronym(body)
    if len(_PERSON_PREFIX.findall(body)) >= 2:
        chunks = [c.strip(" ,;") for c in _PERSON_PREFIX.split(body) if c.strip(" ,;")]
        people: list[Attendee] = []
        for chunk in chunks:
            people.extend(_chunk_people(chunk))
        return people
    return _comma_list(body, role)


_NOTE = re.compile(r"\d|\b(?:arrived|left|online|remote|vacancy|apolog|via|zoom|teams|part)", re.I)


def _chunk_people(chunk: str) -> list[Attendee]:
    """One "Cllr Jo Bruce JB Chair" chunk, which may run on into another person without a prefix."""
    mayor = _MAYOR.match(chunk)
    office = mayor.group(0).strip() if mayor else None
    chunk = chunk[mayor.end():] if mayor else chunk
    councillor = bool(_COUNCILLOR.match(chunk))
    chunk = _COUNCILLOR.sub("", chunk).strip(" ,")
    head, _, tail = chunk.partition(",")
    if tail and _starts_person(tail.split()):  # "Tom Reed, Joe Bloggs (Treasurer)"
        first = _chunk_people(("Cllr " if councillor else "") + head)
        return first + parse_people(tail)
    if "," in chunk and not re.match(r"[^,]*\(", chunk):
        person = _name_comma_role(chunk)
        if person:
            if councillor and not person[0].role:
                person[0].role = "Councillor"
            return person
    tokens = chunk.split()
    name_tokens = _take_name(tokens)
    if not name_tokens:
        return []
    rest = tokens[len(name_tokens):]
    acronym = None
    if rest and _ACR_TOKEN.match(rest[0]) and rest[0].lower() not in _ROLE_WORDS:
        acronym, rest = rest[0], rest[1:]
    role_words: list[str] = []
    while rest and rest[0].startswith("("):
        close = next((i for i, t in enumerate(rest) if t.endswith(")")), len(rest) - 1)
        inner = " ".join(rest[:close + 1]).strip("()")
        rest = rest[close + 1:]
        if _is_acronym(inner) and acronym is None:
            acronym = inner
        elif not _NOTE.search(inner):
            role_words.append(inner)
    more: list[Attendee] = []
    if rest and _starts_person(rest):
        more = _chunk_people(" ".join(rest))
        rest = []
    for i in range(1, len(rest)):  # "... BCKLWN Victoria Gray VG Wereham Village Hall Committee"
        if _person_with_acronym(rest[i:]):
            more = _chunk_people(" ".join(rest[i:]))
            rest = rest[:i]
            break
    role_words += rest
    role = " ".join(role_words).strip(" ,-\u2013") or office or ("Councillor" if councillor else None)
    written = re.search(r"\s*\(([A-Z][A-Za-z&]{1,9})\)$", role or "")
    if written and acronym is None and _is_acronym(written.group(1)):  # "Dame Alison Hart Chief Constable (CC)"
        acronym, role = written.group(1), role[:written.start()].strip(" ,") or None
    return [Attendee(" ".join(name_tokens), role, acronym)] + more


def _take_name(tokens: list[str]) -> list[str]:
    """The name at the start of ``tokens``: an optional title, initials and at most two full words."""
    out: list[str] = []
    words = 0
    for token in tokens:
        bare = token.strip(",")
        if not bare or not bare[0].isupper() or bare.lower() in _ROLE_WORDS or bare.startswith("("):
            break
        if out and _ACR_TOKEN.match(bare) and len(bare) >= 2 and not re.fullmatch(r"[A-Z]\.?", bare):
            break
        is_initial = bool(re.fullmatch(r"[A-Z]\.?", bare)) or bool(re.fullmatch(HONORIFIC, bare))
        if not is_initial:
            if words == 2:
                break
            words += 1
        out.append(bare)
        if token.endswith(","):
            break
    return out if words else []


def _starts_person(tokens: list[str]) -> bool:
    if re.fullmatch(HONORIFIC, tokens[0]) or _COUNCILLOR.match(tokens[0] + " "):
        return True
    name = [t for t in tokens[:2] if t[:1].isupper() and t.lower() not in _ROLE_WORDS and not _ACR_TOKEN.match(t)]
    return len(name) == 2 and len(tokens) >= 2


def _person_with_acronym(tokens: list[str]) -> bool:
    return (
        len(tokens) >= 3
        and all(t[:1].isupper() and t.lower() not in _ROLE_WORDS and not _ACR_TOKEN.match(t) for t in tokens[:2])
        and bool(_ACR_TOKEN.match(tokens[2]))
    )


def _is_acronym(text: str) -> bool:
    return bool(re.fullmatch(r"[A-Z][A-Za-z&]{1,9}", text)) and sum(c.isupper() for c in text) >= 2


def _role_then_name(body: str) -> list[Attendee]:
    people: list[Attendee] = []
    for m in _ROLE_THEN_NAME.finditer(body):
        role = m.group("role").strip(" ,;").removeprefix("and ").strip()
        for name in re.split(r"\s+and\s+", m.group("name")):
            people.append(Attendee(name.strip(), role or None))
    return people


def _name_then_acronym(body: str) -> list[Attendee]:
    matches = list(_NAME_THEN_ACR.finditer(body))
    people: list[Attendee] = []
    for n, m in enumerate(matches):
        end = matches[n + 1].start() if n + 1 < len(matches) else len(body)
        role = body[m.end():end].strip(" ,;-\u2013")
        role = re.sub(r"\s*\b(?:and)$", "", role).strip(" ,;-\u2013")
        name = _COUNCILLOR.sub("", m.group("name").strip())
        if _is_acronym(m.group("acr")):
            people.append(Attendee(name, role or None, m.group("acr")))
    return people


def _name_comma_role(part: str) -> list[Attendee]:
    held = _office_holder(part) or _role_led(part)
    if held:
        return [held]
    # A comma inside brackets ("Mr Callum Reid (Operations Manager, taking the minutes)") ends no name.
    name, role = (re.split(r",(?![^()]*\))", part, maxsplit=1) + [""])[:2]
    name = _COUNCILLOR.sub("", name.strip())
    if not _looks_like_name(_strip_paren(name)):
        return []
    # "Tariq Hussain (Non-Executive Director)": _person reads the office in brackets.
    return [_person(name, role.strip(" ."))]


def _comma_list(body: str, role: str | None) -> list[Attendee]:
    people: list[Attendee] = []
    # A comma inside brackets ("A Bell (Mayor, in the Chair)") does not end a person.
    for piece in re.split(r"(?:,\s*(?:and\s+)?|\s+and\s+|\s+&\s+)(?![^()]*\))", body):
        piece = piece.strip(" .")
        # "Maeve Tennant (arrived 6:20 p.m.)": a time in a note is no part of the name
        if not piece or re.search(r"\d", _strip_paren(piece)):
            continue
        plural = _PLURAL_ROLE.match(piece)
        if plural:   # "President Kowalski, Trustees Ellis, Moreno and Patel": the rest are trustees
            role, piece = _singular(plural.group(1)), piece[plural.end():]
        office = _OFFICE_PREFIX.match(piece)
        if office and _looks_like_name(_strip_paren(piece[office.end():])):   # "Commissioner Bob Ortiz"
            people.append(_person(piece[office.end():].strip(), office.group(0).strip()))
            continue
        held = _office_holder(piece) or _role_led(piece)
        if held:
            people.append(held)
            continue
        if piece.split()[0].lower() in _ROLE_WORDS and people and not people[-1].role:
            people[-1].role = piece
            continue
        if any(w.lower() in _BODY_WORDS for w in _strip_paren(piece).split()):
            if people and not people[-1].role:
                people[-1].role = _strip_paren(piece)
            continue
        name = _COUNCILLOR.sub("", piece)
        own_role, acronym = role, None
        note = re.search(r"\s*\(([^)]*)\)$", name)
        if note and not re.fullmatch(r"[A-Z]", note.group(1)):  # "Collins (B)" tells two Collinses apart
            name = name[:note.start()]
            if _is_acronym(note.group(1)):
                acronym = note.group(1)
            elif not _NOTE.search(note.group(1)):
                own_role = note.group(1)
        if _looks_like_name(_strip_paren(name)):
            people.append(Attendee(name.strip(), own_role, acronym))
    return people


def _office_holder(piece: str) -> Attendee | None:
    """ "Town Clerk (K Lomas)": the office outside the brackets, the person inside; not "Ruth Okafor (Chair)"."""
    m = _OFFICE_HOLDER.fullmatch(piece.strip(" .,;"))
    if not m or m.group("role").split()[-1].lower() not in _ROLE_WORDS:
        return None
    name = _COUNCILLOR.sub("", m.group("name").strip())
    if (_is_acronym(name) or not _looks_like_name(name) or _NOTE.search(name)
            or any(w.lower() in _ROLE_WORDS for w in name.split())):
        return None
    return Attendee(name, m.group("role").strip() + (", in the Chair" if m.group("chair") else ""))


def _role_led(piece: str) -> Attendee | None:
    """ "Superintendent Alan Brooks", "Recording Secretary Joan Pike": an office written before a full name."""
    tokens = piece.strip(" .,;").split()
    n = 0
    while n < len(tokens) and tokens[n][:1].isupper() and tokens[n].lower() in _ROLE_WORDS:
        n += 1
    name = tokens[n:]
    if (not n or len(_strip_paren(" ".join(name)).split()) < 2 or any(t.lower() in _ROLE_WORDS for t in name)
            or not _looks_like_name(_strip_paren(" ".join(name)))):
        return None
    # "Mayor Genevieve Arsenault-Clarke (Chair)": the office in brackets joins the one before the name.
    return _person(" ".join(name), " ".join(tokens[:n]))


_AT_TIMES = re.compile(r"\d|\b(?:arrived|left|from|until|online|remote|via|zoom|teams|items?|part|only)\b", re.I)


def _person(name: str, role: str) -> Attendee:
    acronym = None
    m = re.search(r"\s*\(([A-Z][A-Za-z&]{0,9})\)\s*$", role)
    if m:
        acronym, role = m.group(1), role[:m.start()]
    m = re.search(r"\s*\(([A-Z][A-Za-z]{1,5})\)\s*$", name)
    if m and _is_acronym(m.group(1)):
        acronym = acronym or m.group(1)
        name = name[:m.start()]
    held = re.search(r"\s*\(([A-Za-z][^()]{1,40})\)\s*$", name)
    if held and _AT_TIMES.search(held.group(1)) and not any(w.lower() in _ROLE_WORDS for w in held.group(1).split()):
        # "(left 8.30pm)", "(item 6 only)": a note, no office; "(Chair from item 2)" is an office
        name, held = name[:held.start()], None
    if held and not _is_acronym(held.group(1)):
        # "Cllr Margaret Oduya (Chair) – Elmbridge Borough Council": the office in brackets, then whom they represent.
        name = name[:held.start()]
        role = f"{held.group(1)}, {role.strip()}" if role.strip() else held.group(1)
    return Attendee(_COUNCILLOR.sub("", name.strip()), role.strip() or None, acronym)


# Words of the bodies people represent, never of a person's name: "Paul Tierney, Fire Brigades Union".
_BODY_WORDS = frozenset("union unions brigade brigades police society association ltd limited trust services "
                        "partnership federation secretariat executive assembly".split())


def _looks_like_name(text: str) -> bool:
    words = text.split()
    if not 1 <= len(words) <= 5 or re.search(r"\d", text):
        return False
    if len(words) == 1 and text.endswith("."):
        return False
    initial = words[0].rstrip(".") == "A" and len(words) == 2     # "A Bell", "A. Beaulieu": an initial, not the article
    if words[0].lower().strip(".,:") in ("the", "a", "an", "public", "members", "and", "all", "no", "none") and not initial:
        return False
    return all(w[0].isupper() or w.lower() in ("de", "van", "von", "da", "di", "le", "la") for w in words if w[0].isalpha())


def _strip_paren(text: str) -> str:
    return re.sub(r"\s*\([^)]*\)", "", text).strip()


def _singular(word: str) -> str:
    if word.lower().rstrip(".") in ("cllrs", "crs"):
        return "Councillor"
    if word.lower() == "selectmen":
        return "Selectman"
    word = word.capitalize()
    return word[:-1] if word.endswith("s") else word


# --- chair and minute taker ----------------------------------------------------

_CHAIR_LABEL = re.compile(r"^\s*(?:Chair(?:man|person|woman)?|Chaired\s+by|Cathaoirleach|Conven[eo]r|Presiding(?:\s+[Oo]fficer)?|"
                          r"In\s+the\s+[Cc]hair)(?:\s*\([^)\n]{1,30}\))?\s*[:\-\u2013]\s*"
                          r"(?P<name>[^\n,;(]+)", re.I | re.M)
_IN_THE_CHAIR = re.compile(r"present\s+in\s+the\s+chair\s*:?\s*(?P<name>[^\n,;(]+)", re.I)
_PRESIDING = re.compile(r"(?P<name>(?:Mayor|Chair(?:man)?|President|Commissioner|Councillor)?\s*[A-Z][\w'\u2019.-]+(?:\s+[A-Z][\w'\u2019.-]+){0,2}),?\s+Presiding\b")
# A body's name ("Planning Committee") is no minute taker (names.is_collective says as much, but names imports
# this module).
_BODY = re.compile(r"\b(?:Committee|Council|Board|Panel|Commission|Cabinet|Authority|Forum|Association)\b")
_MINUTES_LABEL = re.compile(
    # On the label's line: "Minutes:" over a committee's name is a heading (a council's web page), not a taker.
    r"^[ \t]*(?:Minutes|Minute[- ]taker|Minutes[ \t]+taken[ \t]+by|Notes[ \t]+taken[ \t]+by|Note[- ]taker|Secretary)"
    # "Minutes taken by (Protokoll):": a translation between the label and its colon
    r"(?:[ \t]*\([^)\n]{1,30}\))?[ \t]*[:\-\u2013][ \t]*"
    r"(?P<name>[A-Z][^\n,;(]+)",
    re.I | re.M,
)


CHAIR_OF = re.compile(r"\bchair(?:man|person|woman)?[ \t]+of\b", re.I)


def find_chair(text: str, attendees: list[Attendee]) -> str | None:
    for pattern in (_CHAIR_LABEL, _IN_THE_CHAIR, _PRESIDING):
        m = pattern.search(text)
        if m:
            name = _COUNCILLOR.sub("", m.group("name").strip(" .:"))
            if _looks_like_name(name):
                return name
    chairs = [p for p in attendees if re.search(r"\b(?:chair|chairman|chairperson|chairwoman|cathaoirleach|conven[eo]r)\b",
                                                 (p.role or "").lower())
              and not re.search(r"\b(?:vice|deputy|co)[- ]", (p.role or "").lower())]
    # "Colin Fairbrother - Chair of Audit and Risk Committee" above "Dr Helen Ashworth - Chair": who chairs
    # another body is not the chair of this meeting.
    plain = [p for p in chairs if not CHAIR_OF.search(p.role or "")]
    return (plain or chairs)[0].name if chairs else None


def find_minute_taker(text: str, attendees: list[Attendee]) -> str | None:
    m = _MINUTES_LABEL.search(text)
    if m and _looks_like_name(m.group("name").strip(" .")) and not _BODY.search(m.group("name")):
        return m.group("name").strip(" .")
    for person in attendees:
        if re.search(r"\bminute", person.role or "", re.I):
            return person.name
    return None
