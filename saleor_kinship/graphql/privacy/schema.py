from typing import Any

import graphene

from ...core.error_codes import KinshipErrorCode
from ...privacy.export import export_customer
from ..core.errors import KinshipGraphQLError
from ..core.permissions import MANAGE_USERS, permission_required
from ..customers.resolvers import customer_by_global_id


class PrivacyQueries:
    kinship_customer_export = graphene.JSONString(
        id=graphene.ID(required=True, description="Saleor's id of the customer."),
        description=(
            "Everything kinship holds about a customer (profile, relatives, "
            "dates, gifts, follow-ups, timeline, points, reseller standing, "
            "e-mails), as one JSON document for her data request. "
            "Requires MANAGE_USERS."
        ),
    )

    @staticmethod
    @permission_required(MANAGE_USERS)
    def resolve_kinship_customer_export(root: Any, info: Any, id: str) -> Any:
        customer = customer_by_global_id(id)
        if customer is None:
            raise KinshipGraphQLError(
                "id: there is no such customer.", KinshipErrorCode.NOT_FOUND
            )
        return export_customer(customer)
