import json
import stat
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from saleor_kinship.graphql.core.ids import customer_global_id
from saleor_kinship.privacy.registry import SECTIONS

from .conftest import ZOE_EMAIL

EXPORT = "query($id: ID!) { kinshipCustomerExport(id: $id) }"


def exported(api, customer) -> dict:
    data = api.data(EXPORT, {"id": customer_global_id(customer.pk)})
    return json.loads(data["kinshipCustomerExport"])


def codes(body) -> list[str]:
    return [error["extensions"]["exception"]["code"] for error in body["errors"]]


def test_staff_export_everything_kinship_holds_about_her(world, staff_api):
    zoe = world.zoe

    document = exported(staff_api, zoe)

    assert document["customer"] == {
        "id": zoe.pk,
        "email": zoe.email,
        "first_name": "Zoe",
        "last_name": "Quixley",
    }
    assert set(document) == {"format", "exported_at", "customer"} | {
        section.name for section in SECTIONS
    }
    (profile,) = document["profile"]
    assert (profile["notes"], profile["tags"]) == ("Likes dark roast.", ["regular"])
    relatives = {
        row["name"] or row["relative_customer_id"] for row in document["relatives"]
    }
    assert relatives == {"Grandma Quixley", world.bob.pk}
    assert [row["label"] for row in document["important_dates"]] == ["Shop anniversary"]
    assert [row["note"] for row in document["follow_ups"]] == ["Call Zoe about beans."]
    (account,) = document["loyalty_account"]
    assert (account["balance"], account["tier"]) == (100, "Silver")
    assert sorted(entry["points"] for entry in document["loyalty_ledger"]) == [20, 80]
    assert sorted(order["total"] for order in document["loyalty_orders"]) == [
        "20.000",
        "80.000",
    ]
    (reseller,) = document["reseller"]
    assert reseller["status"] == "approved"
    # Brought by Rita; she brought Carl, whose order earned her commission.
    assert [link["reseller_id"] for link in document["reseller_links"]] == [
        world.rita.pk
    ]
    assert [link["customer_id"] for link in document["reseller_customers_brought"]] == [
        world.carl.pk
    ]
    assert [entry["amount"] for entry in document["reseller_commission"]] == ["4.000"]
    assert (
        sorted(
            delivery["recipient"].lower() for delivery in document["email_deliveries"]
        )
        == [ZOE_EMAIL.lower()] * 2
    )
    (failed,) = document["failed_events"]
    assert failed["payload"]["order"]["id"] == "lost-order"
    assert document["metadata_mirror"][0]["items"]["kinship.tier"] == "Silver"


def test_the_export_holds_nothing_of_other_customers(world, staff_api):
    document = exported(staff_api, world.zoe)

    # Bob's gift for her and his side of their relation are Bob's rows.
    assert all(gift["customer_id"] == world.zoe.pk for gift in document["gifts"])
    assert all(row["customer_id"] == world.zoe.pk for row in document["relatives"])
    assert "Ray" not in json.dumps(document)


@pytest.mark.parametrize(
    ("client_fixture", "code"),
    [
        ("anonymous_api", "PERMISSION_DENIED"),
        ("customer_api", "PERMISSION_DENIED"),
        ("staff_api_without_permission", "PERMISSION_DENIED"),
        ("app_api_without_permission", "PERMISSION_DENIED"),
    ],
)
def test_the_export_needs_manage_users(request, customer, client_fixture, code):
    api = request.getfixturevalue(client_fixture)

    body = api.query(EXPORT, {"id": customer_global_id(customer.pk)})

    assert body["data"] == {"kinshipCustomerExport": None}
    assert codes(body) == [code]


def test_an_app_with_manage_users_exports(app_api, customer):
    assert exported(app_api, customer)["customer"]["email"] == "ann@example.com"


@pytest.mark.parametrize(
    ("customer_id", "code"),
    [(customer_global_id(987654), "NOT_FOUND"), ("not-an-id", "INVALID")],
)
def test_an_unknown_customer_is_a_coded_error(staff_api, customer_id, code):
    body = staff_api.query(EXPORT, {"id": customer_id})

    assert body["data"] == {"kinshipCustomerExport": None}
    assert codes(body) == [code]


def test_the_command_prints_her_data_by_id(world):
    output = StringIO()

    call_command("kinship_export_customer", str(world.zoe.pk), stdout=output)

    document = json.loads(output.getvalue())
    assert document["customer"]["email"] == world.zoe.email
    assert document["reseller"][0]["status"] == "approved"


def test_the_command_writes_a_private_file_found_by_email(world, tmp_path):
    target = tmp_path / "zoe.json"
    output = StringIO()

    call_command(
        "kinship_export_customer", ZOE_EMAIL.upper(), output=str(target), stdout=output
    )

    assert output.getvalue().strip() == (
        f"Wrote the data of customer {world.zoe.pk} to {target}."
    )
    document = json.loads(target.read_text())
    assert document["profile"][0]["notes"] == "Likes dark roast."
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


@pytest.mark.parametrize("reference", ["987654", "nobody@example.com", "Zoe"])
def test_the_command_names_an_unknown_customer_in_one_line(db, reference):
    with pytest.raises(CommandError) as error:
        call_command("kinship_export_customer", reference)

    assert str(error.value) == f"No customer has the id or e-mail {reference!r}."


def test_the_command_reports_an_unwritable_file_in_one_line(customer, tmp_path):
    target = tmp_path / "missing" / "out.json"

    with pytest.raises(CommandError) as error:
        call_command("kinship_export_customer", str(customer.pk), output=str(target))

    assert str(error.value) == (
        f"--output: cannot write {target}: No such file or directory."
    )
