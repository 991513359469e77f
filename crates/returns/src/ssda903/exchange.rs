//! SSDA903 tables for import into and export from Pathways: every Header field,
//! every Episodes field and the OC3 rows, read with file:line: field errors and
//! written in the DfE's column order with `DD/MM/YYYY` dates.
//!
//! Export row order (so a return read in and written out again is byte-identical
//! when it was written in that order): Header by CHILD; Episodes by CHILD then
//! DECOM; OC3 by CHILD. CHILD ids are compared as text. Lines end in `\n`; a
//! field is quoted only when it must be.

use super::children::children_from;
use super::read::{InputError, RawRow, RawTable, Return};
use super::tables::Table;
use jiff::civil::Date;
use pathways_domain::care::Episode;
use pathways_domain::codes::{Ethnicity, Sex};
use pathways_domain::dates::{format_dfe, parse_dfe};
use pathways_domain::ids::ChildId;
use std::collections::BTreeMap;
use std::path::Path;

/// One Header row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderRow {
    pub child: ChildId,
    pub sex: Sex,
    pub date_of_birth: Date,
    pub ethnicity: Ethnicity,
    /// As written: a UPN or one of the `UN1`–`UN10` reasons there is none.
    pub upn: Option<String>,
    /// `MOTHER`: 1 if the child is a mother, 0 if not, blank when not applicable.
    pub mother: Option<String>,
    pub mc_dob: Option<Date>,
}

/// One OC3 row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Oc3Row {
    pub child: ChildId,
    pub date_of_birth: Date,
    pub in_touch: String,
    pub activity: String,
    pub accommodation: String,
}

/// A child with their Header row and episodes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExchangeChild {
    pub header: HeaderRow,
    pub episodes: Vec<Episode>,
}

/// The tables Pathways imports and exports.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Exchange {
    /// Sorted by CHILD; each child's episodes by DECOM.
    pub children: Vec<ExchangeChild>,
    /// Sorted by CHILD.
    pub oc3: Vec<Oc3Row>,
}

/// Reads Header, Episodes and (if present) OC3 from tables already found. An OC3
/// row must be for a child in the Header table with the same DOB, so the store can
/// hold it against that young person.
pub fn exchange_from(found: &Return, shown_dir: &str) -> Result<Exchange, InputError> {
    let children = children_from(found, shown_dir)?;
    let mut headers: BTreeMap<ChildId, HeaderRow> = BTreeMap::new();
    for table in found.tables(Table::Header) {
        for row in &table.rows {
            let header = header_row(table, row)?;
            headers.insert(header.child.clone(), header);
        }
    }
    let mut oc3: BTreeMap<ChildId, Oc3Row> = BTreeMap::new();
    for table in found.tables(Table::Oc3) {
        for row in &table.rows {
            let child = ChildId::parse(table.value(row, "CHILD"))
                .map_err(|e| InputError::at(&table.file, row.line, "CHILD", e.to_string()))?;
            let date_of_birth = date(table, row, "DOB")?;
            let Some(header) = headers.get(&child) else {
                return Err(InputError::at(
                    &table.file,
                    row.line,
                    "CHILD",
                    format!("child {child} has an OC3 row but no row in the Header table"),
                ));
            };
            if header.date_of_birth != date_of_birth {
                return Err(InputError::at(
                    &table.file,
                    row.line,
                    "DOB",
                    format!("does not match the Header table's DOB for child {child}"),
                ));
            }
            let in_touch = table.value(row, "IN_TOUCH").to_owned();
            if in_touch.is_empty() {
                return Err(InputError::at(&table.file, row.line, "IN_TOUCH", "is blank"));
            }
            let parsed = Oc3Row {
                child: child.clone(),
                date_of_birth,
                in_touch,
                activity: table.value(row, "ACTIV").to_owned(),
                accommodation: table.value(row, "ACCOM").to_owned(),
            };
            if oc3.insert(child.clone(), parsed).is_some() {
                return Err(InputError::at(
                    &table.file,
                    row.line,
                    "CHILD",
                    format!("child {child} appears twice in the OC3 table"),
                ));
            }
        }
    }
    let children = children
        .into_iter()
        .filter_map(|child| {
            let header = headers.remove(&child.child)?;
            let mut episodes = child.episodes;
            episodes.sort_by_key(|e| e.start);
            Some(ExchangeChild { header, episodes })
        })
        .collect();
    Ok(Exchange {
        children,
        oc3: oc3.into_values().collect(),
    })
}

fn date(table: &RawTable, row: &RawRow, column: &str) -> Result<Date, InputError> {
    parse_dfe(table.value(row, column)).map_err(|e| InputError::at(&table.file, row.line, column, e.to_string()))
}

fn text(table: &RawTable, row: &RawRow, column: &str) -> Option<String> {
    Some(table.value(row, column))
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
}

fn header_row(table: &RawTable, row: &RawRow) -> Result<HeaderRow, InputError> {
    let at = |field: &str, message: String| InputError::at(&table.file, row.line, field, message);
    let child = ChildId::parse(table.value(row, "CHILD")).map_err(|e| at("CHILD", e.to_string()))?;
    let sex = Sex::parse(table.value(row, "SEX")).map_err(|e| at("SEX", e.to_string()))?;
    let ethnicity = Ethnicity::parse(table.value(row, "ETHNIC")).map_err(|e| at("ETHNIC", e.to_string()))?;
    let mc_dob = match table.value(row, "MC_DOB") {
        "" => None,
        _ => Some(date(table, row, "MC_DOB")?),
    };
    Ok(HeaderRow {
        child,
        sex,
        date_of_birth: date(table, row, "DOB")?,
        ethnicity,
        upn: text(table, row, "UPN"),
        mother: text(table, row, "MOTHER"),
        mc_dob,
    })
}

/// A CSV file's bytes: the table's header row, then `rows`.
fn csv_bytes(table: Table, rows: impl IntoIterator<Item = Vec<String>>) -> Result<Vec<u8>, csv::Error> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    writer.write_record(table.columns())?;
    for row in rows {
        writer.write_record(&row)?;
    }
    writer.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}

fn opt_date(date: Option<Date>) -> String {
    date.map(format_dfe).unwrap_or_default()
}

fn opt(text: &Option<String>) -> String {
    text.clone().unwrap_or_default()
}

impl Exchange {
    /// header.csv, episodes.csv and oc3.csv, as (file name, bytes).
    pub fn to_csv(&self) -> Result<Vec<(&'static str, Vec<u8>)>, csv::Error> {
        let header = csv_bytes(
            Table::Header,
            self.children.iter().map(|c| {
                let h = &c.header;
                vec![
                    h.child.to_string(),
                    h.sex.code().to_owned(),
                    format_dfe(h.date_of_birth),
                    h.ethnicity.code().to_owned(),
                    opt(&h.upn),
                    opt(&h.mother),
                    opt_date(h.mc_dob),
                ]
            }),
        )?;
        let episodes = csv_bytes(
            Table::Episodes,
            self.children.iter().flat_map(|c| {
                c.episodes.iter().map(|e| {
                    vec![
                        c.header.child.to_string(),
                        format_dfe(e.start),
                        opt(&e.reason_new),
                        e.legal_status.code().to_owned(),
                        opt(&e.category_of_need),
                        opt(&e.placement),
                        opt(&e.placement_provider),
                        opt_date(e.end),
                        e.reason_ended.map(|r| r.code().to_owned()).unwrap_or_default(),
                        opt(&e.reason_place_change),
                        opt(&e.home_postcode),
                        opt(&e.placement_postcode),
                        opt(&e.urn),
                    ]
                })
            }),
        )?;
        let oc3 = csv_bytes(
            Table::Oc3,
            self.oc3.iter().map(|r| {
                vec![
                    r.child.to_string(),
                    format_dfe(r.date_of_birth),
                    r.in_touch.clone(),
                    r.activity.clone(),
                    r.accommodation.clone(),
                ]
            }),
        )?;
        Ok(vec![
            ("header.csv", header),
            ("episodes.csv", episodes),
            ("oc3.csv", oc3),
        ])
    }

    /// Writes header.csv, episodes.csv and oc3.csv into `dir` (created if missing).
    pub fn write_dir(&self, dir: &Path) -> Result<(), InputError> {
        let shown = dir.display().to_string();
        let files = self
            .to_csv()
            .map_err(|e| InputError::file(&shown, format!("cannot write the tables: {e}")))?;
        std::fs::create_dir_all(dir).map_err(|e| InputError::file(&shown, format!("cannot create the folder: {e}")))?;
        for (name, bytes) in files {
            let path = dir.join(name);
            std::fs::write(&path, bytes)
                .map_err(|e| InputError::file(&path.display().to_string(), format!("cannot write the file: {e}")))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ssda903::read_table;

    const HEADER: &str =
        "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\nA1,F,01/01/2007,WBRI,UN1,1,02/02/2024\nB2,M,15/06/2009,\"WBRI\",,,\n";
    const EPISODES: &str = "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\nA1,01/02/2023,S,C2,N1,U1,PR1,01/03/2023,X1,,AB1,CD2,SC1\nA1,01/03/2023,P,C2,N1,U3,PR1,,,CHANGE,,,\nB2,01/05/2024,S,V2,N2,U1,PR2,,,,,,\n";
    const OC3: &str = "CHILD,DOB,IN_TOUCH,ACTIV,ACCOM\nA1,01/01/2007,YES,F2,D1\n";

    fn found(header: &str, episodes: &str, oc3: &str) -> Return {
        Return {
            tables: vec![
                read_table("header.csv", header.as_bytes()).unwrap(),
                read_table("episodes.csv", episodes.as_bytes()).unwrap(),
                read_table("oc3.csv", oc3.as_bytes()).unwrap(),
            ],
        }
    }

    #[test]
    fn tables_written_in_export_order_come_back_byte_identical() {
        let exchange = exchange_from(&found(HEADER, EPISODES, OC3), "dir").unwrap();
        assert_eq!(exchange.children[0].header.upn.as_deref(), Some("UN1"));
        let files = exchange.to_csv().unwrap();
        // The only difference: quotes that were not needed.
        assert_eq!(String::from_utf8_lossy(&files[0].1), HEADER.replace("\"WBRI\"", "WBRI"));
        assert_eq!(String::from_utf8_lossy(&files[1].1), EPISODES);
        assert_eq!(String::from_utf8_lossy(&files[2].1), OC3);
    }

    #[test]
    fn bad_header_and_oc3_values_are_located() {
        let cases = [
            (HEADER.replace("A1,F,", "A1,Q,"), OC3.to_owned(), "header.csv:2: SEX: "),
            (
                HEADER.replace("02/02/2024", "2024"),
                OC3.to_owned(),
                "header.csv:2: MC_DOB: ",
            ),
            (
                HEADER.to_owned(),
                OC3.replace("A1,", "Z9,"),
                "oc3.csv:2: CHILD: child Z9 has an OC3 row but no row",
            ),
            (
                HEADER.to_owned(),
                OC3.replace("01/01/2007", "02/01/2007"),
                "oc3.csv:2: DOB: does not match",
            ),
        ];
        for (header, oc3, expected) in cases {
            let err = exchange_from(&found(&header, EPISODES, &oc3), "dir").unwrap_err();
            assert!(err.to_string().starts_with(expected), "{err} vs {expected}");
        }
    }
}
