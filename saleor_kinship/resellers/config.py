from decimal import Decimal

from ..core.configuration import Field, decimal_between

RESELLER_FIELDS = [
    Field(
        "default_commission_rate",
        "Default commission rate (%)",
        "Programme-wide. Commission a newly approved reseller earns on what "
        "the customers she brings pay, in percent (0 to 100). Each reseller's "
        "rate can be changed on her own.",
        "10",
        decimal_between(Decimal(0), Decimal(100)),
    ),
]
