"""The access log's hash chain, and its check.

The chain is computed by the database, in a BEFORE INSERT trigger on ``audit_accesslog``
(migration ``audit.0002``), so that every writer is covered: the ORM, raw SQL, and the
``bwise_redact_history`` function. The trigger takes a transaction-level advisory lock per
organisation, then reads the organisation's last row: inserts of one organisation are
serialised, and under READ COMMITTED (Django's default) each statement of the trigger sees
the row the previous holder of the lock committed. Each row gets the next ``seq`` of its
organisation, the previous row's hash as ``prev_hash``, and ``hash`` = SHA-256 of
``DIGEST_INPUT``.

``verify`` recomputes the digests with the expression below, not with the stored trigger
function, so that a rewritten function does not vouch for itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection

# A JSON array renders every field unambiguously (no separator can be forged by a value).
# ``{r}`` is the row: ``NEW`` in the trigger, a table alias when verifying.
DIGEST_INPUT = (
    "jsonb_build_array({r}.prev_hash, {r}.seq, {r}.organisation_id, "
    "to_char({r}.at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US'), "
    "{r}.user_id, {r}.action, {r}.outcome, {r}.record_model, {r}.record_id, "
    "{r}.worker_id, {r}.detail)::text"
)


def digest_sql(row: str) -> str:
    return f"encode(sha256(convert_to({DIGEST_INPUT.format(r=row)}, 'UTF8')), 'hex')"


@dataclass
class BrokenLink:
    organisation_id: int | None
    seq: int | None
    row_id: int
    reason: str

    def __str__(self):
        organisation = "none" if self.organisation_id is None else self.organisation_id
        return f"organisation {organisation}, seq {self.seq}, row id {self.row_id}: {self.reason}"


def heads() -> list[tuple[int | None, int, str]]:
    """(organisation, last seq, last hash) per organisation: keep them off the server to
    notice that the newest rows of a chain were removed."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT ON (organisation_id) organisation_id, seq, hash FROM audit_accesslog "
            "ORDER BY organisation_id NULLS FIRST, seq DESC"
        )
        return list(cursor.fetchall())


def verify() -> tuple[int, BrokenLink | None]:
    """(rows checked, the first broken link or None), walking each organisation's chain in order."""
    # Built from constants only: no input reaches this SQL.
    sql = f"""
        SELECT id, organisation_id, seq, prev_hash, hash, {digest_sql("r")} AS expected
        FROM audit_accesslog r
        ORDER BY organisation_id NULLS FIRST, seq NULLS FIRST, id
    """  # noqa: S608
    checked = 0
    previous_org, previous_seq, previous_hash = object(), 0, ""
    with connection.cursor() as cursor:
        cursor.execute(sql)
        for row_id, organisation_id, seq, prev_hash, stored, expected in cursor:
            if organisation_id != previous_org:
                previous_org, previous_seq, previous_hash = organisation_id, 0, ""
            checked += 1
            if seq is None:
                return checked, BrokenLink(organisation_id, seq, row_id, "row is not numbered")
            if seq != previous_seq + 1:
                reason = f"expected seq {previous_seq + 1}: rows are missing"
                return checked, BrokenLink(organisation_id, seq, row_id, reason)
            if prev_hash != previous_hash:
                reason = "prev_hash differs from the previous row's hash"
                return checked, BrokenLink(organisation_id, seq, row_id, reason)
            if stored != expected:
                return checked, BrokenLink(organisation_id, seq, row_id, "content does not match its hash")
            previous_seq, previous_hash = seq, stored
    return checked, None
