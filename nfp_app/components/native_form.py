"""A form the browser submits itself, for the few POSTs that must reach a backend route."""

from __future__ import annotations

from reflex_base.components.component import field
from reflex_base.vars.base import Var
from reflex_components_core.el.elements.base import BaseHTML


class NativeForm(BaseHTML):
    """A plain <form>: Reflex's own form always prevents the browser's submission.

    Used where a full-page POST is the point: the backend route sets or clears an HttpOnly
    cookie and checks the request's Origin, which a websocket event cannot do.
    """

    tag = "form"

    action: Var[str] = field(doc="URL the browser posts the form to")
    method: Var[str] = field(doc="HTTP method of the submission")
