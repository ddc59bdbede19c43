"""Every change to trainings goes through these functions (views, the API, imports and the demo call them):
`events` plans and runs an event, `attendance` registers and signs people in, `feedback` records their ratings."""

from sciaid.training.services.attendance import (
    Person,
    default_day,
    is_trainer,
    register,
    sign_in,
    sign_in_walk_in,
    sign_out,
    withdraw,
)
from sciaid.training.services.events import (
    add_material,
    cancel_event,
    delete_event,
    delete_material,
    hold_event,
    material_type,
    publish_event,
    report_event,
    save_event,
)
from sciaid.training.services.feedback import give_feedback, may_rate

__all__ = [
    "Person",
    "add_material",
    "cancel_event",
    "default_day",
    "delete_event",
    "delete_material",
    "give_feedback",
    "hold_event",
    "is_trainer",
    "material_type",
    "may_rate",
    "publish_event",
    "register",
    "report_event",
    "save_event",
    "sign_in",
    "sign_in_walk_in",
    "sign_out",
    "withdraw",
]
