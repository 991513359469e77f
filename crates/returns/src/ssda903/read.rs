//! Reading SSDA903 CSV tables: any encoding councils' systems produce, tables
//! recognised by header row, and errors that name the file, line and field.

use super::tables::Table;
use std::borrow::Cow;
use std::fmt;
use std::path::Path;

/// A problem with the input, located so a data officer can find and fix it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct InputError {
    pub file: String,
    /// 1-based line in the file (the header row is line 1); `None` for the whole file.
    pub line: Option<u64>,
    pub field: Option<String>,
    pub message: String,
}

impl InputError {
    pub fn file(file: &str, message: impl Into<String>) -> Self {
        InputError {
            file: file.to_owned(),
            line: None,
            field: None,
            message: message.into(),
        }
    }

    pub fn at(file: &str, line: u64, field: &str, message: impl Into<String>) -> Self {
        InputError {
            file: file.to_owned(),
            line: Some(line),
            field: Some(field.to_owned()),
            message: message.into(),
        }
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if let Some(field) = &self.field {
            write!(f, ": {field}")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// One data row, its fields in the table's column order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawRow {
    pub line: u64,
    pub fields: Vec<String>,
}

/// One CSV file recognised as an SSDA903 table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawTable {
    pub table: Table,
    pub file: String,
    pub rows: Vec<RawRow>,
}

impl RawTable {
    /// The value of `column` in `row`, trimmed; empty when blank.
    pub fn value<'a>(&self, row: &'a RawRow, column: &str) -> &'a str {
        self.table
            .columns()
            .iter()
            .position(|c| *c == column)
            .and_then(|i| row.fields.get(i))
            .map_or("", |v| v.trim())
    }
}

/// All the tables found in a folder.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Return {
    pub tables: Vec<RawTable>,
}

impl Return {
    /// Every file holding `table` (a return may split a table over several files).
    pub fn tables(&self, table: Table) -> impl Iterator<Item = &RawTable> {
        self.tables.iter().filter(move |t| t.table == table)
    }

    pub fn has(&self, table: Table) -> bool {
        self.tables(table).next().is_some()
    }
}

/// Text from bytes as councils' systems write them: UTF-8 with or without a byte
/// order mark, or Windows-1252 (Excel's "CSV" on Windows) when not valid UTF-8.
pub fn decode(bytes: &[u8]) -> Cow<'_, str> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes).0,
    }
}

/// A CSV file opened as an SSDA903 table: the table its header row names, the
/// header's length, where each of the table's columns is in the file, and a reader
/// positioned at the first data row.
pub struct OpenedTable<'a> {
    pub table: Table,
    pub header_len: usize,
    /// For each of the table's columns the file has, its position in the file.
    pub order: Vec<usize>,
    pub reader: csv::Reader<&'a [u8]>,
}

/// Reads the header row of decoded CSV text and recognises the table by it.
pub fn open_table<'a>(file: &str, text: &'a str) -> Result<OpenedTable<'a>, InputError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| InputError {
            line: Some(1),
            ..InputError::file(file, format!("cannot read the header row: {e}"))
        })?
        .iter()
        .map(|h| h.trim().to_owned())
        .collect();
    if header.iter().all(String::is_empty) {
        return Err(InputError::file(
            file,
            "the file is empty: expected a header row of SSDA903 column names",
        ));
    }
    let table = Table::recognise(&header).ok_or_else(|| InputError {
        line: Some(1),
        ..InputError::file(
            file,
            format!("the header row ({}) does not match any SSDA903 table", header.join(",")),
        )
    })?;
    let order = table
        .columns()
        .iter()
        .filter_map(|c| header.iter().position(|h| h == c))
        .collect();
    Ok(OpenedTable {
        table,
        header_len: header.len(),
        order,
        reader,
    })
}

/// Reads one CSV file and recognises which table it is by its header row.
pub fn read_table(file: &str, bytes: &[u8]) -> Result<RawTable, InputError> {
    let text = decode(bytes);
    let OpenedTable {
        table,
        header_len,
        order,
        mut reader,
    } = open_table(file, &text)?;
    // The csv crate's own line count drifts after blank lines; count newlines
    // before each record's byte offset instead.
    let newlines: Vec<u64> = memchr_newlines(text.as_bytes());
    // A record's position can point at the line ending before it; skip those.
    let bytes = text.as_bytes();
    let line_at = |byte: u64| {
        let start = bytes
            .iter()
            .skip(usize::try_from(byte).unwrap_or(usize::MAX))
            .take_while(|b| matches!(b, b'\r' | b'\n'))
            .count() as u64
            + byte;
        newlines.partition_point(|&n| n < start) as u64 + 1
    };
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| line_at(p.byte()));
            InputError {
                line: Some(line),
                ..InputError::file(file, format!("cannot read the row: {e}"))
            }
        })?;
        let line = record.position().map_or(0, |p| line_at(p.byte()));
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        if record.len() != header_len {
            return Err(InputError {
                line: Some(line),
                ..InputError::file(
                    file,
                    format!("the row has {} fields but the header has {header_len}", record.len()),
                )
            });
        }
        let fields = order.iter().map(|&i| record.get(i).unwrap_or("").to_owned()).collect();
        rows.push(RawRow { line, fields });
    }
    Ok(RawTable {
        table,
        file: file.to_owned(),
        rows,
    })
}

fn memchr_newlines(bytes: &[u8]) -> Vec<u64> {
    (0u64..)
        .zip(bytes)
        .filter(|(_, b)| **b == b'\n')
        .map(|(i, _)| i)
        .collect()
}

/// Reads every `.csv` file in `dir` (in name order) as an SSDA903 table.
pub fn read_dir(dir: &Path) -> Result<Return, InputError> {
    let shown = dir.display().to_string();
    let entries =
        std::fs::read_dir(dir).map_err(|e| InputError::file(&shown, format!("cannot read the folder: {e}")))?;
    let mut paths = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| InputError::file(&shown, format!("cannot read the folder: {e}")))?;
        let path = entry.path();
        let is_csv = path.extension().is_some_and(|ext| ext.eq_ignore_ascii_case("csv"));
        if is_csv && path.is_file() {
            paths.push(path);
        }
    }
    if paths.is_empty() {
        return Err(InputError::file(&shown, "no .csv files found"));
    }
    paths.sort();
    let mut found = Return::default();
    for path in paths {
        let name = path.display().to_string();
        let bytes = std::fs::read(&path).map_err(|e| InputError::file(&name, format!("cannot read the file: {e}")))?;
        found.tables.push(read_table(&name, &bytes)?);
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    const EPISODES: &str =
        "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n";

    #[test]
    fn reads_utf8_with_a_byte_order_mark_and_windows_1252() {
        let mut bom = b"\xEF\xBB\xBFCHILD,DOB,IN_TOUCH,ACTIV,ACCOM\n1,01/01/2005,YES,F2,D1\n".to_vec();
        let table = read_table("oc3.csv", &bom).unwrap();
        assert_eq!(table.table, Table::Oc3);
        assert_eq!(table.value(&table.rows[0], "ACCOM"), "D1");
        // 0xE9 is "é" in Windows-1252 and invalid on its own in UTF-8.
        bom.extend_from_slice(b"Ren\xE9,01/01/2005,YES,F2,D1\n");
        let table = read_table("oc3.csv", &bom[3..]).unwrap();
        assert_eq!(table.value(&table.rows[1], "CHILD"), "René");
    }

    #[test]
    fn columns_may_come_in_any_order_and_quoted_fields_and_blank_lines_are_fine() {
        let text = "DOB,CHILD,ACCOM,ACTIV,IN_TOUCH\r\n\r\n\"01/01/2005\",\"A,1\",D1,F2,YES\r\n,,,,\r\n";
        let table = read_table("x.csv", text.as_bytes()).unwrap();
        assert_eq!(table.rows.len(), 1);
        assert_eq!(table.value(&table.rows[0], "CHILD"), "A,1");
        assert_eq!(table.rows[0].line, 3);
    }

    #[test]
    fn unknown_headers_and_ragged_rows_are_located() {
        let err = read_table("odd.csv", b"NAME,AGE\nx,1\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "odd.csv:1: the header row (NAME,AGE) does not match any SSDA903 table"
        );
        let ragged = format!("{EPISODES}1,01/01/2020,S,C2\n");
        let err = read_table("eps.csv", ragged.as_bytes()).unwrap_err();
        assert_eq!(err.to_string(), "eps.csv:2: the row has 4 fields but the header has 13");
        let err = read_table("empty.csv", b"").unwrap_err();
        assert!(err.to_string().starts_with("empty.csv: the file is empty"), "{err}");
    }

    proptest::proptest! {
        #[test]
        fn never_panics_on_any_bytes(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..400)) {
            let _ = read_table("fuzz.csv", &bytes);
            let mut with_header = EPISODES.as_bytes().to_vec();
            with_header.extend_from_slice(&bytes);
            let _ = read_table("fuzz.csv", &with_header);
        }
    }
}
