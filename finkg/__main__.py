"""``python -m finkg``: the command line."""

from finkg.cli import run

if __name__ == "__main__":
    run()
