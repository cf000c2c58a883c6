"""An id a mutation cannot use is a mistake on its field, in the payload's errors."""

import pytest
from graphql_relay import to_global_id

from saleor_kinship.interactions.models import Interaction
from saleor_kinship.relationships.models import (
    CustomerProfile,
    FollowUp,
    ImportantDate,
    KinshipGift,
    Relative,
)

from .conftest import uid

GARBAGE = "garbage"
# A well-formed id of a type the argument does not take.
WRONG_TYPE = to_global_id("KinshipGift", 1)
NOBODY = to_global_id("User", 987654)
# int() reads these as numbers; an id is written in ASCII digits only.
ODD_NUMBERS = [to_global_id("User", text) for text in ("1_0", " 1", "+1", "\u0661")]

CREATES = {
    "kinshipProfileUpdate": (
        'customer: $customer, input: {notes: "x"}',
        "profile { notes }",
    ),
    "kinshipRelativeCreate": (
        'customer: $customer, input: {relation: "parent", name: "Jo"}',
        "relative { id }",
    ),
    "kinshipImportantDateCreate": (
        "customer: $customer, input: {kind: CUSTOM, day: 1, month: 2}",
        "importantDate { id }",
    ),
    "kinshipGiftCreate": (
        'customer: $customer, input: {status: PLANNED, date: "2030-01-01"}',
        "giftCreated: gift { id }",
    ),
    "kinshipFollowUpCreate": (
        'customer: $customer, input: {dueOn: "2030-01-01"}',
        "followUp { id }",
    ),
    "kinshipInteractionCreate": (
        'customer: $customer, input: {kind: NOTE, summary: "Hi"}',
        "interaction { id }",
    ),
}

DELETES = {
    "kinshipRelativeDelete": Relative,
    "kinshipImportantDateDelete": ImportantDate,
    "kinshipGiftDelete": KinshipGift,
    "kinshipFollowUpDelete": FollowUp,
    "kinshipInteractionDelete": Interaction,
}

UPDATES = {
    "kinshipRelativeUpdate": 'input: {note: "x"}',
    "kinshipImportantDateUpdate": 'input: {label: "x"}',
    "kinshipGiftUpdate": 'input: {occasion: "x"}',
    "kinshipFollowUpUpdate": 'input: {note: "x"}',
    "kinshipInteractionUpdate": 'input: {summary: "x"}',
}


def errors(body, name):
    return [
        (error["field"], error["code"], error["message"])
        for error in body[name]["errors"]
    ]


def nothing_stored():
    written = [
        Relative.objects.all(),
        ImportantDate.objects.all(),
        KinshipGift.objects.all(),
        FollowUp.objects.all(),
        Interaction.objects.filter(author__isnull=False),
        CustomerProfile.objects.exclude(notes=""),
    ]
    return not any(rows.exists() for rows in written)


@pytest.mark.parametrize("name", sorted(CREATES))
@pytest.mark.parametrize(
    ("customer_id", "code", "message"),
    [
        (GARBAGE, "INVALID", "customer: 'garbage' is not a valid id."),
        (WRONG_TYPE, "INVALID", f"customer: '{WRONG_TYPE}' is not an id of a User."),
        (NOBODY, "NOT_FOUND", "No such customer."),
        *(
            (odd, "INVALID", f"customer: '{odd}' is not a valid id.")
            for odd in ODD_NUMBERS
        ),
    ],
)
def test_a_bad_customer_id_is_refused_on_the_customer_argument(
    staff_api, customer, name, customer_id, code, message
):
    arguments, payload = CREATES[name]
    body = staff_api.data(
        f"mutation($customer: ID!) {{ {name}({arguments}) "
        f"{{ errors {{ field code message }} {payload} }} }}",
        {"customer": customer_id},
    )

    assert errors(body, name) == [("customer", code, message)]
    assert nothing_stored()


@pytest.mark.parametrize(
    ("name", "input_field", "input"),
    [
        ("kinshipRelativeCreate", "relativeCustomer", {"relation": "parent"}),
        (
            "kinshipFollowUpCreate",
            "assignee",
            {"dueOn": "2030-01-01"},
        ),
        (
            "kinshipGiftCreate",
            "relative",
            {"status": "PLANNED", "date": "2030-01-01"},
        ),
        (
            "kinshipImportantDateCreate",
            "relative",
            {"kind": "CUSTOM", "day": 1, "month": 2},
        ),
    ],
)
@pytest.mark.parametrize(
    ("given", "code", "message"),
    [
        (GARBAGE, "INVALID", "{field}: 'garbage' is not a valid id."),
        (WRONG_TYPE, "INVALID", "{field}: '" + WRONG_TYPE + "' is not an id of a"),
    ],
)
def test_a_bad_id_in_the_input_is_refused_on_its_field(
    staff_api, customer, name, input_field, input, given, code, message
):
    input_type = name[0].upper() + name[1:] + "Input"
    body = staff_api.data(
        f"mutation($customer: ID!, $input: {input_type}!) {{ "
        f"{name}(customer: $customer, input: $input) {{ errors {{ field code "
        "message } } }",
        {"customer": uid(customer), "input": {**input, input_field: given}},
    )

    [(field, got_code, got_message)] = errors(body, name)
    assert (field, got_code) == (input_field, code)
    assert got_message.startswith(message.format(field=input_field))
    assert nothing_stored()


def test_a_relative_customer_that_is_nobody_is_not_found(staff_api, customer):
    body = staff_api.data(
        "mutation($customer: ID!) { kinshipRelativeCreate(customer: $customer, "
        'input: {relation: "parent", relativeCustomer: "' + NOBODY + '"}) '
        "{ errors { field code message } } }",
        {"customer": uid(customer)},
    )

    assert errors(body, "kinshipRelativeCreate") == [
        ("relativeCustomer", "NOT_FOUND", "No such customer.")
    ]
    assert not Relative.objects.exists()


@pytest.mark.parametrize("name", sorted(DELETES))
@pytest.mark.parametrize(
    ("given", "code"),
    [(GARBAGE, "INVALID"), (WRONG_TYPE, "INVALID"), ("nobody", "NOT_FOUND")],
)
def test_a_bad_id_to_delete_is_refused_on_the_id(staff_api, name, given, code):
    type_name = "Kinship" + name.removeprefix("kinship").removesuffix("Delete")
    if given == "nobody":
        given = to_global_id(type_name, 987654)
    elif given == WRONG_TYPE and type_name == "KinshipGift":
        given = to_global_id("KinshipFollowUp", 1)

    body = staff_api.data(
        f"mutation($id: ID!) {{ {name}(id: $id) {{ errors {{ field code message }} "
        "deletedId } }",
        {"id": given},
    )

    [(field, got_code, message)] = errors(body, name)
    assert (field, got_code) == ("id", code)
    if code == "INVALID":
        assert message.startswith(f"id: '{given}' is not")
    assert body[name]["deletedId"] is None


@pytest.mark.parametrize("name", sorted(UPDATES))
def test_a_malformed_id_to_update_is_refused_on_the_id(staff_api, name):
    body = staff_api.data(
        f"mutation($id: ID!) {{ {name}(id: $id, {UPDATES[name]}) "
        "{ errors { field code message } } }",
        {"id": GARBAGE},
    )

    assert errors(body, name) == [("id", "INVALID", "id: 'garbage' is not a valid id.")]


def test_a_signed_in_customer_is_still_refused_before_her_ids_are_read(
    customer_api,
):
    body = customer_api.query(
        'mutation { kinshipProfileUpdate(customer: "garbage", input: {notes: "x"}) '
        "{ errors { field code } } }"
    )

    assert body["data"] == {"kinshipProfileUpdate": None}
    assert [error["extensions"]["exception"]["code"] for error in body["errors"]] == [
        "PERMISSION_DENIED"
    ]
