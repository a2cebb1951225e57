"""The dashboard's summaries over the demo data, computed once the other apps made it."""

from trajects import summaries


def seed_demo(ctx):
    for organisation in ctx.organisations:
        summaries.recompute(organisation.pk)


def seed_scale(ctx, *, organisation, workers, stdout=None):
    rows = summaries.recompute(organisation.pk)
    if stdout:
        stdout.write(f"summaries: {rows} rows")
