"""The `tenfold` command: Django's management commands under one name.

`tenfold serve`, `tenfold demo`, `tenfold checkin` … are ordinary management commands;
this wrapper only points Django at Tenfold's settings.
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tenfold.settings")
    from django.core.management import execute_from_command_line

    argv = sys.argv[:]
    argv[0] = "tenfold"
    if len(argv) == 1:
        argv.append("help")
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
