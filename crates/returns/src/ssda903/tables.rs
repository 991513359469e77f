//! The tables of an SSDA903 return, recognised by their header row, not their file
//! name, as the DfE's community validator does (`lac_validator/config.py`).

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Table {
    Header,
    Episodes,
    Reviews,
    Uasc,
    Oc2,
    Oc3,
    Ad1,
    PlacedAdoption,
    PrevPerm,
    Missing,
    SwEpisodes,
    /// Deprivation of liberty orders, collected from the year ending 31 March 2027.
    DoLo,
}

impl Table {
    pub const ALL: &'static [Table] = &[
        Table::Header,
        Table::Episodes,
        Table::Reviews,
        Table::Uasc,
        Table::Oc2,
        Table::Oc3,
        Table::Ad1,
        Table::PlacedAdoption,
        Table::PrevPerm,
        Table::Missing,
        Table::SwEpisodes,
        Table::DoLo,
    ];

    /// The table called `name` by the DfE validator.
    pub fn named(name: &str) -> Option<Table> {
        Table::ALL.iter().copied().find(|t| t.name() == name)
    }

    /// The name the DfE validator gives the table (used in JSON output).
    pub fn name(self) -> &'static str {
        match self {
            Table::Header => "Header",
            Table::Episodes => "Episodes",
            Table::Reviews => "Reviews",
            Table::Uasc => "UASC",
            Table::Oc2 => "OC2",
            Table::Oc3 => "OC3",
            Table::Ad1 => "AD1",
            Table::PlacedAdoption => "PlacedAdoption",
            Table::PrevPerm => "PrevPerm",
            Table::Missing => "Missing",
            Table::SwEpisodes => "SWEpisodes",
            Table::DoLo => "DoLo",
        }
    }

    /// The name the DfE validator gives last year's copy of the table.
    pub fn last_year_name(self) -> &'static str {
        match self {
            Table::Header => "Header_last",
            Table::Episodes => "Episodes_last",
            Table::Reviews => "Reviews_last",
            Table::Uasc => "UASC_last",
            Table::Oc2 => "OC2_last",
            Table::Oc3 => "OC3_last",
            Table::Ad1 => "AD1_last",
            Table::PlacedAdoption => "PlacedAdoption_last",
            Table::PrevPerm => "PrevPerm_last",
            Table::Missing => "Missing_last",
            Table::SwEpisodes => "SWEpisodes_last",
            Table::DoLo => "DoLo_last",
        }
    }

    /// The table's columns, in the DfE's order.
    pub fn columns(self) -> &'static [&'static str] {
        match self {
            Table::Header => &["CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"],
            Table::Episodes => &[
                "CHILD",
                "DECOM",
                "RNE",
                "LS",
                "CIN",
                "PLACE",
                "PLACE_PROVIDER",
                "DEC",
                "REC",
                "REASON_PLACE_CHANGE",
                "HOME_POST",
                "PL_POST",
                "URN",
            ],
            Table::Reviews => &["CHILD", "DOB", "REVIEW", "REVIEW_CODE"],
            Table::Uasc => &["CHILD", "SEX", "DOB", "DUC"],
            Table::Oc2 => &[
                "CHILD",
                "DOB",
                "SDQ_SCORE",
                "SDQ_REASON",
                "CONVICTED",
                "HEALTH_CHECK",
                "IMMUNISATIONS",
                "TEETH_CHECK",
                "HEALTH_ASSESSMENT",
                "SUBSTANCE_MISUSE",
                "INTERVENTION_RECEIVED",
                "INTERVENTION_OFFERED",
            ],
            Table::Oc3 => &["CHILD", "DOB", "IN_TOUCH", "ACTIV", "ACCOM"],
            Table::Ad1 => &[
                "CHILD",
                "DOB",
                "DATE_INT",
                "DATE_MATCH",
                "FOSTER_CARE",
                "NB_ADOPTR",
                "SEX_ADOPTR",
                "LS_ADOPTR",
            ],
            Table::PlacedAdoption => &[
                "CHILD",
                "DOB",
                "DATE_PLACED",
                "DATE_PLACED_CEASED",
                "REASON_PLACED_CEASED",
            ],
            Table::PrevPerm => &["CHILD", "DOB", "PREV_PERM", "LA_PERM", "DATE_PERM"],
            Table::Missing => &["CHILD", "DOB", "MISSING", "MIS_START", "MIS_END"],
            Table::SwEpisodes => &["CHILD", "DOB", "SW_ID", "SW_DECOM", "SW_DEC", "SW_REASON"],
            Table::DoLo => &["CHILD", "DOB", "DOLO_START", "DOLO_END"],
        }
    }

    /// The table whose columns are exactly these, in any order.
    pub fn recognise<S: AsRef<str>>(header: &[S]) -> Option<Table> {
        let mut found: Vec<&str> = header.iter().map(|h| h.as_ref().trim()).collect();
        found.sort_unstable();
        Table::ALL.iter().copied().find(|table| {
            let mut expected = table.columns().to_vec();
            expected.sort_unstable();
            expected == found
        })
    }
}

impl fmt::Display for Table {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_is_recognised_by_its_columns_in_any_order() {
        for table in Table::ALL {
            let mut columns: Vec<&str> = table.columns().to_vec();
            assert_eq!(Table::recognise(&columns), Some(*table));
            columns.reverse();
            assert_eq!(Table::recognise(&columns), Some(*table));
            columns.pop();
            assert_eq!(Table::recognise(&columns), None, "{table} less a column");
        }
    }
}
