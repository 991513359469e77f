//! Pathways domain: the types and statutory rules of a leaving-care service.
//!
//! Pure code: no I/O, no SQL, no HTTP and no clock. The "as at" date is always a
//! parameter, so every rule here can be tested in microseconds and reused by the
//! CLI, the web app and the statutory returns.

pub mod care;
pub mod codes;
pub mod compliance;
pub mod contacts;
pub mod dates;
pub mod ids;
pub mod legal;
pub mod living;
pub mod oc3;
pub mod people;
pub mod plans;
pub mod staff;
pub mod support;

pub use care::Episode;
pub use codes::{LegalStatus, ReasonEpisodeEnded};
pub use dates::{LeapDayBirthday, age_on, birthday};
pub use legal::{Determination, LeavingCareFacts, LegalCategory, LegalRules, legal_category};
