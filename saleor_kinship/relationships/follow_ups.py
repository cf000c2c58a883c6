"""Follow-ups: what a staff member means to do for a customer, and by when."""

from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from ..core.error_codes import KinshipErrorCode
from .models import NOTE_LENGTH, FollowUp
from .validation import Refusals, check_date, check_text


def _check_assignee(refusals: Refusals, assignee_id: int | None) -> int | None:
    if assignee_id is None:
        return None
    is_staff = (
        get_user_model()
        ._default_manager.filter(pk=assignee_id, is_staff=True, is_active=True)
        .exists()
    )
    if not is_staff:
        refusals.add(
            "assignee",
            "Assign the follow-up to an active staff member.",
            KinshipErrorCode.NOT_FOUND,
        )
    return assignee_id


def save_follow_up(follow_up: FollowUp, changes: dict[str, Any]) -> FollowUp:
    """Validate and store a follow-up; a new one needs a due date.

    `changes` holds the given fields: due_on, assignee_id, note and done.
    """
    refusals = Refusals()
    if "assignee_id" in changes:
        follow_up.assignee_id = _check_assignee(refusals, changes["assignee_id"])
    if "note" in changes:
        follow_up.note = check_text(
            refusals, "note", changes["note"], NOTE_LENGTH, "A note"
        )
    due_on = changes.get("due_on", follow_up.due_on)
    if "due_on" in changes:
        due_on = check_date(refusals, "due_on", due_on)
    if due_on is None and "due_on" not in refusals:
        refusals.add("due_on", "Give the date it is due.", KinshipErrorCode.REQUIRED)
    done = changes.get("done")
    if "done" in changes and done is None:
        refusals.add("done", "Give true or false.", KinshipErrorCode.REQUIRED)
    refusals.raise_any()

    follow_up.due_on = due_on
    if done and follow_up.done_at is None:
        follow_up.done_at = timezone.now()
    elif done is False:
        follow_up.done_at = None
    follow_up.save()
    return follow_up
