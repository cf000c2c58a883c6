"""Kinship shows on Saleor's customer page and leaves with the customer."""

from graphql_relay import to_global_id

from tests.privacy.traces import traces_of

PRIVATE_METADATA = """
query Customer($id: ID!) { user(id: $id) { privateMetadata { key value } } }
"""

CUSTOMER_DELETE = """
mutation Delete($id: ID!) { customerDelete(id: $id) { errors { field message } } }
"""


def test_tier_and_points_show_in_saleors_private_metadata(
    saleor_shop, draft_order, customer_user, staff_api_client, permission_manage_users
):
    staff_api_client.user.user_permissions.add(permission_manage_users)
    saleor_shop.complete_and_pay(draft_order)

    body = staff_api_client.post_graphql(
        PRIVATE_METADATA, {"id": to_global_id("User", customer_user.pk)}
    ).json()

    metadata = {
        item["key"]: item["value"] for item in body["data"]["user"]["privateMetadata"]
    }
    customer_user.kinship_loyalty.refresh_from_db()
    assert metadata["kinship.points_balance"] == str(
        customer_user.kinship_loyalty.balance
    )
    assert metadata["kinship.tier"] == "Bronze"


def test_deleting_a_saleor_customer_leaves_no_kinship_rows(
    saleor_shop,
    draft_order,
    customer_user,
    staff_api_client,
    permission_manage_users,
    kinship_staff_api,
):
    staff_api_client.user.user_permissions.add(permission_manage_users)
    saleor_shop.complete_and_pay(draft_order)
    customer_id = to_global_id("User", customer_user.pk)
    kinship_staff_api.post_graphql(
        """mutation($c: ID!) { kinshipInteractionCreate(customer: $c,
           input: {kind: CALL, summary: "Asked about tea"}) { errors { code } } }""",
        {"c": customer_id},
    )
    pk, email = customer_user.pk, customer_user.email
    assert traces_of(pk, email), "the customer should have kinship data first"

    deleted = staff_api_client.post_graphql(CUSTOMER_DELETE, {"id": customer_id})

    assert deleted.json()["data"]["customerDelete"]["errors"] == []
    assert traces_of(pk, email, customer_user.first_name, customer_user.last_name) == []
