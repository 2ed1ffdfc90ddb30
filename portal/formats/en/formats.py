"""English dates as the portal writes them: day, month, year and the 24-hour clock ("3 December
2026, 14:30"), as British English and most of our readers abroad write them, instead of Django's
American defaults ("Dec. 3, 2026, 2:30 p.m."). Other languages use Django's own formats, which
already write the German day with its period ("3. Dezember 2026") and the Russian month in the
genitive case. See docs/decisions.md, "Dates and numbers".
"""

DATE_FORMAT = "j F Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y, H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
FIRST_DAY_OF_WEEK = 1  # Monday, as in Germany
