"""Fill a message template: `templates/NAME.txt` (first line `Subject: ...`) and NAME.html."""

from __future__ import annotations

import functools
import html
from dataclasses import dataclass
from pathlib import Path
from string import Template

TEMPLATES = Path(__file__).resolve().parent / "templates"
_SUBJECT = "Subject: "


@dataclass(frozen=True, slots=True)
class Rendered:
    """A message ready to store: subject, plain text and HTML."""

    subject: str
    text: str
    html: str


@functools.cache
def _load(name: str) -> tuple[Template, Template, Template]:
    first, _, text = (TEMPLATES / f"{name}.txt").read_text().partition("\n")
    if not first.startswith(_SUBJECT):
        raise ValueError(f"templates/{name}.txt must start with {_SUBJECT!r}")
    page = (TEMPLATES / f"{name}.html").read_text()
    return Template(first.removeprefix(_SUBJECT)), Template(text.lstrip("\n")), Template(page)


def render(name: str, **values: str) -> Rendered:
    """The message `name` with every `$value` filled in; HTML gets the values escaped."""
    subject, text, page = _load(name)
    escaped = {key: html.escape(value) for key, value in values.items()}
    return Rendered(
        subject=subject.substitute(values),
        text=text.substitute(values),
        html=page.substitute(escaped),
    )
