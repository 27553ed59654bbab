"""Whole-site backups and restores (`tenfold backup`, `tenfold restore`); see docs/backup.md."""
