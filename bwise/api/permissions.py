from rest_framework.permissions import BasePermission

from bwise.access import has_perm


class HasPerm(BasePermission):
    """Use as ``permission_classes = [HasPerm.of(Perm.X)]`` (or ``.of(read, write)``)."""

    read_perm = None
    write_perm = None

    @classmethod
    def of(cls, read_perm, write_perm=None):
        return type("HasPerm", (cls,), {"read_perm": read_perm, "write_perm": write_perm or read_perm})

    def has_permission(self, request, view):
        if not request.user or not request.user.is_authenticated:
            return False
        perm = self.read_perm if request.method in ("GET", "HEAD", "OPTIONS") else self.write_perm
        return perm is None or has_perm(request.user, perm)
