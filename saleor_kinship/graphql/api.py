"""The kinship GraphQL schema: every domain's queries and mutations in one."""

import graphene

from .customers.schema import CustomerQueries
from .emails.schema import EmailMutations, EmailQueries
from .federation import FederationQueries
from .interactions.schema import InteractionMutations, InteractionQueries
from .loyalty.schema import LoyaltyMutations, LoyaltyQueries
from .privacy.schema import PrivacyQueries
from .relationships.schema import RelationshipMutations, RelationshipQueries
from .resellers.schema import ResellerMutations, ResellerQueries


class Query(
    CustomerQueries,
    RelationshipQueries,
    InteractionQueries,
    LoyaltyQueries,
    ResellerQueries,
    EmailQueries,
    PrivacyQueries,
    FederationQueries,
    graphene.ObjectType,
):
    pass


class Mutation(
    RelationshipMutations,
    InteractionMutations,
    LoyaltyMutations,
    ResellerMutations,
    EmailMutations,
    graphene.ObjectType,
):
    pass


def build_schema() -> graphene.Schema:
    mutation = Mutation if Mutation._meta.fields else None
    return graphene.Schema(query=Query, mutation=mutation, auto_camelcase=True)


schema = build_schema()
