//! Contacts and visits with a young person, including attempts that failed.

use crate::people::simple_enum;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

simple_enum!(
    /// How the contact happened.
    ContactType {
        HomeVisit => "home_visit", "Home visit";
        Office => "office", "Office or other meeting place";
        Phone => "phone", "Phone call";
        Video => "video", "Video call";
        TextOrOnline => "text_or_online", "Text, message or online";
        OtherAgency => "other_agency", "Through another agency";
        Other => "other", "Other";
    }
);

simple_enum!(
    /// What came of it.
    ContactOutcome {
        Seen => "seen", "Seen";
        NotSeen => "not_seen", "Spoke but not seen";
        Failed => "failed", "Attempt failed: no contact";
    }
);

impl ContactType {
    /// Only face-to-face contact can be a statutory visit (CLR 2010 reg 8(2)).
    pub fn is_face_to_face(self) -> bool {
        matches!(self, ContactType::HomeVisit | ContactType::Office)
    }
}

/// A contact or visit as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    pub occurred_at: Timestamp,
    pub contact_type: ContactType,
    pub outcome: ContactOutcome,
    /// Whether the young person was seen alone (asked only when seen).
    pub seen_alone: Option<bool>,
    pub location: Option<String>,
    /// Who else was there.
    pub present: Option<String>,
    pub summary: String,
    /// Counts as a statutory PA visit.
    pub statutory_visit: bool,
}

impl Contact {
    /// Whether contact was made (a failed attempt is not contact).
    pub fn made_contact(&self) -> bool {
        self.outcome != ContactOutcome::Failed
    }
}
