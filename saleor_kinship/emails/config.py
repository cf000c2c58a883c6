from ..core.configuration import Field

EMAIL_FIELDS: list[Field] = []
