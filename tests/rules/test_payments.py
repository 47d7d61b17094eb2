"""Payments to SMEs: payment terms, receivable confirmation and late interest."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from huiqi.rules import errors
from huiqi.rules.payments import (
    Buyer,
    Contract,
    confirmation_deadline,
    late_interest,
    payment_deadline,
)

from .cases import amount, day, load_cases
from .test_deadlines import _is_working_day, check_deadline_case


def _optional_day(value: object) -> date | None:
    return None if value is None else day(value)


def _run(case: dict):
    facts = case["facts"]
    rule = case["rule"]
    if rule == "payment":
        return payment_deadline(
            Contract(
                buyer=Buyer(facts["buyer"]),
                signed=day(facts["signed"]),
                delivered=_optional_day(facts.get("delivered")),
                accepted=_optional_day(facts.get("accepted")),
                acceptance_period_end=_optional_day(facts.get("acceptance_period_end")),
                acceptance_delayed=facts.get("acceptance_delayed", False),
                settled=_optional_day(facts.get("settled")),
                agreed_days=facts.get("agreed_days"),
            )
        )
    if rule == "confirmation":
        return confirmation_deadline(day(facts["requested"]))
    assert rule == "interest", rule
    return late_interest(
        amount(facts["amount"]),
        day(facts["due"]),
        day(facts["paid"]),
        signed=day(facts["signed"]),
        agreed_annual_rate=amount(facts.get("rate")),
        lpr_at_signing=amount(facts.get("lpr")),
    )


@pytest.mark.parametrize("case", load_cases("payments"))
def test_cases(case):
    check_deadline_case(case, _run)


def test_payment_json_keys():
    contract = Contract(Buyer.AGENCY, date(2025, 7, 1), delivered=date(2025, 9, 1))
    data = payment_deadline(contract).to_dict()
    assert data["due"] == "2025-10-09"
    assert data["provisional"] is False
    assert data["citation"] == "《保障中小企业款项支付条例》（2025年版）第九条第一款"


def test_bad_amounts_and_rates():
    with pytest.raises(errors.InvalidFacts, match="负数"):
        late_interest(Decimal(-1), date(2025, 1, 1), date(2025, 2, 1), signed=date(2024, 1, 1))
    with pytest.raises(errors.InvalidFacts, match=r"0\.03 表示 3%"):
        late_interest(
            Decimal(1),
            date(2025, 1, 1),
            date(2025, 2, 1),
            signed=date(2024, 1, 1),
            agreed_annual_rate=Decimal(3),
        )
    with pytest.raises(errors.InvalidFacts, match="正整数"):
        payment_deadline(
            Contract(Buyer.AGENCY, date(2025, 7, 1), delivered=date(2025, 8, 1), agreed_days=0)
        )
    with pytest.raises(errors.InvalidFacts, match="早于交付日期"):
        payment_deadline(
            Contract(
                Buyer.AGENCY,
                date(2025, 7, 1),
                delivered=date(2025, 8, 1),
                accepted=date(2025, 7, 20),
            )
        )


_days = st.dates(min_value=date(2020, 9, 1), max_value=date(2027, 10, 31))


@given(
    signed=_days,
    delivered=_days,
    later=st.integers(min_value=0, max_value=60),
    buyer=st.sampled_from(list(Buyer)),
    agreed=st.one_of(st.none(), st.integers(min_value=1, max_value=120)),
)
def test_payment_due_dates_are_working_days_and_never_earlier_for_a_later_delivery(
    signed, delivered, later, buyer, agreed
):
    if buyer is Buyer.LARGE and signed < date(2025, 6, 1) and agreed is None:
        agreed = 60
    first = payment_deadline(Contract(buyer, signed, delivered=delivered, agreed_days=agreed))
    second = payment_deadline(
        Contract(buyer, signed, delivered=delivered + timedelta(days=later), agreed_days=agreed)
    )
    assert _is_working_day(first.due)
    assert second.due >= first.due
