"""Keep obvious personal data out of log lines.

Log records go to files and aggregators that outlive the retention schedule and that
more people can read than the application's users. Code should not log personal data
in the first place; this filter is the safety net for what slips through (an e-mail
address in an exception message, a national register number in a bad import row).
"""

import logging
import re

REDACTED = "[redacted]"

PATTERNS = [
    # E-mail addresses.
    re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),
    # Belgian national register numbers: 85.07.30-033.28, 850730-033-28 or 85073003328.
    re.compile(r"\b\d{2}\.?\d{2}\.?\d{2}[-.\s]?\d{3}[-.\s]?\d{2}\b"),
    # Belgian phone numbers (+32 / 0 followed by 8 or 9 digits, with optional separators).
    re.compile(r"(?:\+32|\b0)(?:[\s./-]?\d){8,9}\b"),
]


def scrub(text: str) -> str:
    for pattern in PATTERNS:
        text = pattern.sub(REDACTED, text)
    return text


class PersonalDataFilter(logging.Filter):
    """Replace e-mail addresses, national register numbers and phone numbers in log records."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = scrub(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and not record.exc_text:
            record.exc_text = scrub(logging.Formatter().formatException(record.exc_info))
        elif record.exc_text:
            record.exc_text = scrub(record.exc_text)
        return True
