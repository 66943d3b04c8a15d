"""Log lines: JSON fields and request ids, readable text in development, the format switch."""

from __future__ import annotations

import json
import logging

import pytest

from nfp_app.infra.logs import FIELDS, JsonFormatter, TextFormatter, logs_as_json, request_id
from nfp_app.infra.settings import Settings


def _record(**fields: object) -> logging.LogRecord:
    record = logging.LogRecord(
        "nfp_app.audit", logging.INFO, __file__, 1, "auth event %s", ("login",), None
    )
    setattr(record, FIELDS, fields)
    return record


def test_json_lines_hold_the_fields_and_the_request_id() -> None:
    token = request_id.set("abc123")
    try:
        line = JsonFormatter().format(_record(event="login", outcome="success", level="spoofed"))
    finally:
        request_id.reset(token)
    parsed = json.loads(line)
    assert parsed["message"] == "auth event login"
    assert parsed["level"] == "info"  # a field never overrides the record's own keys
    assert (parsed["event"], parsed["outcome"], parsed["request_id"]) == (
        "login",
        "success",
        "abc123",
    )
    assert "\n" not in line


def test_text_lines_are_readable() -> None:
    line = TextFormatter().format(_record(event="login", outcome="failure"))
    assert line.endswith("INFO nfp_app.audit: auth event login event=login outcome=failure")


@pytest.mark.parametrize(
    ("mode", "log_format", "as_json"),
    [
        ("prod", "auto", True),
        ("dev", "auto", False),
        ("prod", "text", False),
        ("dev", "json", True),
    ],
)
def test_json_in_production_unless_chosen_otherwise(
    mode: str, log_format: str, as_json: bool
) -> None:
    settings = Settings(reflex_env_mode=mode, log_format=log_format)  # type: ignore[arg-type]
    assert logs_as_json(settings) is as_json


def test_an_unknown_log_format_is_refused() -> None:
    with pytest.raises(ValueError, match="log_format"):
        Settings(log_format="yaml")  # type: ignore[arg-type]
