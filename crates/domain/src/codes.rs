//! SSDA903 code lists the rules depend on (DfE SSDA903 guide; lists as the DfE
//! validator checks them, rules 103 and 149).

use serde::{Deserialize, Serialize};
use std::fmt;

/// Why a code could not be read: the field and the value found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{value:?} is not a valid {list} code")]
pub struct UnknownCode {
    pub list: &'static str,
    pub value: String,
}

macro_rules! code_list {
    ($(#[$meta:meta])* $name:ident, $list:literal, { $($variant:ident => $code:literal, $label:literal;)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The code as the DfE writes it.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            /// What the code means, for people.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            /// Reads a code (surrounding spaces ignored, case as the DfE writes it).
            pub fn parse(text: &str) -> Result<Self, UnknownCode> {
                match text.trim() {
                    $($code => Ok($name::$variant),)+
                    other => Err(UnknownCode { list: $list, value: other.to_owned() }),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.code())
            }
        }
    };
}

code_list!(
    /// Legal status (903 `LS`).
    LegalStatus, "legal status (LS)", {
        C1 => "C1", "Interim care order";
        C2 => "C2", "Full care order";
        D1 => "D1", "Freeing order granted";
        E1 => "E1", "Placement order granted";
        V2 => "V2", "Single period of accommodation under section 20";
        V3 => "V3", "Accommodated under an agreed series of short-term breaks, when individual episodes of care are recorded";
        V4 => "V4", "Accommodated under an agreed series of short-term breaks, when agreements are recorded";
        L1 => "L1", "Under police protection and in local authority accommodation";
        L2 => "L2", "Emergency protection order";
        L3 => "L3", "Under child assessment order and in local authority accommodation";
        J1 => "J1", "Remanded to local authority accommodation or to youth detention accommodation";
        J2 => "J2", "Placed in local authority accommodation under PACE";
        J3 => "J3", "Sentenced to Youth Rehabilitation Order with residence or intensive fostering requirement";
    }
);

impl LegalStatus {
    /// A pre-planned series of short breaks (CPPCR 2010 reg 48): such periods do not
    /// count towards the 13 weeks that make a child eligible (CPPCR 2010 reg 40(2)).
    pub fn is_short_break(self) -> bool {
        matches!(self, LegalStatus::V3 | LegalStatus::V4)
    }

    /// Care orders (interim or full): the CLR 2010 reg 3 additional relevant-child
    /// category applies only to children not subject to a care order.
    pub fn is_care_order(self) -> bool {
        matches!(self, LegalStatus::C1 | LegalStatus::C2)
    }
}

code_list!(
    /// Reason episode ceased (903 `REC`).
    ReasonEpisodeEnded, "reason episode ceased (REC)", {
        E11 => "E11", "Adopted: application for an adoption order unopposed";
        E12 => "E12", "Adopted: consent dispensed with by the court";
        E2 => "E2", "Died";
        E3 => "E3", "Care taken over by another local authority in the UK";
        E4A => "E4A", "Returned home to live with parents or others with parental responsibility, as part of the care planning process";
        E4B => "E4B", "Returned home to live with parents or others with parental responsibility, not as part of the care planning process";
        E13 => "E13", "Left care to live with parents or others with parental responsibility, or relatives or friends";
        E41 => "E41", "Residence order or child arrangements order granted";
        E43 => "E43", "Special guardianship order made to former foster carers (before 2015)";
        E44 => "E44", "Special guardianship order made to carers other than former foster carers (before 2015)";
        E45 => "E45", "Special guardianship order made to former foster carers who are relatives or friends";
        E46 => "E46", "Special guardianship order made to former foster carers other than relatives or friends";
        E47 => "E47", "Special guardianship order made to carers other than former foster carers, who are relatives or friends";
        E48 => "E48", "Special guardianship order made to carers other than former foster carers, other than relatives or friends";
        E5 => "E5", "Moved into independent living arrangement and no longer looked after: supportive accommodation providing formalised advice or support";
        E6 => "E6", "Moved into independent living arrangement and no longer looked after: accommodation providing no formalised advice or support";
        E7 => "E7", "Transferred to residential care funded by adult social care services";
        E8 => "E8", "Period of being looked after ceased for any other reason";
        E9 => "E9", "Sentenced to custody";
        E14 => "E14", "Accommodation on remand ended";
        E15 => "E15", "Age assessment determined child is aged 18 or over";
        E16 => "E16", "Child moved abroad";
        E17 => "E17", "Aged 18 or over and remained with current carers";
        X1 => "X1", "Episode ceases, and new episode begins on same day, for any reason";
    }
);

impl ReasonEpisodeEnded {
    /// Left care through adoption (no longer the authority's care leaver).
    pub fn is_adoption(self) -> bool {
        matches!(self, Self::E11 | Self::E12)
    }

    /// Left care under a special guardianship order: s24 qualifying, not relevant.
    pub fn is_special_guardianship(self) -> bool {
        matches!(
            self,
            Self::E43 | Self::E44 | Self::E45 | Self::E46 | Self::E47 | Self::E48
        )
    }
}

code_list!(
    /// Sex as the 903 Header records it from 2024/25 (validator rule 101).
    Sex, "sex", {
        Male => "M", "Male";
        Female => "F", "Female";
        Unknown => "U", "Not known";
    }
);

code_list!(
    /// Ethnicity (903 `ETHNIC`, the DfE's 2003 census categories).
    Ethnicity, "ethnicity (ETHNIC)", {
        Wbri => "WBRI", "White British";
        Wiri => "WIRI", "White Irish";
        Woth => "WOTH", "Any other White background";
        Wirt => "WIRT", "Traveller of Irish heritage";
        Wrom => "WROM", "Gypsy/Roma";
        Mwbc => "MWBC", "White and Black Caribbean";
        Mwba => "MWBA", "White and Black African";
        Mwas => "MWAS", "White and Asian";
        Moth => "MOTH", "Any other mixed background";
        Aind => "AIND", "Indian";
        Apkn => "APKN", "Pakistani";
        Aban => "ABAN", "Bangladeshi";
        Aoth => "AOTH", "Any other Asian background";
        Bcrb => "BCRB", "Black Caribbean";
        Bafr => "BAFR", "Black African";
        Both => "BOTH", "Any other Black background";
        Chne => "CHNE", "Chinese";
        Ooth => "OOTH", "Any other ethnic group";
        Refu => "REFU", "Refused";
        Ndab => "NDAB", "Information not yet obtained";
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_reads_back_as_itself() {
        for status in LegalStatus::ALL {
            assert_eq!(LegalStatus::parse(status.code()), Ok(*status));
        }
        for reason in ReasonEpisodeEnded::ALL {
            assert_eq!(ReasonEpisodeEnded::parse(reason.code()), Ok(*reason));
        }
        for code in Ethnicity::ALL {
            assert_eq!(Ethnicity::parse(code.code()), Ok(*code));
        }
    }

    #[test]
    fn unknown_codes_say_which_list() {
        let err = LegalStatus::parse("V1").unwrap_err();
        assert_eq!(err.to_string(), "\"V1\" is not a valid legal status (LS) code");
    }

    #[test]
    fn only_v3_and_v4_are_short_breaks() {
        let short: Vec<_> = LegalStatus::ALL.iter().filter(|s| s.is_short_break()).collect();
        assert_eq!(short, [&LegalStatus::V3, &LegalStatus::V4]);
    }
}
