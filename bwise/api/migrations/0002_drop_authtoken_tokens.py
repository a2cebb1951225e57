"""DRF's authtoken tokens are replaced by personal access tokens. Their table held every
key in clear text; dropping it invalidates them for good and leaves no secret behind.
Its migration records go too, so that the app could be installed again cleanly."""

from django.db import migrations

DROP = """
DROP TABLE IF EXISTS authtoken_token CASCADE;
DELETE FROM django_migrations WHERE app = 'authtoken';
"""


class Migration(migrations.Migration):
    dependencies = [("api", "0001_initial")]

    operations = [migrations.RunSQL(DROP, reverse_sql=migrations.RunSQL.noop)]
