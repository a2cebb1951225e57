"""The POP deadline in the dashboard's summaries (``trajects.summaries``): per statuut, how
many workers had their last POP agreed on each day (no day: never), up to their last day
of employment."""

from competenties import plan_state
from competenties.models import Plan, PlanKind
from trajects import summaries

P = Plan._meta.db_table
AGREED = ", ".join(f"'{status.value}'" for status in plan_state.AGREED_STATUSES)

POP_AGREED = f"""
    SELECT w.organisation_id, 'pop', p.agreed_on, '', '', w.statuut, '', 0, 0, {summaries.UNTIL}, COUNT(*)
    FROM {summaries.W} w LEFT JOIN LATERAL (
        SELECT MAX(agreed_on) AS agreed_on FROM {P}
        WHERE worker_id = w.id AND kind = '{PlanKind.POP.value}' AND status IN ({AGREED})
    ) p ON true
    WHERE {{cond}} GROUP BY 1, 3, 6, 10"""  # noqa: S608 - names and values from the models


def register() -> None:
    summaries.register_contribution(POP_AGREED)
