"""Synthetic but realistic minutes text: sentences from templates over a policing-governance vocabulary.

A passage is decided by two seeds: its ``shape`` (which templates, in which order) and its ``fill``
(the names, numbers, places and topics put in them). Passages of one shape and different fills read
as the same discussion in another month, which is what lets a benchmark reuse one real embedding
for many passages without the text and the vector disagreeing much.
"""
from __future__ import annotations

import random

ROLES = [("Police and Crime Commissioner", "PCC"), ("Chief Constable", "CC"),
         ("Deputy Chief Constable", "DCC"), ("Assistant Chief Constable", "ACC"),
         ("Chief Finance Officer", "CFO"), ("Chief Executive", "CEX"), ("Head of Corporate Communications", "HCC"),
         ("Director of Enabling Services", "DES"), ("Head of Professional Standards", "PSD"),
         ("Deputy Police and Crime Commissioner", "DPCC"), ("Head of Estates", "HOE"),
         ("Chief Superintendent", "CSupt")]
NAMES = ["John Campion", "Rachel Jones", "Anthony Bangham", "Julian Moss", "Gareth Boulton", "Amanda Blakeman",
         "Richard Cooper", "Helen Wright", "Priya Shah", "Tom Harding", "Sarah Okafor", "Mark Ellis",
         "Fiona Grant", "David Price", "Aisha Khan", "Colin Bright", "Megan Lloyd", "Peter Nash", "Ruth Adeyemi",
         "Simon Clarke", "Joanne Parry", "Neil Osborne", "Laura Fitzgerald", "Owen Hughes"]
TOPICS = ["101 call handling", "999 response times", "the ICT outage", "fleet replacement", "custody provision",
          "domestic abuse outcomes", "rural crime", "knife crime", "road safety", "the estates strategy",
          "the precept", "the revenue budget", "overtime spending", "officer recruitment", "police staff vacancies",
          "officer wellbeing", "stop and search", "body-worn video", "victim satisfaction",
          "neighbourhood policing", "cyber crime", "drone deployment", "the control room", "firearms licensing",
          "anti-social behaviour", "the Uplift programme", "sickness absence", "complaints handling",
          "vetting backlogs", "the mobile data project", "hate crime reporting", "county lines",
          "violence against women and girls", "the capital programme", "shoplifting", "missing persons",
          "mental health demand", "the custody suite refurbishment", "speed enforcement", "youth diversion"]
AREAS = ["Herefordshire", "Shropshire", "Telford", "Worcester", "Redditch", "Kidderminster", "Hereford", "Ludlow",
         "Bromsgrove", "Wyre Forest", "Malvern", "Oswestry", "Evesham", "Leominster", "Bridgnorth", "Shrewsbury"]
THINGS = ["burglaries", "vehicle crimes", "calls to 101", "emergency calls", "arrests", "complaints",
          "stop and search encounters", "reports of anti-social behaviour", "missing person reports",
          "domestic abuse incidents", "drink-drive offences", "hate crimes", "thefts from shops",
          "assaults on officers",
          "applications", "new recruits", "Freedom of Information requests", "custody detentions"]
PROJECTS = ["new control room system", "body-worn video rollout", "fleet electrification", "custody refurbishment",
            "records management system", "estates rationalisation", "mobile data upgrade", "training centre",
            "digital evidence platform", "firearms range", "new Hereford station", "contact management platform"]
CAUSES = ["a supplier failure", "a power outage at the data centre", "staff shortages", "late delivery of vehicles",
          "a change in national guidance", "planning delays", "higher than expected demand", "a software fault",
          "industrial action", "the cost of energy", "sickness in the team", "a recruitment freeze"]
TRENDS = ["risen", "fallen", "increased", "decreased", "improved", "deteriorated", "stayed broadly level"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
BODIES = ["Monthly Assurance Meeting", "Police and Crime Panel", "Joint Audit Committee", "Performance Board",
          "Estates Board", "Ethics Committee"]

TEMPLATES = [
    "The {role} reported that {topic} had {trend} by {pct}% compared with {month} {year}.",
    "{name} ({acr}) confirmed that the {project} would be completed by {month} {year}.",
    "Action: {acr} to provide an update on {topic} to the next meeting.",
    "Members asked whether the budget of £{money} for {topic} would be sufficient in {year}/{yy}.",
    "The panel noted that {count} {thing} had been recorded in {area} during {month}.",
    "It was agreed that {topic} would be added to the agenda for the {month} meeting.",
    "The {role} explained that the delay to the {project} was caused by {cause}.",
    "{count} officers had completed training on {topic} since {month}.",
    "Performance against the {pct}% target for {topic} stood at {pct2}% at the end of {month}.",
    "The {acr} asked for assurance that {topic} in {area} was being given sufficient priority.",
    "{name} said that {count} {thing} were waiting to be reviewed, down from {count2} in {month}.",
    "The average time to answer was {secs} seconds, against a target of {secs2} seconds.",
    "A report on {topic} would be brought to the {body} in {month} {year}.",
    "The {role} advised that an independent review of {topic} had been commissioned.",
    "There had been {count} {thing} in {area}, which was {pct}% higher than the same period last year.",
    "Concern was raised about the impact of {cause} on {topic}.",
    "The {acr} thanked {name} for the detailed update on {topic}.",
    "Savings of £{money} had been identified in the {project} business case.",
    "The minutes of the meeting held on {day} {month} {year} were agreed as a true record.",
    "{name} ({acr}) noted that {topic} remained a force priority for {year}.",
    "The next meeting of the {body} will be held on {day} {month} {year} at {hour}:{minute}.",
    "It was reported that {count} {thing} had been resolved within {days} days.",
    "The {role} undertook to share the {topic} dashboard with members before the {month} meeting.",
    "Members welcomed the {pct}% improvement in {topic} in {area}.",
    "The {acr} queried why {thing} in {area} had {trend} since {month}.",
    "A pilot of the {project} would start in {area} in {month} {year}.",
]


class Filler:
    """Values for template slots, all drawn from one seeded generator."""

    def __init__(self, seed: int):
        self.r = random.Random(seed)

    def values(self) -> dict[str, str]:
        r = self.r
        role, acr = r.choice(ROLES)
        year = r.randint(2019, 2025)
        return {
            "role": role, "acr": acr, "name": r.choice(NAMES), "topic": r.choice(TOPICS), "area": r.choice(AREAS),
            "thing": r.choice(THINGS), "project": r.choice(PROJECTS), "cause": r.choice(CAUSES),
            "trend": r.choice(TRENDS), "month": r.choice(MONTHS), "year": str(year), "yy": f"{(year + 1) % 100:02d}",
            "pct": str(r.randint(2, 95)), "pct2": str(r.randint(40, 99)), "money": f"{r.randint(12, 9800) * 1000:,}",
            "count": str(r.randint(3, 2400)), "count2": str(r.randint(3, 2400)), "secs": str(r.randint(5, 240)),
            "secs2": str(r.choice([10, 20, 30, 60])), "body": r.choice(BODIES), "day": str(r.randint(1, 28)),
            "hour": str(r.randint(9, 16)), "minute": r.choice(["00", "15", "30", "45"]), "days": str(r.randint(2, 60)),
        }


def passage(shape: int, fill: int, sentences: tuple[int, int] = (6, 9)) -> str:
    """One chunk-sized passage (about 100 to 180 word pieces)."""
    s = random.Random(shape)
    n = s.randint(*sentences)
    chosen = [s.randrange(len(TEMPLATES)) for _ in range(n)]
    f = Filler(fill * 7919 + shape)
    return " ".join(TEMPLATES[t].format(**f.values()) for t in chosen)


def meeting_header(seed: int) -> tuple[str, str, str]:
    """(title, ISO date, item label) for a synthetic meeting."""
    r = random.Random(seed)
    body = r.choice(BODIES)
    year, month = r.randint(2019, 2025), r.randint(1, 12)
    topic = r.choice(TOPICS)
    item = f"{r.randint(1, 9)}.{r.randint(1, 6)} {topic[:1].upper()}{topic[1:]}"
    return f"{body} {MONTHS[month - 1]} {year}", f"{year}-{month:02d}-{r.randint(1, 28):02d}", item


QUESTIONS = [
    "What was the target for {topic}?",
    "When will the {project} be completed?",
    "How many {thing} were recorded in {area}?",
    "What did the {role} say about {topic}?",
    "What actions were given to the {role}?",
    "Was the budget for {topic} sufficient?",
    "Why was the {project} delayed?",
    "When is the next meeting of the {body}?",
    "How long did it take to answer 101 calls?",
    "Has {topic} improved in {area}?",
    "Who gave the update on {topic}?",
    "What savings were found in the {project}?",
    "Is {topic} still a priority for the force?",
    "What did the {acr} ask about {thing} in {area}?",
    "Where will the {project} pilot start?",
    "What was said about the power cut and {cause}?",
]


def questions(n: int, seed: int = 1) -> list[str]:
    """``n`` varied questions of the kind officers ask of these minutes."""
    f = Filler(seed)
    r = random.Random(seed)
    return [r.choice(QUESTIONS).format(**f.values()) for _ in range(n)]
