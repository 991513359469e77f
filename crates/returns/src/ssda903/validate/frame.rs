//! One SSDA903 table as the DfE's validator sees it: every field as written,
//! upper-cased, blank fields missing, rows numbered from 0 as the CSV's data rows
//! (blank lines skipped, a row of empty fields kept), so row numbers match the
//! reference exactly.

use super::dates::dfe_date;
use crate::ssda903::read::{InputError, OpenedTable, decode, open_table};
use crate::ssda903::tables::Table;
use jiff::civil::Date;
use std::sync::OnceLock;

/// A column's position in a frame. A column the frame does not have reads as blank.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Col(usize);

/// The cells of one table, stored end to end in one text buffer so a large return
/// stays small in memory (a cell is 4 bytes plus its text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    pub table: Table,
    pub file: String,
    columns: Vec<String>,
    text: String,
    /// Where each cell ends in `text`, row by row; a cell starts where the one
    /// before it ends, and an empty cell is a blank field.
    ends: Vec<u32>,
    /// Each column read as dates, the first time a rule asks: hundreds of rules read
    /// the same few date columns.
    dates: Vec<OnceLock<Box<[Option<Date>]>>>,
    child: Col,
    /// Each row's place in the order of CHILD ids (blank last), the first time a rule
    /// sorts by child: comparing numbers, not text.
    child_ranks: OnceLock<Box<[u32]>>,
}

impl Frame {
    /// An empty frame of `table` with its standard columns.
    pub fn new(table: Table, file: &str) -> Frame {
        Frame {
            table,
            file: file.to_owned(),
            columns: table.columns().iter().map(|c| (*c).to_owned()).collect(),
            text: String::new(),
            ends: Vec::new(),
            dates: table.columns().iter().map(|_| OnceLock::new()).collect(),
            child: Col(table.columns().iter().position(|c| *c == "CHILD").unwrap_or(usize::MAX)),
            child_ranks: OnceLock::new(),
        }
    }

    /// Appends a row of fields in the frame's column order (`None` = blank).
    /// Text is upper-cased, as the reference does on reading.
    pub fn push_row<'a>(&mut self, fields: impl IntoIterator<Item = Option<&'a str>>) {
        let width = self.columns.len();
        let mut pushed = 0;
        for field in fields.into_iter().take(width) {
            self.push_cell(field);
            pushed += 1;
        }
        for _ in pushed..width {
            self.push_cell(None);
        }
    }

    fn push_cell(&mut self, field: Option<&str>) {
        if let Some(value) = field {
            if value.is_ascii() {
                let start = self.text.len();
                self.text.push_str(value);
                self.text[start..].make_ascii_uppercase();
            } else {
                self.text.push_str(&value.to_uppercase());
            }
        }
        // Text past 4 GB cannot be addressed; such a file is refused on reading.
        self.ends.push(u32::try_from(self.text.len()).unwrap_or(u32::MAX));
    }

    /// Adds a column computed from the others (the reference adds `UASC` to the Header).
    pub fn add_column(&mut self, name: &str, value: impl Fn(&Frame, usize) -> Option<String>) {
        let values: Vec<Option<String>> = self.rows().map(|row| value(self, row)).collect();
        let width = self.columns.len();
        let empty = Frame::new(self.table, &self.file);
        let old = std::mem::replace(self, empty);
        self.columns = old.columns.clone();
        self.columns.push(name.to_owned());
        self.dates = self.columns.iter().map(|_| OnceLock::new()).collect();
        self.text
            .reserve(old.text.len() + values.iter().flatten().map(String::len).sum::<usize>());
        self.ends.reserve(old.ends.len() + values.len());
        for (row, value) in values.iter().enumerate() {
            for col in 0..width {
                self.push_cell(old.get(row, Col(col)));
            }
            self.push_cell(value.as_deref());
        }
    }

    pub fn len(&self) -> usize {
        self.ends.len().checked_div(self.columns.len()).unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Every row number, 0-based.
    pub fn rows(&self) -> std::ops::Range<usize> {
        0..self.len()
    }

    pub fn columns(&self) -> &[String] {
        &self.columns
    }

    pub fn has_column(&self, name: &str) -> bool {
        self.columns.iter().any(|c| c == name)
    }

    /// The column called `name`; a column the table does not have reads as blank.
    pub fn col(&self, name: &str) -> Col {
        Col(self.columns.iter().position(|c| c == name).unwrap_or(usize::MAX))
    }

    /// The value in `row` and `col`, upper-cased as written (not trimmed);
    /// `None` when blank.
    pub fn get(&self, row: usize, col: Col) -> Option<&str> {
        if col.0 >= self.columns.len() {
            return None;
        }
        let cell = row * self.columns.len() + col.0;
        let end = *self.ends.get(cell)? as usize;
        let start = match cell {
            0 => 0,
            _ => self.ends[cell - 1] as usize,
        };
        if start == end {
            return None;
        }
        self.text.get(start..end)
    }

    /// `get` by column name, for code that reads one value.
    pub fn value(&self, row: usize, name: &str) -> Option<&str> {
        self.get(row, self.col(name))
    }

    /// The value as a date, read as the reference reads `DD/MM/YYYY`; `None` when
    /// blank or not a date.
    pub fn date(&self, row: usize, col: Col) -> Option<Date> {
        let column = self.dates.get(col.0)?;
        let dates = column.get_or_init(|| self.rows().map(|r| self.get(r, col).and_then(dfe_date)).collect());
        dates.get(row).copied().flatten()
    }

    /// A number that orders `row` by its CHILD id as text, blank last: rows of the
    /// same child (or both blank) have the same number.
    pub fn child_rank(&self, row: usize) -> u32 {
        let ranks = self.child_ranks.get_or_init(|| {
            let mut by_child: Vec<(&str, usize)> = self.rows().filter_map(|r| self.child(r).map(|c| (c, r))).collect();
            by_child.sort_unstable();
            let mut ranks = vec![u32::MAX; self.len()].into_boxed_slice();
            let mut rank = 0u32;
            for (i, &(child, row)) in by_child.iter().enumerate() {
                if i > 0 && by_child[i - 1].0 != child {
                    rank += 1;
                }
                ranks[row] = rank;
            }
            ranks
        });
        ranks.get(row).copied().unwrap_or(u32::MAX)
    }

    /// The CHILD id of `row`.
    pub fn child(&self, row: usize) -> Option<&str> {
        self.get(row, self.child)
    }

    /// Reads a CSV file, recognises its table by its header row, and keeps every field
    /// as the reference would.
    pub fn read(file: &str, bytes: &[u8]) -> Result<Frame, InputError> {
        let text = decode(bytes);
        let OpenedTable {
            table,
            header_len,
            order,
            mut reader,
        } = open_table(file, &text)?;
        let mut frame = Frame::new(table, file);
        // The cells take about as much text as the file: grow once, not by doubling.
        frame.text.reserve(text.len());
        let mut record = csv::StringRecord::new();
        let mut data_row: u64 = 0;
        loop {
            match reader.read_record(&mut record) {
                Ok(false) => break,
                Ok(true) => {}
                Err(e) => {
                    let line = e.position().map_or(0, |p| p.line());
                    return Err(located(file, line, format!("cannot read the row: {e}")));
                }
            }
            data_row += 1;
            // A blank line has one empty field; a line of commas is a row of blanks.
            if record.len() == 1 && record.get(0).is_some_and(str::is_empty) && header_len > 1 {
                continue;
            }
            if record.len() != header_len {
                let line = record.position().map_or(data_row + 1, |p| p.line());
                return Err(located(
                    file,
                    line,
                    format!("the row has {} fields but the header has {header_len}", record.len()),
                ));
            }
            frame.push_row(order.iter().map(|&i| record.get(i)));
        }
        if frame.text.len() >= u32::MAX as usize {
            return Err(InputError::file(file, "the file is too large (over 4 GB of text)"));
        }
        frame.text.shrink_to_fit();
        frame.ends.shrink_to_fit();
        Ok(frame)
    }
}

fn located(file: &str, line: u64, message: String) -> InputError {
    InputError {
        line: Some(line),
        ..InputError::file(file, message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_ordered_by_child_rank_are_in_the_order_of_their_child_ids_blank_last() {
        let text = "CHILD,DOB,IN_TOUCH,ACTIV,ACCOM\nb2,,,,\n,,,,\na10,,,,\nB2,,,,\na9,,,,\n,,,,\n";
        let frame = Frame::read("oc3.csv", text.as_bytes()).unwrap();
        let mut rows: Vec<usize> = frame.rows().collect();
        rows.sort_by_key(|&r| frame.child_rank(r));
        let ids: Vec<Option<&str>> = rows.iter().map(|&r| frame.child(r)).collect();
        assert_eq!(ids, [Some("A10"), Some("A9"), Some("B2"), Some("B2"), None, None]);
        assert_eq!(frame.child_rank(0), frame.child_rank(3), "the same child");
        assert_eq!(frame.child_rank(1), frame.child_rank(5), "blanks together, last");
    }

    #[test]
    fn fields_are_kept_as_written_upper_cased_and_rows_numbered_as_the_reference_does() {
        let text = "DOB,CHILD,ACCOM,ACTIV,IN_TOUCH\r\n\r\n01/01/2005,a1, d1,F2,yes\r\n,,,,\r\n\"1/2/2005\",\"B,2\",,NA,Ren\u{e9}\r\n";
        let frame = Frame::read("oc3.csv", text.as_bytes()).unwrap();
        assert_eq!(frame.table, Table::Oc3);
        assert_eq!(frame.len(), 3, "the blank line is skipped, the row of commas kept");
        let child = frame.col("CHILD");
        assert_eq!(frame.get(0, child), Some("A1"));
        assert_eq!(frame.value(0, "ACCOM"), Some(" D1"), "not trimmed");
        assert_eq!(frame.get(1, child), None);
        assert_eq!(frame.get(2, child), Some("B,2"));
        assert_eq!(frame.value(2, "ACCOM"), None);
        assert_eq!(frame.value(2, "ACTIV"), Some("NA"), "NA is text, not missing");
        assert_eq!(frame.value(2, "IN_TOUCH"), Some("REN\u{c9}"));
        assert_eq!(frame.date(2, frame.col("DOB")), Some(jiff::civil::date(2005, 2, 1)));
        assert_eq!(frame.value(0, "NOT_A_COLUMN"), None);
    }

    #[test]
    fn a_derived_column_is_added_to_every_row() {
        let mut frame = Frame::read("h.csv", b"CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n1,1,,,,,\n2,2,,,,,\n").unwrap();
        frame.add_column("UASC", |f, row| {
            Some(if f.child(row) == Some("2") { "1" } else { "0" }.to_owned())
        });
        assert_eq!(frame.value(0, "UASC"), Some("0"));
        assert_eq!(frame.value(1, "UASC"), Some("1"));
        assert_eq!(frame.value(1, "SEX"), Some("2"));
    }

    #[test]
    fn ragged_rows_and_unknown_headers_are_located() {
        let err = Frame::read("x.csv", b"CHILD,DOB,IN_TOUCH,ACTIV,ACCOM\n1,2\n").unwrap_err();
        assert_eq!(err.to_string(), "x.csv:2: the row has 2 fields but the header has 5");
        let err = Frame::read("y.csv", b"A,B\n1,2\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "y.csv:1: the header row (A,B) does not match any SSDA903 table"
        );
    }

    proptest::proptest! {
        #[test]
        fn reading_never_panics(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..400)) {
            let mut with_header = b"CHILD,DOB,IN_TOUCH,ACTIV,ACCOM\n".to_vec();
            with_header.extend_from_slice(&bytes);
            if let Ok(frame) = Frame::read("f.csv", &with_header) {
                for row in frame.rows() {
                    let _ = frame.date(row, frame.col("DOB"));
                }
            }
            let _ = Frame::read("f.csv", &bytes);
        }
    }
}
