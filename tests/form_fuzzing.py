"""Finding the forms a page renders and generating data for them with hypothesis."""

from dataclasses import dataclass, field
from html.parser import HTMLParser

from hypothesis import strategies as st


@dataclass
class Field:
    name: str
    kind: str  # input type, "textarea" or "select"
    value: str = ""
    options: list[str] = field(default_factory=list)
    multiple: bool = False


@dataclass
class Form:
    action: str
    fields: dict[str, Field] = field(default_factory=dict)


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: Field | None = None

    def handle_starttag(self, tag, attrs):
        attrs = {k: v or "" for k, v in attrs}
        if tag == "form" and attrs.get("method", "get").lower() == "post":
            self._form = Form(action=attrs.get("action", ""))
            self.forms.append(self._form)
        if self._form is None or (tag not in ("input", "textarea", "select", "option")):
            return
        name = attrs.get("name")
        if tag == "option" and self._select is not None:
            self._select.options.append(attrs.get("value", ""))
        elif tag == "select" and name:
            self._select = Field(name, "select", multiple="multiple" in attrs)
            self._form.fields[name] = self._select
        elif tag == "textarea" and name:
            self._form.fields[name] = Field(name, "textarea")
        elif tag == "input" and name and name != "csrfmiddlewaretoken":
            kind = attrs.get("type", "text").lower()
            existing = self._form.fields.get(name)
            if existing and kind in ("radio", "checkbox"):
                existing.options.append(attrs.get("value", "on"))
                existing.multiple = kind == "checkbox"
            elif kind not in ("submit", "button", "reset", "image"):
                self._form.fields[name] = Field(
                    name, kind, attrs.get("value", ""), [attrs.get("value", "on")]
                )

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def forms_in(html: str) -> list[Form]:
    parser = _FormParser()
    parser.feed(html)
    return parser.forms


NASTY = st.sampled_from(
    [
        "",
        " ",
        "0",
        "-1",
        "99999999999999999999",
        "1e309",
        "NaN",
        "null",
        "<script>x</script>",
        "' OR 1=1 --",
        "\x00",
        "../../etc/passwd",
        "ü" * 300,
        "2024-02-30",
        "%s%n",
        "{{ 7*7 }}",
    ]
)
TEXT = st.one_of(NASTY, st.text(max_size=250))


def _strategy(f: Field):
    if f.kind in ("select", "radio", "checkbox"):
        pick = st.one_of(st.sampled_from(f.options), TEXT) if f.options else TEXT
        return st.lists(pick, max_size=3) if f.multiple else pick
    if f.kind == "date":
        return st.one_of(st.dates().map(lambda d: d.isoformat()), TEXT)
    if f.kind == "number":
        return st.one_of(st.integers().map(str), st.floats(allow_nan=True).map(str), TEXT)
    if f.kind == "hidden":
        return st.one_of(st.just(f.value), TEXT)
    if f.kind == "file":
        from django.core.files.uploadedfile import SimpleUploadedFile

        return st.tuples(st.sampled_from(["a.csv", "a.xlsx", "a.txt", "a"]), st.binary(max_size=400)).map(
            lambda pair: SimpleUploadedFile(pair[0], pair[1])
        )
    return TEXT


def data_for(form: Form):
    """Each field present or left out, with a valid-looking, random or nasty value."""
    return st.fixed_dictionaries(
        {},
        optional={name: _strategy(f) for name, f in form.fields.items()},
    )
