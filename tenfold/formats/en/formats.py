# Dates as Tenfold shows them in English: "30 Nov 2026", "30 Nov", "30 Nov 2026, 14:05".
DATE_FORMAT = "j M Y"
MONTH_DAY_FORMAT = "j M"
DATETIME_FORMAT = "j M Y, H:i"
