//! What a data officer reads after a validation: a plain-text report to work
//! through rule by rule, and a workbook holding every table of the return with
//! the failing cells marked.

use super::rules::{Rule, code_order};
use super::{Dataset, Frame, Report, TableRef, ValidationError};
use crate::ssda903::read::decode;
use crate::ssda903::tables::Table;
use rust_xlsxwriter::{Color, DocProperties, Format, FormatAlign, FormatBorder, Note, Workbook, Worksheet};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::{self, Write as _};

pub use rust_xlsxwriter::XlsxError;

/// How many flagged rows the text report lists under each rule.
pub const ROWS_LISTED: usize = 10;

/// The line of its CSV file each row of each table was read from, so a report can
/// send the reader to the line in the file (blank lines and fields running over
/// several lines make it differ from the row number).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Lines(BTreeMap<TableRef, Vec<u64>>);

impl Lines {
    /// The 1-based line each data row of a CSV file starts on, reading the file as
    /// `Frame::read` does (the header row is line 1); `None` when it cannot be read.
    pub fn of_csv(bytes: &[u8]) -> Option<Vec<u64>> {
        let text = decode(bytes);
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(true)
            .from_reader(text.as_bytes());
        let width = reader.headers().ok()?.len();
        let mut record = csv::StringRecord::new();
        let mut lines = Vec::new();
        while reader.read_record(&mut record).ok()? {
            if record.len() == 1 && record.get(0).is_some_and(str::is_empty) && width > 1 {
                continue;
            }
            let position = record.position()?;
            lines.push(skip_blank_lines(text.as_bytes(), position.byte(), position.line()));
        }
        Some(lines)
    }

    /// Records the lines of `table`'s rows (from [`Lines::of_csv`]).
    pub fn insert(&mut self, table: TableRef, lines: Vec<u64>) {
        self.0.insert(table, lines);
    }

    /// Reads again the files the return's tables were read from (as
    /// `Dataset::read` names them) to find each row's line. A file that cannot be
    /// read, or no longer has the rows the table has, is left out: its rows are
    /// then shown by number.
    pub fn read(dataset: &Dataset) -> Lines {
        let mut lines = Lines::default();
        for (table, frame) in tables(dataset) {
            let found = std::fs::read(&frame.file).ok().and_then(|bytes| Lines::of_csv(&bytes));
            if let Some(found) = found.filter(|found| found.len() == frame.len()) {
                lines.insert(table, found);
            }
        }
        lines
    }

    /// The line of the file `row` (0-based) of `table` starts on, when known.
    pub fn line(&self, table: TableRef, row: usize) -> Option<u64> {
        self.0.get(&table)?.get(row).copied()
    }
}

/// The line the text at `byte` starts on, counting from `line` there: the CSV
/// reader places a row after blank lines at the first blank line.
fn skip_blank_lines(text: &[u8], byte: u64, mut line: u64) -> u64 {
    let mut rest = text
        .get(usize::try_from(byte).unwrap_or(usize::MAX)..)
        .unwrap_or_default();
    loop {
        match rest {
            [b'\r', b'\n', after @ ..] | [b'\r' | b'\n', after @ ..] => {
                line += 1;
                rest = after;
            }
            _ => return line,
        }
    }
}

/// The plain-text report a data officer works through: what was checked, then
/// every failing rule in code order with the first rows to look at, then the
/// rules that could not run. `rules` gives each code's message and fields
/// (`rules::for_year(dataset.year)`); `lines` the CSV lines of the rows, when
/// known (`Lines::default()` shows rows by number).
pub fn text(report: &Report, dataset: &Dataset, rules: &[&Rule], lines: &Lines) -> String {
    let mut out = String::new();
    // Writing to a String cannot fail.
    let _ = write_text(&mut out, report, dataset, rules, lines);
    out
}

fn write_text(out: &mut String, report: &Report, dataset: &Dataset, rules: &[&Rule], lines: &Lines) -> fmt::Result {
    let findings = by_rule(report, rules, lines);
    headline(out, report, dataset)?;
    if findings.is_empty() {
        no_errors(out, report)?;
    } else {
        writeln!(out)?;
        writeln!(
            out,
            "Each row is shown by its line in the CSV file (the header row is line 1), or as \
             \"data row N\" (counting from 1 after the header) where the file's lines are not known."
        )?;
        for rule in &findings {
            writeln!(out)?;
            rule_section(out, rule)?;
        }
    }
    failed_section(out, report, &rules_by_code(rules))
}

fn headline(out: &mut String, report: &Report, dataset: &Dataset) -> fmt::Result {
    writeln!(out, "SSDA903 validation report")?;
    writeln!(out, "Collection: {}", year_label(dataset.year))?;
    writeln!(out)?;
    let found: Vec<(TableRef, &Frame)> = tables(dataset).collect();
    if found.is_empty() {
        writeln!(out, "Tables found: none")?;
    } else {
        writeln!(out, "Tables found:")?;
        let width = found.iter().map(|(t, _)| t.name().len()).max().unwrap_or(0);
        for (table, frame) in &found {
            let whose = if matches!(table, TableRef::Last(_)) {
                " (last year's return)"
            } else {
                ""
            };
            writeln!(
                out,
                "  {:width$}  {}{whose}",
                table.name(),
                plural(frame.len(), "row", "rows")
            )?;
        }
    }
    writeln!(out, "Rules run: {}", thousands(report.rules_run.len()))?;
    if report.errors.is_empty() {
        writeln!(out, "Errors found: none")
    } else {
        writeln!(
            out,
            "Errors found: {}, for {}",
            thousands(report.errors.len()),
            plural(children_with_errors(report), "child", "children")
        )
    }
}

fn no_errors(out: &mut String, report: &Report) -> fmt::Result {
    writeln!(out)?;
    let run = report.rules_run.len();
    if run == 0 && report.rules_failed.is_empty() {
        writeln!(out, "No rules ran: the return has none of the tables the rules need.")
    } else if report.rules_failed.is_empty() {
        writeln!(
            out,
            "No errors found: the return passes all {} that ran.",
            plural(run, "rule", "rules")
        )
    } else {
        writeln!(
            out,
            "No errors found by the {} that ran, but {} could not run (listed below).",
            plural(run, "rule", "rules"),
            plural(report.rules_failed.len(), "rule", "rules")
        )
    }
}

fn rule_section(out: &mut String, rule: &RuleFindings) -> fmt::Result {
    writeln!(out, "{}: {}", rule.code, rule.message)?;
    writeln!(out, "  Fields: {}", rule.fields)?;
    let in_tables: Vec<String> = rule
        .tables
        .iter()
        .map(|(table, count)| format!("{table} {}", thousands(*count)))
        .collect();
    writeln!(
        out,
        "  {} ({}), for {}",
        plural(rule.rows, "row", "rows"),
        in_tables.join(", "),
        plural(rule.children, "child", "children")
    )?;
    for row in &rule.first_rows {
        writeln!(out, "    {}", row_reference(row))?;
    }
    if rule.more > 0 {
        writeln!(out, "    and {} more", thousands(rule.more))?;
    }
    Ok(())
}

fn failed_section(out: &mut String, report: &Report, by_code: &HashMap<&str, &Rule>) -> fmt::Result {
    if report.rules_failed.is_empty() {
        return Ok(());
    }
    writeln!(out)?;
    writeln!(out, "Rules that could not run")?;
    writeln!(
        out,
        "These rules stopped on data Pathways could not handle, so any errors they would find \
         are not listed above. Check these by hand and report them to Pathways support:"
    )?;
    for code in &report.rules_failed {
        writeln!(out, "  {code}: {}", message(by_code.get(code).copied()))?;
    }
    Ok(())
}

/// `Header line 4 (child 12)`, or `Header data row 3 (child 12)` when the line is
/// not known.
fn row_reference(row: &FlaggedRow) -> String {
    let child = match &row.child {
        Some(child) => format!("child {child}"),
        None => "no CHILD ID".to_owned(),
    };
    match row.line {
        Some(line) => format!("{} line {line} ({child})", row.table),
        None => format!("{} data row {} ({child})", row.table, row.row + 1),
    }
}

/// "year ending 31 March 2026 (2025-26)".
pub fn year_label(year: i16) -> String {
    format!("year ending 31 March {year} ({}-{:02})", year - 1, year.rem_euclid(100))
}

fn message(rule: Option<&Rule>) -> &'static str {
    rule.map_or("(no message: the rule is not among those given)", |r| r.message)
}

fn fields(rule: Option<&Rule>) -> String {
    match rule {
        Some(rule) if !rule.fields.is_empty() => rule.fields.join(", "),
        _ => "none named".to_owned(),
    }
}

/// "1 row", "2,500 rows".
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{} {}", thousands(n), if n == 1 { one } else { many })
}

/// `12345` as "12,345".
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// How many different children the report's errors are about (rows without a
/// CHILD ID are not counted).
pub fn children_with_errors(report: &Report) -> usize {
    children(report.errors.iter())
}

/// How many different children `errors` are about (rows without a CHILD ID are
/// not counted).
fn children<'a>(errors: impl Iterator<Item = &'a ValidationError>) -> usize {
    errors.filter_map(|e| e.child.as_deref()).collect::<BTreeSet<_>>().len()
}

/// The tables the return has, this year's then last year's, in the DfE's order.
pub fn tables(dataset: &Dataset) -> impl Iterator<Item = (TableRef, &Frame)> {
    let this = Table::ALL.iter().map(|&t| TableRef::This(t));
    let last = Table::ALL.iter().map(|&t| TableRef::Last(t));
    this.chain(last)
        .filter_map(|t| dataset.table(t).map(|frame| (t, frame)))
}

/// The table a `ValidationError` names (`Episodes`, `Episodes_last`).
fn table_named(name: &str) -> Option<TableRef> {
    Table::ALL.iter().find_map(|&t| {
        if t.name() == name {
            Some(TableRef::This(t))
        } else if t.last_year_name() == name {
            Some(TableRef::Last(t))
        } else {
            None
        }
    })
}

fn rules_by_code<'a>(rules: &[&'a Rule]) -> HashMap<&'static str, &'a Rule> {
    rules.iter().map(|r| (r.code, *r)).collect()
}

/// The errors of one rule, in table then row order.
struct Group<'a> {
    code: &'static str,
    errors: Vec<&'a ValidationError>,
}

impl Group<'_> {
    /// Each table with errors and how many, in order.
    fn tables(&self) -> Vec<(&'static str, usize)> {
        let mut counts: Vec<(&'static str, usize)> = Vec::new();
        for error in &self.errors {
            match counts.last_mut() {
                Some((table, count)) if *table == error.table => *count += 1,
                _ => counts.push((error.table, 1)),
            }
        }
        counts
    }
}

/// The report's errors by rule, in code order; each rule's by table (this year's
/// in the DfE's order, then last year's) and row.
fn groups(report: &Report) -> Vec<Group<'_>> {
    let mut codes: Vec<&str> = report
        .errors
        .iter()
        .map(|e| e.code)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    codes.sort_by(|a, b| code_order(a, b).then_with(|| a.cmp(b)));
    let code_rank: HashMap<&str, usize> = codes.into_iter().zip(0..).collect();
    let table_rank: HashMap<&str, Option<TableRef>> =
        report.errors.iter().map(|e| (e.table, table_named(e.table))).collect();
    let mut errors: Vec<&ValidationError> = report.errors.iter().collect();
    errors.sort_by_cached_key(|e| (code_rank.get(e.code), table_rank.get(e.table), e.table, e.row));
    errors
        .chunk_by(|a, b| a.code == b.code)
        .filter_map(|chunk| {
            Some(Group {
                code: chunk.first()?.code,
                errors: chunk.to_vec(),
            })
        })
        .collect()
}

/// One failing rule and its errors, as a report shows them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleFindings {
    pub code: &'static str,
    /// The rule's message (or a note that the rule was not among those given).
    pub message: &'static str,
    /// The fields the rule looks at, comma-separated ("none named" when none).
    pub fields: String,
    /// How many rows it flags.
    pub rows: usize,
    /// How many different children those rows are about.
    pub children: usize,
    /// Each table with flagged rows and how many, this year's tables in the DfE's
    /// order, then last year's.
    pub tables: Vec<(&'static str, usize)>,
    /// The first [`ROWS_LISTED`] rows, in table then row order.
    pub first_rows: Vec<FlaggedRow>,
    /// How many rows there are beyond `first_rows`.
    pub more: usize,
}

/// One flagged row, located in its file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlaggedRow {
    /// The table's name (`Header`, `Episodes_last`).
    pub table: &'static str,
    /// 0-based data row of the table.
    pub row: usize,
    /// The line of the CSV file the row starts on, when known (see [`Lines`]).
    pub line: Option<u64>,
    pub child: Option<String>,
}

/// The report's errors by rule, in code order, with what the text report and the
/// web page show of each: `rules` gives each code's message and fields
/// (`rules::for_year(dataset.year)`); `lines` the CSV lines of the rows.
pub fn by_rule(report: &Report, rules: &[&Rule], lines: &Lines) -> Vec<RuleFindings> {
    let by_code = rules_by_code(rules);
    groups(report)
        .iter()
        .map(|group| {
            let rule = by_code.get(group.code).copied();
            let first_rows = group
                .errors
                .iter()
                .take(ROWS_LISTED)
                .map(|error| FlaggedRow {
                    table: error.table,
                    row: error.row,
                    line: table_named(error.table).and_then(|table| lines.line(table, error.row)),
                    child: error.child.clone(),
                })
                .collect();
            RuleFindings {
                code: group.code,
                message: message(rule),
                fields: fields(rule),
                rows: group.errors.len(),
                children: children(group.errors.iter().copied()),
                tables: group.tables(),
                first_rows,
                more: group.errors.len().saturating_sub(ROWS_LISTED),
            }
        })
        .collect()
}

/// The workbook a data officer filters and fixes from: a Summary sheet of the
/// failing rules, then one sheet per table of the return (named as the DfE names
/// it: `Header`, `Episodes`, ..., `Episodes_last`) with every row and column as
/// read (upper-cased, as the validator reads them) and an `Errors` column of the
/// codes on each row. Each cell in a failing rule's fields is filled light red
/// and carries a note with the code and message. Sheet rows match CSV lines when
/// the file has no blank lines (the header is row 1 in both).
///
/// Table sheets are written in constant memory (row by row through a temporary
/// file). Notes are held in memory until the end (several kilobytes each), so
/// only the first [`NOTE_LIMIT`] flagged cells get one; the Summary sheet says
/// when the limit was reached, and every flagged cell is filled all the same.
/// A table of more rows than a sheet holds (1,048,575 under the header) is
/// refused with `XlsxError::RowColumnLimitError`.
pub fn workbook(report: &Report, dataset: &Dataset, rules: &[&Rule]) -> Result<Vec<u8>, XlsxError> {
    workbook_noting(report, dataset, rules, NOTE_LIMIT)
}

/// The most cells of a workbook that get a note (a note costs several kilobytes
/// of memory until the workbook is written).
pub const NOTE_LIMIT: usize = 20_000;

/// [`workbook`] with notes on the first `note_limit` flagged cells.
fn workbook_noting(
    report: &Report,
    dataset: &Dataset,
    rules: &[&Rule],
    note_limit: usize,
) -> Result<Vec<u8>, XlsxError> {
    let by_code = rules_by_code(rules);
    let styles = Styles::new();
    let mut book = Workbook::new();
    book.set_properties(
        &DocProperties::new()
            .set_title(format!("SSDA903 validation, {}", year_label(dataset.year)))
            .set_author("Pathways"),
    );
    // Compressing takes most of the time at the default level (6); level 3 halves
    // the time for a file under a tenth larger.
    book.set_zip_compression_level(3);
    book.add_worksheet().set_name("Summary")?;
    let flagged = flagged_rows(report);
    let mut notes_left = note_limit;
    let mut unnoted = 0;
    for (table, frame) in tables(dataset) {
        let sheet = book.add_worksheet_with_constant_memory()?;
        let mut writer = TableSheet::new(frame, &by_code, &styles, notes_left);
        writer.write(sheet, table, flagged.get(table.name()))?;
        notes_left = writer.notes_left;
        unnoted += writer.unnoted;
    }
    let noted = Noted {
        limit: note_limit,
        unnoted,
    };
    summary_sheet(book.worksheet_from_index(0)?, report, &by_code, &styles, noted)?;
    book.save_to_buffer()
}

/// How many flagged cells were left without a note, under which limit.
struct Noted {
    limit: usize,
    unnoted: usize,
}

/// The formats of the workbook, made once.
struct Styles {
    header: Format,
    wrapped: Format,
    flagged: Format,
    errors: Format,
}

impl Styles {
    fn new() -> Styles {
        let light_red = Color::RGB(0xFFC7CE);
        let dark_red = Color::RGB(0x9C0006);
        Styles {
            header: Format::new()
                .set_bold()
                .set_background_color(Color::RGB(0xD9E1F2))
                .set_border_bottom(FormatBorder::Thin),
            wrapped: Format::new().set_text_wrap().set_align(FormatAlign::Top),
            flagged: Format::new().set_background_color(light_red).set_font_color(dark_red),
            errors: Format::new()
                .set_bold()
                .set_background_color(light_red)
                .set_font_color(dark_red),
        }
    }
}

const SUMMARY_COLUMNS: &[(&str, f64)] = &[
    ("Code", 10.0),
    ("Message", 70.0),
    ("Fields", 28.0),
    ("Rows", 9.0),
    ("Children", 10.0),
    ("Tables", 32.0),
];

/// One line per failing rule (code, message, fields, rows, children, tables),
/// then the rules that could not run.
fn summary_sheet(
    sheet: &mut Worksheet,
    report: &Report,
    by_code: &HashMap<&str, &Rule>,
    styles: &Styles,
    noted: Noted,
) -> Result<(), XlsxError> {
    for (col, (name, width)) in (0u16..).zip(SUMMARY_COLUMNS) {
        sheet.set_column_width(col, *width)?;
        sheet.write_string_with_format(0, col, *name, &styles.header)?;
    }
    let mut row: u32 = 0;
    for group in groups(report) {
        row += 1;
        let rule = by_code.get(group.code).copied();
        let tables: Vec<String> = group
            .tables()
            .iter()
            .map(|(table, count)| format!("{table} ({})", thousands(*count)))
            .collect();
        sheet.write_string(row, 0, group.code)?;
        sheet.write_string_with_format(row, 1, message(rule), &styles.wrapped)?;
        sheet.write_string(row, 2, fields(rule))?;
        sheet.write_number(row, 3, count(group.errors.len()))?;
        sheet.write_number(row, 4, count(children(group.errors.iter().copied())))?;
        sheet.write_string(row, 5, tables.join(", "))?;
    }
    for code in &report.rules_failed {
        row += 1;
        let rule = by_code.get(code).copied();
        sheet.write_string(row, 0, *code)?;
        sheet.write_string_with_format(row, 1, message(rule), &styles.wrapped)?;
        sheet.write_string(row, 2, fields(rule))?;
        sheet.write_string(row, 5, "Could not run: check by hand and report it")?;
    }
    if row == 0 {
        row = 1;
        sheet.write_string(row, 1, no_errors_line(report))?;
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofilter(0, 0, row, last_col(SUMMARY_COLUMNS.len()))?;
    if noted.unnoted > 0 {
        let remark = format!(
            "The first {} flagged cells have a note naming their rules; the other {} are filled \
             red without one: their codes are in each sheet's Errors column and the messages above.",
            thousands(noted.limit),
            thousands(noted.unnoted)
        );
        sheet.write_string_with_format(row + 2, 1, remark, &styles.wrapped)?;
    }
    Ok(())
}

fn no_errors_line(report: &Report) -> String {
    if report.rules_run.is_empty() {
        "No rules ran: the return has none of the tables the rules need.".to_owned()
    } else {
        format!(
            "No errors found: the return passes all {} that ran.",
            plural(report.rules_run.len(), "rule", "rules")
        )
    }
}

/// A spreadsheet count (exact for any number of rows a return can have).
fn count(n: usize) -> f64 {
    n as f64
}

fn last_col(columns: usize) -> u16 {
    u16::try_from(columns.saturating_sub(1)).unwrap_or(u16::MAX)
}

/// For each table (by name), the codes flagging each of its rows, in code order.
fn flagged_rows(report: &Report) -> HashMap<&'static str, HashMap<usize, Vec<&'static str>>> {
    let mut flagged: HashMap<&'static str, HashMap<usize, Vec<&'static str>>> = HashMap::new();
    for error in &report.errors {
        flagged
            .entry(error.table)
            .or_default()
            .entry(error.row)
            .or_default()
            .push(error.code);
    }
    for codes in flagged.values_mut().flat_map(HashMap::values_mut) {
        codes.sort_by(|a, b| code_order(a, b).then_with(|| a.cmp(b)));
        codes.dedup();
    }
    flagged
}

/// Writing one table's sheet.
struct TableSheet<'a> {
    frame: &'a Frame,
    /// The DfE's columns of the table, in the DfE's order (columns the validator
    /// derives, such as the Header's UASC, are left out).
    columns: Vec<(&'a str, super::Col)>,
    by_code: &'a HashMap<&'static str, &'a Rule>,
    styles: &'a Styles,
    /// Each code's fields among `columns` (positions in `columns`).
    fields: HashMap<&'static str, Vec<usize>>,
    /// The note for each set of codes on a cell, made once.
    notes: HashMap<Vec<&'static str>, Note>,
    /// How many more cells of the workbook may get a note.
    notes_left: usize,
    /// Flagged cells left without a note for want of `notes_left`.
    unnoted: usize,
}

/// The sheet's first column: the codes flagging the row.
const ERRORS_COLUMN: &str = "Errors";
/// Excel's limit on the text of a cell (in UTF-16 units; UTF-8 bytes never fewer).
const MAX_CELL_BYTES: usize = 32_767;

impl<'a> TableSheet<'a> {
    fn new(
        frame: &'a Frame,
        by_code: &'a HashMap<&'static str, &'a Rule>,
        styles: &'a Styles,
        notes_left: usize,
    ) -> TableSheet<'a> {
        let columns = frame
            .columns()
            .iter()
            .filter(|c| frame.table.columns().contains(&c.as_str()))
            .map(|c| (c.as_str(), frame.col(c)))
            .collect();
        TableSheet {
            frame,
            columns,
            by_code,
            styles,
            fields: HashMap::new(),
            notes: HashMap::new(),
            notes_left,
            unnoted: 0,
        }
    }

    fn write(
        &mut self,
        sheet: &mut Worksheet,
        table: TableRef,
        flagged: Option<&HashMap<usize, Vec<&'static str>>>,
    ) -> Result<(), XlsxError> {
        sheet.set_name(table.name())?;
        sheet.set_default_note_author("Pathways");
        sheet.set_column_width(0, 16)?;
        sheet.write_string_with_format(0, 0, ERRORS_COLUMN, &self.styles.header)?;
        for (col, (name, _)) in (1u16..).zip(&self.columns) {
            let width = u16::try_from(name.len()).unwrap_or(u16::MAX).saturating_add(5).max(12);
            sheet.set_column_width(col, width)?;
            sheet.write_string_with_format(0, col, *name, &self.styles.header)?;
        }
        let mut last_row = 0;
        for row in self.frame.rows() {
            last_row = u32::try_from(row + 1).map_err(|_| XlsxError::RowColumnLimitError)?;
            match flagged.and_then(|f| f.get(&row)) {
                None => self.write_plain(sheet, row, last_row)?,
                Some(codes) => self.write_flagged(sheet, row, last_row, codes)?,
            }
        }
        sheet.set_freeze_panes(1, 0)?;
        sheet.autofilter(0, 0, last_row, last_col(self.columns.len() + 1))?;
        Ok(())
    }

    fn write_plain(&self, sheet: &mut Worksheet, row: usize, at: u32) -> Result<(), XlsxError> {
        for (col, (_, c)) in (1u16..).zip(&self.columns) {
            if let Some(value) = self.frame.get(row, *c) {
                sheet.write_string(at, col, clip(value))?;
            }
        }
        Ok(())
    }

    fn write_flagged(
        &mut self,
        sheet: &mut Worksheet,
        row: usize,
        at: u32,
        codes: &[&'static str],
    ) -> Result<(), XlsxError> {
        sheet.write_string_with_format(at, 0, codes.join(", "), &self.styles.errors)?;
        let mut on_cell: Vec<Vec<&'static str>> = vec![Vec::new(); self.columns.len()];
        for &code in codes {
            for &position in self.fields_of(code) {
                if let Some(cell) = on_cell.get_mut(position) {
                    cell.push(code);
                }
            }
        }
        for ((col, (_, c)), cell_codes) in (1u16..).zip(&self.columns).zip(on_cell) {
            let value = self.frame.get(row, *c);
            if cell_codes.is_empty() {
                if let Some(value) = value {
                    sheet.write_string(at, col, clip(value))?;
                }
                continue;
            }
            match value {
                Some(value) => sheet.write_string_with_format(at, col, clip(value), &self.styles.flagged)?,
                None => sheet.write_blank(at, col, &self.styles.flagged)?,
            };
            if self.notes_left == 0 {
                self.unnoted += 1;
            } else {
                self.notes_left -= 1;
                sheet.insert_note(at, col, note(&mut self.notes, self.by_code, cell_codes))?;
            }
        }
        Ok(())
    }

    /// The positions in `columns` of `code`'s fields.
    fn fields_of(&mut self, code: &'static str) -> &[usize] {
        let (by_code, columns) = (self.by_code, &self.columns);
        self.fields.entry(code).or_insert_with(|| {
            let fields = by_code.get(code).map_or(&[][..], |r| r.fields);
            columns
                .iter()
                .enumerate()
                .filter(|(_, (name, _))| fields.contains(name))
                .map(|(position, _)| position)
                .collect()
        })
    }
}

/// The note naming `codes` and their messages, made once for each set of codes.
fn note<'n>(
    notes: &'n mut HashMap<Vec<&'static str>, Note>,
    by_code: &HashMap<&'static str, &Rule>,
    codes: Vec<&'static str>,
) -> &'n Note {
    notes.entry(codes).or_insert_with_key(|codes| {
        let text: Vec<String> = codes
            .iter()
            .map(|code| format!("{code}: {}", message(by_code.get(code).copied())))
            .collect();
        let text = text.join("\n");
        let lines = u32::try_from(text.len() / 45 + codes.len()).unwrap_or(20).min(20);
        Note::new(text).set_width(300).set_height(20 + 16 * lines)
    })
}

/// `value`, cut to the length Excel allows in a cell.
fn clip(value: &str) -> &str {
    if value.len() <= MAX_CELL_BYTES {
        return value;
    }
    let mut end = MAX_CELL_BYTES;
    while !value.is_char_boundary(end) {
        end -= 1;
    }
    &value[..end]
}

#[cfg(test)]
mod tests {
    use super::super::rules::{FIRST_YEAR, ONWARDS, for_year};
    use super::super::testing::{dataset, header};
    use super::super::validate;
    use super::*;
    use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
    use std::io::{Cursor, Read};
    use std::time::{Duration, Instant};

    fn codes(list: &[&str]) -> Vec<String> {
        list.iter().map(|c| (*c).to_owned()).collect()
    }

    /// A Header of `n` children `C1`.. whose ethnicity is not a 903 code, the first
    /// two also with a sex code that is not valid.
    fn header_with_errors(n: usize) -> Dataset {
        let ids: Vec<String> = (1..=n).map(|i| format!("C{i}")).collect();
        let rows: Vec<Vec<(&str, &str)>> = ids
            .iter()
            .enumerate()
            .map(|(i, id)| {
                let sex = if i < 2 { "Z" } else { "M" };
                vec![("CHILD", id.as_str()), ("SEX", sex), ("ETHNIC", "XXXX")]
            })
            .collect();
        let rows: Vec<&[(&str, &str)]> = rows.iter().map(Vec::as_slice).collect();
        header(2026, &rows)
    }

    #[test]
    fn the_text_report_groups_errors_by_rule_in_code_order_and_lists_the_first_ten_rows() {
        let d = header_with_errors(13);
        let report = validate(&d, Some(&codes(&["103", "101"])));
        let text = text(&report, &d, &for_year(2026), &Lines::default());

        assert!(
            text.contains("Collection: year ending 31 March 2026 (2025-26)"),
            "{text}"
        );
        assert!(text.contains("  Header  13 rows\n"), "{text}");
        assert!(text.contains("Rules run: 2\n"), "{text}");
        assert!(text.contains("Errors found: 15, for 13 children\n"), "{text}");

        let rule_101 = text.find("101: The child or young person’s reported sex is not valid.\n");
        let rule_103 = text.find("103: The ethnicity code is either not valid or has not been entered.\n");
        assert!(
            rule_101.is_some() && rule_103.is_some() && rule_101 < rule_103,
            "{text}"
        );
        assert!(
            text.contains("  Fields: SEX\n  2 rows (Header 2), for 2 children\n"),
            "{text}"
        );
        assert!(
            text.contains("  Fields: ETHNIC\n  13 rows (Header 13), for 13 children\n"),
            "{text}"
        );

        let section_103 = &text[rule_103.unwrap_or(0)..];
        assert!(section_103.contains("    Header data row 1 (child C1)\n"), "{text}");
        assert!(
            section_103.contains("    Header data row 10 (child C10)\n    and 3 more\n"),
            "{text}"
        );
        assert!(
            !section_103.contains("data row 11"),
            "only the first ten rows are listed"
        );
        let section_101 = &text[rule_101.unwrap_or(0)..rule_103.unwrap_or(0)];
        assert!(section_101.contains("    Header data row 2 (child C2)\n"), "{text}");
        assert!(!section_101.contains("more"), "{text}");
        assert!(!text.contains("could not run"), "{text}");
    }

    #[test]
    fn the_findings_by_rule_hold_what_the_text_report_shows() {
        let d = header_with_errors(13);
        let report = validate(&d, Some(&codes(&["103", "101"])));
        let findings = by_rule(&report, &for_year(2026), &Lines::default());
        let codes: Vec<&str> = findings.iter().map(|f| f.code).collect();
        assert_eq!(codes, ["101", "103"]);
        let ethnicity = &findings[1];
        assert_eq!(
            ethnicity.message,
            "The ethnicity code is either not valid or has not been entered."
        );
        assert_eq!(ethnicity.fields, "ETHNIC");
        assert_eq!((ethnicity.rows, ethnicity.children, ethnicity.more), (13, 13, 3));
        assert_eq!(ethnicity.tables, [("Header", 13)]);
        assert_eq!(ethnicity.first_rows.len(), ROWS_LISTED);
        assert_eq!(
            ethnicity.first_rows[0],
            FlaggedRow {
                table: "Header",
                row: 0,
                line: None,
                child: Some("C1".to_owned())
            }
        );
        assert_eq!(children_with_errors(&report), 13);
    }

    const HEADER_CSV: &str = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n\
        1,M,01/01/2010,WBRI,,,\n\
        \n\
        2,M,01/01/2010,XX,,,\n\
        3,M,01/01/2010,\"two\nlines\",,,\n\
        ,M,,ZZ,,,\n";

    #[test]
    fn rows_are_shown_by_their_line_in_the_csv_file_when_known() {
        assert_eq!(Lines::of_csv(HEADER_CSV.as_bytes()), Some(vec![2, 4, 5, 7]));
        let windows = HEADER_CSV.replace('\n', "\r\n");
        assert_eq!(Lines::of_csv(windows.as_bytes()), Some(vec![2, 4, 5, 7]));

        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("header.csv"), HEADER_CSV).unwrap();
        let d = Dataset::read(2026, dir.path(), None).unwrap();
        let report = validate(&d, Some(&codes(&["103"])));
        let lines = Lines::read(&d);
        assert_eq!(lines.line(TableRef::This(Table::Header), 3), Some(7));

        let text = text(&report, &d, &for_year(2026), &lines);
        assert!(text.contains("    Header line 4 (child 2)\n"), "{text}");
        assert!(
            text.contains("    Header line 5 (child 3)\n"),
            "a field over two lines: {text}"
        );
        assert!(text.contains("    Header line 7 (no CHILD ID)\n"), "{text}");
        assert!(text.contains("Errors found: 3, for 2 children\n"), "{text}");

        let without = super::text(&report, &d, &for_year(2026), &Lines::default());
        assert!(without.contains("    Header data row 2 (child 2)\n"), "{without}");
    }

    #[test]
    fn a_clean_return_says_so_plainly() {
        let d = header(2026, &[&[("CHILD", "1"), ("SEX", "M"), ("ETHNIC", "WBRI")]]);
        let report = validate(&d, Some(&codes(&["101", "103"])));
        let text = text(&report, &d, &for_year(2026), &Lines::default());
        assert!(text.contains("Errors found: none\n"), "{text}");
        assert!(
            text.contains("No errors found: the return passes all 2 rules that ran.\n"),
            "{text}"
        );
        assert!(!text.contains("Fields:"), "{text}");

        let empty = Dataset::new(2026);
        let report = validate(&empty, None);
        let text = super::text(&report, &empty, &for_year(2026), &Lines::default());
        assert!(text.contains("Tables found: none\n"), "{text}");
        assert!(
            text.contains("No rules ran: the return has none of the tables the rules need.\n"),
            "{text}"
        );
    }

    #[test]
    fn rules_that_could_not_run_are_listed_apart() {
        let d = header(2026, &[&[("CHILD", "1")]]);
        let report = Report {
            rules_run: vec!["T1"],
            rules_failed: vec!["T2"],
            errors: Vec::new(),
        };
        let text = text(
            &report,
            &d,
            TEST_RULES.iter().collect::<Vec<_>>().as_slice(),
            &Lines::default(),
        );
        assert!(
            text.contains("No errors found by the 1 rule that ran, but 1 rule could not run (listed below).\n"),
            "{text}"
        );
        assert!(text.contains("Rules that could not run\n"), "{text}");
        assert!(text.contains("  T2: Second message.\n"), "{text}");
    }

    const TEST_RULES: &[Rule] = &[
        Rule {
            code: "T1",
            message: "First message.",
            fields: &["DECOM"],
            years: (FIRST_YEAR, ONWARDS),
            check: |_| None,
        },
        Rule {
            code: "T2",
            message: "Second message.",
            fields: &["DECOM", "RNE", "SEX"],
            years: (FIRST_YEAR, ONWARDS),
            check: |_| None,
        },
        Rule {
            code: "T3",
            message: "Third message.",
            fields: &["NOT_A_COLUMN"],
            years: (FIRST_YEAR, ONWARDS),
            check: |_| None,
        },
    ];

    fn error(table: TableRef, row: usize, code: &'static str, d: &Dataset) -> ValidationError {
        ValidationError {
            table: table.name(),
            row,
            code,
            child: d.table(table).and_then(|f| f.child(row)).map(str::to_owned),
        }
    }

    /// A return with Header, Episodes, UASC and last year's Episodes, and a report
    /// of made-up rules on them.
    fn small_return() -> (Dataset, Report) {
        let d = dataset(2026)
            .table(
                Table::Header,
                &[&[("CHILD", "1"), ("SEX", "M")], &[("CHILD", "2"), ("SEX", "F")]],
            )
            .table(
                Table::Episodes,
                &[
                    &[("CHILD", "1"), ("DECOM", "01/04/2025"), ("RNE", "S")],
                    &[("CHILD", "1"), ("DECOM", "bad"), ("RNE", "P")],
                    &[("CHILD", "2"), ("DECOM", "01/05/2025"), ("RNE", "S")],
                    &[("CHILD", "2"), ("RNE", "L")],
                ],
            )
            .table(Table::Uasc, &[&[("CHILD", "2")]])
            .last(Table::Episodes, &[&[("CHILD", "1"), ("DECOM", "01/04/2024")]])
            .done();
        let episodes = TableRef::This(Table::Episodes);
        let mut errors = vec![
            error(episodes, 1, "T1", &d),
            error(episodes, 3, "T1", &d),
            error(episodes, 1, "T2", &d),
            error(TableRef::This(Table::Header), 0, "T2", &d),
            error(TableRef::Last(Table::Episodes), 0, "T3", &d),
        ];
        errors.sort();
        let report = Report {
            rules_run: vec!["T1", "T2", "T3"],
            rules_failed: Vec::new(),
            errors,
        };
        (d, report)
    }

    fn open(bytes: Vec<u8>) -> Xlsx<Cursor<Vec<u8>>> {
        open_workbook_from_rs(Cursor::new(bytes)).unwrap()
    }

    fn cell(range: &calamine::Range<Data>, row: u32, col: u32) -> String {
        match range.get_value((row, col)) {
            Some(Data::String(s)) => s.clone(),
            Some(Data::Float(f)) => f.to_string(),
            Some(Data::Int(i)) => i.to_string(),
            _ => String::new(),
        }
    }

    /// The text of every cell note in the workbook, by cell reference (`C3`), for
    /// each comments part.
    fn notes(bytes: &[u8]) -> Vec<String> {
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        let names: Vec<String> = zip
            .file_names()
            .filter_map(Result::ok)
            .filter(|n| n.starts_with("xl/comments"))
            .map(|n| n.into_owned())
            .collect();
        names
            .iter()
            .map(|name| {
                let mut xml = String::new();
                zip.by_name(name).unwrap().read_to_string(&mut xml).unwrap();
                xml
            })
            .collect()
    }

    /// The text of the note on `cell` in a comments part.
    fn note_on<'x>(xml: &'x str, cell: &str) -> Option<&'x str> {
        let start = xml.find(&format!("<comment ref=\"{cell}\""))?;
        let end = xml[start..].find("</comment>")?;
        Some(&xml[start..start + end])
    }

    #[test]
    fn the_workbook_has_a_summary_then_every_table_with_errors_marked() {
        let (d, report) = small_return();
        let rules: Vec<&Rule> = TEST_RULES.iter().collect();
        let bytes = workbook(&report, &d, &rules).unwrap();
        let mut book = open(bytes.clone());
        assert_eq!(
            book.sheet_names(),
            ["Summary", "Header", "Episodes", "UASC", "Episodes_last"]
        );

        let summary = book.worksheet_range("Summary").unwrap();
        let row = |r: u32| (0..6).map(|c| cell(&summary, r, c)).collect::<Vec<_>>();
        assert_eq!(row(0), ["Code", "Message", "Fields", "Rows", "Children", "Tables"]);
        assert_eq!(row(1), ["T1", "First message.", "DECOM", "2", "2", "Episodes (2)"]);
        assert_eq!(
            row(2),
            [
                "T2",
                "Second message.",
                "DECOM, RNE, SEX",
                "2",
                "1",
                "Header (1), Episodes (1)"
            ]
        );
        assert_eq!(
            row(3),
            ["T3", "Third message.", "NOT_A_COLUMN", "1", "1", "Episodes_last (1)"]
        );

        let episodes = book.worksheet_range("Episodes").unwrap();
        let heading: Vec<String> = (0..14).map(|c| cell(&episodes, 0, c)).collect();
        assert_eq!(heading[..4], ["Errors", "CHILD", "DECOM", "RNE"]);
        assert_eq!(heading[13], "URN");
        let errors: Vec<String> = (0..5).map(|r| cell(&episodes, r, 0)).collect();
        assert_eq!(errors, ["Errors", "", "T1, T2", "", "T1"]);
        assert_eq!(cell(&episodes, 2, 2), "BAD", "values as read, upper-cased");
        assert_eq!(cell(&episodes, 3, 2), "01/05/2025");

        let header = book.worksheet_range("Header").unwrap();
        let heading: Vec<String> = (0..9).map(|c| cell(&header, 0, c)).collect();
        assert_eq!(
            heading,
            ["Errors", "CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB", ""]
        );
        let last = book.worksheet_range("Episodes_last").unwrap();
        assert_eq!(cell(&last, 1, 0), "T3");

        let styles = book.worksheet_style("Episodes").unwrap();
        let fill = |r, c| {
            styles
                .get((r, c))
                .and_then(|s| s.fill.as_ref())
                .filter(|f| f.is_visible())
                .and_then(|f| f.get_color())
                .map(|c| c.to_argb() & 0xFF_FFFF)
        };
        assert_eq!(fill(2, 2), Some(0xFFC7CE), "DECOM of a row T1 and T2 flag");
        assert_eq!(fill(2, 3), Some(0xFFC7CE), "RNE, a field of T2");
        assert_eq!(fill(4, 2), Some(0xFFC7CE), "a blank field is filled too");
        assert_eq!(fill(4, 3), None, "RNE is not a field of T1");
        assert_eq!(fill(1, 2), None, "an unflagged row");

        let notes = notes(&bytes);
        let decom = notes.iter().find_map(|xml| note_on(xml, "C3")).unwrap();
        assert!(
            decom.contains("T1: First message.") && decom.contains("T2: Second message."),
            "{decom}"
        );
        let rne = notes.iter().find_map(|xml| note_on(xml, "D3")).unwrap();
        assert!(rne.contains("T2: Second message.") && !rne.contains("T1"), "{rne}");
        assert!(
            notes
                .iter()
                .all(|xml| note_on(xml, "C2").is_none_or(|n| n.contains("SEX") || n.contains("T2")))
        );
    }

    #[test]
    fn past_the_note_limit_cells_are_filled_without_a_note() {
        let (d, report) = small_return();
        let rules: Vec<&Rule> = TEST_RULES.iter().collect();
        let bytes = workbook_noting(&report, &d, &rules, 2).unwrap();
        let notes = notes(&bytes);
        let count: usize = notes.iter().map(|xml| xml.matches("<comment ref=").count()).sum();
        assert_eq!(count, 2);
        let mut book = open(bytes);
        let summary = book.worksheet_range("Summary").unwrap();
        assert_eq!(
            cell(&summary, 5, 1),
            "The first 2 flagged cells have a note naming their rules; the other 2 are filled red \
             without one: their codes are in each sheet's Errors column and the messages above."
        );
        let styles = book.worksheet_style("Episodes").unwrap();
        let filled = styles
            .get((4, 2))
            .and_then(|s| s.fill.as_ref())
            .is_some_and(|f| f.is_visible());
        assert!(filled, "the last flagged cell is filled");
    }

    #[test]
    fn a_clean_workbook_says_so_on_its_summary() {
        let d = header(2026, &[&[("CHILD", "1"), ("SEX", "M"), ("ETHNIC", "WBRI")]]);
        let report = validate(&d, Some(&codes(&["101", "103"])));
        let bytes = workbook(&report, &d, &for_year(2026)).unwrap();
        let mut book = open(bytes);
        let summary = book.worksheet_range("Summary").unwrap();
        assert_eq!(
            cell(&summary, 1, 1),
            "No errors found: the return passes all 2 rules that ran."
        );
        let header = book.worksheet_range("Header").unwrap();
        assert_eq!(cell(&header, 1, 0), "");
        assert_eq!(cell(&header, 1, 4), "WBRI");
    }

    /// A return of `children` children with ten episodes each, a made-up error
    /// on every third episode and a second on every seventh.
    fn large_return(children: usize) -> (Dataset, Report) {
        let mut d = Dataset::new(2026);
        let mut head = Frame::new(Table::Header, "header.csv");
        let mut episodes = Frame::new(Table::Episodes, "episodes.csv");
        for child in 0..children {
            let id = format!("{child:06}");
            head.push_row([Some(id.as_str()), Some("M"), Some("01/01/2010"), Some("WBRI")]);
            for episode in 0..10 {
                let decom = format!("{:02}/{:02}/2025", episode + 1, child % 12 + 1);
                episodes.push_row([
                    Some(id.as_str()),
                    Some(decom.as_str()),
                    Some("S"),
                    Some("C2"),
                    Some("N1"),
                    Some("U1"),
                    Some("PR1"),
                    None,
                    None,
                    None,
                    Some("AB1 2CD"),
                    Some("XX9 9XX"),
                    Some("SC123456"),
                ]);
            }
        }
        d.add(head, false).unwrap();
        d.add(episodes, false).unwrap();
        let table = TableRef::This(Table::Episodes);
        let frame = d.this(Table::Episodes).unwrap();
        let mut errors = Vec::new();
        for row in frame.rows() {
            for (code, every) in [("T1", 3), ("T2", 7)] {
                if row % every == 0 {
                    errors.push(ValidationError {
                        table: table.name(),
                        row,
                        code,
                        child: frame.child(row).map(str::to_owned),
                    });
                }
            }
        }
        errors.sort();
        let report = Report {
            rules_run: vec!["T1", "T2"],
            rules_failed: Vec::new(),
            errors,
        };
        (d, report)
    }

    #[test]
    fn a_workbook_of_five_thousand_rows_builds_quickly() {
        let (d, report) = large_return(500);
        let rules: Vec<&Rule> = TEST_RULES.iter().collect();
        let started = Instant::now();
        let bytes = workbook(&report, &d, &rules).unwrap();
        let took = started.elapsed();
        assert!(took < Duration::from_secs(30), "took {took:?}");
        let mut book = open(bytes);
        let episodes = book.worksheet_range("Episodes").unwrap();
        assert_eq!(episodes.height(), 5_001);
        assert_eq!(cell(&episodes, 1, 0), "T1, T2");
        assert_eq!(cell(&episodes, 4, 0), "T1");
        assert_eq!(cell(&episodes, 5_000, 1), "000499");
    }

    /// Times the workbook of a large council's return (50,000 children, 500,000
    /// episodes): `cargo test -p pathways-returns --release -- --ignored --nocapture large_workbook`.
    #[test]
    #[ignore = "slow: a measurement, not a check"]
    fn large_workbook_timing() {
        let (d, report) = large_return(50_000);
        let rules: Vec<&Rule> = TEST_RULES.iter().collect();
        let started = Instant::now();
        let bytes = workbook(&report, &d, &rules).unwrap();
        println!(
            "workbook of {} episodes with {} errors: {:?}, {} bytes",
            d.this(Table::Episodes).map_or(0, Frame::len),
            report.errors.len(),
            started.elapsed(),
            bytes.len()
        );
        let started = Instant::now();
        let text = text(&report, &d, &rules, &Lines::default());
        println!("text report: {:?}, {} bytes", started.elapsed(), text.len());
    }
}
