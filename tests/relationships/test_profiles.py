import pytest

from saleor_kinship.relationships.events import handle_customer_event
from saleor_kinship.relationships.models import CustomerProfile, ImportantDate
from saleor_kinship.relationships.profiles import profile_for

from .conftest import mutation_errors, uid

PROFILE_FIELDS = """
  birthday { day month year }
  preferredChannel contactHandle emailConsent profilingConsent
  stage metHow metDetails closeness trust tags notes timeZone
"""

STAFF_PROFILE = (
    "query($id: ID!) { customer(id: $id) { profile {" + PROFILE_FIELDS + "} } }"
)

UPDATE = (
    """
mutation($customer: ID!, $input: KinshipProfileInput!) {
  kinshipProfileUpdate(customer: $customer, input: $input) {
    errors { field code message }
    profile {"""
    + PROFILE_FIELDS
    + "} } }"
)

MY_UPDATE = """
mutation($input: KinshipMyProfileInput!) {
  kinshipMyProfileUpdate(input: $input) {
    errors { field code message }
    profile { birthday { day month year } preferredChannel contactHandle
              emailConsent profilingConsent }
  }
}
"""

DEFAULTS = {
    "birthday": None,
    "preferredChannel": None,
    "contactHandle": "",
    "emailConsent": True,
    "profilingConsent": True,
    "stage": "ACQUAINTANCE",
    "metHow": None,
    "metDetails": "",
    "closeness": None,
    "trust": None,
    "tags": [],
    "notes": "",
    "timeZone": "",
}


def test_a_new_customer_gets_her_profile_once_however_often_the_event_comes(
    customer,
):
    assert CustomerProfile.objects.filter(customer=customer).count() == 1

    handle_customer_event("created", customer.pk, customer.email)
    handle_customer_event("created", customer.pk, customer.email)

    assert CustomerProfile.objects.filter(customer=customer).count() == 1


def test_the_created_event_of_a_deleted_customer_is_skipped(db):
    handle_customer_event("created", 987654, "gone@example.com")
    assert not CustomerProfile.objects.exists()


def test_a_customer_from_before_the_install_reads_defaults_without_a_write(
    staff_api, count_queries
):
    from devhost.account.models import User

    older = User.objects.create_user("older@example.com")  # no event: pre-install

    with count_queries() as queries:
        data = staff_api.data(STAFF_PROFILE, {"id": uid(older)})

    assert data["customer"]["profile"] == DEFAULTS
    assert not CustomerProfile.objects.filter(customer=older).exists()
    assert not any(
        query["sql"].startswith(("INSERT", "UPDATE"))
        for query in queries.captured_queries
    )
    assert profile_for(older).stage == "acquaintance"  # the helper creates it
    assert CustomerProfile.objects.filter(customer=older).count() == 1


def test_a_list_of_customers_without_profiles_writes_nothing(staff_api, shop):
    from devhost.account.models import User

    for number in range(5):
        User.objects.create_user(f"old{number}@example.com")

    data = staff_api.data(
        "{ customers(first: 10) { edges { node { profile { stage tags } } } } }"
    )

    profiles = [edge["node"]["profile"] for edge in data["customers"]["edges"]]
    assert profiles == [{"stage": "ACQUAINTANCE", "tags": []}] * 5
    assert not CustomerProfile.objects.exists()


def test_staff_edit_the_whole_profile(staff_api, customer):
    data = staff_api.data(
        UPDATE,
        {
            "customer": uid(customer),
            "input": {
                "stage": "FRIEND",
                "metHow": "MARKET",
                "metDetails": "Saturday market, bought the blue vase",
                "closeness": 4,
                "trust": 5,
                "preferredChannel": "WHATSAPP",
                "contactHandle": "+48 600 100 200",
                "tags": ["  Flowers ", "VIP", "flowers", "tea   lover", ""],
                "notes": "Daughter Mia starts school in September.",
                "birthday": {"day": 14, "month": 3, "year": 1985},
                "timeZone": "Europe/Warsaw",
                "emailConsent": False,
                "profilingConsent": False,
            },
        },
    )

    assert data["kinshipProfileUpdate"] == {
        "errors": [],
        "profile": {
            "birthday": {"day": 14, "month": 3, "year": 1985},
            "preferredChannel": "WHATSAPP",
            "contactHandle": "+48 600 100 200",
            "emailConsent": False,
            "profilingConsent": False,
            "stage": "FRIEND",
            "metHow": "MARKET",
            "metDetails": "Saturday market, bought the blue vase",
            "closeness": 4,
            "trust": 5,
            "tags": ["flowers", "vip", "tea lover"],
            "notes": "Daughter Mia starts school in September.",
            "timeZone": "Europe/Warsaw",
        },
    }
    profile = CustomerProfile.objects.get(customer=customer)
    assert (profile.birth_day, profile.birth_month, profile.birth_year) == (14, 3, 1985)
    assert profile.email_consent is False


def test_fields_left_out_keep_their_values(staff_api, customer):
    staff_api.data(UPDATE, {"customer": uid(customer), "input": {"notes": "First."}})
    data = staff_api.data(UPDATE, {"customer": uid(customer), "input": {"trust": 2}})

    profile = data["kinshipProfileUpdate"]["profile"]
    assert (profile["notes"], profile["trust"]) == ("First.", 2)


def test_text_is_stored_and_returned_as_typed(staff_api, customer):
    notes = '<script>alert("x")</script> & <b>bold</b>'
    data = staff_api.data(
        UPDATE, {"customer": uid(customer), "input": {"notes": notes}}
    )

    assert data["kinshipProfileUpdate"]["profile"]["notes"] == notes
    assert CustomerProfile.objects.get(customer=customer).notes == notes


@pytest.mark.parametrize(
    ("given", "field", "code"),
    [
        ({"tags": [f"tag {n}" for n in range(21)]}, "tags", "TOO_MANY"),
        ({"tags": ["x" * 41]}, "tags", "TOO_LONG"),
        ({"notes": "n" * 10_001}, "notes", "TOO_LONG"),
        ({"metDetails": "m" * 501}, "metDetails", "TOO_LONG"),
        ({"closeness": 6}, "closeness", "OUT_OF_RANGE"),
        ({"trust": 0}, "trust", "OUT_OF_RANGE"),
        ({"timeZone": "Mars/Olympus"}, "timeZone", "INVALID"),
        ({"birthday": {"day": 31, "month": 4}}, "birthday", "INVALID"),
        ({"birthday": {"day": 29, "month": 2, "year": 1990}}, "birthday", "INVALID"),
        ({"birthday": {"day": 1, "month": 13}}, "birthday", "INVALID"),
        (
            {"birthday": {"day": 1, "month": 1, "year": 2999}},
            "birthday",
            "OUT_OF_RANGE",
        ),
        (
            {"birthday": {"day": 1, "month": 1, "year": 1066}},
            "birthday",
            "OUT_OF_RANGE",
        ),
        ({"stage": None}, "stage", "REQUIRED"),
        ({"emailConsent": None}, "emailConsent", "REQUIRED"),
    ],
)
def test_bad_input_is_refused_with_a_field_and_nothing_is_stored(
    staff_api, customer, given, field, code
):
    body = staff_api.data(
        UPDATE, {"customer": uid(customer), "input": {"contactHandle": "x", **given}}
    )

    assert mutation_errors(body, "kinshipProfileUpdate") == [
        {"field": field, "code": code}
    ]
    assert body["kinshipProfileUpdate"]["profile"] is None
    profile = CustomerProfile.objects.get(customer=customer)
    assert (profile.contact_handle, profile.notes, profile.tags) == ("", "", [])
    assert (profile.birth_month, profile.trust, profile.email_consent) == (
        None,
        None,
        True,
    )


def test_every_mistake_is_named_at_once(staff_api, customer):
    body = staff_api.data(
        UPDATE,
        {
            "customer": uid(customer),
            "input": {"trust": 9, "birthday": {"day": 31, "month": 4}, "tags": ["a"]},
        },
    )
    errors = mutation_errors(body, "kinshipProfileUpdate")
    assert sorted(errors, key=lambda error: error["field"]) == [
        {"field": "birthday", "code": "INVALID"},
        {"field": "trust", "code": "OUT_OF_RANGE"},
    ]
    assert CustomerProfile.objects.get(customer=customer).tags == []


def test_29_february_without_a_year_is_a_birthday(staff_api, customer):
    data = staff_api.data(
        UPDATE,
        {"customer": uid(customer), "input": {"birthday": {"day": 29, "month": 2}}},
    )
    assert data["kinshipProfileUpdate"]["profile"]["birthday"] == {
        "day": 29,
        "month": 2,
        "year": None,
    }


def test_an_unknown_customer_is_refused(staff_api):
    body = staff_api.data(
        UPDATE, {"customer": "VXNlcjo5OTk5OTk=", "input": {"trust": 2}}
    )
    assert mutation_errors(body, "kinshipProfileUpdate") == [
        {"field": "customer", "code": "NOT_FOUND"}
    ]


def test_the_birthday_is_mirrored_as_an_important_date(staff_api, customer):
    staff_api.data(
        UPDATE,
        {"customer": uid(customer), "input": {"birthday": {"day": 2, "month": 7}}},
    )
    staff_api.data(
        UPDATE,
        {"customer": uid(customer), "input": {"birthday": {"day": 3, "month": 7}}},
    )
    dates = ImportantDate.objects.filter(customer=customer)
    assert [(row.kind, row.day, row.month) for row in dates] == [("birthday", 3, 7)]

    staff_api.data(UPDATE, {"customer": uid(customer), "input": {"birthday": None}})
    assert not ImportantDate.objects.filter(customer=customer).exists()


def test_the_customer_reads_her_own_contact_and_consents(customer_api, customer):
    data = customer_api.data(
        "{ me { profile { birthday { day } preferredChannel contactHandle "
        "emailConsent profilingConsent } } }"
    )
    assert data == {
        "me": {
            "profile": {
                "birthday": None,
                "preferredChannel": None,
                "contactHandle": "",
                "emailConsent": True,
                "profilingConsent": True,
            }
        }
    }


@pytest.mark.parametrize(
    "field", ["notes", "stage", "tags", "trust", "closeness", "metHow", "timeZone"]
)
def test_the_merchants_private_view_is_denied_to_the_customer(
    customer_api, staff_api, customer, field
):
    staff_api.data(
        UPDATE,
        {"customer": uid(customer), "input": {"notes": "Haggles.", "trust": 1}},
    )

    body = customer_api.query(f"{{ me {{ profile {{ emailConsent {field} }} }} }}")

    assert body["data"] == {"me": {"profile": {"emailConsent": True, field: None}}}
    assert [error["extensions"]["exception"]["code"] for error in body["errors"]] == [
        "PERMISSION_DENIED"
    ]
    assert body["errors"][0]["path"] == ["me", "profile", field]
    assert "Haggles" not in str(body)


@pytest.mark.parametrize(
    "selection",
    [
        "relatives(first: 5) { edges { node { name } } }",
        "importantDates(first: 5) { edges { node { label } } }",
        "nextImportantDate { date }",
        "gifts(first: 5) { edges { node { occasion } } }",
        "followUps(first: 5) { edges { node { note } } }",
        "interactions(first: 5) { edges { node { summary } } }",
    ],
)
def test_the_customer_cannot_read_the_merchants_records_about_her(
    customer_api, selection
):
    body = customer_api.query(f"{{ me {{ email {selection} }} }}")
    assert body["data"]["me"]["email"] == "ann@example.com"
    assert [error["extensions"]["exception"]["code"] for error in body["errors"]] == [
        "PERMISSION_DENIED"
    ]


def test_the_customer_edits_her_birthday_contact_and_consents(customer_api, customer):
    data = customer_api.data(
        MY_UPDATE,
        {
            "input": {
                "birthday": {"day": 29, "month": 2, "year": 1992},
                "preferredChannel": "SMS",
                "contactHandle": " +1 555 0100 ",
                "emailConsent": False,
                "profilingConsent": False,
            }
        },
    )

    assert data["kinshipMyProfileUpdate"] == {
        "errors": [],
        "profile": {
            "birthday": {"day": 29, "month": 2, "year": 1992},
            "preferredChannel": "SMS",
            "contactHandle": "+1 555 0100",
            "emailConsent": False,
            "profilingConsent": False,
        },
    }
    profile = CustomerProfile.objects.get(customer=customer)
    assert (profile.email_consent, profile.stage) == (False, "acquaintance")


def test_the_customer_cannot_set_the_merchants_fields(customer_api, customer):
    body = customer_api.query(MY_UPDATE, {"input": {"stage": "LIKE_FAMILY"}})

    assert body["errors"][0]["extensions"]["exception"]["code"] == "GRAPHQL_ERROR"
    assert CustomerProfile.objects.get(customer=customer).stage == "acquaintance"


def test_the_customer_gets_the_same_checks(customer_api, customer):
    body = customer_api.data(
        MY_UPDATE, {"input": {"birthday": {"day": 31, "month": 4, "year": 1990}}}
    )
    assert mutation_errors(body, "kinshipMyProfileUpdate") == [
        {"field": "birthday", "code": "INVALID"}
    ]
    assert CustomerProfile.objects.get(customer=customer).birth_month is None


def test_signing_in_is_needed_to_edit_ones_profile(anonymous_api):
    body = anonymous_api.query(MY_UPDATE, {"input": {"emailConsent": False}})
    assert body["errors"][0]["extensions"]["exception"]["code"] == (
        "AUTHENTICATION_FAILED"
    )
    assert not CustomerProfile.objects.exists()


@pytest.mark.parametrize(
    "client", ["customer_api", "staff_api_without_permission", "anonymous_api"]
)
def test_editing_a_customers_profile_needs_manage_users(
    request, other_customer, client
):
    api = request.getfixturevalue(client)
    body = api.query(UPDATE, {"customer": uid(other_customer), "input": {"trust": 1}})

    assert body["data"] == {"kinshipProfileUpdate": None}
    assert body["errors"][0]["extensions"]["exception"]["code"] == "PERMISSION_DENIED"
    assert CustomerProfile.objects.get(customer=other_customer).trust is None


def test_an_app_with_manage_users_edits_profiles(app_api, customer):
    data = app_api.data(
        UPDATE, {"customer": uid(customer), "input": {"stage": "REGULAR"}}
    )
    assert data["kinshipProfileUpdate"]["profile"]["stage"] == "REGULAR"


def test_tags_are_one_after_unicode_normalisation(staff_api, customer):
    data = staff_api.data(
        UPDATE,
        {
            "customer": uid(customer),
            "input": {
                "tags": [
                    "école",
                    "e\u0301cole",
                    "\uff36\uff29\uff30",
                    "vip",
                    "\u200bvip\u200b",
                ]
            },
        },
    )

    assert data["kinshipProfileUpdate"]["profile"]["tags"] == ["école", "vip"]
    assert CustomerProfile.objects.get(customer=customer).tags == ["école", "vip"]


@pytest.mark.parametrize("invisible", ["\u202e", "\u200d", "\u0301"])
def test_a_tag_with_nothing_visible_is_refused(staff_api, customer, invisible):
    body = staff_api.data(
        UPDATE,
        {"customer": uid(customer), "input": {"tags": ["vip", invisible]}},
    )

    assert mutation_errors(body, "kinshipProfileUpdate") == [
        {"field": "tags", "code": "INVALID"}
    ]
    assert CustomerProfile.objects.get(customer=customer).tags == []


def test_single_line_text_is_trimmed_and_blank_text_is_empty(staff_api, customer):
    data = staff_api.data(
        UPDATE,
        {
            "customer": uid(customer),
            "input": {"metDetails": "  Saturday market  ", "notes": "  Keep  \n"},
        },
    )["kinshipProfileUpdate"]["profile"]
    blank = staff_api.data(
        UPDATE,
        {
            "customer": uid(customer),
            "input": {"metDetails": "   ", "notes": " \n\t ", "contactHandle": " "},
        },
    )["kinshipProfileUpdate"]["profile"]

    assert (data["metDetails"], data["notes"]) == ("Saturday market", "  Keep  \n")
    assert (blank["metDetails"], blank["notes"], blank["contactHandle"]) == ("", "", "")
    profile = CustomerProfile.objects.get(customer=customer)
    assert (profile.met_details, profile.notes, profile.contact_handle) == ("", "", "")
