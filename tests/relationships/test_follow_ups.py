from datetime import timedelta

import pytest

from saleor_kinship.relationships.dates import shop_today
from saleor_kinship.relationships.models import FollowUp

from .conftest import gid, mutation_errors, uid

FIELDS = (
    "id dueOn note isDone isOverdue assignee { email firstName } customer { email }"
)

CREATE = (
    """
mutation($customer: ID!, $input: KinshipFollowUpCreateInput!) {
  kinshipFollowUpCreate(customer: $customer, input: $input) {
    errors { field code message }
    followUp { """
    + FIELDS
    + " } } }"
)

UPDATE = (
    """
mutation($id: ID!, $input: KinshipFollowUpUpdateInput!) {
  kinshipFollowUpUpdate(id: $id, input: $input) {
    errors { field code message }
    followUp { """
    + FIELDS
    + " } } }"
)


def test_staff_plan_assign_and_close_a_follow_up(
    staff_api, customer, assistant, channel
):
    yesterday = shop_today() - timedelta(days=1)
    created = staff_api.data(
        CREATE,
        {
            "customer": uid(customer),
            "input": {
                "dueOn": yesterday.isoformat(),
                "note": "Call about the wedding order",
                "assignee": uid(assistant),
            },
        },
    )["kinshipFollowUpCreate"]

    follow_up = created["followUp"]
    assert created["errors"] == []
    assert {key: value for key, value in follow_up.items() if key != "id"} == {
        "dueOn": yesterday.isoformat(),
        "note": "Call about the wedding order",
        "isDone": False,
        "isOverdue": True,
        "assignee": {"email": "assistant@example.com", "firstName": "Ida"},
        "customer": {"email": "ann@example.com"},
    }

    closed = staff_api.data(UPDATE, {"id": follow_up["id"], "input": {"done": True}})
    assert closed["kinshipFollowUpUpdate"]["followUp"]["isDone"] is True
    assert closed["kinshipFollowUpUpdate"]["followUp"]["isOverdue"] is False
    assert FollowUp.objects.get().done_at is not None

    reopened = staff_api.data(
        UPDATE, {"id": follow_up["id"], "input": {"done": False, "assignee": None}}
    )["kinshipFollowUpUpdate"]["followUp"]
    assert (reopened["isDone"], reopened["assignee"]) == (False, None)


def test_a_customer_cannot_be_assigned_a_follow_up(staff_api, customer, other_customer):
    body = staff_api.data(
        CREATE,
        {
            "customer": uid(customer),
            "input": {"dueOn": "2026-01-01", "assignee": uid(other_customer)},
        },
    )
    assert mutation_errors(body, "kinshipFollowUpCreate") == [
        {"field": "assignee", "code": "NOT_FOUND"}
    ]
    assert not FollowUp.objects.exists()


@pytest.mark.parametrize(
    ("given", "field", "code"),
    [
        ({"note": "n" * 2001}, "note", "TOO_LONG"),
        ({"done": None}, "done", "REQUIRED"),
    ],
)
def test_bad_follow_ups_are_refused(staff_api, customer, given, field, code):
    body = staff_api.data(
        CREATE,
        {"customer": uid(customer), "input": {"dueOn": "2026-01-01", **given}},
    )
    assert mutation_errors(body, "kinshipFollowUpCreate") == [
        {"field": field, "code": code}
    ]
    assert not FollowUp.objects.exists()


def test_open_and_done_follow_ups_of_a_customer(staff_api, customer):
    FollowUp.objects.create(customer=customer, due_on="2026-02-01", note="open")
    FollowUp.objects.create(
        customer=customer, due_on="2026-01-01", note="done", done_at="2026-01-02T10:00Z"
    )

    query = (
        "query($id: ID!, $done: Boolean) { customer(id: $id) { "
        "followUps(first: 10, done: $done) { totalCount edges { node { note } } } } }"
    )
    every = staff_api.data(query, {"id": uid(customer)})["customer"]["followUps"]
    open_ones = staff_api.data(query, {"id": uid(customer), "done": False})["customer"][
        "followUps"
    ]

    assert [edge["node"]["note"] for edge in every["edges"]] == ["done", "open"]
    assert every["totalCount"] == 2
    assert [edge["node"]["note"] for edge in open_ones["edges"]] == ["open"]
    assert open_ones["totalCount"] == 1


def test_staff_remove_a_follow_up(staff_api, customer):
    follow_up = FollowUp.objects.create(customer=customer, due_on="2026-02-01")
    data = staff_api.data(
        "mutation($id: ID!) { kinshipFollowUpDelete(id: $id) { errors { code } } }",
        {"id": gid("KinshipFollowUp", follow_up.pk)},
    )
    assert data["kinshipFollowUpDelete"]["errors"] == []
    assert not FollowUp.objects.exists()
