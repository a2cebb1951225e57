"""The "doorstroomklaar" checklist: eleven statements an organisation agrees with or not.

Kept in code rather than in the database: every organisation answers the same
statements, so that scores can be compared over time. Keys never change once used.
"""

from django.utils.translation import gettext_lazy as _

STATEMENTS: list[tuple[str, str]] = [
    ("vision", _("Doorstroom is part of our vision and values, worked out in operational goals.")),
    ("definition", _("We have set out clearly what doorstroom means for us, and what it does not.")),
    (
        "daily_practice",
        _("Everyone in our organisation puts that view of doorstroom into practice in their daily work."),
    ),
    ("told_to_employers", _("Our people carry that view into every contact with the business world.")),
    (
        "embedded_in_tools",
        _(
            "Doorstroom is built into our trajectories, appraisal and evaluation talks, POPs and growth "
            "sheets, and the agreements we make with our target-group workers."
        ),
    ),
    (
        "nec_like_conditions",
        _(
            "The terms of employment and the working conditions of our target-group workers match "
            "those of similar work at regular employers."
        ),
    ),
    (
        "coach_profile",
        _(
            "The transition coach's job profile includes the knowledge and skills to communicate "
            "purposefully with regular employers."
        ),
    ),
    (
        "fixed_methods",
        _("Our trajectories follow a set course, with the methods of every step chosen in advance."),
    ),
    (
        "nec_training",
        _("Our organisation provides training in communicating purposefully with regular employers."),
    ),
    ("commercial_actions", _("Our organisation undertakes commercial actions to make itself known.")),
    ("networking", _("Our organisation networks actively with the business world.")),
]
STATEMENT_KEYS = [key for key, _text in STATEMENTS]
STATEMENT_TEXT = dict(STATEMENTS)
# One point per statement the organisation agrees with, as the guide scores it.
MAX_SCORE = len(STATEMENTS)
