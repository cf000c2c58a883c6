class LoyaltyQueries:
    """Root query fields of this domain."""


class LoyaltyMutations:
    """Root mutation fields of this domain."""


class LoyaltyCustomerFields:
    """Fields this domain adds to KinshipCustomer."""
