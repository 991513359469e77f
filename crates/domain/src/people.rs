//! Young people: identity, contact details, key documents and risk flags.

use crate::codes::{Ethnicity, Sex};
use crate::ids::{ChildId, NhsNumber, NiNumber, Upn};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// A young person known to the leaving-care service (in care aged 15+, or a care leaver).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct YoungPerson {
    /// The council's own reference.
    pub local_id: String,
    /// SSDA903 `CHILD` id.
    pub child_id: Option<ChildId>,
    pub upn: Option<Upn>,
    pub nhs_number: Option<NhsNumber>,
    pub ni_number: Option<NiNumber>,
    pub legal_name: PersonName,
    /// The name the young person wants to be called, shown first everywhere.
    pub preferred_name: Option<String>,
    pub date_of_birth: Date,
    pub sex: Sex,
    /// Gender in the young person's own words, when it differs from sex recorded.
    pub gender: Option<String>,
    pub ethnicity: Ethnicity,
    /// Unaccompanied asylum-seeking child (or formerly, if 18+).
    pub uasc: bool,
    pub disability: Disability,
    pub contact: ContactDetails,
    pub died_on: Option<Date>,
    /// Went home to live with a parent after leaving care (ends relevant status
    /// after six months, CLR 2010 reg 3).
    pub returned_home_on: Option<Date>,
    /// Detained or in hospital on the 16th birthday (CLR 2010 reg 3(2)).
    pub detained_or_in_hospital_on_16th_birthday: bool,
}

impl YoungPerson {
    /// The facts the legal category engine reads, with this person's care history.
    pub fn leaving_care_facts<'a>(&self, episodes: &'a [crate::care::Episode]) -> crate::legal::LeavingCareFacts<'a> {
        crate::legal::LeavingCareFacts {
            date_of_birth: self.date_of_birth,
            episodes,
            died_on: self.died_on,
            returned_home_on: self.returned_home_on,
            detained_or_in_hospital_on_16th_birthday: self.detained_or_in_hospital_on_16th_birthday,
        }
    }

    /// The name to show: preferred given name with legal family name.
    pub fn display_name(&self) -> String {
        let given = self.preferred_name.as_deref().unwrap_or(&self.legal_name.given);
        format!("{given} {}", self.legal_name.family)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonName {
    pub given: String,
    pub family: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Disability {
    Yes,
    No,
    Unknown,
}

impl Disability {
    pub fn code(self) -> &'static str {
        match self {
            Disability::Yes => "yes",
            Disability::No => "no",
            Disability::Unknown => "unknown",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Disability::Yes => "Yes",
            Disability::No => "No",
            Disability::Unknown => "Not known",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "yes" => Some(Disability::Yes),
            "no" => Some(Disability::No),
            "unknown" => Some(Disability::Unknown),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactDetails {
    pub phone: Option<String>,
    pub email: Option<String>,
    pub address: Option<String>,
    pub postcode: Option<String>,
}

macro_rules! simple_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $code:literal, $label:literal;)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The snake_case code used in storage and every interface.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            pub fn parse(text: &str) -> Option<Self> {
                match text { $($code => Some($name::$variant),)+ _ => None }
            }
        }
    };
}
pub(crate) use simple_enum;

simple_enum!(
    /// Documents a young person needs for adult life; missing ones are chased from 17½.
    KeyDocumentKind {
        NationalInsuranceNumber => "national_insurance_number", "National Insurance number";
        BirthCertificate => "birth_certificate", "Birth certificate";
        PassportOrId => "passport_or_id", "Passport or photo ID";
        BankAccount => "bank_account", "Bank account";
    }
);

simple_enum!(
    /// Risks a PA and manager must see at a glance.
    RiskFlagKind {
        Custody => "custody", "In custody";
        Missing => "missing", "Missing from home or care";
        ChildSexualExploitation => "child_sexual_exploitation", "Child sexual exploitation";
        SubstanceMisuse => "substance_misuse", "Substance misuse";
        Parenting => "parenting", "Young parent";
        MentalHealth => "mental_health", "Mental health";
    }
);

/// A key document, and since when it has been held.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyDocument {
    pub kind: KeyDocumentKind,
    pub held_since: Option<Date>,
}

/// A risk flag with the dates it applies; open while `to` is `None`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RiskFlag {
    pub kind: RiskFlagKind,
    pub from: Date,
    pub to: Option<Date>,
}

impl RiskFlag {
    pub fn is_active_on(&self, date: Date) -> bool {
        self.from <= date && self.to.is_none_or(|to| to >= date)
    }
}
