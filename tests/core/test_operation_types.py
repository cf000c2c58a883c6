"""An operation of a kind the schema has no root for is refused before it runs."""

import logging

import pytest

NO_SUBSCRIPTIONS = "The schema has no subscriptions: send a query or a mutation."


def failures(caplog):
    return [record for record in caplog.records if record.levelno >= logging.ERROR]


@pytest.mark.parametrize("client_fixture", ["anonymous_api", "staff_api"])
def test_a_subscription_is_refused_as_a_request_error(request, caplog, client_fixture):
    api = request.getfixturevalue(client_fixture)

    body = api.query("subscription { me { id } }")

    assert body == {
        "errors": [
            {
                "message": NO_SUBSCRIPTIONS,
                "extensions": {"exception": {"code": "GRAPHQL_ERROR"}},
            }
        ]
    }
    assert failures(caplog) == []


def test_a_subscription_beside_a_query_is_refused_whichever_is_chosen(
    staff_api, caplog
):
    document = (
        "query Tiers { loyaltyTiers { name } }\n"
        "subscription Watch { loyaltyTiers { name } }"
    )
    response = staff_api.http.post(
        "/graphql/",
        {"query": document, "operationName": "Tiers"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {staff_api.token}",
    )

    assert [error["message"] for error in response.json()["errors"]] == [
        NO_SUBSCRIPTIONS
    ]
    assert failures(caplog) == []


def test_a_subscription_of_fragments_is_refused(anonymous_api, caplog):
    body = anonymous_api.query(
        "subscription { ...Watch } fragment Watch on Subscription { me { id } }"
    )

    assert [error["message"] for error in body["errors"]] == [NO_SUBSCRIPTIONS]
    assert failures(caplog) == []


def test_queries_and_mutations_still_run(staff_api, customer):
    assert staff_api.data("query { loyaltyTiers { name } }") == {
        "loyaltyTiers": [{"name": "Bronze"}, {"name": "Silver"}, {"name": "Gold"}]
    }
    body = staff_api.query("mutation { me { id } }")
    assert [error["message"] for error in body["errors"]] == [
        'Cannot query field "me" on type "Mutation".'
    ]
    assert body["errors"][0]["extensions"] == {"exception": {"code": "GRAPHQL_ERROR"}}
