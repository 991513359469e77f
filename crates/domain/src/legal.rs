//! The legal category engine: which leaving-care category a young person is in on a
//! date, and why, from their date of birth and care history (DOMAIN.md section 1).
//!
//! One pure function, [`legal_category`]. Everything the law leaves open is a field
//! of [`LegalRules`], with the reason it is open beside it.

use crate::care::Episode;
use crate::codes::ReasonEpisodeEnded;
use crate::dates::{LeapDayBirthday, add_days, add_months, age_on, birthday, days_between, gov_uk, ordinal};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Leaving-care legal category, as a snake_case string in every interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LegalCategory {
    /// Looked after and under 16.
    #[serde(rename = "looked_after_under_16")]
    LookedAfterUnder16,
    /// Aged 16–17 and looked after, but not yet for the 13 weeks that make a child eligible.
    LookedAfterNotEligible,
    /// CA89 Sch 2 para 19B; CPPCR 2010 reg 40.
    Eligible,
    /// CA89 s23A(2); CLR 2010 reg 3.
    Relevant,
    /// CA89 s23C(1), aged 18–20.
    FormerRelevant,
    /// CA89 s23CZB: aged 21–24, PA support, assessment and plan on request to 25.
    #[serde(rename = "former_relevant_21_to_25")]
    FormerRelevant21To25,
    /// CA89 s24: advice and assistance.
    Qualifying,
    Died,
    NotCareLeaver,
}

impl LegalCategory {
    pub const ALL: &'static [LegalCategory] = &[
        LegalCategory::LookedAfterUnder16,
        LegalCategory::LookedAfterNotEligible,
        LegalCategory::Eligible,
        LegalCategory::Relevant,
        LegalCategory::FormerRelevant,
        LegalCategory::FormerRelevant21To25,
        LegalCategory::Qualifying,
        LegalCategory::Died,
        LegalCategory::NotCareLeaver,
    ];

    /// The snake_case name used in JSON, CSV and the database.
    pub fn code(self) -> &'static str {
        match self {
            LegalCategory::LookedAfterUnder16 => "looked_after_under_16",
            LegalCategory::LookedAfterNotEligible => "looked_after_not_eligible",
            LegalCategory::Eligible => "eligible",
            LegalCategory::Relevant => "relevant",
            LegalCategory::FormerRelevant => "former_relevant",
            LegalCategory::FormerRelevant21To25 => "former_relevant_21_to_25",
            LegalCategory::Qualifying => "qualifying",
            LegalCategory::Died => "died",
            LegalCategory::NotCareLeaver => "not_care_leaver",
        }
    }

    /// The name a social worker uses.
    pub fn label(self) -> &'static str {
        match self {
            LegalCategory::LookedAfterUnder16 => "Looked after (under 16)",
            LegalCategory::LookedAfterNotEligible => "Looked after (not yet eligible)",
            LegalCategory::Eligible => "Eligible",
            LegalCategory::Relevant => "Relevant",
            LegalCategory::FormerRelevant => "Former relevant",
            LegalCategory::FormerRelevant21To25 => "Former relevant (21 to 25)",
            LegalCategory::Qualifying => "Qualifying",
            LegalCategory::Died => "Died",
            LegalCategory::NotCareLeaver => "Not a care leaver",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|c| c.code() == text)
    }

    /// Owed a personal adviser and a pathway plan without having to ask.
    pub fn has_statutory_personal_adviser(self) -> bool {
        matches!(
            self,
            LegalCategory::Eligible | LegalCategory::Relevant | LegalCategory::FormerRelevant
        )
    }
}

impl fmt::Display for LegalCategory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// The parts of the rules that the law or guidance leaves open, or that a council
/// may need to change when the law changes. Defaults are our best reading.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LegalRules {
    /// Legal birthday of a 29 February birth in common years (DOMAIN.md 1.3: unverified).
    pub leap_day_birthday: LeapDayBirthday,
    /// "13 weeks" in CPPCR 2010 reg 40, counted in days as the DfE validator does (rule 1001).
    pub eligible_after_days: i64,
    /// A relevant child who returns home to a parent for this many months stops being
    /// relevant (CLR 2010 reg 3, as summarised by council procedures; unverified, and
    /// `None` turns the rule off).
    pub returned_home_months: Option<i32>,
    /// s24 qualifying care leavers are owed advice and assistance until this age
    /// (some s24B limbs run to 25: DOMAIN.md open item 5).
    pub qualifying_until_age: i16,
    /// Former relevant duties end at 21 (s23C(6)); s23CZB support runs to this age.
    pub personal_adviser_until_age: i16,
    /// Ways of leaving care after which the young person is not this council's care
    /// leaver: adoption, care taken over by another authority (validator rules 1001,
    /// 1011), and an age assessment finding them an adult.
    pub not_our_care_leaver_when_ended: Vec<ReasonEpisodeEnded>,
}

impl Default for LegalRules {
    fn default() -> Self {
        LegalRules {
            leap_day_birthday: LeapDayBirthday::FirstMarch,
            eligible_after_days: 91,
            returned_home_months: Some(6),
            qualifying_until_age: 21,
            personal_adviser_until_age: 25,
            not_our_care_leaver_when_ended: vec![
                ReasonEpisodeEnded::E11,
                ReasonEpisodeEnded::E12,
                ReasonEpisodeEnded::E3,
                ReasonEpisodeEnded::E15,
            ],
        }
    }
}

/// What the engine reads about one young person.
#[derive(Debug, Clone, Copy)]
pub struct LeavingCareFacts<'a> {
    pub date_of_birth: Date,
    /// Every episode of care, in any order.
    pub episodes: &'a [Episode],
    pub died_on: Option<Date>,
    /// The date a young person went home to live with a parent after leaving care.
    pub returned_home_on: Option<Date>,
    /// Detained, or in hospital, on the 16th birthday (CLR 2010 reg 3(2)).
    pub detained_or_in_hospital_on_16th_birthday: bool,
}

/// A category and the reason for it, in words a manager can check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Determination {
    pub category: LegalCategory,
    pub reason: String,
}

impl Determination {
    fn new(category: LegalCategory, reason: String) -> Self {
        Determination { category, reason }
    }
}

/// The legal leaving-care category of a young person on `as_at`, with the reason.
pub fn legal_category(facts: &LeavingCareFacts, as_at: Date, rules: &LegalRules) -> Determination {
    use LegalCategory::*;
    let dob = facts.date_of_birth;
    if as_at < dob {
        return Determination::new(NotCareLeaver, format!("Not born until {}.", gov_uk(dob)));
    }
    if let Some(died) = facts.died_on.filter(|d| *d <= as_at) {
        return Determination::new(Died, format!("Died on {}.", gov_uk(died)));
    }
    let care = Care::as_at(facts, as_at, rules);
    if let Some(last) = care.last().filter(|s| s.reason_ended == Some(ReasonEpisodeEnded::E2)) {
        return Determination::new(
            Died,
            format!(
                "Died while looked after: episode ended {} with reason E2.",
                gov_uk(last.until)
            ),
        );
    }
    match age_on(dob, as_at, rules.leap_day_birthday) {
        ..16 => under_16(&care, as_at),
        16 | 17 => aged_16_or_17(facts, &care, as_at, rules),
        _ => adult(facts, &care, as_at, rules),
    }
}

/// The first day the young person was an eligible child, if ever: the day the
/// needs assessment clock starts (CPPCR 2010 reg 42: within 3 months of the 16th
/// birthday or of becoming eligible, if later).
///
/// Candidates are the 16th birthday, each later start of care, and each day the
/// 13 weeks since the 14th birthday are completed; the category engine decides.
pub fn eligible_since(facts: &LeavingCareFacts, rules: &LegalRules) -> Option<Date> {
    let leap = rules.leap_day_birthday;
    let sixteen = birthday(facts.date_of_birth, 16, leap);
    let eighteen = birthday(facts.date_of_birth, 18, leap);
    let care = Care::as_at(facts, add_days(eighteen, -1), rules);
    let fourteen = care.birthday(14);
    let mut candidates = vec![sixteen];
    let mut counted = 0;
    for spell in &care.spells {
        candidates.push(spell.from);
        let from = spell.from.max(fourteen);
        let days = days_between(from, spell.until).max(0);
        if counted < rules.eligible_after_days && counted + days >= rules.eligible_after_days {
            candidates.push(add_days(from, rules.eligible_after_days - counted - 1));
        }
        counted += days;
    }
    candidates.sort();
    candidates
        .into_iter()
        .filter(|d| *d >= sixteen && *d < eighteen)
        .find(|d| legal_category(facts, *d, rules).category == LegalCategory::Eligible)
}

fn under_16(care: &Care, as_at: Date) -> Determination {
    if let Some(now) = care.current() {
        return Determination::new(
            LegalCategory::LookedAfterUnder16,
            format!(
                "Looked after now (legal status {} since {}) and under 16.",
                now.status,
                gov_uk(now.from)
            ),
        );
    }
    if care.on_short_break(as_at) {
        return Determination::new(
            LegalCategory::LookedAfterUnder16,
            "On an agreed series of short breaks (LS V3/V4) and under 16.".to_owned(),
        );
    }
    Determination::new(LegalCategory::NotCareLeaver, care.not_looked_after_reason("Under 16"))
}

fn aged_16_or_17(facts: &LeavingCareFacts, care: &Care, as_at: Date, rules: &LegalRules) -> Determination {
    use LegalCategory::*;
    let needed = rules.eligible_after_days;
    if let Some(now) = care.current() {
        let days = care.days_since_14(add_days(as_at, 1));
        if days >= needed {
            return Determination::new(
                Eligible,
                format!(
                    "Looked after now (legal status {} since {}), aged 16 or 17, and looked after for {days} days since the 14th birthday: at least 13 weeks ({needed} days) that continued after the 16th birthday (CPPCR 2010 reg 40).",
                    now.status,
                    gov_uk(now.from)
                ),
            );
        }
        let eligible_on = add_days(as_at, needed - days);
        let when = if eligible_on < care.birthday(18) {
            format!("becomes eligible on {} if care continues", gov_uk(eligible_on))
        } else {
            "cannot reach 13 weeks before the 18th birthday".to_owned()
        };
        return Determination::new(
            LookedAfterNotEligible,
            format!(
                "Looked after now (legal status {} since {}) but for only {days} days since the 14th birthday, fewer than 13 weeks ({needed} days); {when} (CPPCR 2010 reg 40).",
                now.status,
                gov_uk(now.from)
            ),
        );
    }
    // A relevant child stays relevant through a short break (CPPCR 2010 reg 48:
    // short breaks are not care for these purposes).
    let after_care = left_care(facts, care, as_at, rules);
    if care.on_short_break(as_at) && after_care.category != Relevant {
        return Determination::new(
            LookedAfterNotEligible,
            "On an agreed series of short breaks (LS V3/V4), which do not count towards the 13 weeks (CPPCR 2010 reg 48).".to_owned(),
        );
    }
    after_care
}

/// A 16- or 17-year-old who is not looked after now.
fn left_care(facts: &LeavingCareFacts, care: &Care, as_at: Date, rules: &LegalRules) -> Determination {
    use LegalCategory::*;
    let Some(last) = care.last() else {
        return Determination::new(NotCareLeaver, care.not_looked_after_reason("Aged 16 or 17"));
    };
    if let Some(excluded) = care.not_our_care_leaver(rules) {
        return excluded;
    }
    let left = gov_uk(last.until);
    let days = care.days_since_14(last.until);
    let needed = rules.eligible_after_days;
    if last.until > care.birthday(16) {
        if days < needed {
            return Determination::new(
                Qualifying,
                format!(
                    "Looked after on or after the 16th birthday (left care on {left}) but for only {days} days since the 14th birthday, fewer than 13 weeks ({needed} days): not eligible, so qualifying for advice and assistance (CA89 s24)."
                ),
            );
        }
        if let Some(reason) = last.reason_ended.filter(|r| r.is_special_guardianship()) {
            return Determination::new(
                Qualifying,
                format!(
                    "Left care on {left} under a special guardianship order (REC {reason}): qualifying (CA89 s24), not relevant."
                ),
            );
        }
        if let Some(home) = returned_home_for_months(facts, last.until, as_at, rules) {
            return Determination::new(
                Qualifying,
                format!(
                    "Left care on {left} as an eligible child but went home to live with a parent on {} and has lived there for {} months or more, so is no longer a relevant child (CLR 2010 reg 3); qualifying (CA89 s24).",
                    gov_uk(home.0),
                    home.1
                ),
            );
        }
        return Determination::new(
            Relevant,
            format!(
                "Left care on {left}, aged 16 or 17, as an eligible child: {days} days looked after since the 14th birthday, continuing after the 16th birthday (CA89 s23A(2))."
            ),
        );
    }
    // CLR 2010 reg 3(2): detained or in hospital on the 16th birthday after 13 weeks
    // looked after since 14, and not subject to a care order. The regulation's exact
    // wording is unverified (DOMAIN.md open item 4).
    if facts.detained_or_in_hospital_on_16th_birthday && days >= needed && !last.status.is_care_order() {
        return Determination::new(
            Relevant,
            format!(
                "Detained or in hospital on the 16th birthday after {days} days looked after since the 14th birthday (last looked after until {left}), and not on a care order (CLR 2010 reg 3(2))."
            ),
        );
    }
    if let Some(reason) = last.reason_ended.filter(|r| r.is_special_guardianship()) {
        return Determination::new(
            Qualifying,
            format!(
                "Subject to a special guardianship order made while looked after (left care on {left}, REC {reason}): qualifying (CA89 s24)."
            ),
        );
    }
    Determination::new(
        NotCareLeaver,
        format!("Left care on {left}, before the 16th birthday, and not looked after since."),
    )
}

fn adult(facts: &LeavingCareFacts, care: &Care, as_at: Date, rules: &LegalRules) -> Determination {
    use LegalCategory::*;
    let leap = rules.leap_day_birthday;
    let dob = facts.date_of_birth;
    let age = age_on(dob, as_at, leap);
    let day_before_18 = add_days(care.birthday(18), -1);
    let at_17 = legal_category(facts, day_before_18, rules);
    let was = match at_17.category {
        Eligible => Some("an eligible child"),
        Relevant => Some("a relevant child"),
        _ => None,
    };
    if let Some(was) = was {
        let before_18 = gov_uk(day_before_18);
        if age < 21 {
            return Determination::new(
                FormerRelevant,
                format!(
                    "Was {was} on {before_18}, the day before the 18th birthday: former relevant child (CA89 s23C) until the 21st birthday on {}.",
                    gov_uk(birthday(dob, 21, leap))
                ),
            );
        }
        let until = rules.personal_adviser_until_age;
        if age < until {
            return Determination::new(
                FormerRelevant21To25,
                format!(
                    "Former relevant child (was {was} on {before_18}) aged 21 to 24: may ask for a personal adviser, needs assessment and pathway plan until the {} birthday on {} (CA89 s23CZB).",
                    ordinal(until),
                    gov_uk(birthday(dob, until, leap))
                ),
            );
        }
        return Determination::new(
            NotCareLeaver,
            format!("Former relevant child aged {until} or over: leaving-care duties have ended (CA89 s23CZB)."),
        );
    }
    if let Some(excluded) = care.not_our_care_leaver(rules) {
        return excluded;
    }
    let Some(last) = care.last() else {
        return Determination::new(NotCareLeaver, care.not_looked_after_reason("Aged 18 or over"));
    };
    let after_16 = last.until > care.birthday(16);
    let special_guardianship = last.reason_ended.filter(|r| r.is_special_guardianship());
    if after_16 || special_guardianship.is_some() {
        let until = rules.qualifying_until_age;
        let why = match special_guardianship {
            Some(reason) if !after_16 => {
                format!("subject to a special guardianship order made while looked after (REC {reason})")
            }
            _ => format!(
                "looked after on or after the 16th birthday (until {})",
                gov_uk(last.until)
            ),
        };
        if age < until {
            return Determination::new(
                Qualifying,
                format!(
                    "Not a former relevant child ({}) but {why}: qualifying for advice and assistance (CA89 s24) until the {} birthday.",
                    at_17.reason.trim_end_matches('.'),
                    ordinal(until)
                ),
            );
        }
        return Determination::new(
            NotCareLeaver,
            format!(
                "Was a qualifying care leaver ({why}); aged {until} or over, so no longer owed advice and assistance (CA89 s24)."
            ),
        );
    }
    Determination::new(
        NotCareLeaver,
        format!(
            "Left care on {}, before the 16th birthday, and not looked after since.",
            gov_uk(last.until)
        ),
    )
}

/// When a young person who left care went home to a parent at least
/// `returned_home_months` months before `as_at`: the date and the months.
fn returned_home_for_months(
    facts: &LeavingCareFacts,
    left_care: Date,
    as_at: Date,
    rules: &LegalRules,
) -> Option<(Date, i32)> {
    let months = rules.returned_home_months?;
    let home = facts.returned_home_on.filter(|home| *home >= add_days(left_care, -1))?;
    (add_months(home, months) <= as_at).then_some((home, months))
}

/// A stretch of counted care (not a short break), as known on the as-at date.
#[derive(Debug, Clone, Copy)]
struct Spell {
    from: Date,
    /// The first day not looked after (DEC, or the day after the as-at date).
    until: Date,
    status: crate::codes::LegalStatus,
    reason_ended: Option<ReasonEpisodeEnded>,
}

/// A young person's care as known on one date, in the terms the rules use.
struct Care<'a> {
    facts: &'a LeavingCareFacts<'a>,
    as_at: Date,
    leap: LeapDayBirthday,
    /// Counted spells in order of start date.
    spells: Vec<Spell>,
}

impl<'a> Care<'a> {
    fn as_at(facts: &'a LeavingCareFacts<'a>, as_at: Date, rules: &LegalRules) -> Self {
        let leap = rules.leap_day_birthday;
        // A person is a child, and so can be looked after, only until 18 (CA89 s105(1)):
        // an episode left open past the 18th birthday stops counting there.
        let eighteen = birthday(facts.date_of_birth, 18, leap);
        let mut spells: Vec<Spell> = facts
            .episodes
            .iter()
            .filter(|e| !e.legal_status.is_short_break())
            .filter_map(|e| {
                let (from, until) = e.days_as_at(as_at)?;
                let until = until.min(eighteen);
                (until > from).then_some(Spell {
                    from,
                    until,
                    status: e.legal_status,
                    reason_ended: e.reason_ended.filter(|_| e.end.is_some_and(|end| end <= as_at)),
                })
            })
            .collect();
        spells.sort_by_key(|s| (s.from, s.until));
        Care {
            facts,
            as_at,
            leap,
            spells,
        }
    }

    fn birthday(&self, years: i16) -> Date {
        birthday(self.facts.date_of_birth, years, self.leap)
    }

    /// The spell covering the as-at date, if looked after now.
    fn current(&self) -> Option<&Spell> {
        self.spells
            .iter()
            .rev()
            .find(|s| s.from <= self.as_at && s.until > self.as_at)
    }

    /// The spell that ended last.
    fn last(&self) -> Option<&Spell> {
        self.spells.iter().max_by_key(|s| (s.until, s.from))
    }

    fn on_short_break(&self, as_at: Date) -> bool {
        self.facts
            .episodes
            .iter()
            .any(|e| e.legal_status.is_short_break() && e.days_as_at(as_at).is_some_and(|(_, until)| until > as_at))
    }

    /// Days looked after from the 14th birthday up to (not including) `until`,
    /// over every counted spell: episodes that span the birthday are clipped at it
    /// (CPPCR 2010 reg 40; DfE validator rule 1001).
    fn days_since_14(&self, until: Date) -> i64 {
        let fourteen = self.birthday(14);
        self.spells
            .iter()
            .map(|s| days_between(s.from.max(fourteen), s.until.min(until)).max(0))
            .sum()
    }

    /// When the last spell ended in a way that makes the young person someone
    /// else's responsibility or not a care leaver at all.
    fn not_our_care_leaver(&self, rules: &LegalRules) -> Option<Determination> {
        let last = self.last()?;
        let reason = last
            .reason_ended
            .filter(|r| rules.not_our_care_leaver_when_ended.contains(r))?;
        Some(Determination::new(
            LegalCategory::NotCareLeaver,
            format!(
                "Care ended on {} with reason {reason} ({}): not this council's care leaver.",
                gov_uk(last.until),
                reason.label().to_lowercase()
            ),
        ))
    }

    fn not_looked_after_reason(&self, age: &str) -> String {
        match self.last() {
            Some(last) => format!("{age} and not looked after since {}.", gov_uk(last.until)),
            None if self.facts.episodes.is_empty() => format!("{age} and never looked after."),
            None => format!("{age}; the only care recorded is short breaks (LS V3/V4), which do not count."),
        }
    }
}

#[cfg(test)]
mod tests;
