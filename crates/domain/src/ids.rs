//! Identifiers, valid by construction: parse at the edge, trust afterwards.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Why an identifier was refused, in words a person can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct InvalidId(pub String);

macro_rules! id_type {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = InvalidId;
            fn try_from(text: String) -> Result<Self, InvalidId> {
                $name::parse(&text)
            }
        }
    };
}

id_type!(
    /// SSDA903 `CHILD`: the council's identifier for the child in the return,
    /// 1–10 letters or digits.
    ChildId
);

impl ChildId {
    pub fn parse(text: &str) -> Result<Self, InvalidId> {
        let text = text.trim();
        if text.is_empty() || text.len() > 10 || !text.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(InvalidId(format!(
                "CHILD id must be 1 to 10 letters or digits, found {text:?}"
            )));
        }
        Ok(ChildId(text.to_owned()))
    }
}

id_type!(
    /// Unique pupil number: a letter, 11 digits, then a digit or letter (13 characters).
    Upn
);

impl Upn {
    pub fn parse(text: &str) -> Result<Self, InvalidId> {
        let text = text.trim().to_ascii_uppercase();
        let bytes = text.as_bytes();
        let ok = bytes.len() == 13
            && bytes[0].is_ascii_uppercase()
            && bytes[1..12].iter().all(u8::is_ascii_digit)
            && bytes[12].is_ascii_alphanumeric();
        if !ok {
            return Err(InvalidId(format!(
                "UPN must be a letter, 11 digits and a digit or letter, found {text:?}"
            )));
        }
        Ok(Upn(text))
    }
}

id_type!(
    /// NHS number: 10 digits with a modulus 11 check digit.
    NhsNumber
);

impl NhsNumber {
    pub fn parse(text: &str) -> Result<Self, InvalidId> {
        let digits: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        let bad = || {
            InvalidId(format!(
                "NHS number must be 10 digits with a valid check digit, found {text:?}"
            ))
        };
        if digits.len() != 10 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let values: Vec<u32> = digits.bytes().map(|b| u32::from(b - b'0')).collect();
        let sum: u32 = values[..9].iter().zip((2..=10).rev()).map(|(d, w)| d * w).sum();
        let check = match 11 - sum % 11 {
            11 => 0,
            10 => return Err(bad()),
            n => n,
        };
        if check != values[9] {
            return Err(bad());
        }
        Ok(NhsNumber(digits))
    }
}

id_type!(
    /// National Insurance number: two letters, six digits, suffix A–D.
    NiNumber
);

impl NiNumber {
    pub fn parse(text: &str) -> Result<Self, InvalidId> {
        let text: String = text
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_uppercase();
        let b = text.as_bytes();
        let ok = b.len() == 9
            && b[..2].iter().all(u8::is_ascii_uppercase)
            && b[2..8].iter().all(u8::is_ascii_digit)
            && matches!(b[8], b'A'..=b'D');
        if !ok {
            return Err(InvalidId(format!(
                "National Insurance number must look like QQ123456C, found {text:?}"
            )));
        }
        Ok(NiNumber(text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_are_checked_at_the_edge() {
        assert!(ChildId::parse("CH0001").is_ok());
        assert!(ChildId::parse("").is_err());
        assert!(ChildId::parse("12345678901").is_err());
        assert!(ChildId::parse("a-b").is_err());
        assert_eq!(
            Upn::parse("a12345678901b").map(String::from),
            Ok("A12345678901B".into())
        );
        assert!(Upn::parse("A1234567890").is_err());
        assert_eq!(
            NhsNumber::parse("943 476 5919").map(String::from),
            Ok("9434765919".into())
        );
        assert!(NhsNumber::parse("9434765918").is_err());
        assert_eq!(
            NiNumber::parse("qq 12 34 56 c").map(String::from),
            Ok("QQ123456C".into())
        );
        assert!(NiNumber::parse("QQ123456E").is_err());
    }
}
