"""Patterns for web and wire boilerplate in news text, grouped by the reason they give.

Whole-line rules see one stripped line; they are limited to short lines, so that an
article sentence which merely mentions a photo, an agency or a bonus stays.
"""
from __future__ import annotations

import re

AGENCIES = {
    "afp": "AFP",
    "agence france-presse": "AFP",
    "agence france presse": "AFP",
    "reuters": "Reuters",
    "thomson reuters": "Reuters",
    "ap": "AP",
    "associated press": "AP",
    "the associated press": "AP",
    "pti": "PTI",
    "ians": "IANS",
    "ani": "ANI",
    "yonhap": "Yonhap",
    "xinhua": "Xinhua",
    "dpa": "dpa",
    "efe": "EFE",
    "ansa": "ANSA",
    "kyodo": "Kyodo",
    "tass": "TASS",
    "bloomberg": "Bloomberg",
    "upi": "UPI",
}
_AGENCY_TAGS = r"AFP|Reuters|AP|PTI|IANS|ANI|Yonhap|Xinhua|dpa|DPA|EFE|ANSA|Kyodo|TASS|Bloomberg|UPI"

# (reason, pattern, max words of the line)
LINE_RULES: list[tuple[str, re.Pattern, int]] = [
    ("advertisement", re.compile(r"^\d{1,4}\s?%.*\bbonus\b", re.I), 20),
    ("advertisement", re.compile(r"\b(deposit bonus|free spins|casino bonus|bet now|promo code)\b", re.I), 15),
    ("advertisement", re.compile(r"^(advertisement|advertising|sponsored( content)?|promoted( content)?|paid (content|post)|ad)$", re.I), 3),
    ("copyright", re.compile(r"(all (reproduction and representation )?rights reserved|copyright\s*(©|\(c\))?\s*\d{4}|©\s*\(?\d{4}\)?)", re.I), 30),
    ("caption", re.compile(r"©\s*[^©]{1,80}$"), 40),
    ("photo_credit", re.compile(r"^\(?(file\s+)?(photo|photograph|image|picture|pic|video)s?(\s+credit)?\s*(:|from\b|by\b|courtesy\b|credit\b)", re.I), 15),
    ("agency_credit", re.compile(r"^\(?(with (additional )?inputs from|inputs from|with agency inputs|(additional )?reporting by|edited by|editing by|written by|compiled by)\b", re.I), 30),
    ("navigation", re.compile(
        r"^(view all|post navigation|impact shorts|read more|read also|also read|more stories|related( articles| stories| news| posts)?"
        r"|next( article| post| story)?|previous( article| post| story)?|back to top|skip to (main )?content|top stories|trending( now)?"
        r"|latest news|you may also like|recommended( for you| stories)?|most read|most popular|see also|click here\b.*|tap here\b.*"
        r"|follow us( on)?\b.*|(subscribe|sign up)\b.*\b(newsletter|alerts|updates)\b.*|download (our|the) app\b.*|watch( the)? video)[:.!]?$",
        re.I), 12),
    ("share_widget", re.compile(r"^((share|tweet|facebook|twitter|x|whatsapp|linkedin|telegram|email|e-mail|print|copy link)\s*[|·•,/]?\s*)+$", re.I), 10),
]

BYLINE = re.compile(r"^(By|BY|Written by)\s+[A-Z][\w.'’-]+(\s+[A-Z][\w.'’-]+){0,3}(\s*(,|\||and|in)\s+[A-Z][^.!?]*)?$")
BYLINE_MAX_WORDS = 12
BYLINE_LINES = 3  # bylines stand in the first lines of an article

GLUED_NAVIGATION = re.compile(r"^(View All|Read More|Also Read|Read Also|Advertisement|READ MORE|ALSO READ)(?=[A-Z“\"‘'])")

MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Z.'’ -]*[A-Z])"
    rf"(?:\s*,\s*(?P<date>{MONTH}\s+\d{{1,2}}(?:,\s*\d{{4}})?))?"
    r"(?:\s*\((?P<agency>[A-Za-z][A-Za-z .-]{1,30})\))?"
    r"\s*[—–-]{1,2}\s+"
)
TRAILING_AGENCY = re.compile(rf"(?:\s*[—–-]{{1,2}}\s*|\s*/\s*|\s*\()(?P<agency>{_AGENCY_TAGS})\)?\s*$")
CREDITED_AGENCY = re.compile(r"©\s*(?:\(\d{4}\)\s*)?(?P<agency>[A-Za-z][A-Za-z .-]{1,40}?)(?=\s*[–—/-]|\s*$)")
SENTENCE_END = re.compile(r"[.!?…:;,][\"'”’»)\]]*$")
HEADING_MAX_WORDS = 12
