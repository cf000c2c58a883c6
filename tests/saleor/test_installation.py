"""Kinship is found, migrated, configured and served by a real Saleor."""

import importlib.metadata

from django.conf import settings
from django.db import connection
from graphql_relay import to_global_id

from saleor.graphql.tests.fixtures import ApiClient
from saleor.plugins.manager import get_plugins_manager
from saleor_kinship.plugin import PLUGIN_ID

from .fixtures import KINSHIP, kinship_path

PLUGIN_UPDATE = """
mutation Update($id: ID!, $channel: ID, $active: Boolean,
                $configuration: [ConfigurationItemInput!]) {
  pluginUpdate(id: $id, channelId: $channel,
               input: {active: $active, configuration: $configuration}) {
    plugin { channelConfigurations { active channel { slug }
                                     configuration { name value label helpText } } }
    errors { field code message }
  }
}
"""


def test_saleor_finds_the_plugin_through_its_entry_point():
    entry_points = importlib.metadata.entry_points(group="saleor.plugins")
    ours = [point for point in entry_points if point.name == "saleor_kinship"]

    assert [point.value for point in ours] == ["saleor_kinship.plugin:KinshipPlugin"]
    assert "saleor_kinship" in settings.INSTALLED_APPS


def test_kinship_tables_live_beside_saleors(db):
    tables = set(connection.introspection.table_names())
    assert {"account_user", "order_order"} <= tables
    assert {"saleor_kinship_failedevent", "saleor_kinship_interaction"} <= tables


def test_staff_switch_the_plugin_on_per_channel_with_plugin_update(
    settings, staff_api_client, permission_manage_plugins, channel_USD
):
    settings.PLUGINS = [KINSHIP]
    staff_api_client.user.user_permissions.add(permission_manage_plugins)

    response = staff_api_client.post_graphql(
        PLUGIN_UPDATE,
        {
            "id": PLUGIN_ID,
            "channel": to_global_id("Channel", channel_USD.pk),
            "active": True,
            "configuration": [{"name": "points_per_unit", "value": "2"}],
        },
    )

    update = response.json()["data"]["pluginUpdate"]
    assert update["errors"] == []
    (channel_configuration,) = update["plugin"]["channelConfigurations"]
    assert channel_configuration["active"] is True
    fields = {item["name"]: item for item in channel_configuration["configuration"]}
    assert fields["points_per_unit"]["value"] == "2"
    assert fields["points_per_unit"]["label"] == "Points per currency unit"
    assert "rounded down" in fields["points_per_unit"]["helpText"]
    manager = get_plugins_manager(allow_replica=False)
    plugin = manager.get_plugin(PLUGIN_ID, channel_slug=channel_USD.slug)
    assert plugin.active is True


def test_a_bad_configuration_is_refused_with_the_field_named(
    settings, staff_api_client, permission_manage_plugins, channel_USD
):
    settings.PLUGINS = [KINSHIP]
    staff_api_client.user.user_permissions.add(permission_manage_plugins)

    response = staff_api_client.post_graphql(
        PLUGIN_UPDATE,
        {
            "id": PLUGIN_ID,
            "channel": to_global_id("Channel", channel_USD.pk),
            "active": True,
            "configuration": [
                {"name": "points_per_unit", "value": "-1"},
                {"name": "points_currency", "value": "DOLLARS"},
                {"name": "tiers", "value": "Gold 100"},
            ],
        },
    )

    errors = response.json()["data"]["pluginUpdate"]["errors"]
    # Saleor camel-cases the field names of every mutation error.
    assert {error["field"] for error in errors} == {
        "pointsPerUnit",
        "pointsCurrency",
        "tiers",
    }
    assert {error["code"] for error in errors} == {"INVALID"}


def test_the_endpoint_answers_404_while_the_plugin_is_off(
    kinship_plugin, customer_user, channel_USD
):
    kinship_plugin.active = False
    kinship_plugin.save()
    query = {"query": "{ me { id } }"}

    for path in (kinship_path(channel_USD.slug), f"/plugins/{PLUGIN_ID}/graphql/"):
        response = ApiClient(user=customer_user, api_path=path).post(query)
        assert response.status_code == 404, path


def test_a_saleor_customer_token_reads_her_own_id(kinship_customer_api, customer_user):
    response = kinship_customer_api.post_graphql("{ me { id email } }")

    assert response.status_code == 200
    assert response.json() == {
        "data": {
            "me": {
                "id": to_global_id("User", customer_user.pk),
                "email": customer_user.email,
            }
        }
    }


def test_saleor_staff_with_manage_users_list_customers(
    kinship_staff_api, customer_user
):
    response = kinship_staff_api.post_graphql(
        "{ customers(first: 50) { edges { node { id email } } } }"
    )

    edges = response.json()["data"]["customers"]["edges"]
    ann = {"id": to_global_id("User", customer_user.pk), "email": customer_user.email}
    assert ann in [edge["node"] for edge in edges]


def test_a_customer_token_cannot_list_customers(kinship_customer_api):
    query = "{ customers(first: 5) { totalCount } }"
    body = kinship_customer_api.post_graphql(query).json()

    assert body["data"] == {"customers": None}
    assert body["errors"][0]["extensions"]["exception"]["code"] == "PERMISSION_DENIED"


def test_an_app_token_with_manage_users_is_accepted(
    kinship_plugin, app, permission_manage_users, kinship_url, customer_user
):
    app.permissions.add(permission_manage_users)
    client = ApiClient(app=app, api_path=kinship_url)

    body = client.post_graphql("{ customers(first: 5) { totalCount } }").json()

    assert body == {"data": {"customers": {"totalCount": 1}}}


def test_a_forged_token_is_refused_not_ignored(kinship_plugin, kinship_url):
    client = ApiClient(user=None, api_path=kinship_url)
    response = client.post(
        {"query": "{ me { id } }"}, HTTP_AUTHORIZATION="Bearer eyJhbGciOi.forged.x"
    )

    assert response.status_code == 401
    code = response.json()["errors"][0]["extensions"]["exception"]["code"]
    assert code == "AUTHENTICATION_FAILED"
