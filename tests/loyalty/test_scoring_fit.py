"""kinship_fit: the published CDNOW estimates, reproduced through the database."""

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.core.management import call_command
from django.db import connection

REPO = Path(__file__).resolve().parents[2]
CDNOW_SAMPLE = REPO / "data/cdnow/CDNOW_sample.txt"

# Fader, Hardie & Lee (2005), "Counting your customers the easy way", fitted
# on the sample's 39-week calibration period (purchases up to 1997-09-30);
# alpha is per week. Gamma-Gamma from their "RFM and CLV" paper.
PUBLISHED = {
    "r": 0.243,
    "alpha": 4.414,
    "a": 0.793,
    "b": 2.426,
    "log_likelihood": -9582.4,
}
PUBLISHED_GAMMA_GAMMA = {"p": 6.25, "q": 3.74, "v": 15.44}


def three_significant_digits(value: float) -> float:
    return float(f"{value:.3g}")


def fit_json(*arguments: str) -> dict:
    output = StringIO()
    call_command("kinship_fit", *arguments, stdout=output)
    return json.loads(output.getvalue())


@pytest.fixture
def cdnow_sample(channel):
    """The whole sample imported as history and replayed into kinship."""
    quiet = {"stdout": StringIO(), "stderr": StringIO()}
    call_command("import_cdnow", str(CDNOW_SAMPLE), "--bulk", **quiet)
    call_command("kinship_backfill", **quiet)


def test_fit_reproduces_the_published_bg_nbd_estimates(cdnow_sample):
    fitted = fit_json("--as-of", "1997-09-30")

    assert (fitted["as_of"], fitted["currency"], fitted["time_unit"]) == (
        "1997-09-30",
        "USD",
        "week",
    )
    assert fitted["customers"] == 2357
    assert fitted["converged"] is True
    for name, published in PUBLISHED.items():
        assert three_significant_digits(fitted[name]) == three_significant_digits(
            published
        ), name
    gamma_gamma = fitted["gamma_gamma"]
    assert gamma_gamma["customers"] == 946
    for name, published in PUBLISHED_GAMMA_GAMMA.items():
        assert three_significant_digits(gamma_gamma[name]) == three_significant_digits(
            published
        ), name


def test_fit_of_another_day_and_currency(cdnow_sample):
    whole_period = fit_json("--as-of", "1998-06-30", "--currency", "usd")
    assert (whole_period["as_of"], whole_period["currency"]) == ("1998-06-30", "USD")
    assert whole_period["customers"] == 2357
    assert whole_period["converged"] is True

    # Every sample customer's first purchase was by 25 March 1997.
    assert fit_json("--as-of", "1997-03-25")["customers"] == 2357
    assert fit_json("--as-of", "1997-03-24")["customers"] < 2357


BAD_DAY = "Error: argument --as-of: {}"


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (
            ("--as-of", "30.09.1997"),
            BAD_DAY.format(
                "'30.09.1997' is not a day written as YYYY-MM-DD, such as 2027-01-31."
            ),
        ),
        (
            ("--as-of", "1997-09-31"),
            BAD_DAY.format(
                "1997-09-31 does not exist: September 1997 has 30 days. Give a day "
                "as YYYY-MM-DD."
            ),
        ),
        (("--as-of", "2199-01-01"), "--as-of: 2199-01-01 is in the future."),
        (
            ("--as-of", "1997-09-30", "--currency", "dollar"),
            "--currency: 'DOLLAR' is not a currency code.",
        ),
    ],
)
def test_fit_refuses_bad_input(db, arguments, message):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError) as error:
        call_command("kinship_fit", *arguments)
    assert str(error.value) == message


def manage(*arguments: str) -> subprocess.CompletedProcess:
    """Run manage.py against the test database, as an operator would."""
    url = urlsplit(os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1/x"))
    test_database = connection.settings_dict["NAME"]
    environment = {
        **os.environ,
        "DATABASE_URL": urlunsplit(url._replace(path=f"/{test_database}")),
    }
    return subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=REPO,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.django_db(transaction=True)
def test_a_history_too_short_fails_with_one_line_and_no_traceback(channel):
    too_short = manage("kinship_fit", "--as-of", "1997-09-30")
    assert too_short.returncode == 1
    assert too_short.stdout == ""
    assert too_short.stderr.splitlines() == [
        "CommandError: Not enough purchase history as of 1997-09-30 to fit the "
        "model: no purchases in any currency."
    ]

    malformed = manage("kinship_fit", "--as-of", "yesterday")
    assert malformed.returncode == 2
    assert malformed.stderr.splitlines() == [
        "manage.py kinship_fit: error: argument --as-of: 'yesterday' is not a day "
        "written as YYYY-MM-DD, such as 2027-01-31."
    ]
