"""The parts of /notes: the add form, the filter, the undo bar and the list of notes."""

from __future__ import annotations

import reflex as rx

from nfp_app.components.form_field import busy_button, credentials_form, form_field
from nfp_app.components.layout import card_section
from nfp_app.components.looks import BUTTON_SIZE, MUTED_TEXT, PRIMARY, SECONDARY
from nfp_app.services import notes
from nfp_app.state.note_edit import NoteEditState
from nfp_app.state.note_views import ADD_FIELD, EDIT_FIELD, NoteRow
from nfp_app.state.notes import NotesState

FILTER_LABELS = {"all": "All", "open": "Open", "done": "Done"}


def add_section() -> rx.Component:
    """A new note: its text and "Add"."""
    return card_section(
        "Add a note",
        credentials_form(
            form_field(
                "Note",
                "text",
                error=NotesState.add_error,
                field_id=ADD_FIELD,
                max_length=notes.TEXT_MAX_LENGTH,
            ),
            busy_button("Add", "Adding…", NotesState.add_busy, button_id="note-add", type="submit"),
            on_submit=NotesState.add,
            form_id="note-add-form",
        ),
        section_id="note-add-section",
    )


def _filter_button(which: str) -> rx.Component:
    chosen = NotesState.show == which
    return rx.button(
        FILTER_LABELS[which],
        variant=rx.cond(chosen, PRIMARY, SECONDARY),
        size=BUTTON_SIZE,
        aria_pressed=rx.cond(chosen, "true", "false"),
        on_click=NotesState.choose_filter(which),
        id=f"filter-{which}",
    )


def filter_bar() -> rx.Component:
    """All, open or done notes."""
    return rx.hstack(
        rx.text("Show", as_="span", size="2", color=MUTED_TEXT),
        *(_filter_button(which) for which in notes.SHOWS),
        role="group",
        aria_label="Which notes to show",
        align="center",
        spacing="2",
        id="note-filter",
    )


def undo_bar() -> rx.Component:
    """The note just deleted, with "Undo" for a few seconds."""
    return rx.box(
        rx.cond(
            NotesState.undo_open,
            rx.callout.root(
                rx.hstack(
                    rx.callout.text("Note deleted."),
                    rx.button(
                        "Undo",
                        size=BUTTON_SIZE,
                        variant=SECONDARY,
                        on_click=NotesState.undo_delete,
                        id="note-undo",
                    ),
                    align="center",
                    spacing="3",
                ),
                color_scheme="gray",
                id="note-deleted",
            ),
        ),
        # A live region that stays put, so screen readers announce the notice when it appears.
        role="status",
        width="100%",
    )


def _edit_form(note: rx.vars.ObjectVar[NoteRow]) -> rx.Component:
    return rx.form(
        rx.vstack(
            form_field(
                "Edit note",
                "text",
                error=NoteEditState.edit_error,
                field_id=EDIT_FIELD,
                default_value=note.text,
                max_length=notes.TEXT_MAX_LENGTH,
            ),
            rx.hstack(
                busy_button(
                    "Save", "Saving…", NoteEditState.edit_busy, button_id="note-save", type="submit"
                ),
                rx.button(
                    "Cancel",
                    type="button",
                    variant=SECONDARY,
                    size=BUTTON_SIZE,
                    on_click=NoteEditState.cancel_edit,
                    id="note-cancel",
                ),
                spacing="2",
            ),
            spacing="2",
            width="100%",
        ),
        on_submit=NoteEditState.save_edit,
        method="post",
        width="100%",
        id="note-edit-form",
    )


def _note_view(note: rx.vars.ObjectVar[NoteRow]) -> rx.Component:
    return rx.hstack(
        rx.checkbox(
            "Done",
            checked=note.completed,
            on_change=lambda checked: NotesState.tick(note.id, checked),
            class_name="note-done",
        ),
        rx.text(
            note.text,
            class_name="note-text",
            flex="1",
            white_space="pre-wrap",
            word_break="break-word",
            text_decoration=rx.cond(note.completed, "line-through", "none"),
        ),
        rx.button(
            "Edit",
            size=BUTTON_SIZE,
            variant=SECONDARY,
            on_click=NoteEditState.start_edit(note.id),
            class_name="note-edit",
        ),
        rx.button(
            "Delete",
            size=BUTTON_SIZE,
            variant=SECONDARY,
            color_scheme="red",
            on_click=NotesState.delete(note.id),
            class_name="note-delete",
        ),
        align="center",
        spacing="3",
        width="100%",
    )


def _note_item(note: rx.vars.ObjectVar[NoteRow]) -> rx.Component:
    return rx.el.li(
        rx.cond(NoteEditState.editing_id == note.id, _edit_form(note), _note_view(note)),
        class_name="note",
        padding_y="0.5rem",
        border_bottom="1px solid var(--gray-a5)",
    )


def notes_list() -> rx.Component:
    """The notes under the filter, newest first, and "Show more" when older ones are left."""
    return card_section(
        "Your notes",
        filter_bar(),
        undo_bar(),
        rx.cond(
            NotesState.notes.length() > 0,  # type: ignore[union-attr]
            rx.el.ul(
                rx.foreach(NotesState.notes, _note_item),
                id="notes-list",
                style={"listStyle": "none", "padding": "0", "margin": "0", "width": "100%"},
            ),
            rx.text("No notes here yet.", id="notes-empty", color=MUTED_TEXT),
        ),
        rx.cond(
            NotesState.has_more,
            rx.button(
                "Show more",
                size=BUTTON_SIZE,
                variant=SECONDARY,
                on_click=NotesState.show_more,
                id="notes-more",
            ),
        ),
        section_id="notes-section",
    )
