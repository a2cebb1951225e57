"""The Docker image's build runs ``collectstatic`` with the manifest storage, which stops on
any file that references one that is not there (a vendored script's source map, a
stylesheet's image): every file under static/ must pass it."""

from django.core.management import call_command


def test_collectstatic_with_the_manifest_storage_passes(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    # The manifest without WhiteNoise's compression: the same references are checked, faster.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    assert (tmp_path / "staticfiles.json").exists()
