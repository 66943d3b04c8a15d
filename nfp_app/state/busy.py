"""The busy flag of a button that starts server work: shown at once, and no double submit."""

from __future__ import annotations

import functools
import inspect
from collections.abc import AsyncIterator, Callable
from typing import Any, Concatenate, ParamSpec, TypeVar

from nfp_app.state.outage import handle_backend_exception

P = ParamSpec("P")
S = TypeVar("S")


def busy_while(
    flag: str,
) -> Callable[[Callable[Concatenate[S, P], Any]], Callable[Concatenate[S, P], AsyncIterator[Any]]]:
    """Decorate an async event handler: state var `flag` is True (and sent) while it runs.

    A call that arrives while the flag is set is ignored, so a double click cannot run the
    work twice; the flag is cleared when the handler ends, whether it succeeded or raised.
    A handler that raises sends no state to the browser, which would keep the button busy, so
    the exception goes to the app's handler here ("temporarily unavailable" while the
    database is away) and its answer travels with the cleared flag.
    """

    def decorate(
        handler: Callable[Concatenate[S, P], Any],
    ) -> Callable[Concatenate[S, P], AsyncIterator[Any]]:
        @functools.wraps(handler)
        async def run(self: S, *args: P.args, **kwargs: P.kwargs) -> AsyncIterator[Any]:
            if getattr(self, flag):
                return
            setattr(self, flag, True)
            yield None  # the button shows its busy state before the work starts
            try:
                outcome = handler(self, *args, **kwargs)
                if inspect.isasyncgen(outcome):
                    async for events in outcome:
                        yield events
                elif (events := await outcome) is not None:
                    yield events
            except Exception as error:  # handed on to the app's handler, below
                setattr(self, flag, False)
                yield handle_backend_exception(error)
            finally:
                setattr(self, flag, False)

        return run

    return decorate
