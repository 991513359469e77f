//! Pathways use cases: one function per thing a member of staff does, each
//! checking permissions and writing the audit log. No HTML or HTTP here.

pub mod access;
pub mod auth;
pub mod caseload;
pub mod clock;
pub mod demo;
pub mod search;
pub mod team;
pub mod young_person;

use pathways_store::StoreError;

/// What a use case can fail with.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// No such record, or one the member of staff may not see: the two look the
    /// same so that scope never leaks whether a record exists.
    #[error("not found")]
    NotFound,
    #[error(transparent)]
    Store(#[from] StoreError),
}

pub type Result<T, E = AppError> = std::result::Result<T, E>;
