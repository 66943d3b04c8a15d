"""One scheme for buttons and spacing, shared by every page."""

from __future__ import annotations

from typing import Final, Literal

# Every button of the app: one size; the main action of a form is "solid", the others "soft".
BUTTON_SIZE: Final[Literal["2"]] = "2"
PRIMARY: Final[Literal["solid"]] = "solid"
SECONDARY: Final[Literal["soft"]] = "soft"
# The gap between the blocks of a page and the padding around it (Radix space scale).
GAP: Final[Literal["4"]] = "4"
PAGE_PADDING: Final = "1rem"
# Text colours that keep 4.5:1 on the page background in light and dark (Radix step 11).
MUTED_TEXT: Final = "var(--gray-11)"
# A link inside a sentence is underlined: its colour alone is too close to the text's
# (WCAG 1.4.1; axe: link-in-text-block). Links standing alone keep Radix's hover underline.
LINKS_IN_TEXT: Final = {"& p .rt-Link": {"text_decoration_line": "underline"}}
# Text that only screen readers read, such as the name of a column of buttons.
SCREEN_READER_ONLY: Final = {
    "position": "absolute",
    "width": "1px",
    "height": "1px",
    "overflow": "hidden",
    "clip": "rect(0 0 0 0)",
    "white_space": "nowrap",
}
# The skip link: hidden until it has the keyboard focus, then shown over the header's corner.
SKIP_LINK: Final = {
    **SCREEN_READER_ONLY,
    "&:focus": {
        "width": "auto",
        "height": "auto",
        "clip": "auto",
        "z_index": "10",
        "top": "0.5rem",
        "left": "0.5rem",
        "padding": "0.5rem 0.75rem",
        "background": "var(--color-panel-solid)",
        "color": "var(--accent-12)",
        "border_radius": "var(--radius-2)",
        "outline": "2px solid var(--focus-8)",
    },
}
