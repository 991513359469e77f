//! Children from the Header and Episodes tables, as domain types.

use super::read::{InputError, RawRow, RawTable, Return};
use super::tables::Table;
use jiff::civil::Date;
use pathways_domain::care::Episode;
use pathways_domain::codes::{LegalStatus, ReasonEpisodeEnded};
use pathways_domain::dates::parse_dfe;
use pathways_domain::ids::ChildId;
use std::collections::BTreeMap;

/// A child in the return: identity from the Header table and every episode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ssda903Child {
    pub child: ChildId,
    pub date_of_birth: Date,
    pub episodes: Vec<Episode>,
}

/// Every child in the Header tables, with their episodes, sorted by CHILD id.
/// The first problem found is returned with its file, line and field.
pub fn children_from(found: &Return, shown_dir: &str) -> Result<Vec<Ssda903Child>, InputError> {
    for table in [Table::Header, Table::Episodes] {
        if !found.has(table) {
            return Err(InputError::file(
                shown_dir,
                format!("no {table} table found (recognised by its header row)"),
            ));
        }
    }
    let mut children: BTreeMap<ChildId, Ssda903Child> = BTreeMap::new();
    let mut first_seen: BTreeMap<ChildId, (String, u64)> = BTreeMap::new();
    for table in found.tables(Table::Header) {
        for row in &table.rows {
            let child = child_id(table, row)?;
            if let Some((file, line)) = first_seen.get(&child) {
                return Err(InputError::at(
                    &table.file,
                    row.line,
                    "CHILD",
                    format!("child {child} appears twice in the Header table (first at {file}:{line})"),
                ));
            }
            let date_of_birth = date(table, row, "DOB")?;
            first_seen.insert(child.clone(), (table.file.clone(), row.line));
            children.insert(
                child.clone(),
                Ssda903Child {
                    child,
                    date_of_birth,
                    episodes: Vec::new(),
                },
            );
        }
    }
    for table in found.tables(Table::Episodes) {
        for row in &table.rows {
            let id = child_id(table, row)?;
            let episode = episode(table, row)?;
            let Some(child) = children.get_mut(&id) else {
                return Err(InputError::at(
                    &table.file,
                    row.line,
                    "CHILD",
                    format!("child {id} has an episode but no row in the Header table"),
                ));
            };
            child.episodes.push(episode);
        }
    }
    Ok(children.into_values().collect())
}

fn child_id(table: &RawTable, row: &RawRow) -> Result<ChildId, InputError> {
    ChildId::parse(table.value(row, "CHILD")).map_err(|e| InputError::at(&table.file, row.line, "CHILD", e.to_string()))
}

fn date(table: &RawTable, row: &RawRow, column: &str) -> Result<Date, InputError> {
    let value = table.value(row, column);
    if value.is_empty() {
        return Err(InputError::at(
            &table.file,
            row.line,
            column,
            "is blank; a date DD/MM/YYYY is needed",
        ));
    }
    parse_dfe(value).map_err(|e| InputError::at(&table.file, row.line, column, e.to_string()))
}

fn optional_date(table: &RawTable, row: &RawRow, column: &str) -> Result<Option<Date>, InputError> {
    if table.value(row, column).is_empty() {
        return Ok(None);
    }
    date(table, row, column).map(Some)
}

fn optional_text(table: &RawTable, row: &RawRow, column: &str) -> Option<String> {
    Some(table.value(row, column))
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
}

fn episode(table: &RawTable, row: &RawRow) -> Result<Episode, InputError> {
    let start = date(table, row, "DECOM")?;
    let end = optional_date(table, row, "DEC")?;
    if let Some(end) = end.filter(|end| *end < start) {
        return Err(InputError::at(
            &table.file,
            row.line,
            "DEC",
            format!("episode ends ({end}) before it starts ({start})"),
        ));
    }
    let legal_status = LegalStatus::parse(table.value(row, "LS"))
        .map_err(|e| InputError::at(&table.file, row.line, "LS", e.to_string()))?;
    let reason_ended = match table.value(row, "REC") {
        "" => None,
        code => Some(
            ReasonEpisodeEnded::parse(code).map_err(|e| InputError::at(&table.file, row.line, "REC", e.to_string()))?,
        ),
    };
    Ok(Episode {
        start,
        end,
        reason_new: optional_text(table, row, "RNE"),
        legal_status,
        category_of_need: optional_text(table, row, "CIN"),
        placement: optional_text(table, row, "PLACE"),
        placement_provider: optional_text(table, row, "PLACE_PROVIDER"),
        reason_ended,
        reason_place_change: optional_text(table, row, "REASON_PLACE_CHANGE"),
        home_postcode: optional_text(table, row, "HOME_POST"),
        placement_postcode: optional_text(table, row, "PL_POST"),
        urn: optional_text(table, row, "URN"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ssda903::read_table;

    fn found(header: &str, episodes: &str) -> Return {
        let header = format!("CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n{header}");
        let episodes = format!(
            "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n{episodes}"
        );
        Return {
            tables: vec![
                read_table("header.csv", header.as_bytes()).unwrap(),
                read_table("episodes.csv", episodes.as_bytes()).unwrap(),
            ],
        }
    }

    #[test]
    fn children_come_sorted_with_their_episodes() {
        let found = found(
            "B2,M,15/06/2009,WBRI,,,\nA1,F,01/01/2008,WBRI,,,\n",
            "A1,01/02/2023,S,C2,N1,U1,PR1,01/03/2023,X1,,,,\nA1,01/03/2023,P,C2,N1,U3,PR1,,,,,,\n",
        );
        let children = children_from(&found, "dir").unwrap();
        let ids: Vec<_> = children.iter().map(|c| c.child.as_str()).collect();
        assert_eq!(ids, ["A1", "B2"]);
        assert_eq!(children[0].episodes.len(), 2);
        assert_eq!(children[0].episodes[1].end, None);
        assert_eq!(children[0].episodes[0].reason_ended, Some(ReasonEpisodeEnded::X1));
    }

    #[test]
    fn bad_values_name_file_line_and_field() {
        let cases = [
            (
                "A1,F,31/02/2008,WBRI,,,\n",
                "",
                "header.csv:2: DOB: \"31/02/2008\" is not a real date",
            ),
            (
                "A1,F,,WBRI,,,\n",
                "",
                "header.csv:2: DOB: is blank; a date DD/MM/YYYY is needed",
            ),
            (
                "A1,F,01/01/2008,WBRI,,,\n",
                "A1,2023-01-01,S,C2,,,,,,,,,\n",
                "episodes.csv:2: DECOM: expected a date as DD/MM/YYYY, found \"2023-01-01\"",
            ),
            (
                "A1,F,01/01/2008,WBRI,,,\n",
                "A1,01/01/2023,S,Q9,,,,,,,,,\n",
                "episodes.csv:2: LS: \"Q9\" is not a valid legal status (LS) code",
            ),
            (
                "A1,F,01/01/2008,WBRI,,,\n",
                "Z9,01/01/2023,S,C2,,,,,,,,,\n",
                "episodes.csv:2: CHILD: child Z9 has an episode but no row in the Header table",
            ),
            (
                "A1,F,01/01/2008,WBRI,,,\nA1,F,01/01/2008,WBRI,,,\n",
                "",
                "header.csv:3: CHILD: child A1 appears twice in the Header table (first at header.csv:2)",
            ),
        ];
        for (header, episodes, expected) in cases {
            let err = children_from(&found(header, episodes), "dir").unwrap_err();
            assert_eq!(err.to_string(), expected);
        }
    }
}
