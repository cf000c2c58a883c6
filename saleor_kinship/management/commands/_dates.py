import argparse
from datetime import date


def parse_day(value: str) -> date:
    """Parse a --today argument; argparse turns the error into one line."""
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is not a day like 2027-01-01.")
