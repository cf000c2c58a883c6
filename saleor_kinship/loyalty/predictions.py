"""Customer-base predictions: BG/NBD purchase counts (spend is in spend.py).

Pure numpy/scipy, no Django: the loyalty layer builds per-customer arrays with
set-based SQL and hands them here.

Time is measured in weeks between calendar days: a customer's first purchase
day is time 0, ``t_x`` is the day of the last purchase and ``T`` is the as-of
day, so a purchase made on the as-of day has ``t_x == T``. With calibration as
of 1997-09-30 this reproduces the CDNOW estimates of Fader, Hardie & Lee.

References:
    Fader, Hardie & Lee (2005), "Counting your customers the easy way: an
    alternative to the Pareto/NBD model", Marketing Science 24(2), 275-284.
    Fader, Hardie & Lee (2005), "RFM and CLV: using iso-value curves for
    customer base analysis", Journal of Marketing Research 42(4), 415-430.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.optimize import OptimizeResult, minimize
from scipy.special import betaln, digamma, expit, gammaln, hyp2f1

DAYS_PER_WEEK = 7.0
MIN_CUSTOMERS = 10
# Log-space box for the optimiser: wide enough for any sensible time unit,
# narrow enough that exp() never overflows inside gammaln/betaln.
_LOG_BOUND = 20.0
# A shape parameter this large, or a scale this many times its starting
# value, has run off towards infinity: the data cannot pin it down, and the
# optimiser may still report success (scipy's L-BFGS-B does in some
# versions), so such a fit counts as not converged.
_RUNAWAY = 1e4

FloatArray = NDArray[np.float64]


class InsufficientHistory(ValueError):
    """The purchase history is too short to fit a model."""


@dataclass(frozen=True)
class PurchaseSummary:
    """Per-customer repeat-purchase summary as of one date, times in weeks."""

    customers: NDArray[np.int64]
    x: FloatArray
    t_x: FloatArray
    T: FloatArray
    monetary: FloatArray


@dataclass(frozen=True)
class BgNbdParameters:
    """Maximum-likelihood BG/NBD estimates and the fit they came from."""

    r: float
    alpha: float
    a: float
    b: float
    log_likelihood: float
    customers: int
    converged: bool


def summarize_purchases(
    customers: ArrayLike,
    purchased_on: ArrayLike,
    amounts: ArrayLike,
    as_of: np.datetime64 | str,
) -> PurchaseSummary:
    """Summarise purchases made on or before ``as_of`` into x, t_x, T, monetary.

    Purchases by one customer on one day count as a single purchase whose value
    is their sum. ``x`` is the number of repeat purchase days, ``monetary`` the
    mean value of those repeat days (the first day is excluded, 0 when x = 0),
    and customers appear once each, sorted by id, only if they bought by then.
    """
    customer = np.asarray(customers, dtype=np.int64)
    day = np.asarray(purchased_on, dtype="datetime64[D]")
    amount = np.asarray(amounts, dtype=np.float64)
    if not customer.shape == day.shape == amount.shape or customer.ndim != 1:
        raise ValueError("customers, purchased_on and amounts must be 1-D, same size")
    end = np.datetime64(as_of, "D")

    seen = day <= end
    if not seen.any():
        empty = np.zeros(0)
        return PurchaseSummary(np.zeros(0, np.int64), empty, empty, empty, empty)
    customer, day, amount = customer[seen], day[seen], amount[seen]
    order = np.lexsort((day, customer))
    customer, day, amount = customer[order], day[order], amount[order]

    day_starts = _run_starts(customer, day)
    day_customer = customer[day_starts]
    day_date = day[day_starts]
    day_value = np.add.reduceat(amount, day_starts)

    starts = _run_starts(day_customer)
    ends = np.append(starts[1:], day_customer.size) - 1
    x = (ends - starts).astype(np.float64)
    repeat_value = np.add.reduceat(day_value, starts) - day_value[starts]
    monetary = np.divide(repeat_value, x, out=np.zeros_like(x), where=x > 0)
    return PurchaseSummary(
        customers=day_customer[starts],
        x=x,
        t_x=_weeks_between(day_date[starts], day_date[ends]),
        T=_weeks_between(day_date[starts], end),
        monetary=monetary,
    )


def fit_bg_nbd(
    x: ArrayLike,
    t_x: ArrayLike,
    T: ArrayLike,
    *,
    min_customers: int = MIN_CUSTOMERS,
) -> BgNbdParameters:
    """Fit the BG/NBD model by maximum likelihood to per-customer summaries."""
    xs, t_xs, Ts = _checked_recency(x, t_x, T)
    if xs.size < min_customers:
        raise InsufficientHistory(
            f"BG/NBD needs at least {min_customers} customers, got {xs.size}"
        )
    if not np.any(xs > 0):
        raise InsufficientHistory("BG/NBD needs at least one repeat purchase")

    # Customers often share (x, t_x, T) at day resolution; fitting the distinct
    # rows with multiplicities gives the same likelihood for less work.
    order = np.lexsort((Ts, t_xs, xs))
    starts = _run_starts(xs[order], t_xs[order], Ts[order])
    counts = np.diff(np.append(starts, xs.size)).astype(np.float64)
    first = order[starts]
    data = (xs[first], t_xs[first], Ts[first], counts)
    # Start from r = a = b = 1 with alpha matching the observed purchase rate,
    # which keeps the start sensible whatever the time unit.
    alpha0 = max(float(Ts.mean()) / float(xs.mean()), 1e-6)
    start = np.log([1.0, alpha0, 1.0, 1.0])
    result = minimise(_bg_nbd_objective, start, data, xs.size)
    r, alpha, a, b = np.exp(result.x)
    ran_off = max(r, a, b) > _RUNAWAY or alpha > _RUNAWAY * alpha0
    return BgNbdParameters(
        r=float(r),
        alpha=float(alpha),
        a=float(a),
        b=float(b),
        log_likelihood=-float(result.fun) * xs.size,
        customers=int(xs.size),
        converged=bool(result.success) and not ran_off,
    )


def probability_alive(
    params: BgNbdParameters, x: ArrayLike, t_x: ArrayLike, T: ArrayLike
) -> FloatArray:
    """Return P(customer still active at T | x, t_x, T) for each customer."""
    xs, t_xs, Ts = _checked_recency(x, t_x, T)
    return expit(-_log_death_odds(params, xs, t_xs, Ts))


def expected_purchases(
    params: BgNbdParameters,
    t: float,
    x: ArrayLike,
    t_x: ArrayLike,
    T: ArrayLike,
) -> FloatArray:
    """Return E[purchases in (T, T + t] | x, t_x, T] for each customer."""
    if t < 0:
        raise ValueError("t must be non-negative")
    xs, t_xs, Ts = _checked_recency(x, t_x, T)
    r, alpha, b = params.r, params.alpha, params.b
    # The formula divides by (a - 1); at exactly 1 it is a removable 0/0.
    a = params.a if abs(params.a - 1.0) > 1e-8 else 1.0 + 1e-8
    z = t / (alpha + Ts + t)
    # Euler's transformation of the paper's 2F1(r+x, b+x; a+b+x-1; z) times
    # (1-z)^(r+x): same value, but the series no longer blows up as z -> 1.
    tail = (1.0 - z) ** (a - 1.0) * hyp2f1(
        a + b - 1.0 - r, a - 1.0, a + b + xs - 1.0, z
    )
    if_alive = (a + b + xs - 1.0) / (a - 1.0) * (1.0 - tail)
    return if_alive * expit(-_log_death_odds(params, xs, t_xs, Ts))


def _log_death_odds(
    params: BgNbdParameters, x: FloatArray, t_x: FloatArray, T: FloatArray
) -> FloatArray:
    """Return log of P(dropped out by T) / P(alive at T), -inf for x = 0."""
    r, alpha, a, b = params.r, params.alpha, params.a, params.b
    repeat = x > 0
    # x - 1 is only meaningful for repeat customers; clamp it so b + x - 1 > 0.
    b_x = b + np.maximum(x - 1.0, 0.0)
    odds = np.log(a) - np.log(b_x) + (r + x) * (np.log(alpha + T) - np.log(alpha + t_x))
    return np.where(repeat, odds, -np.inf)


def _bg_nbd_objective(
    log_params: FloatArray,
    x: FloatArray,
    t_x: FloatArray,
    T: FloatArray,
    weight: FloatArray,
) -> tuple[float, FloatArray]:
    """Return the weighted negative log-likelihood and its log-space gradient."""
    r, alpha, a, b = np.exp(log_params)
    repeat = x > 0
    b_x1 = b + np.maximum(x - 1.0, 0.0)
    log_alpha_T = np.log(alpha + T)
    log_alpha_tx = np.log(alpha + t_x)

    shared = gammaln(r + x) - gammaln(r) + r * np.log(alpha) - betaln(a, b)
    survived = betaln(a, b + x) - (r + x) * log_alpha_T
    dropped = np.where(repeat, betaln(a + 1.0, b_x1) - (r + x) * log_alpha_tx, -np.inf)
    log_lik = shared + np.logaddexp(survived, dropped)
    # Share of each customer's likelihood explained by "dropped out after t_x".
    w = expit(dropped - survived)

    ab_x = digamma(a + b) - digamma(a + b + x)
    grad_r = (
        digamma(r + x)
        - digamma(r)
        + np.log(alpha)
        - (1.0 - w) * log_alpha_T
        - w * log_alpha_tx
    )
    grad_alpha = r / alpha - (r + x) * ((1.0 - w) / (alpha + T) + w / (alpha + t_x))
    grad_a = ab_x + w / a
    grad_b = ab_x + digamma(b + x) - digamma(b) - w / b_x1
    grads = np.stack((grad_r * r, grad_alpha * alpha, grad_a * a, grad_b * b))
    return weighted_totals(log_lik, grads, weight)


def weighted_totals(
    log_lik: FloatArray, grads: FloatArray, weight: FloatArray
) -> tuple[float, FloatArray]:
    """Return the negated weighted sums of log-likelihoods and gradient rows."""
    # Plain reductions rather than `@`: a BLAS dot spins up worker threads
    # that, on a busy host, made the whole fit ten times slower.
    return -float((weight * log_lik).sum()), -(grads * weight).sum(axis=1)


def minimise(
    objective: Callable[..., tuple[float, FloatArray]],
    start: FloatArray,
    data: tuple[FloatArray, ...],
    customers: int,
) -> OptimizeResult:
    """Minimise a per-customer mean objective in log-parameter space."""

    # Dividing by the customer count makes the stopping tolerances independent
    # of the size of the customer base.
    def scaled(log_params: FloatArray) -> tuple[float, FloatArray]:
        value, grad = objective(log_params, *data)
        return value / customers, grad / customers

    return minimize(
        scaled,
        start,
        jac=True,
        method="L-BFGS-B",
        bounds=[(-_LOG_BOUND, _LOG_BOUND)] * start.size,
        options={"ftol": 1e-12, "gtol": 1e-9, "maxiter": 1000},
    )


def _checked_recency(
    x: ArrayLike, t_x: ArrayLike, T: ArrayLike
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Return x, t_x, T as float arrays after checking they are consistent."""
    xs = np.asarray(x, dtype=np.float64)
    t_xs = np.asarray(t_x, dtype=np.float64)
    Ts = np.asarray(T, dtype=np.float64)
    if not xs.shape == t_xs.shape == Ts.shape:
        raise ValueError("x, t_x and T must have the same shape")
    if not np.all((xs >= 0) & (t_xs >= 0) & (t_xs <= Ts) & np.isfinite(Ts)):
        raise ValueError("need finite x >= 0 and 0 <= t_x <= T")
    return xs, t_xs, Ts


def _run_starts(*keys: NDArray) -> NDArray[np.intp]:
    """Return indices where any of the sorted key arrays changes value."""
    size = keys[0].size
    changes = np.zeros(size, dtype=bool)
    changes[:1] = True
    for key in keys:
        changes[1:] |= key[1:] != key[:-1]
    return np.flatnonzero(changes)


def _weeks_between(
    start: NDArray[np.datetime64], end: NDArray[np.datetime64] | np.datetime64
) -> FloatArray:
    """Return the number of days from start to end, in weeks."""
    days = (end - start).astype("timedelta64[D]").astype(np.float64)
    return days / DAYS_PER_WEEK
