"""The demo data set: fixed cases of British and EU small-business debtors, dated back from today.

Every date is counted in days from the invoice's due date, and the due date in days before
`today`, so the set always shows every aging bucket and every stage. Loading is idempotent:
a case whose invoice is already open is skipped whole.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from application.commands import (
    AcknowledgeDebt,
    AddNote,
    AgreePaymentPlan,
    AgreeSettlement,
    ApplyPenalty,
    AssignAgency,
    CaseCommand,
    ConcludeMediation,
    FileBankruptcyClaim,
    IssueDemand,
    LogCall,
    OpenCase,
    PlaceHold,
    PlannedInstalment,
    PromisePayment,
    RaiseDispute,
    RecordDelivery,
    RecordPayment,
    ReferToCounsel,
    ReferToMediation,
    ResolveDispute,
    SendReminder,
    WaiveInterest,
    WaivePenalty,
    WithdrawService,
    WriteOff,
)
from application.errors import CaseAlreadyOpen
from application.service import CaseService
from application.users.roles import Role
from domain.money import Money
from domain.values import Debtor, PaymentTerms

CONTROLLER, MANAGER, SCHEDULE = "priya.shah", "tom.baker", "schedule"
COUNSEL = "helen.lowe"  # of Hargreaves & Lowe Solicitors: the demo's counsel user
# One demo user per role, all with the one demo password (printed by `arrears demo`).
DEMO_USERS = {"sam.admin": Role.ADMIN, CONTROLLER: Role.COLLECTOR, COUNSEL: Role.COUNSEL,
              "ravi.mehta": Role.AUDITOR}
DEMO_PASSWORD = "arrears-demo"
_DATE_FIELDS = frozenset({"promised_on", "deadline", "pay_by", "until", "period_start",
                          "period_end"})


@dataclass(frozen=True)
class Step:
    """One command on a demo case, `day` days after the due date (negative: before it)."""

    day: int
    command: type[CaseCommand]
    actor: str
    fields: dict[str, Any]


def step(day: int, command: type[CaseCommand], actor: str = CONTROLLER, **fields: Any) -> Step:
    return Step(day, command, actor, fields)


@dataclass(frozen=True)
class DemoCase:
    """An invoice `overdue` days past due today (negative: due in the future)."""

    number: str
    debtor: Debtor
    amount: str
    currency: str
    overdue: int
    steps: tuple[Step, ...] = ()
    term_days: int = 30
    terms: PaymentTerms = field(default_factory=PaymentTerms)
    contract_reference: str = ""


def _biz(name: str, email: str, phone: str, address: str) -> Debtor:
    return Debtor(name, "business", email, phone, address)


def _person(name: str, email: str, phone: str, address: str) -> Debtor:
    return Debtor(name, "individual", email, phone, address)


def _late_fee(amount: str) -> PaymentTerms:
    return PaymentTerms(None, Money.of(amount, "GBP"), ("bank_transfer", "card"))


LPA_70 = "Late Payment of Commercial Debts (Interest) Act 1998 s.5A: GBP 70 (1,000-9,999.99)"
LPA_RATE = "Late Payment Act: 8% over Bank of England base rate (4.00%)"
EU_40 = "Late Payment Directive 2011/7/EU art. 6: EUR 40 fixed sum"

CASES: tuple[DemoCase, ...] = (
    DemoCase("INV-10467", _biz("Oakridge Veterinary Clinic Ltd", "accounts@oakridgevets.example",
                               "+44 1632 960 311", "12 Mill Lane, Ludlow SY8 1BB"),
             "1150.00", "GBP", -25, (step(-30, RecordDelivery, method="portal"),)),
    DemoCase("INV-10452", _biz("Harbour Lights Cafe Ltd", "hello@harbourlights.example",
                               "+44 1632 960 118", "4 The Barbican, Plymouth PL1 2LS"),
             "1240.00", "GBP", -10, (
                 step(-30, RecordDelivery, method="email", proof="read receipt 09:14"),
                 step(-12, SendReminder, SCHEDULE, channel="email"))),
    DemoCase("INV-10448", _biz("Kestrel Print & Design Ltd", "finance@kestrelprint.example",
                               "+44 20 7946 0123", "Unit 3, Bermondsey Trading Estate, "
                               "London SE16 3LL"),
             "480.00", "GBP", 0, (
                 step(-29, RecordDelivery, method="email"),
                 step(0, SendReminder, SCHEDULE, channel="email"))),
    DemoCase("INV-10431", _biz("Bramble & Oak Interiors LLP", "accounts@brambleoak.example",
                               "+44 1632 960 457", "7 Castle Street, York YO1 9RN"),
             "2650.00", "GBP", 12, (
                 step(3, SendReminder, SCHEDULE, channel="email"),
                 step(8, LogCall, direction="outbound", outcome="no_answer"),
                 step(9, AddNote, text="Left voicemail for the office manager."))),
    DemoCase("INV-10420", _person("Eleanor Whitfield", "e.whitfield@mail.example",
                                  "+44 7700 900 214", "Rose Cottage, Church Road, Bibury "
                                  "GL7 5NR"),
             "360.00", "GBP", 25, (
                 step(-28, RecordDelivery, method="post"),
                 step(7, SendReminder, SCHEDULE, channel="letter"),
                 step(14, LogCall, direction="outbound", person="Mrs Whitfield",
                      outcome="promised_to_pay", notes="Pension arrives on the 21st."),
                 step(14, PromisePayment, amount="360.00", promised_on=21))),
    DemoCase("INV-10412", _biz("Greenway Cycles Ltd", "office@greenwaycycles.example",
                               "+44 1632 960 602", "28 Harbour Road, Bristol BS1 6UD"),
             "960.00", "GBP", 33, (
                 step(1, ApplyPenalty, kind="late_fee", amount="25.00",
                      basis="Contract clause 7.2: GBP 25 late fee"),
                 step(3, SendReminder, SCHEDULE, channel="email"),
                 step(10, LogCall, direction="inbound", person="Sam Greenway",
                      outcome="other", notes="Asked for the late fee to be waived."),
                 step(12, WaivePenalty, MANAGER, kind="late_fee", amount="25.00",
                      reason="Goodwill: first late payment in six years")),
             terms=_late_fee("25.00"), contract_reference="GC-2019-014"),
    DemoCase("INV-10405", _biz("Van der Berg Bouw B.V.", "crediteuren@vdberg.example",
                               "+31 20 794 6011", "Keizersgracht 221, 1016 DV Amsterdam"),
             "4800.00", "EUR", 40, (
                 step(5, SendReminder, SCHEDULE, channel="email"),
                 step(20, SendReminder, SCHEDULE, channel="email"),
                 step(25, LogCall, direction="outbound", person="Joost van der Berg",
                      outcome="promised_to_pay", notes="Part now, rest after their client pays."),
                 step(25, PromisePayment, amount="2000.00", promised_on=32),
                 step(31, RecordPayment, amount="2000.00", method="bank_transfer",
                      reference="NL-TRX-88412"),
                 step(33, ApplyPenalty, kind="compensation", amount="40.00", basis=EU_40),
                 step(33, ApplyPenalty, kind="statutory_interest", amount="47.93",
                      rate="12.15", period_start=1, period_end=30,
                      basis="Dutch statutory commercial interest (art. 6:119a BW)"))),
    DemoCase("INV-10398", _biz("Costa Azul Importaciones S.L.", "pagos@costaazul.example",
                               "+34 961 234 567", "Calle de Colon 14, 46004 Valencia"),
             "2240.00", "EUR", 48, (
                 step(4, SendReminder, SCHEDULE, channel="email"),
                 step(18, SendReminder, SCHEDULE, channel="email"),
                 step(30, WithdrawService, MANAGER, service="Trade account suspended"),
                 step(35, LogCall, direction="inbound", person="Lucia Ferrer",
                      outcome="promised_to_pay"),
                 step(35, PromisePayment, amount="1000.00", promised_on=52))),
    DemoCase("INV-10391", _biz("Northgate Plumbing Supplies Ltd", "ap@northgateplumbing.example",
                               "+44 1632 960 733", "Northgate Industrial Park, Leeds LS7 2AB"),
             "3120.00", "GBP", 55, (
                 step(5, SendReminder, SCHEDULE, channel="email"),
                 step(19, SendReminder, SCHEDULE, channel="letter"),
                 step(20, RaiseDispute,
                      reason="Goods damaged on delivery (pallet 3 of 5, photos sent)"),
                 step(22, AddNote, text="Asked the warehouse for the delivery note."))),
    DemoCase("INV-10377", _biz("Fenwick & Daughters Joinery", "fenwickjoinery@mail.example",
                               "+44 1632 960 845", "3 Quay Street, Whitby YO21 3PU"),
             "1875.00", "GBP", 65, (
                 step(6, SendReminder, SCHEDULE, channel="email"),
                 step(30, LogCall, direction="inbound", person="Ruth Fenwick",
                      outcome="other", notes="Director in hospital; asks for a pause."),
                 step(40, PlaceHold, MANAGER, reason="Director in hospital; agreed pause",
                      until=75))),
    DemoCase("INV-10366", _biz("Cafe Lumiere SARL", "compta@cafelumiere.example",
                               "+33 1 45 67 89 10", "18 rue des Martyrs, 75009 Paris"),
             "1980.00", "EUR", 70, (
                 step(7, SendReminder, SCHEDULE, channel="email"),
                 step(21, SendReminder, SCHEDULE, channel="letter"),
                 step(35, IssueDemand, MANAGER, deadline=49,
                      consequences="Referral to mediation, then to counsel",
                      letter_reference="MED-2291"),
                 step(55, ReferToMediation, MANAGER, mediator="CMAP Paris",
                      reference="CMAP-25-0412"))),
    DemoCase("INV-10359", _biz("Pennine Valley Farms Ltd", "office@penninevalley.example",
                               "+44 1632 960 926", "High Moor Farm, Hebden Bridge HX7 8AD"),
             "5400.00", "GBP", 80, (
                 step(5, SendReminder, SCHEDULE, channel="email"),
                 step(20, LogCall, direction="outbound", person="Gareth Hughes",
                      outcome="promised_to_pay", notes="Cash flow tight until harvest."),
                 step(30, RecordPayment, amount="1000.00", method="bank_transfer"),
                 step(30, AcknowledgeDebt, document="Email of G. Hughes admitting the debt",
                      amount="5400.00"),
                 step(60, RecordPayment, amount="800.00", method="cheque",
                      reference="cheque 100238"),
                 step(62, AgreePaymentPlan, MANAGER,
                      instalments=[(75, "1200.00"), (105, "1200.00"), (135, "1200.00")]),
                 step(75, RecordPayment, amount="1200.00", method="bank_transfer"))),
    DemoCase("INV-10352", _biz("Nordic Timber Trading Oy", "laskut@nordictimber.example",
                               "+358 9 4289 1100", "Satamakatu 5, 00160 Helsinki"),
             "3900.00", "EUR", 88, (
                 step(3, SendReminder, SCHEDULE, channel="email"),
                 step(17, SendReminder, SCHEDULE, channel="email"),
                 step(31, ApplyPenalty, kind="compensation", amount="40.00", basis=EU_40),
                 step(31, ApplyPenalty, kind="statutory_interest", amount="36.86",
                      rate="11.50", period_start=1, period_end=30,
                      basis="Finnish Interest Act: ECB reference rate + 8 points"),
                 step(60, IssueDemand, MANAGER, deadline=74,
                      consequences="Referral to a collection agency"))),
    DemoCase("INV-10338", _biz("Sunflower Nursery Ltd", "manager@sunflowernursery.example",
                               "+44 1632 960 377", "9 Orchard Way, Canterbury CT1 3NX"),
             "1480.00", "GBP", 95, (
                 step(4, SendReminder, SCHEDULE, channel="email"),
                 step(30, IssueDemand, MANAGER, deadline=44,
                      consequences="Referral to counsel"),
                 step(50, AgreeSettlement, MANAGER, amount="1200.00", pay_by=65),
                 step(62, RecordPayment, amount="1200.00", method="bank_transfer"))),
    DemoCase("INV-10331", _biz("Riverside Dental Practice Ltd", "practice@riversidedental.example",
                               "+44 1632 960 518", "2 Riverside Walk, Shrewsbury SY1 1QH"),
             "2100.00", "GBP", 100, (
                 step(3, SendReminder, SCHEDULE, channel="email"),
                 step(14, SendReminder, SCHEDULE, channel="letter"),
                 step(31, ApplyPenalty, kind="compensation", amount="70.00", basis=LPA_70),
                 step(45, IssueDemand, MANAGER, deadline=59,
                      consequences="Referral to counsel and a county court claim"),
                 step(61, ApplyPenalty, kind="statutory_interest", amount="41.42",
                      rate="12.00", period_start=1, period_end=60, basis=LPA_RATE),
                 step(75, ReferToCounsel, MANAGER, counsel="Hargreaves & Lowe Solicitors",
                      reference="HL/ARR/0931", user=COUNSEL))),
    DemoCase("INV-10324", _person("Siobhan Gallagher", "siobhan.g@mail.example",
                                  "+353 87 123 4567", "14 Quay Street, Galway H91 X2Y4"),
             "540.00", "EUR", 110, (
                 step(5, SendReminder, SCHEDULE, channel="email"),
                 step(40, IssueDemand, MANAGER, deadline=70,
                      consequences="Referral to mediation", letter_reference="LOC-0412"),
                 step(80, ReferToMediation, MANAGER, mediator="Mediators' Institute of "
                                                                   "Ireland"),
                 step(100, ConcludeMediation, MANAGER, outcome="failed",
                      notes="Debtor did not attend the second session."))),
    DemoCase("INV-10310", _person("Daniel Okafor", "d.okafor@mail.example", "+44 7700 900 377",
                                  "Flat 6, 40 Lord Street, Liverpool L2 1TS"),
             "890.00", "GBP", 120, (
                 step(4, SendReminder, SCHEDULE, channel="email"),
                 step(20, LogCall, direction="outbound", outcome="refused", person="Mr Okafor"),
                 step(40, IssueDemand, MANAGER, deadline=70, letter_reference="LOC-0398",
                      consequences="Letter of claim: a county court claim after 30 days"),
                 step(95, AssignAgency, MANAGER, agency="Albion Credit Recovery Ltd",
                      reference="ACR-558201"))),
    DemoCase("INV-10302", _biz("Brightwater Marketing Ltd", "finance@brightwater.example",
                               "+44 20 7946 0456", "51 Shoreditch High Street, London E1 6JJ"),
             "6200.00", "GBP", 130, (
                 step(5, SendReminder, SCHEDULE, channel="email"),
                 step(20, RaiseDispute, reason="Hours billed for March disputed"),
                 step(50, ResolveDispute, MANAGER, outcome="compromise",
                      notes="Agreed the invoice stands; 10 hours to be credited later."),
                 step(55, RecordPayment, amount="3000.00", method="bank_transfer"),
                 step(70, IssueDemand, MANAGER, deadline=84, consequences="Referral to "
                                                                             "counsel"),
                 step(110, ReferToCounsel, MANAGER, counsel="Hargreaves & Lowe Solicitors",
                      reference="HL/ARR/0947", user=COUNSEL))),
    DemoCase("INV-10288", _biz("Mueller Feinmechanik GmbH", "buchhaltung@mueller-fm.example",
                               "+49 711 123 4560", "Hauptstrasse 12, 70173 Stuttgart"),
             "7350.00", "EUR", 150, (
                 step(5, SendReminder, SCHEDULE, channel="email"),
                 step(30, IssueDemand, MANAGER, deadline=44, consequences="Court claim"),
                 step(120, FileBankruptcyClaim, MANAGER,
                      court="Amtsgericht Stuttgart (Insolvenzgericht)",
                      insolvency_case_number="2 IN 345/25"))),
    DemoCase("INV-10241", _biz("Quayside Events Ltd", "info@quaysideevents.example",
                               "+44 1632 960 081", "1 Dock Road, Cardiff CF10 4AA"),
             "1650.00", "GBP", 200, (
                 step(5, SendReminder, SCHEDULE, channel="email"),
                 step(25, LogCall, direction="outbound", outcome="wrong_number"),
                 step(40, IssueDemand, MANAGER, deadline=54, consequences="Court claim"),
                 step(150, AddNote, text="Companies House: company dissolved."),
                 step(180, WriteOff, MANAGER, reason="debtor_vanished",
                      notes="Dissolved; no assets to claim against."))),
    DemoCase("INV-10436", _biz("Atlantic Web Studio Ltd", "billing@atlanticweb.example",
                               "+44 1632 960 264", "8 Marine Parade, Brighton BN2 1TL"),
             "720.00", "GBP", 18, (
                 step(3, SendReminder, SCHEDULE, channel="email"),
                 step(15, RecordPayment, amount="720.00", method="card"),
                 # paid 15 days late: the interest accrued is given up explicitly (ADR 25)
                 step(15, WaiveInterest, MANAGER,
                      reason="Paid in full; 15 days' interest not worth claiming"))),
)


def _value(key: str, value: Any, due: date, currency: str) -> Any:
    if key in _DATE_FIELDS:
        return due + timedelta(days=value)
    if key == "amount":
        return Decimal(value)
    if key == "rate":
        return Decimal(value)
    if key == "instalments":
        return tuple(PlannedInstalment(due + timedelta(days=day), Decimal(amount))
                     for day, amount in value)
    return value


def _open(service: CaseService, case: DemoCase, today: date, creditor: str) -> Any:
    due = today - timedelta(days=case.overdue)
    issued = due - timedelta(days=case.term_days)
    return service.handle(OpenCase(
        actor=CONTROLLER, occurred_on=issued, creditor=creditor, invoice_number=case.number,
        debtor=case.debtor, amount=Money.of(case.amount, case.currency), issue_date=issued,
        due_date=due, terms=case.terms, contract_reference=case.contract_reference)).case_id


def load_demo_users(service: CaseService) -> list[str]:
    """Add the demo users not yet added (password DEMO_PASSWORD); return their names."""
    added = []
    for name, role in DEMO_USERS.items():
        if service.users.get(name) is None:
            service.users.add(name, role, DEMO_PASSWORD, actor="demo")
            added.append(name)
    return added


def load_demo(service: CaseService, today: date, creditor: str = "") -> int:
    """Add the demo users, open the demo cases not yet open and play their histories;
    return how many cases opened."""
    creditor = creditor or service.default_creditor
    load_demo_users(service)
    opened = 0
    for case in CASES:
        try:
            case_id = _open(service, case, today, creditor)
        except CaseAlreadyOpen:
            continue
        due = today - timedelta(days=case.overdue)
        for item in case.steps:
            fields = {k: _value(k, v, due, case.currency) for k, v in item.fields.items()}
            service.handle(item.command(case_id=case_id, actor=item.actor,
                                        occurred_on=due + timedelta(days=item.day), **fields))
        opened += 1
    return opened
