//! Where a young person lives and what they are doing: accommodation and activity
//! (education, employment or training) histories, in the SSDA903 OC3 codes and the
//! finer breakdown councils report.

use crate::dates::add_months;
use crate::people::simple_enum;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

simple_enum!(
    /// Type of accommodation, as the OC3 `ACCOM` letter (DfE SSDA903 guide).
    AccommodationType {
        ParentsOrRelatives => "B", "With parents or relatives";
        ResidentialCare => "C", "Community home or other residential care";
        SemiIndependent => "D", "Semi-independent or transitional accommodation";
        SupportedLodgings => "E", "Supported lodgings";
        GoneAbroad => "G", "Gone abroad";
        Deported => "H", "Deported";
        OrdinaryLodgings => "K", "Ordinary lodgings without formal support";
        NotKnown => "R", "Residence not known";
        NoFixedAbode => "S", "No fixed abode or homeless";
        Foyer => "T", "Foyer or similar supported accommodation with training";
        IndependentLiving => "U", "Independent living (own or shared tenancy, student accommodation)";
        Emergency => "V", "Emergency accommodation (night shelter, direct access hostel)";
        BedAndBreakfast => "W", "Bed and breakfast";
        Custody => "X", "In custody";
        Other => "Y", "Other accommodation";
        StayingPut => "Z", "With former foster carers (Staying Put)";
    }
);

impl AccommodationType {
    /// The DfE treats homelessness and custody as never suitable: only `S2` and `X2`
    /// are valid OC3 codes (SSDA903 validator rule 133).
    pub fn can_be_suitable(self) -> bool {
        !matches!(self, AccommodationType::NoFixedAbode | AccommodationType::Custody)
    }
}

/// One stay in one place. `end` is the day the young person moved out (the next
/// stay starts that day), as SSDA903 episode end dates work; open while `None`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccommodationStay {
    pub start: Date,
    pub end: Option<Date>,
    pub kind: AccommodationType,
    /// Suitable in the light of the young person's needs (CLR 2010 reg 9, Sch 2).
    pub suitable: bool,
    /// Provided or arranged by the council (CA89 s23B/s24B): the trigger for the
    /// 7-day visit in CLR 2010 reg 8(2).
    pub arranged_by_council: bool,
    pub address: Option<String>,
}

impl AccommodationStay {
    /// The OC3 `ACCOM` code: the letter and 1 (suitable) or 2 (not suitable).
    pub fn oc3_code(&self) -> String {
        let suffix = if self.suitable && self.kind.can_be_suitable() {
            '1'
        } else {
            '2'
        };
        format!("{}{suffix}", self.kind.code())
    }
}

simple_enum!(
    /// What a young person is doing, in the breakdown councils report to their
    /// boards (seeds: Lancashire Year 12 tracking, Cambridgeshire NEET analysis).
    Activity {
        CollegeFe => "college_fe", "College or further education";
        SixthForm => "sixth_form", "School or sixth form";
        University => "university", "University or other higher education";
        Apprenticeship => "apprenticeship", "Apprenticeship";
        Training => "training", "Traineeship or training provider";
        EmploymentWithTraining => "employment_with_training", "Employment with training";
        EmploymentWithoutTraining => "employment_without_training", "Employment without training";
        WorkPlacement => "work_placement", "Work placement";
        NeetNotReady => "neet_not_ready", "NEET: not yet ready";
        NeetIllnessOrDisability => "neet_illness_or_disability", "NEET: illness or disability";
        NeetPregnancyOrParenting => "neet_pregnancy_or_parenting", "NEET: pregnancy or parenting";
        NeetCustody => "neet_custody", "NEET: in custody";
        NeetOther => "neet_other", "NEET: other reason";
        NotAvailable => "not_available", "Not available for education, employment or training";
    }
);

simple_enum!(
    /// The OC3 `ACTIV` code (SSDA903 validator rule 132).
    Oc3Activity {
        HigherEducationFullTime => "F1", "Full-time higher education";
        HigherEducationPartTime => "P1", "Part-time higher education";
        OtherEducationFullTime => "F2", "Full-time education other than higher education";
        OtherEducationPartTime => "P2", "Part-time education other than higher education";
        ApprenticeshipFullTime => "F4", "Full-time apprenticeship";
        ApprenticeshipPartTime => "P4", "Part-time apprenticeship";
        TrainingOrEmploymentFullTime => "F5", "Full-time training or employment";
        TrainingOrEmploymentPartTime => "P5", "Part-time training or employment";
        NeetIllnessOrDisability => "G4", "NEET because of illness or disability";
        NeetOther => "G5", "NEET: other circumstances";
        NeetPregnancyOrParenting => "G6", "NEET because of pregnancy or parenting";
    }
);

impl Oc3Activity {
    /// In education, employment or training, as the DfE's EET measure counts it.
    pub fn is_eet(self) -> bool {
        !matches!(
            self,
            Oc3Activity::NeetIllnessOrDisability | Oc3Activity::NeetOther | Oc3Activity::NeetPregnancyOrParenting
        )
    }
}

impl Activity {
    /// Education, employment or training (as opposed to NEET or not available).
    pub fn is_eet(self) -> bool {
        !self.is_neet() && self != Activity::NotAvailable
    }

    pub fn is_neet(self) -> bool {
        matches!(
            self,
            Activity::NeetNotReady
                | Activity::NeetIllnessOrDisability
                | Activity::NeetPregnancyOrParenting
                | Activity::NeetCustody
                | Activity::NeetOther
        )
    }

    /// The OC3 code this activity is returned as. Custody, "not yet ready" and
    /// "not available" have no code of their own in the 903 and go to G5 ("other
    /// circumstances"); councils that map differently change it here.
    pub fn oc3(self, full_time: bool) -> Oc3Activity {
        use Oc3Activity as O;
        let (full, part) = match self {
            Activity::University => (O::HigherEducationFullTime, O::HigherEducationPartTime),
            Activity::CollegeFe | Activity::SixthForm => (O::OtherEducationFullTime, O::OtherEducationPartTime),
            Activity::Apprenticeship => (O::ApprenticeshipFullTime, O::ApprenticeshipPartTime),
            Activity::Training
            | Activity::EmploymentWithTraining
            | Activity::EmploymentWithoutTraining
            | Activity::WorkPlacement => (O::TrainingOrEmploymentFullTime, O::TrainingOrEmploymentPartTime),
            Activity::NeetIllnessOrDisability => return O::NeetIllnessOrDisability,
            Activity::NeetPregnancyOrParenting => return O::NeetPregnancyOrParenting,
            Activity::NeetNotReady | Activity::NeetCustody | Activity::NeetOther | Activity::NotAvailable => {
                return O::NeetOther;
            }
        };
        if full_time { full } else { part }
    }
}

/// One spell of one activity; `end` is exclusive, as for accommodation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivitySpell {
    pub start: Date,
    pub end: Option<Date>,
    pub activity: Activity,
    /// Full-time (16 hours a week or more) rather than part-time; ignored for NEET.
    pub full_time: bool,
    /// College, employer or provider; or the reason when not available.
    pub detail: Option<String>,
}

impl ActivitySpell {
    pub fn oc3(&self) -> Oc3Activity {
        self.activity.oc3(self.full_time)
    }
}

/// Something with a start and an (exclusive) end, so histories share their rules.
pub trait Spell {
    fn start(&self) -> Date;
    fn end(&self) -> Option<Date>;

    /// Whether this covers `date`.
    fn covers(&self, date: Date) -> bool {
        self.start() <= date && self.end().is_none_or(|end| end > date)
    }
}

impl Spell for AccommodationStay {
    fn start(&self) -> Date {
        self.start
    }
    fn end(&self) -> Option<Date> {
        self.end
    }
}

impl Spell for ActivitySpell {
    fn start(&self) -> Date {
        self.start
    }
    fn end(&self) -> Option<Date> {
        self.end
    }
}

/// The spell covering `date`, if any (the latest-starting, should data overlap).
pub fn current_on<S: Spell>(history: &[S], date: Date) -> Option<&S> {
    history.iter().filter(|s| s.covers(date)).max_by_key(|s| s.start())
}

/// Why a new spell cannot be added to a history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SpellProblem {
    EndsBeforeStart,
    /// It overlaps a closed spell that started on this date.
    Overlaps(Date),
    /// It starts on or before the start of the open (current) spell.
    StartsBeforeCurrent(Date),
}

/// Checks a new spell against a history. An open spell that started earlier is
/// not an overlap: recording a move ends the current stay on the day of the move.
pub fn check_new_spell<S: Spell>(history: &[S], start: Date, end: Option<Date>) -> Result<(), SpellProblem> {
    if end.is_some_and(|end| end <= start) {
        return Err(SpellProblem::EndsBeforeStart);
    }
    for s in history {
        match (s.end(), end) {
            (None, None) if start <= s.start() => return Err(SpellProblem::StartsBeforeCurrent(s.start())),
            (None, Some(end)) if end > s.start() => return Err(SpellProblem::Overlaps(s.start())),
            (None, _) => {}
            (Some(s_end), _) if start < s_end && end.is_none_or(|end| end > s.start()) => {
                return Err(SpellProblem::Overlaps(s.start()));
            }
            (Some(_), _) => {}
        }
    }
    Ok(())
}

/// How many times the young person moved in the 12 months up to and including
/// `as_at`. Every stay that follows another counts as a move; the first stay we
/// know of does not.
pub fn moves_in_12_months(history: &[AccommodationStay], as_at: Date) -> usize {
    let since = add_months(as_at, -12);
    let Some(first) = history.iter().map(|s| s.start).min() else {
        return 0;
    };
    history
        .iter()
        .filter(|s| s.start > first && s.start > since && s.start <= as_at)
        .count()
}

/// Councils audit every young person with this many moves in 12 months (seed:
/// Cambridgeshire's monthly audit of 3+ moves).
pub const MANY_MOVES: usize = 3;

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn stay(start: Date, end: Option<Date>) -> AccommodationStay {
        AccommodationStay {
            start,
            end,
            kind: AccommodationType::SemiIndependent,
            suitable: true,
            arranged_by_council: true,
            address: None,
        }
    }

    #[test]
    fn oc3_accommodation_codes_never_call_homelessness_or_custody_suitable() {
        let cases = [
            (AccommodationType::SemiIndependent, true, "D1"),
            (AccommodationType::SemiIndependent, false, "D2"),
            (AccommodationType::StayingPut, true, "Z1"),
            (AccommodationType::NoFixedAbode, true, "S2"),
            (AccommodationType::Custody, true, "X2"),
            (AccommodationType::BedAndBreakfast, false, "W2"),
        ];
        for (kind, suitable, code) in cases {
            let s = AccommodationStay {
                kind,
                suitable,
                ..stay(date(2026, 1, 1), None)
            };
            assert_eq!(s.oc3_code(), code, "{kind:?} suitable={suitable}");
        }
    }

    #[test]
    fn every_activity_maps_to_an_oc3_code_that_agrees_on_eet() {
        for &a in Activity::ALL {
            for full_time in [true, false] {
                let code = a.oc3(full_time);
                assert_eq!(code.is_eet(), a.is_eet(), "{a:?}");
            }
        }
        let cases = [
            (Activity::University, true, "F1"),
            (Activity::SixthForm, false, "P2"),
            (Activity::CollegeFe, true, "F2"),
            (Activity::Apprenticeship, true, "F4"),
            (Activity::EmploymentWithoutTraining, false, "P5"),
            (Activity::WorkPlacement, true, "F5"),
            (Activity::NeetIllnessOrDisability, true, "G4"),
            (Activity::NeetPregnancyOrParenting, false, "G6"),
            (Activity::NeetCustody, true, "G5"),
            (Activity::NotAvailable, true, "G5"),
        ];
        for (a, full_time, code) in cases {
            assert_eq!(a.oc3(full_time).code(), code, "{a:?} full_time={full_time}");
        }
    }

    #[test]
    fn a_new_stay_may_not_overlap_a_closed_one_or_start_before_the_current_one() {
        let history = [
            stay(date(2025, 1, 1), Some(date(2025, 6, 1))),
            stay(date(2025, 6, 1), None),
        ];
        let cases = [
            (date(2025, 9, 1), None, Ok(())),
            (date(2025, 6, 2), None, Ok(())),
            (
                date(2025, 6, 1),
                None,
                Err(SpellProblem::StartsBeforeCurrent(date(2025, 6, 1))),
            ),
            (date(2025, 3, 1), None, Err(SpellProblem::Overlaps(date(2025, 1, 1)))),
            (
                date(2025, 6, 1),
                Some(date(2025, 7, 1)),
                Err(SpellProblem::Overlaps(date(2025, 6, 1))),
            ),
            (
                date(2024, 12, 1),
                Some(date(2025, 1, 2)),
                Err(SpellProblem::Overlaps(date(2025, 1, 1))),
            ),
            (date(2024, 12, 1), Some(date(2025, 1, 1)), Ok(())),
            (
                date(2024, 12, 1),
                Some(date(2024, 12, 1)),
                Err(SpellProblem::EndsBeforeStart),
            ),
        ];
        for (start, end, expected) in cases {
            assert_eq!(check_new_spell(&history, start, end), expected, "{start} to {end:?}");
        }
    }

    #[test]
    fn moves_count_every_change_in_the_last_12_months_but_not_the_first_stay() {
        let history = [
            stay(date(2025, 1, 10), Some(date(2025, 11, 27))),
            stay(date(2025, 11, 27), Some(date(2026, 3, 1))),
            stay(date(2026, 3, 1), Some(date(2026, 8, 1))),
            stay(date(2026, 8, 1), None),
        ];
        assert_eq!(moves_in_12_months(&history, date(2026, 11, 26)), 3);
        assert_eq!(moves_in_12_months(&history, date(2026, 11, 27)), 2, "a year later");
        assert_eq!(moves_in_12_months(&history, date(2026, 7, 31)), 2);
        assert_eq!(moves_in_12_months(&history[..1], date(2025, 2, 1)), 0);
        assert_eq!(moves_in_12_months(&[], date(2025, 2, 1)), 0);
        assert_eq!(
            current_on(&history, date(2026, 3, 1)).map(|s| s.start),
            Some(date(2026, 3, 1))
        );
        assert_eq!(current_on(&history, date(2024, 3, 1)), None);
    }
}
