//! Pathway plans: their content in the statutory dimensions, and the lifecycle a
//! plan goes through from draft to active (CLR 2010 regs 6–7, Sch 1).

use crate::people::simple_enum;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

simple_enum!(
    /// The matters a pathway plan must deal with (CLR 2010 Sch 1), plus the
    /// contingency plan statutory guidance asks for.
    PlanDimension {
        Health => "health", "Health and development";
        Education => "education", "Education, training and employment";
        Accommodation => "accommodation", "Accommodation";
        Finance => "finance", "Financial support and managing money";
        Relationships => "relationships", "Relationships with family and friends";
        PracticalSkills => "practical_skills", "Practical and independent-living skills";
        Identity => "identity", "Identity";
        EmotionalWellbeing => "emotional_wellbeing", "Emotional and behavioural development";
        Contingency => "contingency", "Contingency plan";
    }
);

simple_enum!(
    /// How an action is going.
    ActionStatus {
        NotStarted => "not_started", "Not started";
        InProgress => "in_progress", "In progress";
        Done => "done", "Done";
        NoLongerNeeded => "no_longer_needed", "No longer needed";
    }
);

impl PlanDimension {
    /// The matters a needs assessment covers: every plan dimension but the
    /// contingency plan, which is written from the assessment (CLR 2010 reg 5(5), Sch 1).
    pub const ASSESSED: &'static [PlanDimension] = &[
        PlanDimension::Health,
        PlanDimension::Education,
        PlanDimension::Accommodation,
        PlanDimension::Finance,
        PlanDimension::Relationships,
        PlanDimension::PracticalSkills,
        PlanDimension::Identity,
        PlanDimension::EmotionalWellbeing,
    ];
}

/// What a needs assessment found, dimension by dimension.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssessedNeeds(pub BTreeMap<PlanDimension, String>);

impl AssessedNeeds {
    /// The needs found in `dimension`; empty when not written.
    pub fn of(&self, dimension: PlanDimension) -> &str {
        self.0.get(&dimension).map_or("", String::as_str)
    }

    /// Dimensions the assessment has not dealt with. Each must be assessed, even if
    /// only to say there are no needs (CLR 2010 reg 5(5)).
    pub fn missing(&self) -> Vec<PlanDimension> {
        PlanDimension::ASSESSED
            .iter()
            .copied()
            .filter(|d| self.of(*d).trim().is_empty())
            .collect()
    }

    /// The first pathway plan, its needs taken from the assessment so the PA and
    /// the young person start from what was found (CLR 2010 reg 6: the plan is
    /// prepared on the basis of the assessment).
    pub fn first_plan(&self) -> PlanContent {
        let mut plan = PlanContent::default();
        for section in &mut plan.sections {
            section.needs = self.of(section.dimension).trim().to_owned();
        }
        plan
    }
}

/// One SMART action: what, who, by when, and how it is going.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanAction {
    pub action: String,
    pub owner: String,
    pub due_on: Option<Date>,
    pub status: ActionStatus,
}

/// One dimension of the plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanSection {
    pub dimension: PlanDimension,
    /// The young person's own words, as they said them.
    pub own_words: String,
    pub needs: String,
    pub actions: Vec<PlanAction>,
}

impl PlanSection {
    pub fn empty(dimension: PlanDimension) -> Self {
        PlanSection {
            dimension,
            own_words: String::new(),
            needs: String::new(),
            actions: Vec::new(),
        }
    }

    pub fn is_started(&self) -> bool {
        !self.own_words.trim().is_empty() || !self.needs.trim().is_empty() || !self.actions.is_empty()
    }
}

/// What a plan says: one section per dimension, in the order of [`PlanDimension::ALL`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanContent {
    pub sections: Vec<PlanSection>,
}

impl Default for PlanContent {
    fn default() -> Self {
        PlanContent {
            sections: PlanDimension::ALL.iter().map(|d| PlanSection::empty(*d)).collect(),
        }
    }
}

impl PlanContent {
    /// The section for a dimension (every dimension has one, even if stored content
    /// lacks it).
    pub fn section(&self, dimension: PlanDimension) -> PlanSection {
        self.sections
            .iter()
            .find(|s| s.dimension == dimension)
            .cloned()
            .unwrap_or_else(|| PlanSection::empty(dimension))
    }

    /// Replaces one section, keeping the dimensions in order.
    pub fn with_section(&self, section: PlanSection) -> PlanContent {
        PlanContent {
            sections: PlanDimension::ALL
                .iter()
                .map(|d| {
                    if *d == section.dimension {
                        section.clone()
                    } else {
                        self.section(*d)
                    }
                })
                .collect(),
        }
    }

    /// What stops the plan being submitted, per dimension: every dimension needs the
    /// young person's needs set out, and every action an owner and a date (SMART).
    pub fn problems(&self) -> Vec<(PlanDimension, String)> {
        let mut problems = Vec::new();
        for &d in PlanDimension::ALL {
            let s = self.section(d);
            if s.needs.trim().is_empty() {
                problems.push((d, format!("{}: set out the needs, or say there are none", d.label())));
            }
            for (n, a) in s.actions.iter().enumerate() {
                if a.owner.trim().is_empty() || a.due_on.is_none() {
                    problems.push((
                        d,
                        format!("{}: action {} needs who will do it and by when", d.label(), n + 1),
                    ));
                }
            }
        }
        problems
    }
}

simple_enum!(
    /// Where a plan version is in its lifecycle.
    PlanStatus {
        Draft => "draft", "Draft";
        Submitted => "submitted", "Waiting for sign-off";
        Returned => "returned", "Returned for changes";
        SignedOff => "signed_off", "Signed off: waiting for the young person's agreement";
        Active => "active", "Active";
        Superseded => "superseded", "Replaced by a later version";
    }
);

impl PlanStatus {
    /// Content can change only before it goes to the manager, or after it comes back.
    pub fn is_editable(self) -> bool {
        matches!(self, PlanStatus::Draft | PlanStatus::Returned)
    }

    /// Still being worked on: at most one such version per young person.
    pub fn is_open(self) -> bool {
        !matches!(self, PlanStatus::Active | PlanStatus::Superseded)
    }
}

simple_enum!(
    /// How the young person's agreement was given.
    AgreementMethod {
        InPerson => "in_person", "Signed in person";
        Phone => "phone", "Agreed by phone";
        Video => "video", "Agreed by video call";
        InWriting => "in_writing", "Agreed in writing (email, text or letter)";
    }
);

/// What happens to a plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlanEvent {
    Submit,
    SignOff,
    Return,
    RecordAgreement,
}

/// Why a step cannot be taken.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanStepError {
    #[error("A plan that is {0} cannot be {1}")]
    WrongStatus(&'static str, &'static str),
}

impl PlanEvent {
    fn done(self) -> &'static str {
        match self {
            PlanEvent::Submit => "submitted",
            PlanEvent::SignOff => "signed off",
            PlanEvent::Return => "returned",
            PlanEvent::RecordAgreement => "agreed",
        }
    }
}

/// The status after `event`: draft → submitted → signed off (or returned, then
/// submitted again) → agreed by the young person, which makes it active.
pub fn next_status(current: PlanStatus, event: PlanEvent) -> Result<PlanStatus, PlanStepError> {
    use PlanStatus::*;
    match (current, event) {
        (Draft | Returned, PlanEvent::Submit) => Ok(Submitted),
        (Submitted, PlanEvent::SignOff) => Ok(SignedOff),
        (Submitted, PlanEvent::Return) => Ok(Returned),
        (SignedOff, PlanEvent::RecordAgreement) => Ok(Active),
        _ => Err(PlanStepError::WrongStatus(status_words(current), event.done())),
    }
}

fn status_words(status: PlanStatus) -> &'static str {
    match status {
        PlanStatus::Draft => "a draft",
        PlanStatus::Submitted => "waiting for sign-off",
        PlanStatus::Returned => "returned for changes",
        PlanStatus::SignedOff => "signed off",
        PlanStatus::Active => "active",
        PlanStatus::Superseded => "replaced",
    }
}

/// How one section differs between two versions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectionChange {
    pub dimension: PlanDimension,
    pub before: PlanSection,
    pub after: PlanSection,
    pub own_words_changed: bool,
    pub needs_changed: bool,
    pub actions_added: usize,
    pub actions_removed: usize,
    /// Actions present in both whose owner, date or status changed.
    pub actions_changed: usize,
}

/// The sections that differ between an earlier and a later version.
pub fn compare(before: &PlanContent, after: &PlanContent) -> Vec<SectionChange> {
    PlanDimension::ALL
        .iter()
        .filter_map(|&d| {
            let (b, a) = (before.section(d), after.section(d));
            if a == b {
                return None;
            }
            let same_action = |x: &PlanAction, y: &PlanAction| x.action.trim() == y.action.trim();
            let added = a
                .actions
                .iter()
                .filter(|x| !b.actions.iter().any(|y| same_action(x, y)))
                .count();
            let removed = b
                .actions
                .iter()
                .filter(|y| !a.actions.iter().any(|x| same_action(x, y)))
                .count();
            let changed = a
                .actions
                .iter()
                .filter(|x| b.actions.iter().any(|y| same_action(x, y) && *x != y))
                .count();
            Some(SectionChange {
                dimension: d,
                own_words_changed: a.own_words.trim() != b.own_words.trim(),
                needs_changed: a.needs.trim() != b.needs.trim(),
                actions_added: added,
                actions_removed: removed,
                actions_changed: changed,
                before: b,
                after: a,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_needs_assessment_deals_with_every_dimension_and_seeds_the_first_plan() {
        let mut needs = AssessedNeeds::default();
        assert_eq!(needs.missing(), PlanDimension::ASSESSED);
        for &d in PlanDimension::ASSESSED {
            needs.0.insert(d, format!("  needs for {} ", d.code()));
        }
        needs.0.insert(PlanDimension::Identity, "   ".into());
        assert_eq!(needs.missing(), [PlanDimension::Identity]);
        let plan = needs.first_plan();
        assert_eq!(plan.section(PlanDimension::Health).needs, "needs for health");
        assert_eq!(plan.section(PlanDimension::Identity).needs, "");
        assert_eq!(
            plan.section(PlanDimension::Contingency).needs,
            "",
            "the contingency plan is written later"
        );
        assert!(!PlanDimension::ASSESSED.contains(&PlanDimension::Contingency));
        let json = serde_json::to_string(&needs).unwrap();
        assert!(json.contains("\"practical_skills\""), "{json}");
        assert_eq!(serde_json::from_str::<AssessedNeeds>(&json).unwrap(), needs);
    }
    use jiff::civil::date;

    #[test]
    fn a_plan_moves_from_draft_to_active_only_in_order() {
        use PlanEvent::*;
        use PlanStatus::*;
        let allowed = [
            (Draft, Submit, Submitted),
            (Returned, Submit, Submitted),
            (Submitted, SignOff, SignedOff),
            (Submitted, Return, Returned),
            (SignedOff, RecordAgreement, Active),
        ];
        for &status in PlanStatus::ALL {
            for event in [Submit, SignOff, Return, RecordAgreement] {
                let expected = allowed
                    .iter()
                    .find(|(s, e, _)| *s == status && *e == event)
                    .map(|(_, _, to)| *to);
                assert_eq!(next_status(status, event).ok(), expected, "{status:?} + {event:?}");
            }
        }
        assert_eq!(
            next_status(Active, Submit).unwrap_err().to_string(),
            "A plan that is active cannot be submitted"
        );
        assert!(Draft.is_editable() && Returned.is_editable() && !Submitted.is_editable());
        assert!(SignedOff.is_open() && !Active.is_open());
    }

    fn action(what: &str, owner: &str, due_on: Option<Date>) -> PlanAction {
        PlanAction {
            action: what.into(),
            owner: owner.into(),
            due_on,
            status: ActionStatus::NotStarted,
        }
    }

    #[test]
    fn a_plan_is_ready_when_every_dimension_has_needs_and_every_action_is_smart() {
        let empty = PlanContent::default();
        assert_eq!(empty.problems().len(), PlanDimension::ALL.len());
        let mut ready = PlanContent::default();
        for &d in PlanDimension::ALL {
            let mut s = ready.section(d);
            s.needs = "None at the moment.".into();
            ready = ready.with_section(s);
        }
        assert!(ready.problems().is_empty());
        let mut health = ready.section(PlanDimension::Health);
        health
            .actions
            .push(action("Register with a GP", "", Some(date(2026, 12, 1))));
        let not_smart = ready.with_section(health);
        assert_eq!(
            not_smart.problems(),
            vec![(
                PlanDimension::Health,
                "Health and development: action 1 needs who will do it and by when".to_owned()
            )]
        );
        assert_eq!(not_smart.sections.len(), PlanDimension::ALL.len());
        assert_eq!(not_smart.sections[0].dimension, PlanDimension::Health);
    }

    #[test]
    fn comparing_versions_names_what_changed_in_each_section() {
        let mut before = PlanContent::default();
        let mut housing = before.section(PlanDimension::Accommodation);
        housing.needs = "Needs a flat near college.".into();
        housing.actions = vec![
            action("Apply for housing", "PA", Some(date(2026, 6, 1))),
            action("Visit the foyer", "Young person", Some(date(2026, 5, 1))),
        ];
        before = before.with_section(housing.clone());
        let mut later = housing.clone();
        later.actions[0].status = ActionStatus::Done;
        later.actions.remove(1);
        later
            .actions
            .push(action("Set up direct debits", "PA", Some(date(2026, 9, 1))));
        later.own_words = "I want my own place.".into();
        let after = before.with_section(later);
        let changes = compare(&before, &after);
        assert_eq!(changes.len(), 1);
        let c = &changes[0];
        assert_eq!(c.dimension, PlanDimension::Accommodation);
        assert!(c.own_words_changed && !c.needs_changed);
        assert_eq!((c.actions_added, c.actions_removed, c.actions_changed), (1, 1, 1));
        assert!(compare(&after, &after).is_empty());
    }
}
