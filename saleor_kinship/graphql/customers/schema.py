from typing import Any

import graphene

from ..core.connection import paginate
from ..core.permissions import MANAGE_USERS, permission_required
from . import resolvers
from .filters import KinshipCustomerFilterInput, filter_customers
from .sorting import KinshipCustomerSortingInput, sort_customers
from .types import KinshipCustomer, KinshipCustomerConnection


class CustomerQueries:
    me = graphene.Field(
        KinshipCustomer, description="The signed-in customer; null when anonymous."
    )
    customer = graphene.Field(
        KinshipCustomer,
        id=graphene.ID(required=True, description="Saleor's id of the customer."),
        description="One customer. Requires MANAGE_USERS.",
    )
    customers = graphene.relay.ConnectionField(
        KinshipCustomerConnection,
        search=graphene.String(description="Words matched in e-mail and names."),
        filter=graphene.Argument(
            KinshipCustomerFilterInput, description="Loyalty conditions to match."
        ),
        sort_by=graphene.Argument(
            KinshipCustomerSortingInput, description="Newest first if not given."
        ),
        description=(
            "Customers, newest first; staff members once they have ordered. "
            "Requires MANAGE_USERS."
        ),
    )

    @staticmethod
    def resolve_me(root: Any, info: Any) -> Any:
        return info.context.requestor.user

    @staticmethod
    @permission_required(MANAGE_USERS)
    def resolve_customer(root: Any, info: Any, id: str) -> Any:
        return resolvers.customer_by_global_id(id)

    @staticmethod
    @permission_required(MANAGE_USERS)
    def resolve_customers(
        root: Any,
        info: Any,
        search: str | None = None,
        filter: dict[str, Any] | None = None,
        sort_by: dict[str, Any] | None = None,
        **page: Any,
    ):
        queryset = filter_customers(resolvers.customer_list(search), filter)
        queryset, order_by = sort_customers(queryset, sort_by)
        return paginate(queryset, KinshipCustomerConnection, order_by=order_by, **page)
