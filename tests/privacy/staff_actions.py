"""Staff mutations that record what a merchant knows about a customer."""

from typing import Any

RELATIVE_CREATE = """
mutation($customer: ID!, $input: KinshipRelativeCreateInput!) {
  kinshipRelativeCreate(customer: $customer, input: $input) {
    relative { id } errors { field code }
  }
}
"""
GIFT_CREATE = """
mutation($customer: ID!, $input: KinshipGiftCreateInput!) {
  kinshipGiftCreate(customer: $customer, input: $input) {
    gift { id recipientName } errors { field code }
  }
}
"""
DATE_CREATE = """
mutation($customer: ID!, $input: KinshipImportantDateCreateInput!) {
  kinshipImportantDateCreate(customer: $customer, input: $input) {
    importantDate { id } errors { field code }
  }
}
"""
FOLLOW_UP_CREATE = """
mutation($customer: ID!, $input: KinshipFollowUpCreateInput!) {
  kinshipFollowUpCreate(customer: $customer, input: $input) {
    followUp { id } errors { field code }
  }
}
"""
INTERACTION_CREATE = """
mutation($customer: ID!, $input: KinshipInteractionCreateInput!) {
  kinshipInteractionCreate(customer: $customer, input: $input) {
    interaction { id } errors { field code }
  }
}
"""
PROFILE_UPDATE = """
mutation($customer: ID!, $input: KinshipProfileInput!) {
  kinshipProfileUpdate(customer: $customer, input: $input) {
    profile { notes } errors { field code }
  }
}
"""


def mutate(api: Any, mutation: str, **variables: Any) -> dict[str, Any]:
    """Run a staff mutation and return its payload, failing on any error."""
    data = api.data(mutation, variables)
    (payload,) = data.values()
    assert payload["errors"] == [], payload["errors"]
    return payload
