"""Dutch phone numbers as people write them: "0515 48 90 00", "020 123 45
67", "06 12 34 56 78", "0800 0543", and the gemeenten's short numbers
"14 038" (14 + the area code, which reaches the gemeente's contact centre).
Checked with phonenumbers where it can."""

from __future__ import annotations

import re

import phonenumbers

SHORT_GEMEENTE = re.compile(r"^14\s*(0\d{2,3})$")


def _pairs(digits: str) -> str:
    """'489000' → '48 90 00'; '1234567' → '123 45 67'; short numbers as they are."""
    if len(digits) <= 4:
        return digits
    head = digits[:3] if len(digits) % 2 else ""
    rest = digits[len(head) :]
    return " ".join([*([head] if head else []), *(rest[i : i + 2] for i in range(0, len(rest), 2))])


def parse_phone(text: str) -> str | None:
    """The number written the Dutch way, or None when it is not a valid number."""
    plain = " ".join(text.replace("(", " ").replace(")", " ").split())
    short = SHORT_GEMEENTE.match(plain)
    if short:
        return f"14 {short.group(1)}"
    try:
        number = phonenumbers.parse(plain, "NL")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    if number.country_code != 31:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    national = phonenumbers.national_significant_number(number)
    area = phonenumbers.length_of_national_destination_code(number) or 2
    return f"0{national[:area]} {_pairs(national[area:])}"
