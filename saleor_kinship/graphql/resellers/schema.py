class ResellerQueries:
    """Root query fields of this domain."""


class ResellerMutations:
    """Root mutation fields of this domain."""


class ResellerCustomerFields:
    """Fields this domain adds to KinshipCustomer."""
