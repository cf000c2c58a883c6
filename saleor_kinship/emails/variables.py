"""The values each e-mail trigger offers its templates, and their shape.

A variable is a dotted path (``order.lines[].quantity``; ``[]`` marks a list)
with a description and an example the dashboard preview and test e-mails
use. Templates may only name these paths; the tree built from them is what
the template checker walks.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from . import Trigger


@dataclass(frozen=True)
class Variable:
    """One value a template may use; ``[]`` in the path marks a list."""

    path: str
    description: str
    example: str | int
    optional: bool = False  # may be empty, so templates guard it with {{#if}}


COMMON_VARIABLES = (
    Variable("customer.first_name", "The customer's first name", "Zoë", True),
    Variable("customer.last_name", "The customer's last name", "Martin", True),
    Variable("shop.name", "Your shop's name", "Kinship Coffee"),
    Variable("reseller.name", "The customer's reseller, if any", "Ada Lovell", True),
)
ORDER_VARIABLES = (
    Variable("order.number", "The order number", "1042"),
    Variable("order.total", "The order total with its currency", "29.33 USD"),
    Variable("order.lines[].product_name", "A line's product", "Guji natural"),
    Variable("order.lines[].variant_name", "A line's variant", "250 g", True),
    Variable("order.lines[].quantity", "A line's quantity", 2),
    Variable("order.lines[].total", "A line's total with currency", "24.00 USD"),
    Variable("points.earned", "Points this order earned", 29),
    Variable("points.balance", "Points balance after this order", 312),
    Variable("tier.name", "The customer's loyalty tier", "Silver", True),
    Variable("tier.next_name", "The next tier up", "Gold", True),
    Variable("tier.points_to_next", "Points still needed for it", 188, True),
)
TIER_REACHED_VARIABLES = (
    Variable("tier.name", "The tier just reached", "Gold"),
    Variable("tier.previous_name", "The tier before it", "Silver", True),
    Variable("points.balance", "The customer's points balance", 512),
)
BIRTHDAY_VARIABLES = (Variable("points.balance", "The customer's points balance", 312),)
POINTS_EXPIRING_VARIABLES = (
    Variable("points.expiring", "Points about to expire", 120),
    Variable("points.expire_on", "The day they expire", "30 June 2025"),
    Variable("points.balance", "The customer's points balance", 312),
)

TRIGGER_VARIABLES: dict[Trigger, tuple[Variable, ...]] = {
    Trigger.THANK_YOU: COMMON_VARIABLES + ORDER_VARIABLES,
    Trigger.FIRST_ORDER: COMMON_VARIABLES + ORDER_VARIABLES,
    Trigger.TIER_REACHED: COMMON_VARIABLES + TIER_REACHED_VARIABLES,
    Trigger.BIRTHDAY: COMMON_VARIABLES + BIRTHDAY_VARIABLES,
    Trigger.POINTS_EXPIRING: COMMON_VARIABLES + POINTS_EXPIRING_VARIABLES,
}


# --- the variables as a tree ---------------------------------------------------

VALUE, GROUP, LIST = "value", "group", "list"


@dataclass
class Node:
    """One step of a path: a value, a group of named values, or a list."""

    kind: str
    children: dict[str, "Node"] = field(default_factory=dict)
    item: "Node | None" = None

    def child(self, name: str) -> "Node | None":
        if self.kind == LIST:
            return Node(VALUE) if name == "length" else None
        return self.children.get(name)

    def names(self, prefix: str = "") -> Iterable[str]:
        for name, node in self.children.items():
            if node.kind == GROUP:
                yield from node.names(f"{prefix}{name}.")
            else:
                yield f"{prefix}{name}"


def build_schema(variables: Iterable[Variable]) -> Node:
    """Return the tree of the variables' paths; raise ValueError on a clash."""
    root = Node(GROUP)
    for variable in variables:
        node = root
        parts = variable.path.split(".")
        for position, part in enumerate(parts):
            inner = VALUE if position == len(parts) - 1 else GROUP
            name = part.removesuffix("[]")
            if part.endswith("[]"):
                wanted = Node(LIST, item=Node(inner))
            else:
                wanted = Node(inner)
            found = node.children.setdefault(name, wanted)
            if found.kind != wanted.kind or (
                found.item and wanted.item and found.item.kind != wanted.item.kind
            ):
                raise ValueError(f"'{variable.path}' conflicts with another variable.")
            node = found.item or found
    return root


SCHEMAS = {trigger: build_schema(v) for trigger, v in TRIGGER_VARIABLES.items()}
