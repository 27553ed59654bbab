# Fechas en español: "30 nov 2026", "30 nov", "30 nov 2026, 14:05".
DATE_FORMAT = "j b Y"
MONTH_DAY_FORMAT = "j b"
DATETIME_FORMAT = "j b Y, H:i"
