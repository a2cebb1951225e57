"""Fail when a Dutch translation is missing or fuzzy: Dutch is the product's first language."""

import re
import sys
from pathlib import Path

PO = Path(__file__).resolve().parent.parent / "locale" / "nl" / "LC_MESSAGES" / "django.po"


def untranslated(text: str) -> list[str]:
    problems = []
    for block in text.split("\n\n")[1:]:
        if "#, fuzzy" in block:
            problems.append(block)
            continue
        msgstrs = re.findall(r'^msgstr(?:\[\d\])? ((?:".*"\n?)+)', block, flags=re.M)
        if any(not "".join(re.findall(r'"(.*)"', value)) for value in msgstrs):
            problems.append(block)
    return problems


if __name__ == "__main__":
    problems = untranslated(PO.read_text(encoding="utf-8"))
    for block in problems:
        print(block, end="\n\n")
    if problems:
        print(f"{len(problems)} Dutch translation(s) missing or fuzzy in {PO}", file=sys.stderr)
        sys.exit(1)
    print(f"Dutch translations complete ({PO.name})")
