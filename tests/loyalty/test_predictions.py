"""Tests of the BG/NBD and Gamma-Gamma core against the CDNOW publications."""

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from scipy.special import hyp2f1

from saleor_kinship.loyalty.predictions import (
    BgNbdParameters,
    InsufficientHistory,
    PurchaseSummary,
    _bg_nbd_objective,
    expected_purchases,
    fit_bg_nbd,
    probability_alive,
    summarize_purchases,
)
from saleor_kinship.loyalty.spend import (
    GammaGammaParameters,
    _gamma_gamma_objective,
    expected_average_spend,
    fit_gamma_gamma,
    predicted_value,
)

CDNOW_SAMPLE = Path(__file__).resolve().parents[2] / "data/cdnow/CDNOW_sample.txt"
# The papers calibrate on the first 39 weeks of 1997: purchases up to and
# including 1997-09-30, with T = 38.86 weeks for a first purchase on 1 January.
CALIBRATION_END = "1997-09-30"

# Fader, Hardie & Lee (2005a), "Counting your customers the easy way".
PUBLISHED_BG_NBD = {
    "r": 0.243,
    "alpha": 4.414,
    "a": 0.793,
    "b": 2.426,
    "log_likelihood": -9582.4,
}
# Fader, Hardie & Lee (2005b), "RFM and CLV: using iso-value curves".
PUBLISHED_GAMMA_GAMMA = {"p": 6.25, "q": 3.74, "v": 15.44}


def yyyymmdd_to_days(dates: np.ndarray) -> np.ndarray:
    """Convert integer YYYYMMDD dates to datetime64[D]."""
    months = (dates // 10000 - 1970) * 12 + dates // 100 % 100 - 1
    return months.astype("datetime64[M]").astype("datetime64[D]") + (dates % 100 - 1)


@pytest.fixture(scope="module")
def calibration() -> PurchaseSummary:
    """Summarise the CDNOW sample over the papers' 39-week calibration period."""
    records = np.loadtxt(CDNOW_SAMPLE, usecols=(0, 2, 4))
    customers = records[:, 0].astype(np.int64)
    days = yyyymmdd_to_days(records[:, 1].astype(np.int64))
    return summarize_purchases(customers, days, records[:, 2], CALIBRATION_END)


@pytest.fixture(scope="module")
def bg_nbd(calibration: PurchaseSummary) -> BgNbdParameters:
    """Fit BG/NBD on the CDNOW calibration summary."""
    return fit_bg_nbd(calibration.x, calibration.t_x, calibration.T)


@pytest.fixture(scope="module")
def gamma_gamma(calibration: PurchaseSummary) -> GammaGammaParameters:
    """Fit Gamma-Gamma on the CDNOW calibration summary."""
    return fit_gamma_gamma(calibration.x, calibration.monetary)


def half_unit_of_third_digit(value: float) -> float:
    """Return the tolerance within which two numbers agree to 3 s.f."""
    return 0.5 * 10 ** (np.floor(np.log10(abs(value))) - 2)


def test_cdnow_calibration_summary(calibration: PurchaseSummary) -> None:
    assert calibration.customers.size == 2357
    assert int((calibration.x > 0).sum()) == 946
    assert calibration.x.sum() == 2457
    assert calibration.T.max() == pytest.approx(272 / 7)  # 38.86 weeks
    assert np.all(calibration.t_x <= calibration.T)


@pytest.mark.parametrize("name", PUBLISHED_BG_NBD)
def test_bg_nbd_reproduces_paper_to_three_significant_digits(
    bg_nbd: BgNbdParameters, name: str
) -> None:
    published = PUBLISHED_BG_NBD[name]
    fitted = getattr(bg_nbd, name)
    three_digits = float(f"{published:.3g}")
    assert fitted == pytest.approx(
        three_digits, abs=half_unit_of_third_digit(published)
    )
    # Also at the precision the paper prints (one more digit for alpha, b, LL).
    printed_digits = len(f"{published}".split(".")[1])
    assert fitted == pytest.approx(published, abs=0.5 * 10**-printed_digits)


def test_bg_nbd_fit_metadata(bg_nbd: BgNbdParameters) -> None:
    assert bg_nbd.converged
    assert bg_nbd.customers == 2357


@pytest.mark.parametrize("name", PUBLISHED_GAMMA_GAMMA)
def test_gamma_gamma_reproduces_paper(
    gamma_gamma: GammaGammaParameters, name: str
) -> None:
    published = PUBLISHED_GAMMA_GAMMA[name]
    # The paper prints p and q to 3 s.f. and gamma to 4; match what it prints.
    printed_digits = len(f"{published}".split(".")[1])
    assert getattr(gamma_gamma, name) == pytest.approx(
        published, abs=0.5 * 10**-printed_digits
    )


def test_gamma_gamma_uses_the_946_repeat_customers(
    gamma_gamma: GammaGammaParameters, calibration: PurchaseSummary
) -> None:
    assert gamma_gamma.customers == 946
    repeat = calibration.x > 0
    assert calibration.monetary[repeat].mean() == pytest.approx(35.078, abs=5e-4)


def test_conditional_expectation_matches_worked_example() -> None:
    # Fader & Hardie's worked BG/NBD example with the published estimates:
    # x = 2, t_x = 30.43, T = 38.86 expects 1.226 purchases in the next 39 weeks.
    published = BgNbdParameters(0.243, 4.414, 0.793, 2.426, -9582.4, 2357, True)
    expected = expected_purchases(published, 39.0, [2], [30.43], [38.86])
    assert expected[0] == pytest.approx(1.226, abs=5e-4)


def test_conditional_expectation_equals_paper_formula(bg_nbd: BgNbdParameters) -> None:
    # The module uses Euler's transformation of 2F1; check it against the
    # formula exactly as printed in the paper on ordinary inputs.
    x = np.array([0.0, 1.0, 2.0, 5.0, 12.0])
    t_x = np.array([0.0, 3.0, 30.43, 20.0, 37.0])
    T = np.array([10.0, 25.0, 38.86, 38.0, 38.5])
    r, alpha, a, b = bg_nbd.r, bg_nbd.alpha, bg_nbd.a, bg_nbd.b
    for t in (1.0, 39.0, 52.0):
        z = t / (alpha + T + t)
        head = (a + b + x - 1) / (a - 1)
        series = ((alpha + T) / (alpha + T + t)) ** (r + x) * hyp2f1(
            r + x, b + x, a + b + x - 1, z
        )
        death_odds = (
            (x > 0)
            * a
            / (b + np.maximum(x - 1, 0))
            * ((alpha + T) / (alpha + t_x)) ** (r + x)
        )
        paper = head * (1 - series) / (1 + death_odds)
        np.testing.assert_allclose(
            expected_purchases(bg_nbd, t, x, t_x, T), paper, rtol=1e-9
        )


def test_probability_alive_is_one_without_repeat_purchases(
    bg_nbd: BgNbdParameters, calibration: PurchaseSummary
) -> None:
    # In BG/NBD a customer can only drop out right after a repeat purchase.
    alive = probability_alive(bg_nbd, calibration.x, calibration.t_x, calibration.T)
    assert np.all(alive[calibration.x == 0] == 1.0)
    repeat = alive[calibration.x > 0]
    assert np.all((repeat > 0) & (repeat < 1))


def test_probability_alive_falls_with_time_since_last_purchase(
    bg_nbd: BgNbdParameters,
) -> None:
    T = np.array([10.0, 20.0, 30.0, 38.0])
    alive = probability_alive(bg_nbd, np.full(4, 3.0), np.full(4, 10.0), T)
    assert alive[0] == pytest.approx(1 / (1 + bg_nbd.a / (bg_nbd.b + 2)))
    assert np.all(np.diff(alive) < 0)


def test_expected_purchases_grow_with_horizon(
    bg_nbd: BgNbdParameters, calibration: PurchaseSummary
) -> None:
    sample = slice(0, 200)
    args = (calibration.x[sample], calibration.t_x[sample], calibration.T[sample])
    horizons = [0.0, 1.0, 13.0, 39.0, 52.0, 104.0]
    expected = np.array([expected_purchases(bg_nbd, t, *args) for t in horizons])
    assert np.all(expected[0] == 0.0)
    assert np.all(np.diff(expected, axis=0) > 0)


def test_predicted_value_is_purchases_times_spend(
    bg_nbd: BgNbdParameters,
    gamma_gamma: GammaGammaParameters,
    calibration: PurchaseSummary,
) -> None:
    c = calibration
    value = predicted_value(bg_nbd, gamma_gamma, c.x, c.t_x, c.T, c.monetary)
    purchases = expected_purchases(bg_nbd, 52.0, c.x, c.t_x, c.T)
    spend = expected_average_spend(gamma_gamma, c.x, c.monetary)
    np.testing.assert_allclose(value, purchases * spend)
    assert np.all(np.isfinite(value)) and np.all(value > 0)


def test_expected_average_spend_shrinks_towards_population_mean(
    gamma_gamma: GammaGammaParameters,
) -> None:
    p, q, v = gamma_gamma.p, gamma_gamma.q, gamma_gamma.v
    population = p * v / (q - 1)
    spend = expected_average_spend(gamma_gamma, [0, 1, 10, 1000], [0, 80, 80, 80])
    assert spend[0] == pytest.approx(population)
    assert population < spend[1] < spend[2] < spend[3] < 80
    assert spend[3] == pytest.approx(80, rel=1e-3)


def test_fit_does_not_depend_on_time_unit(
    bg_nbd: BgNbdParameters, calibration: PurchaseSummary
) -> None:
    c = calibration
    in_days = fit_bg_nbd(c.x, c.t_x * 7, c.T * 7)
    assert in_days.r == pytest.approx(bg_nbd.r, rel=1e-4)
    assert in_days.alpha == pytest.approx(bg_nbd.alpha * 7, rel=1e-4)
    assert in_days.a == pytest.approx(bg_nbd.a, rel=1e-4)
    assert in_days.b == pytest.approx(bg_nbd.b, rel=1e-4)


def central_difference_gradient(
    objective: Callable[[np.ndarray], tuple[float, np.ndarray]], point: np.ndarray
) -> np.ndarray:
    """Return the numerical gradient of objective(point)[0] by central steps."""
    step = 1e-5
    gradient = np.empty_like(point)
    for i in range(point.size):
        shift = np.zeros_like(point)
        shift[i] = step
        ahead, behind = objective(point + shift)[0], objective(point - shift)[0]
        gradient[i] = (ahead - behind) / (2 * step)
    return gradient


@pytest.mark.parametrize(
    "log_params", [[-1.4, 1.5, -0.2, 0.9], [0.0, 0.0, 0.0, 0.0], [1.0, 3.0, -2.0, -1.0]]
)
def test_bg_nbd_gradient_is_exact(
    calibration: PurchaseSummary, log_params: list[float]
) -> None:
    c = calibration
    point = np.array(log_params)

    def objective(p: np.ndarray) -> tuple[float, np.ndarray]:
        return _bg_nbd_objective(p, c.x, c.t_x, c.T, np.ones_like(c.x))

    numerical = central_difference_gradient(objective, point)
    np.testing.assert_allclose(objective(point)[1], numerical, rtol=1e-5, atol=1e-4)


@pytest.mark.parametrize("log_params", [[0.7, 1.1, 2.0], [1.8, 1.3, 2.7]])
def test_gamma_gamma_gradient_is_exact(
    calibration: PurchaseSummary, log_params: list[float]
) -> None:
    repeat = calibration.x > 0
    x, spend = calibration.x[repeat], calibration.monetary[repeat]
    point = np.array(log_params)

    def objective(p: np.ndarray) -> tuple[float, np.ndarray]:
        return _gamma_gamma_objective(p, x, spend, np.ones_like(x))

    numerical = central_difference_gradient(objective, point)
    np.testing.assert_allclose(objective(point)[1], numerical, rtol=1e-5, atol=1e-4)


def test_too_few_customers_raise_insufficient_history() -> None:
    with pytest.raises(InsufficientHistory, match="at least 10 customers, got 3"):
        fit_bg_nbd([1, 0, 2], [3.0, 0.0, 5.0], [6.0, 6.0, 6.0])


def test_no_repeat_purchases_raise_insufficient_history() -> None:
    with pytest.raises(InsufficientHistory) as raised:
        fit_bg_nbd(np.zeros(50), np.zeros(50), np.full(50, 8.0))
    message = str(raised.value)
    assert "repeat purchase" in message and "\n" not in message


def test_too_few_repeat_spenders_raise_insufficient_history() -> None:
    with pytest.raises(InsufficientHistory, match="got 2"):
        fit_gamma_gamma([0, 0, 1, 3, 2], [0.0, 0.0, 12.0, 30.0, 0.0])


def test_inconsistent_summaries_are_rejected(bg_nbd: BgNbdParameters) -> None:
    with pytest.raises(ValueError, match="t_x <= T"):
        probability_alive(bg_nbd, [1], [5.0], [4.0])
    with pytest.raises(ValueError, match="same shape"):
        expected_purchases(bg_nbd, 1.0, [1, 2], [1.0], [2.0])


def test_summary_counts_purchase_days_up_to_as_of() -> None:
    customers = [7, 3, 7, 7, 3, 7, 9]
    days = np.array(
        [
            "2024-01-01",
            "2024-01-10",
            "2024-01-15",  # two purchases on one day: one purchase of 30
            "2024-01-15",
            "2024-01-24",  # on the as-of day: counted, t_x == T
            "2024-02-01",  # after the as-of day: ignored
            "2024-03-01",  # customer 9 has not bought yet
        ],
        dtype="datetime64[D]",
    )
    amounts = [10.0, 5.0, 20.0, 10.0, 7.0, 99.0, 1.0]
    summary = summarize_purchases(customers, days, amounts, np.datetime64("2024-01-24"))
    np.testing.assert_array_equal(summary.customers, [3, 7])
    np.testing.assert_array_equal(summary.x, [1, 1])
    np.testing.assert_allclose(summary.t_x, [2.0, 2.0])
    np.testing.assert_allclose(summary.T, [2.0, 23 / 7])
    np.testing.assert_allclose(summary.monetary, [7.0, 30.0])


def test_summary_of_no_purchases_is_empty() -> None:
    summary = summarize_purchases(
        [4], np.array(["2024-05-01"], "M8[D]"), [1.0], "2024-01-01"
    )
    assert summary.customers.size == summary.x.size == summary.monetary.size == 0
