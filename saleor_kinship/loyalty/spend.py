"""The Gamma-Gamma spend model, and predicted value: purchases times spend.

Pure numpy/scipy like predictions.py, whose fitting helpers it shares.

Reference:
    Fader, Hardie & Lee (2005), "RFM and CLV: using iso-value curves for
    customer base analysis", Journal of Marketing Research 42(4), 415-430.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike
from scipy.special import digamma, gammaln

from .predictions import (
    MIN_CUSTOMERS,
    BgNbdParameters,
    FloatArray,
    InsufficientHistory,
    expected_purchases,
    minimise,
    weighted_totals,
)


@dataclass(frozen=True)
class GammaGammaParameters:
    """Maximum-likelihood Gamma-Gamma spend estimates (v is the paper's gamma)."""

    p: float
    q: float
    v: float
    log_likelihood: float
    customers: int


def fit_gamma_gamma(
    x: ArrayLike,
    monetary: ArrayLike,
    *,
    min_customers: int = MIN_CUSTOMERS,
) -> GammaGammaParameters:
    """Fit the Gamma-Gamma spend model to repeat customers' mean repeat spend.

    Only customers with x > 0 and a positive mean spend enter the fit: the
    model's spend is a positive gamma variable, and the paper uses the mean
    value of the repeat transactions (the first purchase is left out).
    """
    xs, spend = _checked_spend(x, monetary)
    repeat = (xs > 0) & (spend > 0)
    xs, spend = xs[repeat], spend[repeat]
    if xs.size < min_customers:
        raise InsufficientHistory(
            f"Gamma-Gamma needs at least {min_customers} repeat customers with "
            f"positive spend, got {xs.size}"
        )
    start = np.log([1.0, 2.0, float(spend.mean())])
    ones = np.ones_like(xs)
    result = minimise(_gamma_gamma_objective, start, (xs, spend, ones), xs.size)
    p, q, v = np.exp(result.x)
    return GammaGammaParameters(
        p=float(p),
        q=float(q),
        v=float(v),
        log_likelihood=-float(result.fun) * xs.size,
        customers=int(xs.size),
    )


def expected_average_spend(
    params: GammaGammaParameters, x: ArrayLike, monetary: ArrayLike
) -> FloatArray:
    """Return each customer's expected spend per purchase given x and monetary.

    Customers with x = 0 get the population mean p v / (q - 1), which exists
    only for q > 1, so a fit with q <= 1 raises ValueError.
    """
    xs, spend = _checked_spend(x, monetary)
    p, q, v = params.p, params.q, params.v
    if q <= 1.0:
        raise ValueError(f"mean spend is infinite for q = {q:.4g} <= 1")
    return p * (v + xs * spend) / (p * xs + q - 1.0)


def predicted_value(
    bg_nbd: BgNbdParameters,
    gamma_gamma: GammaGammaParameters,
    x: ArrayLike,
    t_x: ArrayLike,
    T: ArrayLike,
    monetary: ArrayLike,
    *,
    weeks: float = 52.0,
) -> FloatArray:
    """Return the undiscounted expected spend over the next ``weeks`` weeks.

    It is expected purchases in the horizon times expected spend per purchase;
    no discount rate is applied, which is fine for a 12-month (52-week) view.
    """
    purchases = expected_purchases(bg_nbd, weeks, x, t_x, T)
    return purchases * expected_average_spend(gamma_gamma, x, monetary)


def _gamma_gamma_objective(
    log_params: FloatArray,
    x: FloatArray,
    spend: FloatArray,
    weight: FloatArray,
) -> tuple[float, FloatArray]:
    """Return the weighted negative log-likelihood of mean spends and gradient."""
    p, q, v = np.exp(log_params)
    px = p * x
    total = x * spend
    log_v_total = np.log(v + total)
    log_lik = (
        gammaln(px + q)
        - gammaln(px)
        - gammaln(q)
        + q * np.log(v)
        + (px - 1.0) * np.log(spend)
        + px * np.log(x)
        - (px + q) * log_v_total
    )
    grad_p = x * (digamma(px + q) - digamma(px) - np.log1p(v / total))
    grad_q = digamma(px + q) - digamma(q) + np.log(v) - log_v_total
    grad_v = q / v - (px + q) / (v + total)
    grads = np.stack((grad_p * p, grad_q * q, grad_v * v))
    return weighted_totals(log_lik, grads, weight)


def _checked_spend(x: ArrayLike, monetary: ArrayLike) -> tuple[FloatArray, FloatArray]:
    """Return x and mean spend as float arrays after checking their shapes."""
    xs = np.asarray(x, dtype=np.float64)
    spend = np.asarray(monetary, dtype=np.float64)
    if xs.shape != spend.shape:
        raise ValueError("x and monetary must have the same shape")
    if not np.all((xs >= 0) & (spend >= 0) & np.isfinite(xs + spend)):
        raise ValueError("need finite x >= 0 and monetary >= 0")
    return xs, spend
