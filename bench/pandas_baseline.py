"""The rescoring as an analyst would write it with pandas and scipy.

The yardstick for kinship's own rescoring: the same purchases, the same
definitions (RFM quintiles that tied customers share, the same segments,
BG/NBD and Gamma-Gamma by maximum likelihood, with the likelihoods and
conditional expectations written out from the papers and fitted with
Nelder-Mead, as the `lifetimes` package does), one row per customer written
to a CSV file.

    python -m bench.pandas_baseline 1998-06-30 scores.csv
"""

import os
import sys
import warnings
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import psycopg
from scipy.optimize import minimize
from scipy.special import betaln, gammaln, hyp2f1

from saleor_kinship.loyalty.rfm import SEGMENT_RULES

PURCHASES = """
SELECT o.customer_id, o.placed_at, o.currency,
       o.paid_amount - o.refunded_amount AS amount
FROM saleor_kinship_loyaltyorder o
JOIN saleor_kinship_loyaltyaccount a ON a.customer_id = o.customer_id
WHERE NOT o.cancelled
  AND o.paid_amount >= o.total
  AND (o.refunded_amount = 0 OR o.refunded_amount < o.paid_amount)
  AND o.placed_at < %(end)s
"""


def database_url() -> str:
    return os.environ.get(
        "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kinship_bench"
    )


def load(url: str, as_of: date) -> pd.DataFrame:
    end = pd.Timestamp(as_of, tz="UTC") + pd.Timedelta(days=1)
    with psycopg.connect(url) as connection, warnings.catch_warnings():
        # pandas prefers SQLAlchemy but reads a DB-API connection fine.
        warnings.simplefilter("ignore", UserWarning)
        orders = pd.read_sql(PURCHASES, connection, params={"end": end})
    orders["amount"] = orders["amount"].astype(float)
    orders["day"] = orders["placed_at"].dt.tz_convert("UTC").dt.normalize()
    return orders


def main_currency(orders: pd.DataFrame) -> pd.DataFrame:
    """Keep each customer's purchases in the currency she bought most in."""
    per_currency = (
        orders.groupby(["customer_id", "currency"])
        .agg(purchases=("amount", "size"), latest=("day", "max"))
        .reset_index()
        .sort_values(["customer_id", "purchases", "latest"])
        .drop_duplicates("customer_id", keep="last")
    )
    return orders.merge(per_currency[["customer_id", "currency"]])


def summarise(orders: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """One row per customer: x, t_x, T in weeks, repeat mean spend, total spend."""
    days = orders.groupby(["currency", "customer_id", "day"], as_index=False)[
        "amount"
    ].sum()
    days = days.sort_values(["customer_id", "day"])
    customers = days.groupby(["currency", "customer_id"]).agg(
        first=("day", "min"),
        last=("day", "max"),
        purchase_days=("day", "size"),
        total=("amount", "sum"),
        first_value=("amount", "first"),
    )
    end = pd.Timestamp(as_of, tz="UTC")
    customers["total"] = customers["total"].round(2)  # whole cents
    customers["x"] = customers["purchase_days"] - 1
    customers["t_x"] = (customers["last"] - customers["first"]).dt.days / 7
    customers["T"] = (end - customers["first"]).dt.days / 7
    customers["recency_days"] = (end - customers["last"]).dt.days
    repeat_total = customers["total"] - customers["first_value"]
    customers["monetary"] = np.where(
        customers["x"] > 0, repeat_total / customers["x"].clip(lower=1), 0.0
    )
    return customers.reset_index()


def rfm(customers: pd.DataFrame) -> pd.DataFrame:
    """Quintile scores 1-5 within each currency; ties share the lower score."""

    def score(values: pd.Series) -> pd.Series:
        by_currency = values.groupby(customers["currency"])
        below = by_currency.rank(method="min") - 1
        count = by_currency.transform("size")
        return (1 + 5 * below // count).astype(int)

    customers["r"] = score(-customers["recency_days"])
    customers["f"] = score(customers["purchase_days"])
    customers["m"] = score(customers["total"])
    segments = pd.DataFrame(
        [
            (r, f, rule.segment.value)
            for rule in SEGMENT_RULES
            for r in range(rule.recency[0], rule.recency[1] + 1)
            for f in range(rule.frequency[0], rule.frequency[1] + 1)
        ],
        columns=["r", "f", "segment"],
    )
    return customers.merge(segments, on=["r", "f"], how="left")


def bg_nbd_negative_log_likelihood(log_params, x, t_x, T):
    r, alpha, a, b = np.exp(log_params)
    a1 = gammaln(r + x) - gammaln(r) + r * np.log(alpha)
    a2 = betaln(a, b + x) - betaln(a, b)
    a3 = -(r + x) * np.log(alpha + T)
    b_x = np.maximum(b + x - 1, 1e-12)  # only used where x > 0
    a4 = np.where(x > 0, np.log(a / b_x) - (r + x) * np.log(alpha + t_x), -np.inf)
    return -(a1 + a2 + np.logaddexp(a3, a4)).mean()


def gamma_gamma_negative_log_likelihood(log_params, x, m):
    p, q, v = np.exp(log_params)
    return -(
        gammaln(p * x + q)
        - gammaln(p * x)
        - gammaln(q)
        + q * np.log(v)
        + (p * x - 1) * np.log(m)
        + p * x * np.log(x)
        - (p * x + q) * np.log(x * m + v)
    ).mean()


def fit(function, start, *columns):
    # What lifetimes does: Nelder-Mead on the mean log-likelihood, tol 1e-7.
    result = minimize(
        function, np.log(start), args=columns, method="Nelder-Mead", tol=1e-7
    )
    return np.exp(result.x)


def predict(group: pd.DataFrame) -> pd.DataFrame:
    """BG/NBD and Gamma-Gamma predictions for one currency's customers."""
    # NumPy arrays for the optimiser, as lifetimes does: Series arithmetic
    # would cost more than the likelihood itself.
    x, t_x, T = (group[name].to_numpy() for name in ("x", "t_x", "T"))
    monetary = group["monetary"].to_numpy()
    r, alpha, a, b = fit(bg_nbd_negative_log_likelihood, [1, 1, 1, 1], x, t_x, T)
    death = np.where(
        x > 0, a / (b + x - 1) * ((alpha + T) / (alpha + t_x)) ** (r + x), 0.0
    )
    group["p_alive"] = 1 / (1 + death)

    def expected(t):
        z = t / (alpha + T + t)
        head = (a + b + x - 1) / (a - 1)
        tail = ((alpha + T) / (alpha + T + t)) ** (r + x) * hyp2f1(
            r + x, b + x, a + b + x - 1, z
        )
        return head * (1 - tail) / (1 + death)

    group["expected_90d"] = expected(90 / 7)
    repeat = (x > 0) & (monetary > 0)
    p, q, v = fit(
        gamma_gamma_negative_log_likelihood, [1, 1, 1], x[repeat], monetary[repeat]
    )
    spend = p * (v + x * monetary) / (p * x + q - 1)
    group["value"] = expected(365 / 7) * spend
    return group


def main(url: str, as_of: date, output: Path) -> pd.DataFrame:
    orders = main_currency(load(url, as_of))
    customers = rfm(summarise(orders, as_of))
    scored = pd.concat(
        predict(group.copy()) for _, group in customers.groupby("currency")
    )
    columns = ["customer_id", "currency", "r", "f", "m", "segment", "p_alive"]
    scored[[*columns, "expected_90d", "value"]].to_csv(output, index=False)
    return scored


if __name__ == "__main__":
    main(database_url(), date.fromisoformat(sys.argv[1]), Path(sys.argv[2]))
