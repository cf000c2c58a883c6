from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from saleor_kinship.graphql.views import graphql_view

urlpatterns = [
    path("graphql/", csrf_exempt(graphql_view), name="kinship-graphql"),
]
