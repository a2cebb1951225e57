from rest_framework import serializers, viewsets

from bwise.access import Perm
from bwise.api.permissions import HasPerm
from trajects.models import Worker


class WorkerSerializer(serializers.ModelSerializer):
    class Meta:
        model = Worker
        fields = ["id", "first_name", "last_name", "coach", "supervisor"]


class WorkerViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = WorkerSerializer
    permission_classes = [HasPerm.of(Perm.VIEW_WORKERS, Perm.EDIT_WORKERS)]
    lookup_url_kwarg = "worker_pk"

    def get_queryset(self):
        return Worker.objects.visible_to(self.request.user).order_by("last_name", "first_name", "pk")


def register(router):
    router.register("workers", WorkerViewSet, basename="worker")
