"""The errors marketnews raises on purpose.

Every error here carries a message meant for the person at the terminal and an
exit code. The CLI prints ``marketnews: error: <message>`` and exits with the
code; library callers catch :class:`MarketnewsError` and decide themselves.
Anything that is not a ``MarketnewsError`` is a bug and may show a traceback.
"""

from __future__ import annotations


class MarketnewsError(Exception):
    """Base class. Caller: show ``str(err)`` and exit with ``err.exit_code``."""

    exit_code: int = 1


class InputError(MarketnewsError):
    """A file or value the user gave is unreadable or invalid. Caller: fix the input."""

    exit_code = 2


class ConfigError(MarketnewsError):
    """Settings (marketnews.toml or MARKETNEWS_* variables) are invalid. Caller: fix the setting named."""

    exit_code = 2


class OutputError(MarketnewsError):
    """Results could not be written (permissions, disk). Nothing partial was left. Caller: pick another --out."""

    exit_code = 2


class DataUnavailable(MarketnewsError):
    """A metric the article cannot do without (price, candles) could not be fetched. Caller: retry later or use another provider."""

    exit_code = 4


class ProviderError(MarketnewsError):
    """One provider failed for one metric. Sources catch it and fall back; it rarely reaches the CLI."""

    exit_code = 4


class LLMError(MarketnewsError):
    """The language model could not give a usable answer. Drafting catches it and keeps the template text."""

    exit_code = 5


class NotFound(InputError):
    """No draft (or revision) with the id given. Caller: check the id with 'marketnews drafts list'."""


class LLMUnavailable(LLMError):
    """The LLM server could not be reached or kept failing after retries. Drafting keeps the template text; check the server."""


class LLMContextTooLong(LLMError):
    """The prompt does not fit the server's context window. Drafting keeps the template text; use a larger context."""


class LLMModeUnsupported(LLMError):
    """The server does not take the structured-output mode asked for. Drafting tries the next mode once."""


class LLMBadReply(LLMError):
    """The server answered, but with nothing usable (no choices, empty content). Drafting asks once more, then keeps the template text."""


class LLMRefused(LLMError):
    """The model declined to write (a refusal or a content filter). Drafting keeps the template text."""


class LLMBudgetExceeded(LLMError):
    """A token cap (per article or per day) stops further LLM calls. Drafting keeps the template text; raise the cap or wait."""


class ConflictError(MarketnewsError):
    """Someone else changed the draft first (stale version). Caller: reload and redo the action."""

    exit_code = 6


class NotAllowed(MarketnewsError):
    """The action is refused by a rule (e.g. approving a draft that fails the fact-check). Caller: fix the draft first."""

    exit_code = 3


class PublishError(MarketnewsError):
    """A publishing target refused or failed (bad credentials, no permission, server error). The article
    stays as it was. Caller: fix what the message names (credentials, URL, permissions) or retry later."""

    exit_code = 7


class AlreadyRunning(MarketnewsError):
    """Another scheduled run holds the schedule lock. Caller: wait for it to finish; do not remove the lock
    file while that process lives (the lock is released when it exits, even after a crash)."""

    exit_code = 8


class JobFailed(MarketnewsError):
    """Part of a run failed (some assets, some publications) while the rest was done; ``exit_code`` is the worst
    part's. Caller: read the lines printed before it; the scheduler records the failure and the next run retries."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code


EXIT_OK = 0
EXIT_BLOCKED = 3
EXIT_DATA_UNAVAILABLE = 4
