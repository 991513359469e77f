//! Care history: episodes of being looked after, with the SSDA903 Episodes fields.

use crate::codes::{LegalStatus, ReasonEpisodeEnded};
use crate::dates::add_days;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// One episode of care (a row of the SSDA903 Episodes table).
///
/// A new episode starts whenever legal status or placement changes; a period of
/// care is one or more consecutive episodes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Episode {
    /// `DECOM`: the date the episode started.
    pub start: Date,
    /// `DEC`: the date it ended; `None` while the child is still in it.
    pub end: Option<Date>,
    /// `RNE`: reason for new episode (L, P, T, B, U, S).
    pub reason_new: Option<String>,
    /// `LS`: legal status.
    pub legal_status: LegalStatus,
    /// `CIN`: category of need (N1–N8).
    pub category_of_need: Option<String>,
    /// `PLACE`: placement type.
    pub placement: Option<String>,
    /// `PLACE_PROVIDER`: PR0–PR5.
    pub placement_provider: Option<String>,
    /// `REC`: reason episode ceased.
    pub reason_ended: Option<ReasonEpisodeEnded>,
    /// `REASON_PLACE_CHANGE`.
    pub reason_place_change: Option<String>,
    /// `HOME_POST`: the home postcode (first part only in the return).
    pub home_postcode: Option<String>,
    /// `PL_POST`: the placement postcode.
    pub placement_postcode: Option<String>,
    /// `URN`: Ofsted unique reference number of the placement.
    pub urn: Option<String>,
}

impl Episode {
    /// An episode with only the fields the legal rules read.
    pub fn new(start: Date, end: Option<Date>, legal_status: LegalStatus) -> Self {
        Episode {
            start,
            end,
            reason_new: None,
            legal_status,
            category_of_need: None,
            placement: None,
            placement_provider: None,
            reason_ended: None,
            reason_place_change: None,
            home_postcode: None,
            placement_postcode: None,
            urn: None,
        }
    }

    /// The same episode, ended on `end` for `reason`.
    pub fn ended(mut self, end: Date, reason: ReasonEpisodeEnded) -> Self {
        self.end = Some(end);
        self.reason_ended = Some(reason);
        self
    }

    /// The days looked after in this episode as known on `as_at`, as a half-open
    /// range `[start, end)`: DECOM counts, DEC does not, and an episode still open
    /// (or ending after `as_at`) runs through `as_at` inclusive. `None` when the
    /// episode had not started by `as_at`.
    pub fn days_as_at(&self, as_at: Date) -> Option<(Date, Date)> {
        if self.start > as_at {
            return None;
        }
        let through_as_at = add_days(as_at, 1);
        let end = self.end.map_or(through_as_at, |end| end.min(through_as_at));
        (end > self.start).then_some((self.start, end))
    }
}
