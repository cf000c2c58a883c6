class RelationshipQueries:
    """Root query fields of this domain."""


class RelationshipMutations:
    """Root mutation fields of this domain."""


class RelationshipCustomerFields:
    """Fields this domain adds to KinshipCustomer."""
