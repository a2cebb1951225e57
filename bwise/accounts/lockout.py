def lockout_username(request, credentials) -> str | None:
    """The username axes locks on, wherever allauth put it.

    allauth's form posts ``login`` but calls ``authenticate(username=...)``; axes must see
    the same name in both places or a locked-out user could still log in.
    """
    credentials = credentials or {}
    name = credentials.get("username") or credentials.get("login")
    if not name and request is not None and hasattr(request, "POST"):
        name = request.POST.get("login") or request.POST.get("username")
    return name.strip().lower() if name else None
