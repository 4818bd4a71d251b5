"""The one error of the release tools: a bilingual message, Chinese first."""

from __future__ import annotations


class ReleaseError(Exception):
    """A release refused, a bundle that does not verify, a releases folder that cannot serve."""

    def __init__(self, message_zh: str, message_en: str):
        super().__init__(f"{message_zh} — {message_en}")
        self.message_zh = message_zh
        self.message_en = message_en
