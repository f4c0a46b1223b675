"""``python -m finkg``: the command line."""

from finkg.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
