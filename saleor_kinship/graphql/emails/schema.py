class EmailQueries:
    """Root query fields of this domain."""


class EmailMutations:
    """Root mutation fields of this domain."""


class EmailCustomerFields:
    """Fields this domain adds to KinshipCustomer."""
