import json
from typing import Any

from django.core.management.base import CommandError

from saleor_kinship.core.currencies import is_currency
from saleor_kinship.loyalty.predictions import InsufficientHistory
from saleor_kinship.loyalty.scoring import fit_history
from saleor_kinship.loyalty.scoring_history import shop_today
from saleor_kinship.management.arguments import KinshipCommand, day


class Command(KinshipCommand):
    help = (
        "Fit the BG/NBD and Gamma-Gamma models to the purchase history as of a "
        "day and print the parameters as JSON (time in weeks). Nothing is stored."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--as-of", required=True, type=day, help="YYYY-MM-DD")
        parser.add_argument(
            "--currency",
            help="ISO 4217 code; the currency with the most customers by default.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        as_of = options["as_of"]
        if as_of > shop_today():
            raise CommandError(f"--as-of: {as_of} is in the future.")
        currency = options["currency"]
        if currency is not None:
            currency = currency.upper()
            if not is_currency(currency):
                raise CommandError(f"--currency: '{currency}' is not a currency code.")

        try:
            fit = fit_history(as_of, currency)
        except InsufficientHistory as error:
            raise CommandError(
                f"Not enough purchase history as of {as_of} to fit the model: {error}."
            )

        bg_nbd, gamma_gamma = fit.bg_nbd, fit.gamma_gamma
        assert bg_nbd is not None  # fit_history raises when it could not fit
        parameters: dict[str, Any] = {
            "as_of": as_of.isoformat(),
            "currency": fit.currency,
            "time_unit": "week",
            "r": bg_nbd.r,
            "alpha": bg_nbd.alpha,
            "a": bg_nbd.a,
            "b": bg_nbd.b,
            "log_likelihood": bg_nbd.log_likelihood,
            "customers": bg_nbd.customers,
            "converged": bg_nbd.converged,
            "gamma_gamma": None,
        }
        if gamma_gamma is not None:
            parameters["gamma_gamma"] = {
                "p": gamma_gamma.p,
                "q": gamma_gamma.q,
                "v": gamma_gamma.v,
                "customers": gamma_gamma.customers,
            }
        self.stdout.write(json.dumps(parameters, indent=2))
