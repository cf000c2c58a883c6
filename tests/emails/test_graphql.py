"""Staff's view of personal e-mails through GraphQL: preview, test, list, retry."""

import pytest
from graphql_relay import to_global_id

from saleor_kinship.emails import Trigger
from saleor_kinship.emails.models import Delivery
from saleor_kinship.emails.templates import sample_context
from saleor_kinship.graphql.core.ids import customer_global_id

pytestmark = pytest.mark.smtp

PREVIEW = """
query Preview(
  $trigger: KinshipEmailTrigger!, $orderId: ID, $customerId: ID,
  $subject: String, $body: String, $channel: String
) {
  kinshipEmailPreview(
    trigger: $trigger, orderId: $orderId, customerId: $customerId,
    subject: $subject, body: $body, channel: $channel
  ) {
    subject html text
    errors { field code message }
  }
}
"""

DELIVERIES = """
query Deliveries($status: KinshipEmailDeliveryStatus, $trigger: KinshipEmailTrigger,
                 $first: Int, $after: String) {
  kinshipEmailDeliveries(status: $status, trigger: $trigger, first: $first,
                         after: $after) {
    totalCount
    edges { node {
      id key trigger status attempts lastError recipient subject channel orderId
      nextAttemptAt sentAt customer { id email }
    } }
    pageInfo { hasNextPage endCursor }
  }
}
"""

RETRY = """
mutation Retry($id: ID!) {
  kinshipEmailDeliveryRetry(id: $id) {
    delivery { id status attempts }
    errors { field code message }
  }
}
"""

SEND_TEST = """
mutation SendTest($trigger: KinshipEmailTrigger!, $channel: String) {
  kinshipEmailSendTest(trigger: $trigger, channel: $channel) {
    sentTo
    errors { field code message }
  }
}
"""


def order_global_id(order) -> str:
    return to_global_id("Order", str(order.id))


def delivery_global_id(delivery) -> str:
    return to_global_id("KinshipEmailDelivery", delivery.pk)


def paid(shop, customer, *prices):
    return shop.mark_paid(shop.place_order(*prices, customer=customer))


def codes(body):
    return [error["extensions"]["exception"]["code"] for error in body["errors"]]


# --- preview ----------------------------------------------------------------


def test_preview_of_a_real_order_shows_what_its_customer_reads(
    mail_shop, staff_api, customer, inbox
):
    order = paid(mail_shop, customer, "12.00")

    data = staff_api.data(
        PREVIEW, {"trigger": "THANK_YOU", "orderId": order_global_id(order)}
    )

    preview = data["kinshipEmailPreview"]
    assert preview["errors"] == []
    assert preview["subject"] == inbox.messages[0].subject
    assert preview["text"] == inbox.messages[0].text
    assert preview["html"] == inbox.messages[0].html


def test_preview_of_a_draft_with_a_customer_sends_nothing(
    mail_shop, staff_api, customer, inbox
):
    data = staff_api.data(
        PREVIEW,
        {
            "trigger": "BIRTHDAY",
            "customerId": customer_global_id(customer.pk),
            "subject": "Many happy returns, {{customer.first_name}}",
            "body": "<p>Dear {{customer.first_name}} {{customer.last_name}},</p>",
        },
    )

    assert data["kinshipEmailPreview"] == {
        "subject": "Many happy returns, Ann",
        "html": "<p>Dear Ann Lee,</p>",
        "text": "Dear Ann Lee,",
        "errors": [],
    }
    assert inbox.messages == []
    assert not Delivery.objects.exists()


def test_preview_without_a_customer_uses_the_examples(staff_api, channel):
    data = staff_api.data(PREVIEW, {"trigger": "POINTS_EXPIRING"})

    preview = data["kinshipEmailPreview"]
    assert preview["subject"] == (
        "A gentle reminder: 120 of your points expire on 30 June 2025"
    )
    assert preview["text"].startswith("Hello Zoë,")


def test_a_tier_preview_for_a_customer_without_points_shows_an_example_balance(
    staff_api, channel, customer
):
    data = staff_api.data(
        PREVIEW,
        {"trigger": "TIER_REACHED", "customerId": customer_global_id(customer.pk)},
    )

    balance = sample_context(Trigger.TIER_REACHED)["points"]["balance"]
    text = data["kinshipEmailPreview"]["text"]
    assert f"Your points balance stands at {balance}.\n" in text
    assert text.startswith("Hello Ann,")


def test_a_birthday_greeting_without_a_shop_name_reads_well(
    staff_api, channel, configure, customer
):
    configure(channel, shop_name="")

    data = staff_api.data(
        PREVIEW, {"trigger": "BIRTHDAY", "customerId": customer_global_id(customer.pk)}
    )

    preview = data["kinshipEmailPreview"]
    assert preview["text"] == (
        "Hello Ann,\n\n"
        "We all wish you a very happy birthday. We hope your day is full of good "
        "things.\n\n"
        "Warmest wishes from all of us."
    )
    assert preview["html"].rstrip().endswith("<p>Warmest wishes from all of us.</p>")


def test_a_broken_draft_is_reported_by_field(staff_api, channel):
    data = staff_api.data(
        PREVIEW,
        {
            "trigger": "THANK_YOU",
            "subject": "Thanks {{customer.nickname}}",
            "body": "<p>{{#each order.lines}}{{product_name}}</p>",
        },
    )

    preview = data["kinshipEmailPreview"]
    assert (preview["subject"], preview["html"], preview["text"]) == (None, None, None)
    assert preview["errors"] == [
        {
            "field": "subject",
            "code": "INVALID",
            "message": "Unknown variable 'customer.nickname' in the template. "
            "Did you mean 'customer.first_name'?",
        },
        {
            "field": "body",
            "code": "INVALID",
            "message": "The block '{{#each order.lines}}' opened on line 1 is never "
            "closed with '{{/each}}'.",
        },
    ]


def test_preview_of_an_order_kinship_never_saw_paid(staff_api, channel):
    data = staff_api.data(
        PREVIEW,
        {
            "trigger": "THANK_YOU",
            "orderId": to_global_id("Order", "4b1d8bb0-2a5b-4bd5-9a4a-2d1c2f9e0a11"),
        },
    )

    [error] = data["kinshipEmailPreview"]["errors"]
    assert (error["field"], error["code"]) == ("orderId", "NOT_FOUND")


def refused(preview):
    """Return the preview's errors, checking that nothing was rendered."""
    assert (preview["subject"], preview["html"], preview["text"]) == (None, None, None)
    return preview["errors"]


def test_preview_refuses_an_id_that_is_not_an_order(staff_api, customer):
    order_id = customer_global_id(customer.pk)

    data = staff_api.data(PREVIEW, {"trigger": "THANK_YOU", "orderId": order_id})

    assert refused(data["kinshipEmailPreview"]) == [
        {
            "field": "orderId",
            "code": "INVALID",
            "message": f"orderId: '{order_id}' is not an id of an Order.",
        }
    ]


def test_an_unknown_order_and_an_unknown_customer_are_refused_alike(staff_api, channel):
    unknown_order = to_global_id("Order", "4b1d8bb0-2a5b-4bd5-9a4a-2d1c2f9e0a11")

    by_order = staff_api.data(
        PREVIEW, {"trigger": "THANK_YOU", "orderId": unknown_order}
    )
    by_customer = staff_api.data(
        PREVIEW, {"trigger": "THANK_YOU", "customerId": customer_global_id(424242)}
    )

    assert refused(by_order["kinshipEmailPreview"]) == [
        {"field": "orderId", "code": "NOT_FOUND", "message": "There is no such order."}
    ]
    assert refused(by_customer["kinshipEmailPreview"]) == [
        {
            "field": "customerId",
            "code": "NOT_FOUND",
            "message": "There is no such customer.",
        }
    ]


def test_preview_refuses_a_customer_id_that_is_not_a_customer(staff_api, channel):
    data = staff_api.data(PREVIEW, {"trigger": "BIRTHDAY", "customerId": "garbage"})

    assert refused(data["kinshipEmailPreview"]) == [
        {
            "field": "customerId",
            "code": "INVALID",
            "message": "customerId: 'garbage' is not a valid id.",
        }
    ]


def test_preview_takes_an_order_or_a_customer_not_both(mail_shop, staff_api, customer):
    order = paid(mail_shop, customer, "12.00")

    data = staff_api.data(
        PREVIEW,
        {
            "trigger": "THANK_YOU",
            "orderId": order_global_id(order),
            "customerId": customer_global_id(customer.pk),
        },
    )

    assert refused(data["kinshipEmailPreview"]) == [
        {
            "field": None,
            "code": "INVALID",
            "message": "Give an orderId or a customerId, not both.",
        }
    ]


def test_preview_refuses_an_unknown_channel(staff_api, channel, customer):
    for variables in (
        {"trigger": "THANK_YOU"},
        {"trigger": "BIRTHDAY", "customerId": customer_global_id(customer.pk)},
    ):
        data = staff_api.data(PREVIEW, {**variables, "channel": "default-chanel"})

        assert refused(data["kinshipEmailPreview"]) == [
            {
                "field": "channel",
                "code": "NOT_FOUND",
                "message": "There is no channel with this slug.",
            }
        ]


def test_preview_uses_the_templates_of_the_channel_named(
    staff_api, channel, channel_pln, configure
):
    configure(channel_pln, email_birthday_subject="Sto lat, {{customer.first_name}}!")

    data = staff_api.data(PREVIEW, {"trigger": "BIRTHDAY", "channel": "channel-pln"})

    preview = data["kinshipEmailPreview"]
    assert preview["errors"] == []
    assert preview["subject"] == "Sto lat, Zoë!"


@pytest.mark.parametrize(
    "client_fixture",
    ["anonymous_api", "customer_api", "staff_api_without_permission"],
)
def test_e_mail_data_is_for_staff_with_manage_users(request, client_fixture):
    api = request.getfixturevalue(client_fixture)

    for query, variables in (
        (PREVIEW, {"trigger": "THANK_YOU"}),
        (DELIVERIES, {"first": 5}),
        (SEND_TEST, {"trigger": "THANK_YOU"}),
    ):
        body = api.query(query, variables)
        assert codes(body) == ["PERMISSION_DENIED"]


# --- the delivery list and retries ------------------------------------------


def test_a_failed_e_mail_shows_its_error_and_staff_resend_it(
    mail_shop,
    smtp_server,
    staff_api,
    customer,
    django_capture_on_commit_callbacks,
):
    smtp_server.stop()
    order = paid(mail_shop, customer, "10.00")
    delivery = Delivery.objects.get()
    # Automatic attempts have run out.
    Delivery.objects.update(next_attempt_at=None, attempts=10)

    data = staff_api.data(DELIVERIES, {"status": "FAILED", "first": 10})

    [edge] = data["kinshipEmailDeliveries"]["edges"]
    node = edge["node"]
    assert node["id"] == delivery_global_id(delivery)
    assert node["key"] == f"thank_you:{order.id}"
    assert (node["trigger"], node["status"], node["attempts"]) == (
        "THANK_YOU",
        "FAILED",
        10,
    )
    assert node["lastError"] == (
        f"The SMTP server 127.0.0.1:{smtp_server.port} refused the connection "
        "(nothing listens)."
    )
    assert node["customer"] == {
        "id": customer_global_id(customer.pk),
        "email": "ann@example.com",
    }
    assert (node["orderId"], node["channel"]) == (str(order.id), "default-channel")
    assert node["nextAttemptAt"] is None and node["sentAt"] is None

    smtp_server.start()
    with django_capture_on_commit_callbacks(execute=True):
        retried = staff_api.data(RETRY, {"id": node["id"]})

    assert retried["kinshipEmailDeliveryRetry"] == {
        "delivery": {"id": node["id"], "status": "PENDING", "attempts": 10},
        "errors": [],
    }
    [mail] = smtp_server.inbox.messages
    assert mail.envelope_to == ["ann@example.com"]
    sent = staff_api.data(DELIVERIES, {"status": "SENT", "first": 10})
    assert sent["kinshipEmailDeliveries"]["totalCount"] == 1
    assert sent["kinshipEmailDeliveries"]["edges"][0]["node"]["sentAt"] is not None
    assert (
        staff_api.data(DELIVERIES, {"status": "FAILED", "first": 10})[
            "kinshipEmailDeliveries"
        ]["edges"]
        == []
    )


def test_a_sent_e_mail_cannot_be_resent(mail_shop, staff_api, customer, inbox):
    paid(mail_shop, customer, "10.00")
    delivery = Delivery.objects.get()

    data = staff_api.data(RETRY, {"id": delivery_global_id(delivery)})

    assert data["kinshipEmailDeliveryRetry"] == {
        "delivery": None,
        "errors": [
            {
                "field": "id",
                "code": "INVALID_STATE",
                "message": "Only a failed or unknown e-mail can be sent again; this "
                "one is sent.",
            }
        ],
    }
    assert len(inbox.messages) == 1


def test_retry_of_an_unknown_delivery_id(staff_api):
    data = staff_api.data(RETRY, {"id": to_global_id("KinshipEmailDelivery", 424242)})

    [error] = data["kinshipEmailDeliveryRetry"]["errors"]
    assert (error["field"], error["code"]) == ("id", "NOT_FOUND")


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ("garbage", "id: 'garbage' is not a valid id."),
        (
            to_global_id("KinshipGift", 1),
            "id: 'S2luc2hpcEdpZnQ6MQ==' is not an id of a KinshipEmailDelivery.",
        ),
    ],
)
def test_retry_of_a_malformed_id_is_refused_on_the_id(staff_api, given, message):
    data = staff_api.data(RETRY, {"id": given})

    assert data["kinshipEmailDeliveryRetry"] == {
        "delivery": None,
        "errors": [{"field": "id", "code": "INVALID", "message": message}],
    }


def test_deliveries_page_through_with_a_constant_number_of_queries(
    mail_shop, staff_api, shop, count_queries
):
    for number in range(6):
        buyer = shop.create_customer(f"c{number}@example.com", first_name=f"C{number}")
        paid(mail_shop, buyer, "5.00")

    with count_queries() as small_page:
        first = staff_api.data(DELIVERIES, {"first": 4})["kinshipEmailDeliveries"]
    # Read now: the next request empties Django's query log, which the
    # capture only slices.
    small = [query["sql"] for query in small_page.captured_queries]
    with count_queries() as large_page:
        staff_api.data(DELIVERIES, {"first": 6})
    large = [query["sql"] for query in large_page.captured_queries]
    second = staff_api.data(
        DELIVERIES, {"first": 4, "after": first["pageInfo"]["endCursor"]}
    )["kinshipEmailDeliveries"]

    emails = [edge["node"]["recipient"] for edge in first["edges"] + second["edges"]]
    assert emails == [f"c{number}@example.com" for number in reversed(range(6))]
    assert first["pageInfo"]["hasNextPage"] is True
    assert second["pageInfo"]["hasNextPage"] is False
    # The requestor and her permissions, the page, its count, one batch of
    # customers: six queries for four deliveries or six.
    assert len(small) == len(large) == 6, small


def test_deliveries_filter_by_trigger(
    mail_shop, channel, configure, staff_api, customer
):
    configure(channel, email_first_order=True)
    paid(mail_shop, customer, "5.00")
    paid(mail_shop, customer, "6.00")

    data = staff_api.data(DELIVERIES, {"trigger": "FIRST_ORDER", "first": 10})

    [edge] = data["kinshipEmailDeliveries"]["edges"]
    assert edge["node"]["subject"].startswith("Welcome, Ann!")


# --- test e-mails -----------------------------------------------------------


def test_a_test_e_mail_goes_to_the_staff_member_with_examples(
    mail_shop, staff_api, inbox
):
    data = staff_api.data(SEND_TEST, {"trigger": "TIER_REACHED"})

    assert data["kinshipEmailSendTest"] == {
        "sentTo": "staff@example.com",
        "errors": [],
    }
    [mail] = inbox.messages
    assert mail.envelope_to == ["staff@example.com"]
    assert mail.subject == "[Test] Zoë, you are now a Gold member!"
    assert "Kinship Coffee" in mail.text
    assert not Delivery.objects.exists()


def test_a_test_e_mail_that_cannot_be_sent_says_why(mail_shop, smtp_server, staff_api):
    smtp_server.stop()

    data = staff_api.data(SEND_TEST, {"trigger": "THANK_YOU"})

    assert data["kinshipEmailSendTest"] == {
        "sentTo": None,
        "errors": [
            {
                "field": None,
                "code": "SEND_FAILED",
                "message": f"The SMTP server 127.0.0.1:{smtp_server.port} refused "
                "the connection (nothing listens).",
            }
        ],
    }


def test_a_test_e_mail_for_an_unknown_channel_is_refused(mail_shop, staff_api, inbox):
    data = staff_api.data(SEND_TEST, {"trigger": "THANK_YOU", "channel": "nowhere"})

    assert data["kinshipEmailSendTest"] == {
        "sentTo": None,
        "errors": [
            {
                "field": "channel",
                "code": "NOT_FOUND",
                "message": "There is no channel with this slug.",
            }
        ],
    }
    assert inbox.messages == []


def test_an_app_cannot_send_itself_a_test_e_mail(app_api, channel):
    data = app_api.data(SEND_TEST, {"trigger": "THANK_YOU"})

    [error] = data["kinshipEmailSendTest"]["errors"]
    assert error["code"] == "INVALID"
