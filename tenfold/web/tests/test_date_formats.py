"""Dates follow the reader's language: templates name a format, the language spells it."""

import datetime as dt

import pytest
from django.template import Context, Template
from django.utils import translation

DAY = dt.date(2026, 11, 30)


@pytest.mark.parametrize(
    ("language", "date", "month_day"),
    [
        ("en", "30 Nov 2026", "30 Nov"),
        ("zh-hans", "2026年11月30日", "11月30日"),
        ("es", "30 nov 2026", "30 nov"),
    ],
)
def test_named_date_formats_per_language(language: str, date: str, month_day: str) -> None:
    template = Template('{{ day|date:"DATE_FORMAT" }}|{{ day|date:"MONTH_DAY_FORMAT" }}')
    with translation.override(language):
        assert template.render(Context({"day": DAY})) == f"{date}|{month_day}"
