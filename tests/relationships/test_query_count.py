"""A staff list of customers with their relationship data runs a fixed number
of queries, however many customers it shows."""

from datetime import UTC, datetime, timedelta

from saleor_kinship.interactions.models import Interaction
from saleor_kinship.relationships.models import (
    CustomerProfile,
    ImportantDate,
    Relative,
)

CUSTOMERS = """
query($first: Int!) {
  customers(first: $first) {
    edges { node {
      email
      profile { stage tags }
      relatives(first: 3) {
        totalCount
        edges { node { name relation customer { email } } }
      }
      nextImportantDate { date label }
      interactions(first: 5) {
        totalCount
        edges { node { kind summary author { email } } }
        pageInfo { hasNextPage }
      }
    } }
  }
}
"""

START = datetime(2026, 1, 1, 9, tzinfo=UTC)


def add_customers(count, start, staff):
    from devhost.account.models import User

    customers = User.objects.bulk_create(
        User(email=f"c{start + number}@example.com", first_name=f"C{start + number}")
        for number in range(count)
    )
    CustomerProfile.objects.bulk_create(
        CustomerProfile(customer=customer, stage="regular", birth_day=1, birth_month=5)
        for customer in customers[::2]  # half of them have no profile yet
    )
    Relative.objects.bulk_create(
        Relative(
            customer=customer, name="Mia", relation="child", birth_day=2, birth_month=6
        )
        for customer in customers
    )
    ImportantDate.objects.bulk_create(
        ImportantDate(
            customer=customer, kind="anniversary", label="Wedding", day=3, month=7
        )
        for customer in customers
    )
    Interaction.objects.bulk_create(
        Interaction(
            customer=customer,
            kind="call",
            summary=f"Call {number}",
            occurred_at=START + timedelta(hours=number),
            author=staff,
        )
        for customer in customers
        for number in range(7)
    )
    return customers


def test_ten_or_a_hundred_customers_take_the_same_queries(
    staff_api, staff_user, count_queries
):
    first = add_customers(10, 0, staff_user)
    # One pair of related customers, seen from both sides.
    from saleor_kinship.relationships.relations import add_relative

    add_relative(
        first[0].pk,
        relation="sibling",
        relative_customer_id=first[1].pk,
        today=START.date(),
    )

    with count_queries() as small:
        data = staff_api.data(CUSTOMERS, {"first": 100})
    nodes = [edge["node"] for edge in data["customers"]["edges"]]
    assert len(nodes) == 10

    add_customers(90, 10, staff_user)
    with count_queries() as large:
        data = staff_api.data(CUSTOMERS, {"first": 100})
    nodes = [edge["node"] for edge in data["customers"]["edges"]]

    assert len(nodes) == 100
    assert len(large.captured_queries) == len(small.captured_queries)
    assert len(small.captured_queries) <= 15

    customer = next(node for node in nodes if node["email"] == "c42@example.com")
    timeline = customer["interactions"]
    assert [edge["node"]["summary"] for edge in timeline["edges"]] == [
        "Call 6",
        "Call 5",
        "Call 4",
        "Call 3",
        "Call 2",
    ]
    assert timeline["totalCount"] == 7
    assert timeline["pageInfo"]["hasNextPage"] is True
    assert timeline["edges"][0]["node"]["author"] == {"email": "staff@example.com"}
    assert customer["relatives"]["edges"][0]["node"]["name"] == "Mia"
    assert customer["profile"]["stage"] == "REGULAR"
    assert customer["nextImportantDate"]["label"] in {"Birthday", "Wedding"}
