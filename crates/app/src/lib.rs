//! Pathways use cases: one function per thing a member of staff does, each
//! checking permissions and writing the audit log. No HTML or HTTP here.

pub mod access;
pub mod admin;
pub mod auth;
pub mod caseload;
pub mod clock;
pub mod compliance;
pub mod contacts;
pub mod demo;
pub mod mail;
pub mod photos;
pub mod plans;
pub mod practice;
pub mod records;
pub mod search;
pub mod ssda903;
pub mod support;
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

/// What a use case that takes a form can fail with.
#[derive(Debug, thiserror::Error)]
pub enum FormError {
    #[error("not found")]
    NotFound,
    /// Field errors to show on the form: (field id, message).
    #[error("the form has errors")]
    Invalid(Vec<(&'static str, String)>),
    /// Someone else changed the record first, or a unique value is taken.
    #[error("{0}")]
    Conflict(String),
    #[error(transparent)]
    Store(StoreError),
}

impl From<AppError> for FormError {
    fn from(e: AppError) -> Self {
        match e {
            AppError::NotFound => FormError::NotFound,
            AppError::Store(s) => FormError::Store(s),
        }
    }
}

impl From<StoreError> for FormError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Conflict(message) => FormError::Conflict(message),
            other => FormError::Store(other),
        }
    }
}
