//! Staying Put, Staying Close and the payments ledger for one young person.

use crate::access::{can_read, manages};
use crate::clock::Clock;
use crate::records::editable;
use crate::young_person::placement_of;
use crate::{AppError, FormError, Result};
use jiff::civil::Date;
use pathways_domain::dates::{birthday, gov_uk, ordinal};
use pathways_domain::staff::StaffMember;
use pathways_domain::support::{Entitlement, EntitlementTotal, MoneyRules, PaymentStatus, Pence, totals};
use pathways_store::{Arrangement, NewPayment, PaymentRecord, Store};

type FieldErrors = Vec<(&'static str, String)>;

/// An arrangement as the form sends it; the web layer has read the date boxes.
#[derive(Debug, Clone, Default)]
pub struct ArrangementForm {
    pub with: String,
    pub start: Option<Date>,
    pub end: Option<Date>,
    /// Pounds as typed; Staying Put only.
    pub weekly: String,
}

/// The longest name or description kept.
const MAX_TEXT: usize = 500;

fn check_text(text: &str, field: &'static str, missing: &str, errors: &mut FieldErrors) -> String {
    let text = text.trim();
    if text.is_empty() {
        errors.push((field, missing.to_owned()));
    } else if text.chars().count() > MAX_TEXT {
        errors.push((field, format!("Must be {MAX_TEXT} characters or fewer")));
    }
    text.to_owned()
}

/// Checks a Staying Put arrangement: with former foster carers, from 18, with a
/// weekly allowance, ending by the birthday the rules say (CA89 s23CZA).
pub fn check_staying_put(
    form: &ArrangementForm,
    date_of_birth: Date,
    rules: &MoneyRules,
    leap: pathways_domain::dates::LeapDayBirthday,
) -> std::result::Result<Arrangement, FieldErrors> {
    let mut errors = Vec::new();
    let with = check_text(&form.with, "with", "Enter the former foster carers' names", &mut errors);
    let eighteen = birthday(date_of_birth, 18, leap);
    let until = birthday(date_of_birth, rules.staying_put_until_age, leap);
    match form.start {
        None => errors.push(("start-day", "Enter the date the arrangement started".to_owned())),
        Some(start) if start < eighteen => errors.push((
            "start-day",
            format!("Staying Put starts at 18: on or after {}", gov_uk(eighteen)),
        )),
        Some(_) => {}
    }
    match (form.start, form.end) {
        (Some(start), Some(end)) if end <= start => {
            errors.push(("end-day", "The end date must be after the start date".to_owned()));
        }
        (_, Some(end)) if end > until => errors.push((
            "end-day",
            format!(
                "Staying Put ends by the {} birthday, {}",
                ordinal(rules.staying_put_until_age),
                gov_uk(until)
            ),
        )),
        _ => {}
    }
    let weekly = Pence::parse(&form.weekly);
    if weekly.is_none() {
        errors.push((
            "weekly",
            "Enter the weekly allowance in pounds, like 222 or 222.50".to_owned(),
        ));
    }
    match (form.start, weekly, errors.is_empty()) {
        (Some(start), Some(weekly), true) => Ok(Arrangement {
            with,
            start,
            end: form.end,
            weekly: Some(weekly),
        }),
        _ => Err(errors),
    }
}

/// Checks a Staying Close arrangement.
pub fn check_staying_close(form: &ArrangementForm) -> std::result::Result<Arrangement, FieldErrors> {
    let mut errors = Vec::new();
    let with = check_text(&form.with, "with", "Enter who provides the support", &mut errors);
    if form.start.is_none() {
        errors.push(("start-day", "Enter the date the arrangement started".to_owned()));
    }
    if let (Some(start), Some(end)) = (form.start, form.end)
        && end <= start
    {
        errors.push(("end-day", "The end date must be after the start date".to_owned()));
    }
    match (form.start, errors.is_empty()) {
        (Some(start), true) => Ok(Arrangement {
            with,
            start,
            end: form.end,
            weekly: None,
        }),
        _ => Err(errors),
    }
}

/// Records a Staying Put arrangement.
pub async fn record_staying_put(
    store: &Store,
    clock: &dyn Clock,
    rules: &MoneyRules,
    leap: pathways_domain::dates::LeapDayBirthday,
    staff: &StaffMember,
    id: i64,
    form: &ArrangementForm,
) -> Result<(), FormError> {
    let record = editable(store, staff, id).await?;
    let arrangement = check_staying_put(form, record.person.date_of_birth, rules, leap).map_err(FormError::Invalid)?;
    Ok(store
        .insert_arrangement(id, &arrangement, staff.id, clock.now())
        .await?)
}

/// Records a Staying Close arrangement.
pub async fn record_staying_close(
    store: &Store,
    clock: &dyn Clock,
    staff: &StaffMember,
    id: i64,
    form: &ArrangementForm,
) -> Result<(), FormError> {
    editable(store, staff, id).await?;
    let arrangement = check_staying_close(form).map_err(FormError::Invalid)?;
    Ok(store
        .insert_arrangement(id, &arrangement, staff.id, clock.now())
        .await?)
}

/// A payment as the form sends it.
#[derive(Debug, Clone, Default)]
pub struct PaymentForm {
    pub entitlement: String,
    pub amount: String,
    pub description: String,
    pub paid_on: Option<Date>,
}

/// Records a payment: approved at once, or waiting for a manager when it is above
/// the threshold or takes an entitlement past its limit. Returns its status.
pub async fn record_payment(
    store: &Store,
    clock: &dyn Clock,
    rules: &MoneyRules,
    staff: &StaffMember,
    id: i64,
    form: &PaymentForm,
) -> Result<PaymentStatus, FormError> {
    editable(store, staff, id).await?;
    let mut errors = Vec::new();
    let entitlement = Entitlement::parse(&form.entitlement);
    if entitlement.is_none() {
        errors.push(("entitlement", "Select what the payment is for".to_owned()));
    }
    let amount = Pence::parse(&form.amount).filter(|p| p.0 > 0);
    if amount.is_none() {
        errors.push(("amount", "Enter the amount in pounds, like 150 or 49.99".to_owned()));
    }
    let description = check_text(
        &form.description,
        "description",
        "Enter what the payment is for",
        &mut errors,
    );
    match form.paid_on {
        None => errors.push(("paid-day", "Enter the date of the payment".to_owned())),
        Some(on) if on > clock.today() => {
            errors.push(("paid-day", "The date must be today or in the past".to_owned()));
        }
        Some(_) => {}
    }
    let (Some(entitlement), Some(amount), Some(paid_on), true) = (entitlement, amount, form.paid_on, errors.is_empty())
    else {
        return Err(FormError::Invalid(errors));
    };
    let already = store
        .payments_of(id)
        .await?
        .iter()
        .filter(|p| p.entitlement == entitlement && p.status != PaymentStatus::Refused)
        .map(|p| p.amount.0)
        .sum();
    let status = if rules.needs_approval(entitlement, amount, Pence(already)) {
        PaymentStatus::AwaitingApproval
    } else {
        PaymentStatus::Approved
    };
    let payment = NewPayment {
        entitlement,
        amount,
        description,
        paid_on,
        status,
    };
    store.insert_payment(id, &payment, staff.id, clock.now()).await?;
    Ok(status)
}

/// A manager approves or refuses a payment waiting for them.
pub async fn decide_payment(
    store: &Store,
    clock: &dyn Clock,
    staff: &StaffMember,
    payment_id: i64,
    approve: bool,
) -> Result<()> {
    let payment = store.payment(payment_id).await?.ok_or(AppError::NotFound)?;
    let placement = placement_of(store, payment.young_person_id).await?;
    if !placement.is_some_and(|p| manages(staff, p.team_id)) {
        return Err(AppError::NotFound);
    }
    if !store.decide_payment(payment_id, approve, staff.id, clock.now()).await? {
        return Err(AppError::NotFound);
    }
    Ok(())
}

/// The money and support side of one young person's record.
#[derive(Debug, Clone)]
pub struct MoneyView {
    pub staying_put: Vec<Arrangement>,
    pub staying_close: Vec<Arrangement>,
    pub staying_close_statutory: bool,
    pub payments: Vec<PaymentRecord>,
    pub totals: Vec<EntitlementTotal>,
    /// May approve or refuse payments waiting.
    pub may_decide: bool,
}

/// Reads a young person's arrangements and payments (the record view is audited).
pub async fn money_of(
    store: &Store,
    clock: &dyn Clock,
    rules: &MoneyRules,
    staff: &StaffMember,
    id: i64,
) -> Result<MoneyView> {
    let placement = placement_of(store, id).await?;
    if !can_read(staff, placement) {
        return Err(AppError::NotFound);
    }
    let (staying_put, staying_close) = store.arrangements_of(id).await?;
    let payments = store.payments_of(id).await?;
    let list: Vec<(Entitlement, Pence, PaymentStatus)> =
        payments.iter().map(|p| (p.entitlement, p.amount, p.status)).collect();
    Ok(MoneyView {
        staying_put,
        staying_close,
        staying_close_statutory: rules.staying_close_is_statutory_on(clock.today()),
        totals: totals(&list, rules),
        may_decide: placement.is_some_and(|p| manages(staff, p.team_id)),
        payments,
    })
}
