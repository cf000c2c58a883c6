"""The e-mails a shop sends until its owner rewrites them.

They are written in the owner's voice: short, warm, and addressed to the
customer by first name, with a plain "Hello," when the name is unknown. Each
sentence about something optional (a tier, points, a reseller, the shop's
name) sits inside an ``{{#if}}`` so that nothing dangles when the value is
missing.
"""

from dataclasses import dataclass

from . import Trigger

__all__ = ["DEFAULT_TEMPLATES", "DefaultTemplate", "default_template"]


@dataclass(frozen=True)
class DefaultTemplate:
    """A subject line and an HTML body, both Handlebars, for one trigger."""

    subject: str
    html: str


_GREETING = """\
<p>{{#if customer.first_name}}Hello {{customer.first_name}},{{else}}Hello,{{/if}}</p>
"""

_ORDER_LINES = """\
<ul>
{{#each order.lines}}
  <li>{{quantity}} &times; {{product_name}}\
{{#if variant_name}} ({{variant_name}}){{/if}}: {{total}}</li>
{{/each}}
</ul>
<p>Total: {{order.total}}</p>
"""

_TIER_PROGRESS = """\
{{#if tier.next_name}}
<p>{{#if tier.name}}You are a {{tier.name}} member, and just{{else}}You are \
just{{/if}} {{tier.points_to_next}} points away from {{tier.next_name}}.</p>
{{else}}
{{#if tier.name}}
<p>As a {{tier.name}} member you are one of our most loyal customers, and we are \
grateful for it.</p>
{{/if}}
{{/if}}
"""

_RESELLER = """\
{{#if reseller.name}}
<p>{{reseller.name}} is always glad to help if you have any questions, and so \
are we.</p>
{{/if}}
"""

# Signed with the shop's name; without one, a closing line that needs none.
_SIGN_OFF = """\
{{#if shop.name}}
<p>Warmly,<br>
{{shop.name}}</p>
{{else}}
<p>Warm wishes from all of us.</p>
{{/if}}
"""

_THANK_YOU = DefaultTemplate(
    subject=(
        "{{#if customer.first_name}}{{customer.first_name}}, thank you{{else}}"
        "Thank you{{/if}} for your order #{{order.number}}"
    ),
    html=_GREETING
    + """\
<p>Thank you for your order #{{order.number}}. Your payment has arrived, and we \
are already getting everything ready for you.</p>
"""
    + _ORDER_LINES
    + """\
{{#if points.earned}}
<p>This order added {{points.earned}} points to your balance, which now stands \
at {{points.balance}}.</p>
{{/if}}
"""
    + _TIER_PROGRESS
    + _RESELLER
    + _SIGN_OFF,
)

_FIRST_ORDER = DefaultTemplate(
    subject=(
        "Welcome{{#if customer.first_name}}, {{customer.first_name}}{{/if}}! "
        "Thank you for your first order, #{{order.number}}"
    ),
    html=_GREETING
    + """\
<p>Your very first order with us, #{{order.number}}, has just come through. \
Thank you for giving {{#if shop.name}}{{shop.name}}{{else}}us{{/if}} a try; it \
makes our day every time someone new chooses us.</p>
"""
    + _ORDER_LINES
    + """\
{{#if points.earned}}
<p>You have also started collecting points: this order brought you \
{{points.earned}}{{#if tier.next_name}}, and {{tier.points_to_next}} more will \
take you to {{tier.next_name}}{{/if}}.</p>
{{/if}}
<p>If anything is not quite right when your parcel arrives, tell us and we will \
put it right.</p>
"""
    + _RESELLER
    + _SIGN_OFF,
)

_TIER_REACHED = DefaultTemplate(
    subject=(
        "{{#if customer.first_name}}{{customer.first_name}}, you{{else}}You"
        "{{/if}} are now a {{tier.name}} member!"
    ),
    html=_GREETING
    + """\
<p>Good news: you are now a {{tier.name}} member{{#if tier.previous_name}}, up \
from {{tier.previous_name}}{{/if}}. Thank you for coming back to us again and \
again; it means a great deal.</p>
<p>Your points balance stands at {{points.balance}}.</p>
"""
    + _RESELLER
    + _SIGN_OFF,
)

_BIRTHDAY = DefaultTemplate(
    subject=(
        "Happy birthday{{#if customer.first_name}}, {{customer.first_name}}{{/if}}!"
    ),
    html=_GREETING
    + """\
<p>{{#if shop.name}}Everyone at {{shop.name}} wishes{{else}}We all wish{{/if}} \
you a very happy birthday. We hope your day is full of good things.</p>
{{#if points.balance}}
<p>And should you feel like treating yourself, you have {{points.balance}} points \
waiting for you.</p>
{{/if}}
{{#if shop.name}}
<p>Warmest wishes,<br>
{{shop.name}}</p>
{{else}}
<p>Warmest wishes from all of us.</p>
{{/if}}
""",
)

_POINTS_EXPIRING = DefaultTemplate(
    subject=(
        "A gentle reminder: {{points.expiring}} of your points expire on "
        "{{points.expire_on}}"
    ),
    html=_GREETING
    + """\
<p>Just a friendly note: {{points.expiring}} of your points will expire on \
{{points.expire_on}}. Your balance today is {{points.balance}} points.</p>
<p>If there is something you have had your eye on, now is a lovely time to use \
them.</p>
"""
    + _RESELLER
    + _SIGN_OFF,
)

DEFAULT_TEMPLATES: dict[Trigger, DefaultTemplate] = {
    Trigger.THANK_YOU: _THANK_YOU,
    Trigger.FIRST_ORDER: _FIRST_ORDER,
    Trigger.TIER_REACHED: _TIER_REACHED,
    Trigger.BIRTHDAY: _BIRTHDAY,
    Trigger.POINTS_EXPIRING: _POINTS_EXPIRING,
}


def default_template(trigger: str) -> DefaultTemplate:
    """Return the default subject and HTML body for a trigger."""
    return DEFAULT_TEMPLATES[Trigger(trigger)]
