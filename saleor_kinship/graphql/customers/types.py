from typing import Any

import graphene

from ..core.connection import CountableConnection
from ..core.ids import customer_global_id
from ..emails.schema import EmailCustomerFields
from ..interactions.schema import InteractionCustomerFields
from ..loyalty.schema import LoyaltyCustomerFields
from ..relationships.schema import RelationshipCustomerFields
from ..resellers.schema import ResellerCustomerFields


class KinshipCustomer(
    RelationshipCustomerFields,
    InteractionCustomerFields,
    LoyaltyCustomerFields,
    ResellerCustomerFields,
    EmailCustomerFields,
    graphene.ObjectType,
):
    """A customer of the shop as kinship sees her; resolved from the host's user."""

    id = graphene.ID(
        required=True, description="Saleor's id of the customer (User:<pk>)."
    )
    email = graphene.String(required=True)
    first_name = graphene.String(required=True)
    last_name = graphene.String(required=True)

    @staticmethod
    def resolve_id(root: Any, info: Any) -> str:
        return customer_global_id(root.pk)


class KinshipCustomerConnection(CountableConnection):
    class Meta:
        node = KinshipCustomer
