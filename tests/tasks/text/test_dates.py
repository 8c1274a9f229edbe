from datetime import date, datetime, timezone

import pytest

from tasks.config import DEFAULT
from tasks.text import dates

UTC = timezone.utc


@pytest.mark.parametrize(
    "text, day, at",
    [
        ("2024-10-25", date(2024, 10, 25), None),
        ("20241025", date(2024, 10, 25), None),
        ("2024-10-25T10:03:00Z", date(2024, 10, 25), datetime(2024, 10, 25, 10, 3, tzinfo=UTC)),
        # the day as the source wrote it; the instant in UTC
        ("2024-10-25T23:30:00-05:00", date(2024, 10, 25), datetime(2024, 10, 26, 4, 30, tzinfo=UTC)),
        ("2024-10-25T10:03:00", date(2024, 10, 25), None),  # no offset: no instant
        ("Fri, 25 Oct 2024 10:00:00 +0000", date(2024, 10, 25), datetime(2024, 10, 25, 10, 0, tzinfo=UTC)),
        ("Fri, 25 Oct 2024 10:00:00 -0000", date(2024, 10, 25), None),  # RFC 2822: zone unknown
        ("October 25, 2024", date(2024, 10, 25), None),
        ("25 Oct 2024 10:03 GMT", date(2024, 10, 25), datetime(2024, 10, 25, 10, 3, tzinfo=UTC)),
        ("25/10/2024", date(2024, 10, 25), None),
        ("05/10/2024", None, None),  # the 5th of October or May 10th
        ("Oct 25", None, None),  # no year
        ("2024", None, None),
        ("Thursday", None, None),
        ("yesterday at noon", None, None),
        ("", None, None),
        (None, None, None),
    ],
)
def test_published(text, day, at):
    assert dates.published(text) == dates.Published(day, at)


PUBLISHED = date(2024, 10, 25)


@pytest.mark.parametrize(
    "text, published, day",
    [
        ("Oct 25", PUBLISHED, date(2024, 10, 25)),
        ("Oct. 24", PUBLISHED, date(2024, 10, 24)),
        ("25. Oktober", PUBLISHED, date(2024, 10, 25)),
        ("20 octobre", PUBLISHED, date(2024, 10, 20)),
        ("24 oct.", PUBLISHED, date(2024, 10, 24)),
        ("Dec 31", date(2025, 1, 1), date(2024, 12, 31)),  # the year before the publication's
        ("Oct 25", None, None),  # no year anywhere
        ("Oct 2", PUBLISHED, None),  # weeks before the publication: not this year's, not known
        ("5 de diciembre de 2024", None, date(2024, 12, 5)),
        ("1996-12-06", PUBLISHED, date(1996, 12, 6)),  # a year given is kept
        ("24/10", PUBLISHED, date(2024, 10, 24)),
        ("10/24", PUBLISHED, date(2024, 10, 24)),
        ("05/12", date(2024, 12, 5), date(2024, 12, 5)),  # day/month fits the publication, month/day does not
        ("05/12", None, None),
        ("5.12.2024", None, None),  # both readings are real days and no publication day to choose
        ("5.12.2024", date(2024, 12, 6), date(2024, 12, 5)),
        ("juil. 2", date(2024, 7, 2), date(2024, 7, 2)),
        ("3 mars", date(2024, 3, 4), date(2024, 3, 3)),
        ("août 3", date(2024, 8, 3), date(2024, 8, 3)),
        ("Feb 30", date(2024, 3, 1), None),
        ("Xyz 3", PUBLISHED, None),
        ("", PUBLISHED, None),
    ],
)
def test_dateline_day(text, published, day):
    assert dates.dateline_day(text, published, DEFAULT.dateline_days_before, DEFAULT.dateline_days_after) == day


@pytest.mark.parametrize(
    "text, published, before, after, day",
    [
        ("Oct 2", PUBLISHED, 7, 1, None),  # 23 days before: outside the default window
        ("Oct 2", PUBLISHED, 30, 1, date(2024, 10, 2)),
        ("Oct 18", PUBLISHED, 7, 1, date(2024, 10, 18)),  # 7 days before: the default window's edge
        ("Oct 17", PUBLISHED, 7, 1, None),
        ("Oct 24", PUBLISHED, 0, 1, None),  # only the publication day or the next
        ("Oct 26", PUBLISHED, 7, 1, date(2024, 10, 26)),
        ("Oct 26", PUBLISHED, 7, 0, None),
        ("Oct 27", PUBLISHED, 7, 2, date(2024, 10, 27)),
        # 05/12 published 10 December: day/month (5 Dec) fits a 7-day window; with 200 days month/day
        # (12 May) fits as well, so the date is ambiguous
        ("05/12", date(2024, 12, 10), 7, 1, date(2024, 12, 5)),
        ("05/12", date(2024, 12, 10), 220, 1, None),
    ],
)
def test_dateline_window_is_the_runs_setting(text, published, before, after, day):
    assert dates.dateline_day(text, published, before, after) == day
