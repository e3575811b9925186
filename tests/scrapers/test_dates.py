"""Review dates as shops print them, in several languages, with the country settling 05/03."""

from __future__ import annotations

import pytest

from scrapers.dates import parse_date

DATES = [
    ("2024-03-12", None, "2024-03-12"),
    ("2024-03-12T10:15:00+01:00", None, "2024-03-12"),
    ("2024/3/5", None, "2024-03-05"),
    ("12 marzo 2024", None, "2024-03-12"),
    ("Recensito in Italia il 7 giugno 2023", None, "2023-06-07"),
    ("3 janvier 2024", None, "2024-01-03"),
    ("1er février 2024", None, "2024-02-01"),
    ("3 juil. 2024", None, "2024-07-03"),
    ("5. März 2024", None, "2024-03-05"),
    ("5 de marzo de 2024", None, "2024-03-05"),
    ("14 de dezembro de 2023", None, "2023-12-14"),
    ("3 mei 2024", None, "2024-05-03"),
    ("March 5, 2024", None, "2024-03-05"),
    ("Mar. 5 2024", None, "2024-03-05"),
    ("5 Mar 2024", None, "2024-03-05"),
    ("Reviewed in the United States on September 14, 2023", None, "2023-09-14"),
    ("05/03/2024", "it", "2024-03-05"),
    ("05/03/2024", "gb", "2024-03-05"),
    ("05/03/2024", "us", "2024-05-03"),
    ("05/03/2024", None, None),  # March in Rome, May in Boston: unknown without a country
    ("13/03/2024", None, "2024-03-13"),
    ("03/13/2024", None, "2024-03-13"),
    ("12.03.2024", "de", "2024-03-12"),
    ("12.03.24", "de", "2024-03-12"),
    ("3 jui 2024", None, None),  # juin or juillet
    ("31 febbraio 2024", None, None),
    ("yesterday", None, None),
    ("", None, None),
    (None, None, None),
]


@pytest.mark.parametrize(("text", "country", "expected"), DATES)
def test_review_dates_become_iso_dates(text, country, expected):
    assert parse_date(text, country=country) == expected
