"""bandit as `make security` runs it, less one warning of bandit's own.

After a `# nosec B608` excuses an f-string of SQL, bandit warns "nosec encountered (B608), but
no failed test" once for each further piece of the same string: the warning says nothing about
the code, and dozens of them would bury the report. Everything else, findings included, is
bandit's usual output and exit status.

    python -m tenfold.devtools.run_bandit -c pyproject.toml -r tenfold --severity-level high
"""

from __future__ import annotations

import logging

from bandit.cli.main import main as bandit_main


class _SkipNosecEcho(logging.Filter):
    """Drops bandit's "nosec encountered … but no failed test" warnings."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("nosec encountered")


def main() -> None:
    """Run bandit's command line on this process's arguments (it exits with bandit's status)."""
    logging.getLogger("bandit.core.tester").addFilter(_SkipNosecEcho())
    bandit_main()


if __name__ == "__main__":
    main()
