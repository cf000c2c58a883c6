"""Rescoring every customer at once: RFM scores, segments and predicted value.

Per currency (see `scoring_history` for which purchases count and how
customers are grouped), the scores are RFM quintiles (recency: days since the
last purchase day; frequency: purchase days; monetary: total spend) with the
segments they name, and the BG/NBD and Gamma-Gamma predictions: the
probability the customer is still active, the purchases expected in the next
90 days and the value expected in the next 12 months. The history is read
with one query, scored with numpy and written back with one UPDATE.
"""

import logging
import time as clock
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import repeat

import numpy as np
from django.db import connection, transaction
from django.utils import timezone
from numpy.typing import NDArray

from ..core.currencies import MINOR_UNITS
from .models import LoyaltyAccount
from .predictions import (
    DAYS_PER_WEEK,
    BgNbdParameters,
    InsufficientHistory,
    PurchaseSummary,
    expected_purchases,
    fit_bg_nbd,
    probability_alive,
    summarize_purchases,
)
from .rfm import rfm_scores
from .scoring_history import PurchaseHistory, by_main_currency, load_history, shop_today
from .scoring_models import PredictionFit
from .spend import GammaGammaParameters, fit_gamma_gamma, predicted_value

logger = logging.getLogger(__name__)

EXPECTED_PURCHASES_WEEKS = 90 / DAYS_PER_WEEK
PREDICTED_VALUE_WEEKS = 365 / DAYS_PER_WEEK
# numeric(12, 2) of LoyaltyAccount.predicted_value_12m.
MAX_PREDICTED_VALUE = 9_999_999_999.99
RESCORE_LOCK = 7_400_501

FloatArray = NDArray[np.float64]

# Scores go to the accounts through a temporary table filled with COPY: of
# the ways measured by bench/write_back.py (UPDATE from unnest()ed arrays,
# from VALUES lists, bulk_update), the fastest by far for thousands of rows.
SCORES_TABLE_SQL = """
CREATE TEMPORARY TABLE kinship_scores (
    customer_id bigint, recency smallint, frequency smallint, monetary smallint,
    segment varchar(32), p_alive float8, expected float8, value float8,
    currency varchar(3)
)
"""

WRITE_SQL = """
UPDATE {accounts} AS account SET
    rfm_recency = s.recency,
    rfm_frequency = s.frequency,
    rfm_monetary = s.monetary,
    rfm_segment = s.segment,
    p_alive = NULLIF(s.p_alive, 'NaN'),
    expected_purchases_90d = NULLIF(s.expected, 'NaN'),
    predicted_value_12m = round(NULLIF(s.value, 'NaN')::numeric, 2),
    predicted_value_currency = CASE WHEN s.value = 'NaN' THEN '' ELSE s.currency END,
    scored_at = %(scored_at)s
FROM kinship_scores AS s
WHERE account.customer_id = s.customer_id
"""

# The UPDATE locks rows in whatever order it meets them, the ledger in
# customer order: two such transactions could deadlock. Holding the table
# against other writers instead makes order events wait for the fraction of a
# second the UPDATE takes; readers are not blocked.
LOCK_SQL = "LOCK TABLE {accounts} IN SHARE ROW EXCLUSIVE MODE"

# Customers scored before who are not scored now lose their scores: they have
# no purchase as of this run any more (all cancelled or refunded, or a
# rescoring as of an earlier day), or they declined profiling since.
CLEAR_SQL = """
UPDATE {accounts} SET
    rfm_recency = NULL, rfm_frequency = NULL, rfm_monetary = NULL,
    rfm_segment = '', p_alive = NULL, expected_purchases_90d = NULL,
    predicted_value_12m = NULL, predicted_value_currency = '', scored_at = NULL
WHERE scored_at IS NOT NULL AND scored_at <> %(scored_at)s
"""


class RescoringInProgress(RuntimeError):
    """Another rescoring holds the lock; its results will be as good as ours."""


class NothingToScore(ValueError):
    """No purchase was made by the day asked for; the stored scores are kept."""


@dataclass(frozen=True)
class CurrencyFit:
    """The models fitted to one currency's customers, or why they could not be."""

    currency: str
    customers: int
    bg_nbd: BgNbdParameters | None = None
    gamma_gamma: GammaGammaParameters | None = None
    # Why some predictions are empty; "" when every customer has all three.
    problem: str = ""


@dataclass(frozen=True)
class CurrencyScores:
    """Scores of one currency's customers, as arrays in customer id order."""

    customers: NDArray[np.int64]
    recency: NDArray[np.int8]
    frequency: NDArray[np.int8]
    monetary: NDArray[np.int8]
    segments: NDArray[np.str_]
    # NaN where there is no prediction.
    p_alive: FloatArray
    expected_purchases_90d: FloatArray
    predicted_value_12m: FloatArray
    fit: CurrencyFit


@dataclass
class RescoreResult:
    as_of: date
    customers: int = 0
    segments: Counter[str] = field(default_factory=Counter)
    fits: list[CurrencyFit] = field(default_factory=list)
    # Seconds spent reading, computing and writing.
    timings: dict[str, float] = field(default_factory=dict)


def fit_models(summary: PurchaseSummary, currency: str) -> CurrencyFit:
    """Fit BG/NBD, then Gamma-Gamma; a model that cannot be fitted is left out."""
    customers = int(summary.customers.size)
    try:
        bg_nbd = fit_bg_nbd(summary.x, summary.t_x, summary.T)
    except InsufficientHistory as error:
        return CurrencyFit(currency, customers, problem=str(error))
    if not bg_nbd.converged:
        # Typically a young shop where hardly anyone has stopped buying yet:
        # the drop-out parameters run off towards infinity.
        problem = (
            f"BG/NBD did not converge (a = {bg_nbd.a:.3g}, b = {bg_nbd.b:.3g}); "
            "predictions are left empty"
        )
        return CurrencyFit(currency, customers, bg_nbd, problem=problem)
    try:
        gamma_gamma = fit_gamma_gamma(summary.x, summary.monetary)
    except InsufficientHistory as error:
        return CurrencyFit(currency, customers, bg_nbd, problem=str(error))
    if gamma_gamma.q <= 1:
        problem = f"Gamma-Gamma q = {gamma_gamma.q:.3g} <= 1: mean spend unbounded"
        return CurrencyFit(currency, customers, bg_nbd, gamma_gamma, problem)
    return CurrencyFit(currency, customers, bg_nbd, gamma_gamma)


def score_currency(
    currency: str, history: PurchaseHistory, as_of: date
) -> CurrencyScores:
    """Score the customers of one currency: RFM, segments and predictions."""
    summary = summarize_purchases(
        history.customers, history.days, history.amounts, np.datetime64(as_of, "D")
    )
    # load_history stops at as_of, so every purchase has its customer here.
    owner = np.searchsorted(summary.customers, history.customers)
    spend = np.bincount(
        owner, weights=history.amounts, minlength=summary.customers.size
    )
    # Whole days and whole cents, so that equal histories tie exactly even
    # where floating-point sums and differences disagree in the last bit.
    days_since = np.rint((summary.T - summary.t_x) * DAYS_PER_WEEK)
    spend = np.round(spend, MINOR_UNITS.get(currency, 2))
    rfm = rfm_scores(recency=days_since, frequency=summary.x + 1, monetary=spend)

    fit = fit_models(summary, currency)
    empty = np.full(summary.customers.size, np.nan)
    p_alive, expected, value = empty, empty, empty
    recency = (summary.x, summary.t_x, summary.T)
    if fit.bg_nbd is not None and fit.bg_nbd.converged:
        p_alive = probability_alive(fit.bg_nbd, *recency)
        expected = expected_purchases(fit.bg_nbd, EXPECTED_PURCHASES_WEEKS, *recency)
    if fit.bg_nbd is not None and fit.gamma_gamma is not None and not fit.problem:
        value = predicted_value(
            fit.bg_nbd,
            fit.gamma_gamma,
            *recency,
            summary.monetary,
            weeks=PREDICTED_VALUE_WEEKS,
        )
        # Beyond what the column holds only a broken fit could predict.
        value[~np.isfinite(value) | (value > MAX_PREDICTED_VALUE)] = np.nan
    return CurrencyScores(
        customers=summary.customers,
        recency=rfm.recency,
        frequency=rfm.frequency,
        monetary=rfm.monetary,
        segments=rfm.segments(),
        p_alive=p_alive,
        expected_purchases_90d=expected,
        predicted_value_12m=value,
        fit=fit,
    )


def fit_history(as_of: date, currency: str | None = None) -> CurrencyFit:
    """Fit the models to one currency's history as of a day, without storing.

    Without ``currency``, the currency with the most customers is fitted.
    Raises InsufficientHistory when there is no such history.
    """
    groups = by_main_currency(load_history(as_of))
    if currency is None and groups:
        currency = max(groups, key=lambda code: np.unique(groups[code].customers).size)
    if currency not in groups:
        raise InsufficientHistory(f"no purchases in {currency or 'any currency'}")
    purchases = groups[currency]
    summary = summarize_purchases(
        purchases.customers,
        purchases.days,
        purchases.amounts,
        np.datetime64(as_of, "D"),
    )
    fit = fit_models(summary, currency)
    if fit.bg_nbd is None:
        raise InsufficientHistory(fit.problem)
    return fit


def rescore(as_of: date | None = None, *, refuse_empty: bool = False) -> RescoreResult:
    """Score every customer as of a day (the shop's today by default), store fits.

    Raises RescoringInProgress when another rescoring is running. With
    `refuse_empty`, a day by which nothing was bought raises NothingToScore
    instead of clearing every customer's scores (a rescoring clears the scores
    of customers without purchases).
    """
    as_of = as_of or shop_today()
    result = RescoreResult(as_of)
    started = clock.perf_counter()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [RESCORE_LOCK])
            if not cursor.fetchone()[0]:
                raise RescoringInProgress("Another rescoring is running.")
        history = load_history(as_of)
        if refuse_empty and not history.customers.size:
            raise NothingToScore(_nothing_bought_by(as_of))
        read = clock.perf_counter()

        groups = [
            score_currency(currency, purchases, as_of)
            for currency, purchases in by_main_currency(history).items()
        ]
        computed = clock.perf_counter()

        scored_at = timezone.now()
        write_scores(groups, scored_at)
        save_fits(as_of, [group.fit for group in groups], scored_at)
    written = clock.perf_counter()

    result.timings = {
        "read": read - started,
        "compute": computed - read,
        "write": written - computed,
    }
    for group in groups:
        result.customers += group.customers.size
        result.segments.update(group.segments.tolist())
        result.fits.append(group.fit)
        if group.fit.problem:
            logger.warning(
                "Kinship rescoring as of %s: incomplete predictions for %d %s "
                "customers: %s",
                as_of,
                group.customers.size,
                group.fit.currency,
                group.fit.problem,
            )
    return result


def _nothing_bought_by(as_of: date) -> str:
    later = load_history(max(as_of, shop_today())).days
    first = f" (the first was on {later.min()})" if later.size else ""
    return (
        f"No purchases on or before {as_of}{first}: nothing to score; the stored "
        "scores are left as they are."
    )


def write_scores(groups: list[CurrencyScores], scored_at: datetime) -> None:
    """Store every customer's scores with one UPDATE; clear the unscored."""
    accounts = LoyaltyAccount._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(SCORES_TABLE_SQL)
        with cursor.copy("COPY kinship_scores FROM STDIN") as copy:
            for group in groups:
                for row in zip(
                    group.customers.tolist(),
                    group.recency.tolist(),
                    group.frequency.tolist(),
                    group.monetary.tolist(),
                    group.segments.tolist(),
                    group.p_alive.tolist(),
                    group.expected_purchases_90d.tolist(),
                    group.predicted_value_12m.tolist(),
                    repeat(group.fit.currency),
                    strict=False,
                ):
                    copy.write_row(row)
        cursor.execute(LOCK_SQL.format(accounts=accounts))
        cursor.execute(WRITE_SQL.format(accounts=accounts), {"scored_at": scored_at})
        cursor.execute(CLEAR_SQL.format(accounts=accounts), {"scored_at": scored_at})
        # Dropped here rather than on commit: an enclosing transaction may
        # rescore again before it commits.
        cursor.execute("DROP TABLE kinship_scores")


def save_fits(as_of: date, fits: list[CurrencyFit], fitted_at: datetime) -> None:
    """Keep each currency's parameters for the day; drop a day's failed fit."""
    for fit in fits:
        if fit.bg_nbd is None or not fit.bg_nbd.converged:
            PredictionFit.objects.filter(as_of=as_of, currency=fit.currency).delete()
            continue
        bg_nbd, gamma_gamma = fit.bg_nbd, fit.gamma_gamma
        PredictionFit.objects.update_or_create(
            as_of=as_of,
            currency=fit.currency,
            defaults={
                "r": bg_nbd.r,
                "alpha": bg_nbd.alpha,
                "a": bg_nbd.a,
                "b": bg_nbd.b,
                "log_likelihood": bg_nbd.log_likelihood,
                "customers": bg_nbd.customers,
                "converged": bg_nbd.converged,
                "p": gamma_gamma.p if gamma_gamma else None,
                "q": gamma_gamma.q if gamma_gamma else None,
                "v": gamma_gamma.v if gamma_gamma else None,
                "gg_customers": gamma_gamma.customers if gamma_gamma else 0,
                "fitted_at": fitted_at,
            },
        )


def iter_fit_lines(fit: CurrencyFit) -> Iterator[str]:
    """Describe a fit in a line or two an operator can read."""
    if fit.bg_nbd is not None:
        bg = fit.bg_nbd
        yield (
            f"BG/NBD {fit.currency}: r={bg.r:.4g} alpha={bg.alpha:.4g}/week "
            f"a={bg.a:.4g} b={bg.b:.4g} log-likelihood={bg.log_likelihood:.1f} "
            f"({bg.customers} customers)"
        )
    if fit.gamma_gamma is not None:
        gg = fit.gamma_gamma
        yield (
            f"Gamma-Gamma {fit.currency}: p={gg.p:.4g} q={gg.q:.4g} v={gg.v:.4g} "
            f"({gg.customers} repeat customers)"
        )
    if fit.problem:
        yield (
            f"No complete predictions for {fit.customers} {fit.currency} "
            f"customers: {fit.problem}."
        )
