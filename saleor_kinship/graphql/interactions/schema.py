class InteractionQueries:
    """Root query fields of this domain."""


class InteractionMutations:
    """Root mutation fields of this domain."""


class InteractionCustomerFields:
    """Fields this domain adds to KinshipCustomer."""
