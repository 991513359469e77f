//! Row types as both databases return them, and their conversion into domain types.
//! Stored codes are checked on the way out: a bad code is reported, never a panic.

use crate::{Result, StoreError};
use jiff_sqlx::{Date as SqlDate, ToSqlx};
use pathways_domain::care::Episode;
use pathways_domain::codes::{Ethnicity, LegalStatus, ReasonEpisodeEnded, Sex};
use pathways_domain::ids::{ChildId, NhsNumber, NiNumber, Upn};
use pathways_domain::people::{
    ContactDetails, Disability, KeyDocument, KeyDocumentKind, PersonName, RiskFlag, RiskFlagKind, YoungPerson,
};
use pathways_domain::staff::{Role, StaffMember};

/// Whole seconds, so SQLite's text timestamps compare and sort in time order.
pub(crate) fn whole_seconds(at: jiff::Timestamp) -> jiff::Timestamp {
    jiff::Timestamp::from_second(at.as_second()).unwrap_or(at)
}

pub(crate) fn sql_date(date: jiff::civil::Date) -> SqlDate {
    date.to_sqlx()
}

pub(crate) fn sql_opt_date(date: Option<jiff::civil::Date>) -> Option<SqlDate> {
    date.map(ToSqlx::to_sqlx)
}

fn corrupt(what: &str, value: &str) -> StoreError {
    StoreError::Corrupt(format!("{what} {value:?}"))
}

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct StaffRow {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub role: String,
    pub team_id: Option<i64>,
    pub active: bool,
}

impl StaffRow {
    pub fn into_domain(self) -> Result<StaffMember> {
        Ok(StaffMember {
            id: self.id,
            role: Role::parse(&self.role).ok_or_else(|| corrupt("staff role", &self.role))?,
            email: self.email,
            display_name: self.display_name,
            team_id: self.team_id,
            active: self.active,
        })
    }
}

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct YoungPersonRow {
    pub id: i64,
    pub local_id: String,
    pub child_id: Option<String>,
    pub upn: Option<String>,
    pub nhs_number: Option<String>,
    pub ni_number: Option<String>,
    pub legal_given_name: String,
    pub legal_family_name: String,
    pub preferred_name: Option<String>,
    pub date_of_birth: SqlDate,
    pub sex: String,
    pub gender: Option<String>,
    pub ethnicity: String,
    pub uasc: bool,
    pub disability: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub address: Option<String>,
    pub postcode: Option<String>,
    pub died_on: Option<SqlDate>,
    pub returned_home_on: Option<SqlDate>,
    pub detained_or_in_hospital_on_16th_birthday: bool,
    pub version: i64,
}

/// The columns of [`YoungPersonRow`] for SELECT lists (table alias `y`), as a literal.
macro_rules! young_person_columns {
    () => {
        "y.id, y.local_id, y.child_id, y.upn, y.nhs_number, y.ni_number, \
     y.legal_given_name, y.legal_family_name, y.preferred_name, y.date_of_birth, y.sex, y.gender, y.ethnicity, \
     y.uasc, y.disability, y.phone, y.email, y.address, y.postcode, y.died_on, y.returned_home_on, \
     y.detained_or_in_hospital_on_16th_birthday, y.version"
    };
}
pub(crate) use young_person_columns;

fn parse_opt<T, E>(
    value: Option<String>,
    parse: impl Fn(&str) -> std::result::Result<T, E>,
    what: &str,
) -> Result<Option<T>> {
    value.map(|v| parse(&v).map_err(|_| corrupt(what, &v))).transpose()
}

impl YoungPersonRow {
    pub fn into_domain(self) -> Result<(i64, i64, YoungPerson)> {
        let person = YoungPerson {
            local_id: self.local_id,
            child_id: parse_opt(self.child_id, ChildId::parse, "CHILD id")?,
            upn: parse_opt(self.upn, Upn::parse, "UPN")?,
            nhs_number: parse_opt(self.nhs_number, NhsNumber::parse, "NHS number")?,
            ni_number: parse_opt(self.ni_number, NiNumber::parse, "NI number")?,
            legal_name: PersonName {
                given: self.legal_given_name,
                family: self.legal_family_name,
            },
            preferred_name: self.preferred_name,
            date_of_birth: self.date_of_birth.to_jiff(),
            sex: Sex::parse(&self.sex).map_err(|_| corrupt("sex", &self.sex))?,
            gender: self.gender,
            ethnicity: Ethnicity::parse(&self.ethnicity).map_err(|_| corrupt("ethnicity", &self.ethnicity))?,
            uasc: self.uasc,
            disability: Disability::parse(&self.disability).ok_or_else(|| corrupt("disability", &self.disability))?,
            contact: ContactDetails {
                phone: self.phone,
                email: self.email,
                address: self.address,
                postcode: self.postcode,
            },
            died_on: self.died_on.map(|d| d.to_jiff()),
            returned_home_on: self.returned_home_on.map(|d| d.to_jiff()),
            detained_or_in_hospital_on_16th_birthday: self.detained_or_in_hospital_on_16th_birthday,
        };
        Ok((self.id, self.version, person))
    }
}

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct EpisodeRow {
    pub young_person_id: i64,
    pub start_date: SqlDate,
    pub end_date: Option<SqlDate>,
    pub reason_new: Option<String>,
    pub legal_status: String,
    pub category_of_need: Option<String>,
    pub placement: Option<String>,
    pub placement_provider: Option<String>,
    pub reason_ended: Option<String>,
    pub reason_place_change: Option<String>,
    pub home_postcode: Option<String>,
    pub placement_postcode: Option<String>,
    pub urn: Option<String>,
}

macro_rules! episode_columns {
    () => {
        "e.young_person_id, e.start_date, e.end_date, e.reason_new, e.legal_status, \
     e.category_of_need, e.placement, e.placement_provider, e.reason_ended, e.reason_place_change, \
     e.home_postcode, e.placement_postcode, e.urn"
    };
}
pub(crate) use episode_columns;

impl EpisodeRow {
    pub fn into_domain(self) -> Result<(i64, Episode)> {
        let episode = Episode {
            start: self.start_date.to_jiff(),
            end: self.end_date.map(|d| d.to_jiff()),
            reason_new: self.reason_new,
            legal_status: LegalStatus::parse(&self.legal_status)
                .map_err(|_| corrupt("legal status", &self.legal_status))?,
            category_of_need: self.category_of_need,
            placement: self.placement,
            placement_provider: self.placement_provider,
            reason_ended: parse_opt(self.reason_ended, ReasonEpisodeEnded::parse, "reason episode ended")?,
            reason_place_change: self.reason_place_change,
            home_postcode: self.home_postcode,
            placement_postcode: self.placement_postcode,
            urn: self.urn,
        };
        Ok((self.young_person_id, episode))
    }
}

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct KeyDocumentRow {
    pub kind: String,
    pub held_since: Option<SqlDate>,
}

impl KeyDocumentRow {
    pub fn into_domain(self) -> Result<KeyDocument> {
        Ok(KeyDocument {
            kind: KeyDocumentKind::parse(&self.kind).ok_or_else(|| corrupt("key document", &self.kind))?,
            held_since: self.held_since.map(|d| d.to_jiff()),
        })
    }
}

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct RiskFlagRow {
    pub kind: String,
    pub from_date: SqlDate,
    pub to_date: Option<SqlDate>,
}

impl RiskFlagRow {
    pub fn into_domain(self) -> Result<RiskFlag> {
        Ok(RiskFlag {
            kind: RiskFlagKind::parse(&self.kind).ok_or_else(|| corrupt("risk flag", &self.kind))?,
            from: self.from_date.to_jiff(),
            to: self.to_date.map(|d| d.to_jiff()),
        })
    }
}
