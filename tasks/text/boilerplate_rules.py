"""Patterns for web and wire boilerplate in news text, used by tasks.text.clean.

Whole-line rules see one stripped input line. Each is anchored on the shape of the
boilerplate family (an ad, a credit, a navigation label...) and limited to short lines,
so that an article sentence which merely mentions a photo, an agency, a percentage or
a bonus stays in the text.
"""
from __future__ import annotations

import re

# Wire agencies: spelling (lower case) -> the name stored in documents.agency.
AGENCIES = {
    "afp": "AFP",
    "agence france-presse": "AFP",
    "agence france presse": "AFP",
    "reuters": "Reuters",
    "reuter": "Reuters",
    "thomson reuters": "Reuters",
    "ap": "AP",
    "associated press": "AP",
    "the associated press": "AP",
    "pti": "PTI",
    "press trust of india": "PTI",
    "ians": "IANS",
    "ani": "ANI",
    "yonhap": "Yonhap",
    "yonhap news agency": "Yonhap",
    "xinhua": "Xinhua",
    "dpa": "dpa",
    "deutsche presse-agentur": "dpa",
    "efe": "EFE",
    "agencia efe": "EFE",
    "belga": "Belga",
    "agence belga": "Belga",
    "ansa": "ANSA",
    "kyodo": "Kyodo",
    "kyodo news": "Kyodo",
    "tass": "TASS",
    "bloomberg": "Bloomberg",
    "upi": "UPI",
    "bernama": "Bernama",
    "ats": "ATS",
    "sda": "SDA",
    "apa": "APA",
    "anp": "ANP",
}
# Case-sensitive on purpose: 'AP' must not match inside words or as 'ap'.
AGENCY_NAME = re.compile(
    r"\b(?:Agence France[- ]Presse|AFP|Thomson Reuters|Reuters|REUTERS|(?:The )?Associated Press|AP"
    r"|Press Trust of India|PTI|IANS|ANI|Yonhap(?: News Agency)?|YONHAP|Xinhua|XINHUA|Deutsche Presse-Agentur|dpa|DPA"
    r"|(?:Agencia )?EFE|ANSA|(?:Agence )?Belga|BELGA|Kyodo(?: News)?|KYODO|TASS|Bloomberg|UPI|Bernama|BERNAMA)\b"
)
_AGENCY_TAG = (
    r"(?:AFP|Reuters|REUTERS|AP|PTI|IANS|ANI|Yonhap|YONHAP|Xinhua|XINHUA|dpa|DPA|EFE|ANSA|Belga|BELGA|Kyodo|KYODO"
    r"|TASS|Bloomberg|UPI|Bernama|BERNAMA)"
)

# ---- advertisements -----------------------------------------------------------------
# '200% Deposit Bonus up to €3,000', '100% Welcome Bonus', '50% reload bonus up to $500 + 20 free spins'
CASINO_BONUS_AD = re.compile(
    r"^(?=.*\b(?:deposit|welcome|match|casino|sign-?up|reload|up to)\b)"  # an offer, not '20% of staff got a bonus'
    r"(?:get |claim )?(?:up to )?\d{1,4}\s?%\s+(?:[\w-]+\s+){0,4}bonus\b(?:[^.!?]|\.\d)*$",
    re.I,
)
GAMBLING_AD = re.compile(
    r"^[^.!?]*\b(?:free spins|promo code|bonus code|bet now|play now|claim (?:now|your bonus)|wagering requirements?|t&cs apply)\b[^.!?]*!?$",
    re.I,
)
AD_LABEL = re.compile(
    r"^(?:advertisement|advertising|ad|ads|sponsored(?: content| post| story| links?)?|promoted(?: content| stories)?"
    r"|paid (?:content|post|partnership)|partner content|story continues below(?: this)? advertisement)\W*$",
    re.I,
)

# ---- copyright ----------------------------------------------------------------------
_RIGHTS_RESERVED = r"all (?:[a-z]+ (?:and [a-z]+ )?)?rights reserved"  # also 'All reproduction and representation rights reserved'
COPYRIGHT_LEAD = re.compile(rf"^(?:copyright\b|©\s*\(?(?:19|20)\d\d|\(c\)\s*(?:19|20)\d\d|{_RIGHTS_RESERVED})", re.I)
COPYRIGHT_TAIL = re.compile(rf"(?:{_RIGHTS_RESERVED}|©\s*\(?(?:19|20)\d\d\)?[^©]{{0,60}})\W*$", re.I)

# ---- captions and credits -----------------------------------------------------------
# A caption ends with a short '© CREDIT': '... in Seoul © POOL – JEON HEON-KYUN', '... © AFP/Jane Doe'.
CAPTION_COPYRIGHT_CREDIT = re.compile(r"©\s*(?P<credit>[^\s©]+(?:\s+[^\s©]+){0,7})\s*$")
# A caption ending with a separated photo credit: '... on Monday. (Photo: Reuters)', '... | Photo: AFP'.
CAPTION_PHOTO_CREDIT = re.compile(
    r"^\S.*(?:\(|\|\s*|\s[—–-]\s*)(?:file\s+)?(?:photo|picture|image)s?\s*(?::|\bby\b|\bcourtesy\b)\s*(?P<credit>[^()|]{1,60}?)\)?\s*$",
    re.I,
)
# 'Photo: Reuters/Jane Doe', '(Photo: AFP)', 'Photo from the Straits Times', 'Image courtesy of the ministry'.
# The ':' form may end with a period; the 'from/by/courtesy' forms may not, so that
# 'Photos from the scene show the damage.' stays.
PHOTO_CREDIT = re.compile(
    r"^\(?(?:file\s+)?(?:photo|photograph|picture|pic|image|video|graphic)s?(?:\s+credits?)?"
    r"(?:\s*:\s*\S.*|\s+(?:from|by|courtesy(?:\s+of)?|via)\s+[^.!?]*[^.!?\s])$",
    re.I,
)
IMAGE_SOURCE_CREDIT = re.compile(r"^\(?(?:image |photo )?(?:credit|source)s?\s*:\s*\S[^.!?]*[.)]?$", re.I)
# '(With inputs from PTI)', 'With inputs from agencies.', 'With additional reporting by AFP'
AGENCY_CREDIT = re.compile(
    r"^[(\[]?\s*(?:[—–-]\s*)?(?:with (?:additional )?inputs? from|inputs? from|with agency inputs"
    r"|with (?:additional )?reporting (?:by|from) (?:agencies|wire services|" + _AGENCY_TAG + r"))\b.*$",
    re.I,
)
# A name list: 'Jane Doe', 'Jane Doe and Ivan Petrov', 'Jane Doe; Editing by John Roe', 'Jane Doe | Oct 25, 2024'
_NAME_TOKEN = r"(?:[A-ZÀ-ÖØ-Þ][\w.'’-]*|\d[\d:.,]*|and|&|in|at|of|de|da|del|van|von|der|al|el|la|le|bin|by|et|und|y|e)"
_NAME_LIST = rf"{_NAME_TOKEN}(?:[\s,;:/|–—-]+{_NAME_TOKEN})*"
# 'Written by Jane Doe', 'Reporting by Jane Doe; Editing by John Roe', 'Edited by John Roe' (anywhere)
NAME_CREDIT = re.compile(
    rf"^\(?(?i:written|edited|reported|compiled|translated|reporting|editing|writing|additional reporting)\s+(?i:by)\s+"
    rf"{_NAME_LIST}\s*[.)]?$"  # case-sensitive names: 'Edited by a team of volunteers, …' stays
)
# 'By Jane Doe', 'BY JANE DOE, Reuters', 'Par Jean Dupont', 'Von Hans Müller', 'Por María López' —
# only in the first lines ('By Friday, ...' is a sentence) and only names after the word.
BYLINE = re.compile(rf"^(?:By|BY|Par|PAR|Von|VON|Por|POR)\s+(?P<names>{_NAME_LIST})$")
BYLINE_LINES = 3

# ---- navigation, calls to action, share widgets ---------------------------------------
NAVIGATION_LABEL = re.compile(
    r"^(?:view all|post navigation|impact shorts|read more|read also|also read|read next|more stories|more news"
    r"|related(?: articles?| stories| news| posts| content| coverage| topics)?|next(?: article| post| story)"
    r"|previous(?: article| post| story)|back to top|skip to (?:main )?content|top stories|trending(?: now| stories)?"
    r"|latest news|you may also like|you might also like|recommended(?: for you| stories| articles)?"
    r"|most read|most popular|see also|show more|load more|continue reading|breadcrumbs?)\W*$",
    re.I,
)
# 'Read more: Ukraine says ...', 'Also read | ...', 'WATCH: ...'
NAVIGATION_LINK = re.compile(r"^(?:read more|also read|read also|see also|related|read next|watch|listen)\s*[:|»>]\s*\S.*$", re.I)
CALL_TO_ACTION = re.compile(
    r"^(?:click here|tap here|follow us on|like us on|subscribe (?:to|for|now)|sign up (?:for|to|now)"
    r"|download (?:our|the) app|join (?:us|our) (?:on|channel|whatsapp|telegram)|get the latest)\b[^.!?]*[.!?]?$",
    re.I,
)
_SHARE_TARGET = r"(?:share|tweet|facebook|twitter|x|whatsapp|linkedin|telegram|reddit|pinterest|email|e-mail|print|copy link|comments?)"
SHARE_WIDGET = re.compile(
    rf"^(?:share(?: this(?: article| story| page| post)?| on \w+| via \w+)|{_SHARE_TARGET}(?:\s*[|·•,/]?\s*{_SHARE_TARGET})*)\W*$",
    re.I,
)

# ---- agency tags --------------------------------------------------------------------------
# A line holding only the tag: '— AFP', '(Reuters)', 'AFP/jt'
AGENCY_TAG_LINE = re.compile(rf"^[(\[]?\s*(?:[—–-]{{1,2}}\s*)?(?P<agency>{_AGENCY_TAG})(?:\s*/\s*[\w-]*)*\s*[)\]]?$")
# The end of the last body line: '… his wife. — AFP', '… wife. -AFP', '… wife. (AFP)', '… wife./AFP', '… wife. AFP/'
TRAILING_AGENCY_TAG = re.compile(
    rf"(?P<sep>\s*[—–-]{{1,2}}\s*|\s*/\s*|\s*\(\s*|\s+)(?P<agency>{_AGENCY_TAG})(?P<suffix>(?:\s*/\s*[\w-]*)*)\s*\)?\s*$"
)

# ---- dateline ----------------------------------------------------------------------------
# Month names and abbreviations of English, French, German and Spanish wire copy
# ('Oct. 25', '3 mars', '25. Oktober', '5 dic', '5 de diciembre'), any case.
_MONTH = (
    r"(?i:jan(?:uary|vier|uar|\.)?|janv\.?|ene(?:ro|\.)?|feb(?:ruary|ruar|rero|\.)?|f[ée]vr(?:ier|\.)?"
    r"|mar(?:ch|s|zo|\.)?|m[äa]rz|maerz|apr(?:il|\.)?|avr(?:il|\.)?|abr(?:il|\.)?|ma[iy]o?"
    r"|june?|juin|jun(?:i|io|\.)?|july?|juil(?:let|\.)?|jul(?:i|io|\.)?|aug(?:ust|\.)?|ao[ûu]t|ago(?:sto|\.)?"
    r"|sept?(?:ember|embre|iembre|\.)?|setiembre|o[ck]t(?:ober|obre|ubre|\.)?|nov(?:ember|embre|iembre|\.)?"
    r"|d[eé][cz](?:ember|embre|\.)?|dic(?:iembre|\.)?)"
)
_DATE = (
    rf"(?:{_MONTH}\s+\d{{1,2}}(?:,\s*\d{{4}})?"  # Oct 25, Oct. 25, 2024
    rf"|\d{{1,2}}\.?\s+(?:de\s+)?{_MONTH}(?:,?\s+(?:de\s+)?\d{{4}})?"  # 3 mars, 25. Oktober, 5 de diciembre de 2024
    r"|\d{4}-\d{2}-\d{2}"  # 1996-12-06
    r"|\d{1,2}[/.]\d{1,2}(?:[/.]\d{2,4})?)(?![\w/])"  # 05/12, 5.12.2024
)
# A place: capitalized words, with the joining words of place names ('RIO DE JANEIRO', 'Saint-Denis').
_UPPER = "A-ZÀ-ÖØ-Þ"
_PLACE_WORD = rf"[{_UPPER}][\w.'’]*"
_PLACE = rf"{_PLACE_WORD}(?:[ /-](?:(?:de|del|da|do|di|la|le|les|el|am|an|der|sur|upon|DE|DEL|LA|LE|EL)\s)?{_PLACE_WORD}){{0,3}}"
_AGENCY_IN_DATELINE = r"[A-Za-z][\w .&-]{1,30}?"
# 'KYIV, Oct 25 — ', 'KURSK, Oct 24 (Reuters) - ', 'SEOUL, Oct. 25 (Yonhap) -- ', 'Paris (AFP) - ',
# 'ROTTERDAM, 3 mars (AFP) - ', 'Rotterdam (dpa) - ', 'MADRID, 5 dic (EFE).- ', 'TOKYO, Dec. 5 Kyodo - ',
# 'BRUXELLES 05/12 /BELGA/ - ', '(Reuters) - ' and, alone on its line, 'ROME 1996-12-06' or
# 'AL-AIN, United Arab Emirates 1996-12-06' (place, region, ISO date: CoNLL-2003 / Reuters RCV1).
DATELINE = re.compile(
    rf"^(?:(?P<place>{_PLACE})"
    rf"(?:\s*,\s*(?P<region>{_PLACE})(?=\s+\d{{4}}-\d{{2}}-\d{{2}}))?"
    rf"(?:\s*,?\s*(?P<date>{_DATE}))?)?"
    rf"(?:\s*(?:\((?P<agency>{_AGENCY_IN_DATELINE})\)|/(?P<slashed>{_AGENCY_IN_DATELINE})/|(?P<bare>{_AGENCY_TAG})(?=\s*[-—–])))?"
    r"\s*(?:\.?\s*(?:--|[—–=-])(?:\s+|$)|$|(?<=\)\s))"  # 'CHICAGO, Dec 6 (Reuter) Statistics…': no dash after '(agency)'
)
DATELINE_LINES = 3  # a dateline opens one of the first lines, possibly after a title and byline
# Words that open date lines and labels, not datelines ('Mittwoch, 01.11.2023', 'Datum 25.01.2022').
NOT_DATELINE_PLACES = {
    "MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY",
    "LUNDI", "MARDI", "MERCREDI", "JEUDI", "VENDREDI", "SAMEDI", "DIMANCHE",
    "MONTAG", "DIENSTAG", "MITTWOCH", "DONNERSTAG", "FREITAG", "SAMSTAG", "SONNABEND", "SONNTAG",
    "LUNES", "MARTES", "MIÉRCOLES", "MIERCOLES", "JUEVES", "VIERNES", "SÁBADO", "SABADO", "DOMINGO",
    "DATE", "DATUM", "FECHA", "STAND", "POSTED", "PUBLISHED", "UPDATED", "PUBLIÉ", "PUBLIE", "VERÖFFENTLICHT",
    "AKTUALISIERT", "PUBLICADO", "ACTUALIZADO", "LE", "AM", "EL", "ON",
}
# Section slugs of wire copy ('SOCCER - JAPAN WIN', 'RUGBY UNION - ...'): a word before a dash
# that names a section, not a place.
SECTION_SLUGS = {
    "SOCCER", "FOOTBALL", "RUGBY", "RUGBY UNION", "RUGBY LEAGUE", "CRICKET", "TENNIS", "GOLF", "BASEBALL",
    "BASKETBALL", "HOCKEY", "ICE HOCKEY", "NHL", "NBA", "NFL", "BOXING", "CYCLING", "ATHLETICS", "MOTOR RACING",
    "MOTORCYCLING", "FORMULA ONE", "SKIING", "ALPINE SKIING", "NORDIC SKIING", "HORSE RACING", "SQUASH",
    "BADMINTON", "SWIMMING", "ROWING", "SAILING", "YACHTING", "JUDO", "WRESTLING", "VOLLEYBALL", "HANDBALL",
    "SPORT", "SPORTS", "SPORTS RESULTS", "RESULTS", "MARKETS", "MARKET", "STOCKS", "FOREX", "BONDS",
    "COMMODITIES", "OIL", "GOLD", "METALS", "EQUITIES", "BUSINESS", "ECONOMY", "POLITICS", "WORLD", "NEWS",
    "FOCUS", "FEATURE", "INTERVIEW", "PROFILE", "COLUMN", "COMMENT", "REVIEW", "PREVIEW", "FACTBOX", "TIMELINE",
    "CORRECTED", "REFILE", "RPT", "WRAPUP", "INSIGHT", "DIARY", "CALENDAR", "TABLE", "POLL", "SURVEY",
}

# ---- glued navigation ----------------------------------------------------------------------
# 'View AllThe treaty is due…': a navigation token glued to a sentence (no space in between).
GLUED_NAVIGATION = re.compile(
    r"^(?:View All|VIEW ALL|Read More|Read more|READ MORE|Also Read|Also read|ALSO READ|Impact Shorts|Advertisement|ADVERTISEMENT)"
    r"(?=[A-Z“\"‘'«])"
)

# ---- headings ----------------------------------------------------------------------------
SENTENCE_END = re.compile(r"[.!?…:;,][\"'”’»)\]]*$")
HEADING_START = re.compile(r"[\w“\"‘'«–—-]")
HEADING_MAX_WORDS = 12
HEADING_MAX_CHARS = 100

# (reason, pattern, max words of the line), tried in order on every stripped line.
LINE_RULES: list[tuple[str, re.Pattern, int]] = [
    ("advertisement", CASINO_BONUS_AD, 20),
    ("advertisement", GAMBLING_AD, 15),
    ("advertisement", AD_LABEL, 5),
    ("copyright", COPYRIGHT_LEAD, 25),
    ("copyright", COPYRIGHT_TAIL, 25),
    ("caption", CAPTION_COPYRIGHT_CREDIT, 60),
    ("caption", CAPTION_PHOTO_CREDIT, 60),
    ("photo_credit", PHOTO_CREDIT, 15),
    ("photo_credit", IMAGE_SOURCE_CREDIT, 12),
    ("agency_credit", AGENCY_CREDIT, 15),
    ("byline", NAME_CREDIT, 20),
    ("navigation", NAVIGATION_LABEL, 6),
    ("navigation", NAVIGATION_LINK, 25),
    ("call_to_action", CALL_TO_ACTION, 20),
    ("share_widget", SHARE_WIDGET, 12),
    ("agency_tag", AGENCY_TAG_LINE, 3),
]
# Reasons whose lines credit an agency (lowest priority when resolving Cleaned.agency).
CREDIT_REASONS = {"caption", "photo_credit", "agency_credit"}
