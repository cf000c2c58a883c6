from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Requestor:
    """Who sends a request, as the host authenticated it.

    `user` is an instance of the host's user model or None; `app_id` is set
    for a host app (a Saleor App token). `permissions` holds Saleor's
    permission names, such as "MANAGE_USERS".
    """

    user: Any = None
    app_id: str | None = None
    permissions: frozenset[str] = field(default_factory=frozenset)

    @property
    def is_anonymous(self) -> bool:
        return self.user is None and self.app_id is None

    @property
    def customer(self) -> Any:
        """Return the signed-in user, staff included, or None for apps."""
        return self.user

    @property
    def is_staff(self) -> bool:
        return bool(self.user is not None and self.user.is_staff)

    def has_perm(self, permission: str) -> bool:
        return permission in self.permissions


ANONYMOUS = Requestor()
