"""A real Saleor customer gets a profile; Saleor staff write her timeline."""

from graphql_relay import to_global_id

from saleor_kinship.relationships.models import CustomerProfile

CUSTOMER_CREATE = """
mutation Create($email: String!) {
  customerCreate(input: {email: $email, firstName: "Zoe"}) {
    user { id email }
    errors { field code message }
  }
}
"""

CARD = """
query Card($id: ID!) {
  customer(id: $id) {
    email
    profile { stage emailConsent }
    interactions(first: 5) { edges { node { kind summary author { email } } } }
  }
}
"""

NOTE_A_CALL = """
mutation Call($customer: ID!) {
  kinshipInteractionCreate(customer: $customer, input: {
    kind: CALL, summary: "Asked about the lilac vase"
  }) { errors { field code message } interaction { id } }
}
"""


def test_a_customer_created_in_saleor_gets_a_profile(
    kinship_plugin, staff_api_client, permission_manage_users, kinship_staff_api
):
    staff_api_client.user.user_permissions.add(permission_manage_users)

    created = staff_api_client.post_graphql(
        CUSTOMER_CREATE, {"email": "zoe@example.com"}
    ).json()["data"]["customerCreate"]

    assert created["errors"] == []
    saleor_id = created["user"]["id"]
    profile = CustomerProfile.objects.get(customer__email="zoe@example.com")
    assert profile.stage == "acquaintance"
    card = kinship_staff_api.post_graphql(CARD, {"id": saleor_id}).json()
    assert card["data"]["customer"]["profile"] == {
        "stage": "ACQUAINTANCE",
        "emailConsent": True,
    }


def test_saleor_staff_write_and_read_a_timeline_entry(
    kinship_staff_api, customer_user, staff_user
):
    customer_id = to_global_id("User", customer_user.pk)

    written = kinship_staff_api.post_graphql(NOTE_A_CALL, {"customer": customer_id})
    assert written.json()["data"]["kinshipInteractionCreate"]["errors"] == []

    card = kinship_staff_api.post_graphql(CARD, {"id": customer_id}).json()
    (edge,) = card["data"]["customer"]["interactions"]["edges"]
    assert edge["node"] == {
        "kind": "CALL",
        "summary": "Asked about the lilac vase",
        "author": {"email": staff_user.email},
    }


def test_a_saleor_customer_cannot_read_the_merchants_notes(kinship_customer_api):
    body = kinship_customer_api.post_graphql("{ me { profile { notes } } }").json()

    assert body["data"]["me"]["profile"]["notes"] is None
    codes = {error["extensions"]["exception"]["code"] for error in body["errors"]}
    assert codes == {"PERMISSION_DENIED"}
