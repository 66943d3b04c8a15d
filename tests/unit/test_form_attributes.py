"""Every form is friendly to password managers: autocomplete, names, ids, paste, show-password."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
import reflex as rx

from nfp_app.components.form_field import form_field
from nfp_app.pages.account import account_page
from nfp_app.pages.admin_audit import admin_audit_page
from nfp_app.pages.admin_user import admin_user_page
from nfp_app.pages.admin_users import admin_users_page
from nfp_app.pages.forgot_password import forgot_password_page
from nfp_app.pages.login import login_page
from nfp_app.pages.login_verify import login_verify_page
from nfp_app.pages.notes import notes_page
from nfp_app.pages.reset_password import reset_password_page
from nfp_app.pages.signup import signup_page

# Every input of each page, by id, with the autocomplete value it must carry.
EXPECTED: dict[str, dict[str, str]] = {
    # "webauthn": the browser offers passkeys in the field's autofill (conditional mediation).
    "login": {"username": "username webauthn", "password": "current-password"},
    "signup": {
        "username": "username",
        "email": "email",
        "password": "new-password",
        "confirm": "new-password",
        "passkey_username": "username",
        "passkey_email": "email",
    },
    "forgot": {"identifier": "username"},
    "reset": {"password": "new-password", "confirm": "new-password"},
    "verify": {"code": "one-time-code", "recovery_code": "off"},
    "account": {
        "new_email": "email",
        "email_password": "current-password",
        "change-username": "username",
        "current": "current-password",
        "password": "new-password",
        "confirm": "new-password",
        "delete_password": "current-password",
        "delete_confirmation": "off",
        "mfa_password": "current-password",
        "mfa_code": "one-time-code",
        "regen_password": "current-password",
        "off_password": "current-password",
        "off_code": "one-time-code",
        "passkey_password": "current-password",
        "new_passkey_name": "off",
        "passkey_name": "off",
    },
    "users": {"user-search": "off", "reason-input": "off"},
    "notes": {"note-text": "off", "edit-text": "off"},
    "user": {"reason-input": "off"},
    "audit": {
        "audit-user": "off",
        "audit-ip": "off",
        "audit-since": "off",
        "audit-until": "off",
    },
}
PAGES: dict[str, Callable[[], rx.Component]] = {
    "login": login_page,
    "signup": signup_page,
    "forgot": forgot_password_page,
    "reset": reset_password_page,
    "verify": login_verify_page,
    "account": account_page,
    "users": admin_users_page,
    "user": admin_user_page,
    "audit": admin_audit_page,
    "notes": notes_page,
}
INPUT_CLASSES = {"TextFieldRoot", "TextArea", "Input"}


def walk(
    component: rx.Component, ancestors: tuple[rx.Component, ...] = ()
) -> Iterator[tuple[rx.Component, tuple[rx.Component, ...]]]:
    """Every component of a page (both branches of each rx.cond), with its ancestors."""
    yield component, ancestors
    for child in getattr(component, "children", []):
        if isinstance(child, rx.Component):
            yield from walk(child, (*ancestors, component))


def literal(value: Any) -> Any:
    """A prop's Python value: a literal Var's value, a plain value as is, else the Var's JS."""
    if isinstance(value, rx.Var):
        return getattr(value, "_var_value", str(value))
    return value


def attribute(component: rx.Component, name: str) -> Any:
    """A prop or an aria-* attribute of a component."""
    if name.startswith("aria-"):
        return literal(component.custom_attrs.get(name))
    if name == "auto_complete" and "autoComplete" in component.custom_attrs:
        return literal(component.custom_attrs["autoComplete"])
    return literal(getattr(component, name, None))


def inputs(page: rx.Component) -> list[rx.Component]:
    """The inputs and text areas people type in (not type="hidden" fields the app fills)."""
    return [
        node
        for node, _ in walk(page)
        if type(node).__name__ in INPUT_CLASSES and literal(getattr(node, "type", None)) != "hidden"
    ]


def is_password(field: rx.Component) -> bool:
    """A password input: its type is "password", or switches to it (the show toggle)."""
    return '"password"' in str(getattr(field, "type", ""))


@pytest.fixture(params=sorted(PAGES))
def page(request: pytest.FixtureRequest) -> tuple[str, rx.Component]:
    return request.param, PAGES[request.param]()


def test_every_input_has_a_name_an_id_and_the_expected_autocomplete(
    page: tuple[str, rx.Component],
) -> None:
    name, tree = page
    found = {}
    for field in inputs(tree):
        field_id, field_name = attribute(field, "id"), attribute(field, "name")
        assert field_id, f"{name}: an input without an id ({field_name})"
        assert field_name, f"{name}: input {field_id} has no name"
        found[field_id] = attribute(field, "auto_complete")
    assert found == EXPECTED[name]


def test_new_password_fields_ask_for_a_new_password() -> None:
    for name in ("signup", "reset", "account"):
        by_name = {
            attribute(f, "name"): attribute(f, "auto_complete") for f in inputs(PAGES[name]())
        }
        assert by_name["password"] == by_name["confirm"] == "new-password", name


def test_no_component_blocks_paste(page: tuple[str, rx.Component]) -> None:
    name, tree = page
    for node, _ in walk(tree):
        for trigger in ("on_paste", "on_copy", "on_cut", "on_drop"):
            assert trigger not in node.event_triggers, f"{name}: {trigger} on {type(node).__name__}"


def test_every_password_input_has_a_show_password_toggle(page: tuple[str, rx.Component]) -> None:
    name, tree = page
    toggles = {
        attribute(node, "aria-controls"): node
        for node, _ in walk(tree)
        if type(node).__name__ == "Button" and node.custom_attrs.get("aria-controls")
    }
    for field in inputs(tree):
        if not is_password(field):
            continue
        toggle = toggles.get(attribute(field, "id"))
        assert toggle is not None, f"{name}: {attribute(field, 'id')} has no show-password toggle"
        assert attribute(toggle, "type") == "button"
        assert "Show password" in str(toggle.custom_attrs["aria-label"])
        assert "aria-pressed" in toggle.custom_attrs
        assert "on_click" in toggle.event_triggers


def test_password_pages_have_password_inputs() -> None:
    """The toggle test above would pass vacuously if passwords were not recognised."""
    for name, count in (("login", 1), ("signup", 2), ("reset", 2), ("account", 11)):
        assert sum(is_password(f) for f in inputs(PAGES[name]())) == count, name


def test_every_submit_button_is_inside_a_form(page: tuple[str, rx.Component]) -> None:
    name, tree = page
    submits = [
        (node, ancestors)
        for node, ancestors in walk(tree)
        if type(node).__name__ == "Button" and attribute(node, "type") == "submit"
    ]
    for button, ancestors in submits:
        forms = [a for a in ancestors if type(a).__name__.endswith("Form")]
        assert forms, f"{name}: submit button {attribute(button, 'id')} outside a form"
        assert "on_click" not in button.event_triggers, "the form's submit event does the work"


def test_visible_fields_are_described_and_marked_invalid_by_their_errors() -> None:
    for field in inputs(signup_page()):
        field_id = attribute(field, "id")
        if str(field_id).startswith("passkey_"):
            continue  # the passkey form's one refusal is its alert callout

        assert f"{field_id}-error" in str(field.custom_attrs["aria-describedby"])
        assert '"true"' in str(field.custom_attrs["aria-invalid"])


def test_the_new_password_is_described_by_the_rules_and_the_meter() -> None:
    (password,) = [f for f in inputs(signup_page()) if attribute(f, "id") == "password"]
    described = str(password.custom_attrs["aria-describedby"])
    assert "password-rules" in described
    assert "password-strength" in described
    meters = [n for n, _ in walk(signup_page()) if attribute(n, "id") == "password-strength"]
    assert len(meters) == 1
    assert attribute(meters[0], "aria-live") == "polite"
    progress = [n for n, _ in walk(signup_page()) if type(n).__name__ == "Progress"]
    assert progress
    assert attribute(progress[0], "aria-label") == "Password strength"


def test_a_code_field_asks_for_a_one_time_code() -> None:
    """No page has a code field yet; the 2FA steps will build theirs with form_field."""
    (field,) = inputs(form_field("Code", "code", autocomplete="one-time-code"))
    assert attribute(field, "auto_complete") == "one-time-code"
    assert attribute(field, "input_mode") == "numeric"
    assert (attribute(field, "id"), attribute(field, "name")) == ("code", "code")


def test_the_second_step_asks_for_digits_and_takes_a_paste() -> None:
    """The TOTP field brings up a number pad; neither code field caps a pasted code at 6."""
    fields = {attribute(f, "id"): f for f in inputs(login_verify_page())}
    assert attribute(fields["code"], "input_mode") == "numeric"
    assert attribute(fields["recovery_code"], "input_mode") in (None, "text")
    for field in fields.values():
        assert attribute(field, "max_length") > 11


def test_the_account_code_fields_ask_for_one_time_codes() -> None:
    """The set-up's code is six digits; turning off also takes a recovery code (letters)."""
    fields = {attribute(field, "id"): field for field in inputs(account_page())}
    assert attribute(fields["mfa_code"], "input_mode") == "numeric"
    assert attribute(fields["off_code"], "input_mode") == "text"
    for name in ("mfa_code", "off_code"):
        assert attribute(fields[name], "auto_complete") == "one-time-code"
