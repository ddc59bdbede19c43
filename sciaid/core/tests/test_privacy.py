"""Personal data: GB 11643 citizen ID numbers, mobile numbers, masking, encryption at rest and the blind index."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from sciaid.core.privacy import (
    blind_index,
    decrypt,
    encrypt,
    id_check_char,
    make_id_number,
    mask_id_number,
    mask_phone,
    may_see_personal_data,
    validate_id_number,
    validate_phone,
)

# The examples printed in GB 11643-1999 itself, one of them with the check character X.
STANDARD_EXAMPLES = ["11010519491231002X", "440524188001010014"]


@pytest.mark.parametrize("number", [*STANDARD_EXAMPLES, make_id_number(1), make_id_number(999, birth="20000229")])
def test_valid_id_numbers_are_accepted(number):
    assert validate_id_number(number) == number


def test_an_id_number_is_normalised_lower_case_x_and_spaces():
    assert validate_id_number(" 110105 19491231 002x ") == "11010519491231002X"


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("110105194912310021", "checksum"),
        ("11010519491231002", "format"),
        ("1101051949123100211", "format"),
        ("11010519491231002Y", "format"),
        ("X10105194912310021", "format"),
        ("", "format"),
        (make_id_number(1, birth="19490230"), "birth_date"),
        ("110105194913310020", "birth_date"),
    ],
)
def test_invalid_id_numbers_are_refused_with_the_reason(number, code):
    with pytest.raises(ValidationError) as refused:
        validate_id_number(number)
    assert refused.value.code == code


digit = st.sampled_from("0123456789")


# No deadline: a shared CI machine may pause any single example.
@hypothesis_settings(deadline=None)
@given(
    region=st.text(digit, min_size=6, max_size=6),
    birth=st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31)),
    serial=st.text(digit, min_size=3, max_size=3),
    data=st.data(),
)
def test_any_number_made_with_its_check_character_is_valid_and_any_one_wrong_character_is_caught(
    region, birth, serial, data
):
    first17 = f"{region}{birth:%Y%m%d}{serial}"
    number = first17 + id_check_char(first17)
    assert validate_id_number(number) == number

    position = data.draw(st.integers(0, 17), label="position")
    alphabet = "0123456789X" if position == 17 else "0123456789"
    replacement = data.draw(st.sampled_from(alphabet).filter(lambda c: c != number[position]), label="replacement")
    typo = number[:position] + replacement + number[position + 1 :]
    with pytest.raises(ValidationError):
        validate_id_number(typo)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [("13905541234", "13905541234"), ("139 0554 1234", "13905541234"), ("+86 139-0554-1234", "13905541234")],
)
def test_mobile_numbers_are_accepted_in_the_ways_people_write_them(raw, clean):
    assert validate_phone(raw) == clean


@pytest.mark.parametrize("raw", ["1390554123", "139055412345", "12905541234", "0554-1234567", "1390554123a", ""])
def test_anything_else_is_not_a_mobile_number(raw):
    with pytest.raises(ValidationError):
        validate_phone(raw)


def test_masks_show_enough_to_recognise_and_not_enough_to_use():
    assert mask_id_number("34042219650312002X") == "3404**********002X"
    assert mask_phone("13905541234") == "139****1234"
    # Too short to mask meaningfully: shown as typed, so a clerk can see what is wrong with it.
    assert mask_id_number("3404") == "3404"
    assert mask_phone("139") == "139"


def test_encryption_round_trips_and_hides_the_number():
    token = encrypt("34042219650312002X")

    assert "34042219650312002X" not in token
    assert decrypt(token) == "34042219650312002X"
    # Fernet tokens carry a random IV: the same number twice gives two tokens, so equal numbers do not show.
    assert encrypt("34042219650312002X") != token
    assert encrypt("") == decrypt("") == ""


def test_a_tampered_token_decrypts_to_nothing_rather_than_failing_the_page():
    token = encrypt("34042219650312002X")
    assert decrypt(token[:-4] + "AAAA") == ""


def test_the_blind_index_is_stable_and_tells_numbers_apart():
    assert blind_index("34042219650312002X") == blind_index("34042219650312002X")
    assert blind_index("34042219650312002X") != blind_index("340422196503120037")
    assert "34042219650312002X" not in blind_index("34042219650312002X")
    assert blind_index("") == ""


def test_the_blind_index_depends_on_the_secret_key(settings):
    before = blind_index("34042219650312002X")
    settings.SECRET_KEY = "another-deployment-secret-key-0123456789-abcdefghijklmnop"
    assert blind_index("34042219650312002X") != before


def test_only_managers_and_the_villages_own_officer_see_personal_data(world):
    village = world.village_a1
    assert may_see_personal_data(world.county_admin, village)
    assert may_see_personal_data(world.info_officer, village)
    assert may_see_personal_data(world.admin, village)
    assert not may_see_personal_data(world.info_officer, world.village_a2)
    assert not may_see_personal_data(world.county_admin_b, village)
    for name in ("triage", "supervisor", "expert", "outsider"):
        assert not may_see_personal_data(world.users[name], village), name


def test_an_optional_phone_may_be_blank_but_not_wrong():
    from sciaid.core.privacy import optional_phone

    assert optional_phone("") == "" and optional_phone("  ") == ""
    assert optional_phone("139 0554 1234") == "13905541234"
    with pytest.raises(ValidationError):
        optional_phone("12345")
