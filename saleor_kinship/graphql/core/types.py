import graphene

from ...core.error_codes import KinshipErrorCode as KinshipErrorCodeValues

KinshipErrorCode = graphene.Enum.from_enum(
    KinshipErrorCodeValues, description="Why kinship refused a request."
)


class KinshipError(graphene.ObjectType):
    field = graphene.String(
        description="The input field the error is about; null for the whole input."
    )
    code = graphene.Field(KinshipErrorCode, required=True)
    message = graphene.String(required=True, description="What went wrong, for people.")
