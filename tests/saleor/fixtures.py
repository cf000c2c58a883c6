"""Kinship fixtures on top of Saleor's: the plugin switched on, its endpoint."""

import pytest

from saleor.graphql.tests.fixtures import ApiClient
from saleor.plugins.models import PluginConfiguration
from saleor_kinship.plugin import PLUGIN_ID, KinshipPlugin

KINSHIP = "saleor_kinship.plugin.KinshipPlugin"


@pytest.fixture
def kinship_plugin(settings, channel_USD):
    """Kinship installed in Saleor and active in the USD channel."""
    settings.PLUGINS = [KINSHIP]
    return PluginConfiguration.objects.create(
        identifier=PLUGIN_ID,
        name=KinshipPlugin.PLUGIN_NAME,
        channel=channel_USD,
        active=True,
        configuration=[
            {"name": field["name"], "value": field["value"]}
            for field in KinshipPlugin.DEFAULT_CONFIGURATION
        ],
    )


def kinship_path(channel_slug: str) -> str:
    return f"/plugins/channel/{channel_slug}/{PLUGIN_ID}/graphql/"


@pytest.fixture
def kinship_url(channel_USD):
    return kinship_path(channel_USD.slug)


@pytest.fixture
def kinship_staff_api(kinship_plugin, staff_user, kinship_url, permission_manage_users):
    staff_user.user_permissions.add(permission_manage_users)
    return ApiClient(user=staff_user, api_path=kinship_url)


@pytest.fixture
def kinship_customer_api(kinship_plugin, customer_user, kinship_url):
    return ApiClient(user=customer_user, api_path=kinship_url)


@pytest.fixture
def kinship_anonymous_api(kinship_plugin, kinship_url):
    return ApiClient(user=None, api_path=kinship_url)


__all__ = [
    "kinship_anonymous_api",
    "kinship_customer_api",
    "kinship_plugin",
    "kinship_staff_api",
    "kinship_url",
]
