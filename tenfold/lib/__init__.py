"""Pure functions with no database: the OKR numbers, periods and text rules."""
