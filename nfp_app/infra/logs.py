"""Log lines: JSON in production, readable text in development, each with its request id.

nfp_app's loggers (`nfp_app.*`) write to stdout through one handler. A record may carry
structured fields as `extra={"fields": {...}}`: JSON lines hold them as keys, text lines as
`key=value`. Under `REFLEX_LOG_JSON=true` Reflex passes lines that are already JSON records
(with "level" and "message") through unchanged and turns its own and Granian's into JSON.
Callers never log passwords, tokens, cookies or query strings.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import logging
import sys
from typing import Any

from nfp_app.infra.settings import Settings
from nfp_app.reflex_compat import current_event_ids, use_json_for_reflex_logs

# The id of the HTTP request or websocket connection being served (see request_log.py).
request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")
# request_log.py hands the id to Reflex in this header of the websocket handshake, because
# Reflex handles a connection's events in tasks of its own, outside the connection's context.
REQUEST_ID_HEADER = "x-request-id"
FIELDS = "fields"
_ROOT = logging.getLogger("nfp_app")
_STANDARD = ("timestamp", "level", "logger", "message")


def _fields(record: logging.LogRecord) -> dict[str, Any]:
    fields = dict(getattr(record, FIELDS, None) or {})
    if rid := request_id.get():
        fields.setdefault("request_id", rid)
    elif event := current_event_ids(REQUEST_ID_HEADER):
        # A page event: its connection's request id, and the event's own id.
        event_id, connection_id = event
        fields.setdefault("request_id", connection_id)
        fields.setdefault("event_id", event_id)
    return fields


class JsonFormatter(logging.Formatter):
    """One JSON object per line, in the shape of Reflex's own JSON records."""

    def format(self, record: logging.LogRecord) -> str:
        """The record as one line of JSON."""
        line: dict[str, Any] = {
            "timestamp": dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            "pid": record.process,
        }
        line.update((k, v) for k, v in _fields(record).items() if k not in _STANDARD)
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=True, default=str)


class TextFormatter(logging.Formatter):
    """`time LEVEL logger: message key=value ...` for people reading a terminal."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        """The record as readable text."""
        text = super().format(record)
        pairs = " ".join(f"{key}={value}" for key, value in _fields(record).items())
        head, newline, rest = text.partition("\n")
        return f"{head} {pairs}{newline}{rest}" if pairs else text


def logs_as_json(settings: Settings) -> bool:
    """Whether log lines are JSON: LOG_FORMAT, else JSON in production only."""
    if settings.log_format == "auto":
        return settings.is_production
    return settings.log_format == "json"


def configure_logging(settings: Settings) -> None:
    """Send nfp_app's records to stdout in the configured format (idempotent)."""
    as_json = logs_as_json(settings)
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(JsonFormatter() if as_json else TextFormatter())
    for old in list(_ROOT.handlers):
        _ROOT.removeHandler(old)
    _ROOT.addHandler(handler)
    _ROOT.setLevel(logging.INFO)
    # Reflex's managed sinks (or the root logger) must not print the same record again.
    _ROOT.propagate = False
    # Reflex's records in this worker become JSON; the CLI's own lines (the startup banner,
    # Granian) only with REFLEX_LOG_JSON=true set before `reflex run`.
    if as_json and use_json_for_reflex_logs():
        _ROOT.warning("set REFLEX_LOG_JSON=true so that Reflex's own lines are JSON too")
