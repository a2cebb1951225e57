"""The "doorstroomklaar" checklist: eleven statements an organisation scores itself on.

Kept in code rather than in the database: every organisation answers the same
statements, so that scores can be compared over time. Keys never change once used.
"""

from django.utils.translation import gettext_lazy as _

STATEMENTS: list[tuple[str, str]] = [
    ("vision", _("Our vision and strategy name doorstroom and set operational goals for it.")),
    ("definition", _("We have one clear, written definition of what doorstroom means for us.")),
    (
        "daily_practice",
        _("Management, coaches and shop-floor supervisors apply that definition in daily work."),
    ),
    ("told_to_employers", _("We explain our doorstroom approach to the employers we work with.")),
    (
        "embedded_in_tools",
        _("Doorstroom is part of our trajectories, appraisals, personal development plans and agreements."),
    ),
    ("nec_like_conditions", _("Working conditions on our shop floor resemble those of regular employers.")),
    (
        "coach_profile",
        _("The coach's job profile includes contact and communication with regular employers."),
    ),
    ("fixed_methods", _("How a trajectory runs (methods, steps, tools) is agreed in advance.")),
    ("nec_training", _("Our staff are trained in communicating with regular employers.")),
    (
        "commercial_actions",
        _("We take commercial actions to make our workers and services known to employers."),
    ),
    ("networking", _("We actively build and keep a network with local businesses.")),
]
STATEMENT_KEYS = [key for key, _text in STATEMENTS]
STATEMENT_TEXT = dict(STATEMENTS)
MAX_SCORE = 2 * len(STATEMENTS)
