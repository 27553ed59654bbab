# 简体中文日期："2026年11月30日"、"11月30日"、"2026年11月30日 14:05"。
DATE_FORMAT = "Y年n月j日"
MONTH_DAY_FORMAT = "n月j日"
DATETIME_FORMAT = "Y年n月j日 H:i"
