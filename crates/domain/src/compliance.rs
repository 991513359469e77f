//! Statutory compliance: for one young person, as at a date, what is due, when,
//! and whether it is overdue. One place for every timescale, each a setting in
//! [`ComplianceRules`] with its source, because several are practice rather than law.

use crate::dates::{LeapDayBirthday, add_days, add_months, birthday, gov_uk, ordinal};
use crate::legal::LegalCategory;
use crate::people::KeyDocumentKind;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// How often a personal adviser must visit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum VisitInterval {
    Weeks(i64),
    Months(i32),
}

impl VisitInterval {
    fn after(self, date: Date) -> Date {
        match self {
            VisitInterval::Weeks(weeks) => add_days(date, weeks * 7),
            VisitInterval::Months(months) => add_months(date, months),
        }
    }

    fn describe(self) -> String {
        match self {
            VisitInterval::Weeks(weeks) => format!("{weeks} weeks"),
            VisitInterval::Months(months) => format!("{months} months"),
        }
    }
}

/// The timescales compliance is judged against. Defaults follow the regulations
/// where the text is known and the seeds' council practice where it is stricter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComplianceRules {
    /// Needs assessment within this many months of the 16th birthday or of becoming
    /// eligible, if later (CPPCR 2010 Part 7, reg 42 as summarised; CLR 2010 reg 5
    /// for a relevant child not yet assessed). Regulation numbers unverified.
    pub needs_assessment_months: i32,
    /// The first pathway plan "as soon as possible" after the assessment (CLR 2010
    /// reg 6): this many days is the council's working definition.
    pub first_plan_days_after_assessment: i64,
    /// Pathway plan review at least every 6 months (CLR 2010 reg 7).
    pub plan_review_months: i32,
    /// A change of accommodation calls for a plan review within this many days
    /// (practice; the regulations say only "whenever" circumstances change).
    pub plan_review_days_after_move: Option<i64>,
    /// First visit within 7 days of new accommodation (CLR 2010 reg 8(2)).
    pub first_visit_days_after_move: i64,
    /// The statute says council-provided accommodation only; councils visit after
    /// every move, so the default is `false` (every move counts).
    pub first_visit_only_when_council_arranged: bool,
    /// Visits at intervals of not more than two months (CLR 2010 reg 8(2)); the
    /// seeds' councils work to 8 weeks, which is stricter, so that is the default.
    pub visit_interval: VisitInterval,
    /// Who the visiting rule applies to: relevant and former relevant children by
    /// statute; eligible children are visited by their social worker (CPPCR reg 28).
    pub visit_categories: Vec<LegalCategory>,
    /// The SSDA903 OC3 in-touch window around each birthday: from this many months
    /// before to this many after (unverified in current DfE guidance: a setting).
    pub in_touch_months_before: i32,
    pub in_touch_months_after: i32,
    /// The birthdays the OC3 asks about.
    pub in_touch_first_age: i16,
    pub in_touch_last_age: i16,
    /// A missed in-touch window stays on the list this long, so it is followed up.
    pub in_touch_missed_shown_days: i64,
    /// Key documents are chased from 17½ (months after the 17th birthday).
    pub key_documents_months_after_17: i32,
    pub key_documents: Vec<KeyDocumentKind>,
    pub leap_day_birthday: LeapDayBirthday,
}

impl Default for ComplianceRules {
    fn default() -> Self {
        ComplianceRules {
            needs_assessment_months: 3,
            first_plan_days_after_assessment: 28,
            plan_review_months: 6,
            plan_review_days_after_move: Some(28),
            first_visit_days_after_move: 7,
            first_visit_only_when_council_arranged: false,
            visit_interval: VisitInterval::Weeks(8),
            visit_categories: vec![LegalCategory::Relevant, LegalCategory::FormerRelevant],
            in_touch_months_before: 3,
            in_touch_months_after: 1,
            in_touch_first_age: 17,
            in_touch_last_age: 21,
            in_touch_missed_shown_days: 90,
            key_documents_months_after_17: 6,
            key_documents: vec![
                KeyDocumentKind::NationalInsuranceNumber,
                KeyDocumentKind::BirthCertificate,
                KeyDocumentKind::BankAccount,
            ],
            leap_day_birthday: LeapDayBirthday::default(),
        }
    }
}

/// What the rules read about one young person. Each list holds dates of things
/// done, in any order.
#[derive(Debug, Clone, Copy)]
pub struct ComplianceFacts<'a> {
    pub date_of_birth: Date,
    pub category: LegalCategory,
    /// From [`crate::legal::eligible_since`].
    pub eligible_since: Option<Date>,
    /// Dates needs assessments were completed.
    pub needs_assessments: &'a [Date],
    /// Dates pathway plans (first or review) became active.
    pub plans: &'a [Date],
    /// Dates of statutory visits.
    pub visits: &'a [Date],
    /// The day the young person stopped being looked after: visits are due from
    /// then, as from a move into new accommodation.
    pub left_care_on: Option<Date>,
    /// Dates contact was made (failed attempts excluded), for the in-touch window.
    pub contacts: &'a [Date],
    /// Days the young person moved into new accommodation, and whether the council
    /// arranged it.
    pub moves: &'a [(Date, bool)],
    pub key_documents_held: &'a [KeyDocumentKind],
}

/// What is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum DueKind {
    NeedsAssessment,
    FirstPathwayPlan,
    PathwayPlanReview,
    PersonalAdviserVisit,
    InTouch { age: i16 },
    KeyDocument { document: KeyDocumentKind },
}

impl DueKind {
    /// The measure this counts towards on the compliance page.
    pub fn measure(self) -> Measure {
        match self {
            DueKind::NeedsAssessment => Measure::NeedsAssessment,
            DueKind::FirstPathwayPlan | DueKind::PathwayPlanReview => Measure::PathwayPlan,
            DueKind::PersonalAdviserVisit => Measure::Visits,
            DueKind::InTouch { .. } => Measure::InTouch,
            DueKind::KeyDocument { .. } => Measure::KeyDocuments,
        }
    }

    pub fn label(self) -> String {
        match self {
            DueKind::NeedsAssessment => "Needs assessment".to_owned(),
            DueKind::FirstPathwayPlan => "First pathway plan".to_owned(),
            DueKind::PathwayPlanReview => "Pathway plan review".to_owned(),
            DueKind::PersonalAdviserVisit => "Personal adviser visit".to_owned(),
            DueKind::InTouch { age } => format!("In touch around {} birthday", ordinal(age)),
            DueKind::KeyDocument { document } => document.label().to_owned(),
        }
    }
}

/// The headings compliance is reported under.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    NeedsAssessment,
    PathwayPlan,
    Visits,
    InTouch,
    KeyDocuments,
}

impl Measure {
    pub const ALL: &'static [Measure] = &[
        Measure::NeedsAssessment,
        Measure::PathwayPlan,
        Measure::Visits,
        Measure::InTouch,
        Measure::KeyDocuments,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Measure::NeedsAssessment => "Needs assessment on time",
            Measure::PathwayPlan => "Pathway plan in place and reviewed",
            Measure::Visits => "Visits within timescale",
            Measure::InTouch => "In touch around birthdays",
            Measure::KeyDocuments => "Key documents by 17½",
        }
    }
}

/// Where a due item stands on the as-at date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DueStatus {
    Overdue,
    DueWithin7Days,
    DueWithin30Days,
    Later,
    Done,
}

impl DueStatus {
    fn of(due_on: Date, as_at: Date) -> Self {
        if due_on < as_at {
            DueStatus::Overdue
        } else if due_on <= add_days(as_at, 7) {
            DueStatus::DueWithin7Days
        } else if due_on <= add_days(as_at, 30) {
            DueStatus::DueWithin30Days
        } else {
            DueStatus::Later
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            DueStatus::Overdue => "Overdue",
            DueStatus::DueWithin7Days => "Due within 7 days",
            DueStatus::DueWithin30Days => "Due within 30 days",
            DueStatus::Later => "Due later",
            DueStatus::Done => "Done",
        }
    }

    pub fn is_open(self) -> bool {
        self != DueStatus::Done
    }
}

/// One thing due for one young person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DueItem {
    #[serde(flatten)]
    pub kind: DueKind,
    /// The last day it is in time.
    pub due_on: Date,
    pub status: DueStatus,
    /// Why it is due, in words a PA can check against the record.
    pub reason: String,
}

/// Everything due for one young person as at `as_at`, soonest first, done items last.
pub fn due_items(facts: &ComplianceFacts, as_at: Date, rules: &ComplianceRules) -> Vec<DueItem> {
    use LegalCategory::*;
    let mut items = Vec::new();
    let owed_plan = matches!(facts.category, Eligible | Relevant | FormerRelevant);
    if owed_plan {
        items.extend(needs_assessment(facts, as_at, rules));
        items.extend(pathway_plan(facts, as_at, rules));
    } else if facts.category == FormerRelevant21To25 && !facts.plans.is_empty() {
        // From 21 a plan exists only on request (CA89 s23CZB); once made, it is reviewed.
        items.extend(pathway_plan(facts, as_at, rules));
    }
    if rules.visit_categories.contains(&facts.category) {
        items.push(visit(facts, as_at, rules));
    }
    if matches!(facts.category, Relevant | FormerRelevant | FormerRelevant21To25) {
        items.extend(in_touch(facts, as_at, rules));
    }
    if matches!(
        facts.category,
        Eligible | Relevant | FormerRelevant | FormerRelevant21To25
    ) {
        items.extend(key_documents(facts, as_at, rules));
    }
    items.sort_by_key(|i| (i.status == DueStatus::Done, i.due_on, i.kind));
    items
}

/// The first item still to do, if any.
pub fn next_due(items: &[DueItem]) -> Option<&DueItem> {
    items.iter().find(|i| i.status.is_open())
}

fn item(kind: DueKind, due_on: Date, done: bool, as_at: Date, reason: String) -> DueItem {
    let status = if done {
        DueStatus::Done
    } else {
        DueStatus::of(due_on, as_at)
    };
    DueItem {
        kind,
        due_on,
        status,
        reason,
    }
}

fn latest(dates: &[Date], on_or_before: Date) -> Option<Date> {
    dates.iter().copied().filter(|d| *d <= on_or_before).max()
}

fn needs_assessment(facts: &ComplianceFacts, as_at: Date, rules: &ComplianceRules) -> Option<DueItem> {
    let sixteen = birthday(facts.date_of_birth, 16, rules.leap_day_birthday);
    if as_at < sixteen {
        return None;
    }
    let from = facts.eligible_since.map_or(sixteen, |e| e.max(sixteen));
    let due_on = add_months(from, rules.needs_assessment_months);
    let done = latest(facts.needs_assessments, as_at);
    let start = if from == sixteen {
        "the 16th birthday".to_owned()
    } else {
        format!("becoming eligible on {}", gov_uk(from))
    };
    let reason = match done {
        Some(on) => format!("Completed on {}.", gov_uk(on)),
        None => format!(
            "Due within {} months of {start} (CPPCR 2010 reg 42; CLR 2010 reg 5).",
            rules.needs_assessment_months
        ),
    };
    Some(item(DueKind::NeedsAssessment, due_on, done.is_some(), as_at, reason))
}

fn pathway_plan(facts: &ComplianceFacts, as_at: Date, rules: &ComplianceRules) -> Option<DueItem> {
    let Some(last_plan) = latest(facts.plans, as_at) else {
        let assessed = latest(facts.needs_assessments, as_at);
        let sixteen = birthday(facts.date_of_birth, 16, rules.leap_day_birthday);
        if as_at < sixteen {
            return None;
        }
        let from = match assessed {
            Some(on) => on,
            None => add_months(
                facts.eligible_since.map_or(sixteen, |e| e.max(sixteen)),
                rules.needs_assessment_months,
            ),
        };
        let due_on = add_days(from, rules.first_plan_days_after_assessment);
        let reason = format!(
            "No pathway plan yet: due {} days after the needs assessment (CLR 2010 reg 6).",
            rules.first_plan_days_after_assessment
        );
        return Some(item(DueKind::FirstPathwayPlan, due_on, false, as_at, reason));
    };
    let by_interval = add_months(last_plan, rules.plan_review_months);
    let moved_since = facts
        .moves
        .iter()
        .map(|(on, _)| *on)
        .filter(|on| *on > last_plan && *on <= as_at)
        .max();
    let after_move = rules
        .plan_review_days_after_move
        .zip(moved_since)
        .map(|(days, on)| (add_days(on, days), on));
    let (due_on, reason) = match after_move {
        Some((due, moved)) if due < by_interval => (
            due,
            format!(
                "Moved on {} since the plan of {}: review the plan after a change of accommodation.",
                gov_uk(moved),
                gov_uk(last_plan)
            ),
        ),
        _ => (
            by_interval,
            format!(
                "Last plan {}: reviewed at least every {} months (CLR 2010 reg 7).",
                gov_uk(last_plan),
                rules.plan_review_months
            ),
        ),
    };
    Some(item(DueKind::PathwayPlanReview, due_on, false, as_at, reason))
}

fn visit(facts: &ComplianceFacts, as_at: Date, rules: &ComplianceRules) -> DueItem {
    let last_visit = latest(facts.visits, as_at);
    let left_care = facts.left_care_on.map(|on| (on, true));
    let move_needing_visit = facts
        .moves
        .iter()
        .copied()
        .chain(left_care)
        .filter(|(on, by_council)| *on <= as_at && (*by_council || !rules.first_visit_only_when_council_arranged))
        .map(|(on, _)| on)
        .max()
        .filter(|moved| last_visit.is_none_or(|v| v < *moved)); // a visit on moving day counts
    let (due_on, reason) = match (move_needing_visit, last_visit) {
        (Some(moved), last) => {
            let by_move = add_days(moved, rules.first_visit_days_after_move);
            // The interval keeps running: a move never puts the next visit later.
            let by_interval = last.map(|v| rules.visit_interval.after(v));
            let due = by_interval.map_or(by_move, |i| i.min(by_move));
            let what = if facts.left_care_on == Some(moved) {
                "Left care"
            } else {
                "Moved into new accommodation"
            };
            (
                due,
                format!(
                    "{what} on {}: visit within {} days (CLR 2010 reg 8(2)).",
                    gov_uk(moved),
                    rules.first_visit_days_after_move
                ),
            )
        }
        (None, Some(last)) => (
            rules.visit_interval.after(last),
            format!(
                "Last visit {}: visits at least every {}.",
                gov_uk(last),
                rules.visit_interval.describe()
            ),
        ),
        (None, None) => (as_at, "No statutory visit recorded.".to_owned()),
    };
    item(DueKind::PersonalAdviserVisit, due_on, false, as_at, reason)
}

fn in_touch(facts: &ComplianceFacts, as_at: Date, rules: &ComplianceRules) -> Vec<DueItem> {
    (rules.in_touch_first_age..=rules.in_touch_last_age)
        .filter_map(|age| {
            let day = birthday(facts.date_of_birth, age, rules.leap_day_birthday);
            let opens = add_months(day, -rules.in_touch_months_before);
            let closes = add_months(day, rules.in_touch_months_after);
            let shown_from = add_days(opens, -30);
            let shown_until = add_days(closes, rules.in_touch_missed_shown_days);
            if as_at < shown_from || as_at > shown_until {
                return None;
            }
            let contact = facts
                .contacts
                .iter()
                .copied()
                .filter(|c| *c >= opens && *c <= closes && *c <= as_at)
                .max();
            let reason = match contact {
                Some(on) => format!("In touch on {}.", gov_uk(on)),
                None => format!(
                    "The SSDA903 asks whether we were in touch between {} and {}.",
                    gov_uk(opens),
                    gov_uk(closes)
                ),
            };
            Some(item(DueKind::InTouch { age }, closes, contact.is_some(), as_at, reason))
        })
        .collect()
}

fn key_documents(facts: &ComplianceFacts, as_at: Date, rules: &ComplianceRules) -> Vec<DueItem> {
    let seventeen = birthday(facts.date_of_birth, 17, rules.leap_day_birthday);
    let due_on = add_months(seventeen, rules.key_documents_months_after_17);
    rules
        .key_documents
        .iter()
        .map(|&document| {
            let held = facts.key_documents_held.contains(&document);
            let reason = if held {
                "Held.".to_owned()
            } else {
                format!("Not recorded as held; needed by 17½ ({}).", gov_uk(due_on))
            };
            item(DueKind::KeyDocument { document }, due_on, held, as_at, reason)
        })
        .collect()
}

#[cfg(test)]
mod tests;
