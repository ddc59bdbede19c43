"""Personal data: citizen ID numbers (GB 11643) and mobile phone numbers — validation, masking, encryption."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from datetime import date
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from sciaid.core.roles import PERSONAL_DATA_ROLES
from sciaid.core.scoping import area_allows

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"
ID_PATTERN = re.compile(r"^\d{17}[\dX]$")
PHONE_PATTERN = re.compile(r"^1[3-9]\d{9}$")


def id_check_char(first17: str) -> str:
    """The GB 11643-1999 check character (ISO 7064 MOD 11-2) for the first 17 digits."""
    return ID_CHECK_CHARS[sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS, strict=True)) % 11]


def make_id_number(serial: int, birth: str = "19650312", region: str = "340422") -> str:
    """A valid citizen ID number (right check digit) for demo and test data: region, birth date, serial."""
    first17 = f"{region}{birth}{serial % 1000:03d}"
    return first17 + id_check_char(first17)


def normalise_id_number(value: str) -> str:
    return (value or "").strip().upper().replace(" ", "")


def validate_id_number(value: str) -> str:
    """Return the normalised 18-character citizen ID number or raise ValidationError saying what is wrong."""
    number = normalise_id_number(value)
    if not ID_PATTERN.match(number):
        raise ValidationError(_("A citizen ID number has 18 characters: 17 digits and a digit or X."), code="format")
    try:
        date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValidationError(_("The birth date inside this ID number does not exist."), code="birth_date") from None
    if id_check_char(number[:17]) != number[17]:
        raise ValidationError(
            _("The check digit of this ID number is wrong; please check each digit."), code="checksum"
        )
    return number


def validate_phone(value: str) -> str:
    """Return the 11-digit mainland mobile number or raise ValidationError."""
    number = re.sub(r"[\s-]", "", value or "")
    if number.startswith("+86"):
        number = number[3:]
    if not PHONE_PATTERN.match(number):
        raise ValidationError(_("A mobile phone number has 11 digits and starts with 13–19."), code="phone")
    return number


def optional_phone(value: str) -> str:
    """A blank phone stays blank (it is optional everywhere); anything else must be a valid mobile number."""
    return validate_phone(value) if value and value.strip() else ""


def mask_id_number(number: str) -> str:
    """3401**********1234: enough to recognise, not enough to use."""
    return f"{number[:4]}{'*' * (len(number) - 8)}{number[-4:]}" if len(number) > 8 else number


def mask_phone(number: str) -> str:
    return f"{number[:3]}****{number[-4:]}" if len(number) >= 11 else number


def _derived_key(purpose: str) -> bytes:
    """32 bytes for one purpose, from FIELD_ENCRYPTION_KEY (or SECRET_KEY when unset): one secret, two keys."""
    secret = settings.FIELD_ENCRYPTION_KEY or settings.SECRET_KEY
    return hashlib.sha256(f"sciaid-{purpose}:{secret}".encode()).digest()


@lru_cache(maxsize=1)
def _fernet() -> Fernet:
    return Fernet(base64.urlsafe_b64encode(_derived_key("field-key")))


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode() if value else ""


def decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        return ""


def blind_index(value: str) -> str:
    """A keyed hash, so equal ID numbers can be found and kept unique without storing them in clear."""
    if not value:
        return ""
    return hmac.new(_derived_key("blind-index"), value.encode(), hashlib.sha256).hexdigest()


def may_see_personal_data(user, area) -> bool:
    """Whether the user's roles let them read full ID and phone numbers of people in `area`."""
    return area_allows(user, area, PERSONAL_DATA_ROLES)
