"""An order in real Saleor by a linked customer credits her reseller."""

from decimal import Decimal

from django.utils import timezone
from graphql_relay import to_global_id

from saleor.graphql.tests.fixtures import ApiClient
from saleor_kinship.resellers.models import Attribution, CommissionEntry

APPLY = """
mutation { kinshipResellerApply(message: "I sell at the Saturday market.") {
  reseller { status } errors { field code message } } }
"""

APPROVE = """
mutation Approve($id: ID!) { kinshipResellerApprove(id: $id, reason: "Met her") {
  reseller { status commissionRate } errors { field code message } } }
"""

LINK = """
mutation Link($customer: ID!, $reseller: ID!, $since: DateTime!) {
  kinshipResellerLink(customerId: $customer, resellerId: $reseller, since: $since) {
    link { isActive } errors { field code message } } }
"""


def test_a_linked_customers_paid_order_credits_her_reseller(
    saleor_shop,
    draft_order,
    customer_user,
    customer_user2,
    kinship_staff_api,
    kinship_url,
):
    seller_api = ApiClient(user=customer_user2, api_path=kinship_url)
    body = seller_api.post_graphql(APPLY).json()
    assert "data" in body, body
    assert body["data"]["kinshipResellerApply"]["reseller"] == {"status": "APPLIED"}
    sellers = kinship_staff_api.post_graphql(
        "query($q: String) { kinshipResellers(first: 5, search: $q) "
        "{ edges { node { id } } } }",
        {"q": customer_user2.email},
    ).json()
    (edge,) = sellers["data"]["kinshipResellers"]["edges"]
    reseller_id = edge["node"]["id"]
    approved = kinship_staff_api.post_graphql(APPROVE, {"id": reseller_id}).json()
    assert approved["data"]["kinshipResellerApprove"]["reseller"] == {
        "status": "APPROVED",
        "commissionRate": "10",
    }
    linked = kinship_staff_api.post_graphql(
        LINK,
        {
            "customer": to_global_id("User", customer_user.pk),
            "reseller": reseller_id,
            "since": customer_user.date_joined.isoformat(),
        },
    ).json()["data"]["kinshipResellerLink"]
    assert linked["errors"] == []

    # The draft becomes an order placed now, while the link is active.
    draft_order.created_at = timezone.now()
    draft_order.save(update_fields=["created_at"])
    order = saleor_shop.complete_and_pay(draft_order)

    attribution = Attribution.objects.get(order_id=str(draft_order.pk))
    assert attribution.reseller.customer_id == customer_user2.pk
    total = Decimal(str(order["total"]["gross"]["amount"]))
    (accrued,) = CommissionEntry.objects.filter(order_id=str(draft_order.pk))
    assert accrued.amount == (total / 10).quantize(Decimal("0.01"))
    assert accrued.currency == "USD"
