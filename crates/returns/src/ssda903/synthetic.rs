//! Synthetic SSDA903 returns: plausible children, care histories and every table of
//! the return, for a collection year and the year before it, with errors put in on
//! purpose. Used to compare Pathways' validation with the DfE's validator and to
//! measure it on returns of any size.
//!
//! Deterministic: the same `(children, year, seed, errors)` always gives the same
//! return (a small splitmix64 generator of its own; no OS randomness).
//!
//! Each child has one history from before last year's collection to 31 March of
//! this year; both years' returns are cut from it as a council's system would cut
//! them (an episode open on 31 March has no end date in that year's return), and
//! each year's return uses that year's codes (SEX `1`/`2` before 2025, `M`/`F` from
//! 2025; `H5` then `K3`; `Z1` then `Z11`–`Z14` from 2026). Postcodes look real but
//! begin with Q, V or X, which no UK postcode area does, so the DfE validator's
//! postcode lookup finds none of them.
//!
//! Children of every kind: in care on 31 March (placement moves, changes of legal
//! status, a few days in a temporary placement), leaving care for reasons that fit
//! their age, care leavers with OC3 rows on their 17th to 21st birthdays, adoptions
//! (AD1, PlacedAdoption, decisions reversed), short breaks (V3/V4), unaccompanied
//! asylum-seeking children, children who come back into care; with reviews,
//! missing episodes, social workers (from 2024), DoLOs (from 2027), OC2 for those
//! looked after all year and previous permanence for those who started.
//!
//! [`ErrorRate`] then makes about that share of rows wrong: half with mistakes
//! aimed at particular rules (a placement its provider cannot give, a legal status
//! that lasts too long, adopters' codes that contradict...), the rest with a field
//! blank, invalid, oddly written or taken from another row; a few rows duplicated,
//! dropped or swapped, and a few children left out of a table or put in one they do
//! not belong in. [`generate`] keeps to errors the DfE validator copes with;
//! [`generate_harsh`] adds ones some of its own rules crash on.

use super::tables::Table;
use super::validate::{Dataset, Frame, age_on, days_between, plus_days, plus_months, plus_years};
use jiff::civil::{Date, date};
use std::collections::BTreeMap;
use std::io;
use std::path::Path;

/// The fraction of rows (0 to 1) given an error: a blank or invalid field, a date
/// in the wrong format or in the wrong place, a row duplicated, dropped or moved...
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ErrorRate(pub f64);

impl ErrorRate {
    /// A clean return (as clean as a plausible one is: some rules still fire).
    pub const NONE: ErrorRate = ErrorRate(0.0);
}

/// One year's return: every table's rows, each row's fields in the order of
/// [`Table::columns`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tables {
    /// The year the collection ends (31 March).
    pub year: i16,
    pub tables: BTreeMap<Table, Vec<Vec<String>>>,
}

/// A return for the collection year ending 31 March `year` and the previous year's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Return903 {
    pub year: i16,
    pub this: Tables,
    pub previous: Tables,
}

/// The tables a return for `year` holds: social worker episodes from 2024, DoLOs
/// from 2027.
pub fn tables_in(year: i16) -> Vec<Table> {
    Table::ALL
        .iter()
        .copied()
        .filter(|t| match t {
            Table::SwEpisodes => year >= 2024,
            Table::DoLo => year >= 2027,
            _ => true,
        })
        .collect()
}

/// The file a table is written to.
pub fn file_name(table: Table) -> &'static str {
    match table {
        Table::Header => "header.csv",
        Table::Episodes => "episodes.csv",
        Table::Reviews => "reviews.csv",
        Table::Uasc => "uasc.csv",
        Table::Oc2 => "oc2.csv",
        Table::Oc3 => "oc3.csv",
        Table::Ad1 => "ad1.csv",
        Table::PlacedAdoption => "placed_adoption.csv",
        Table::PrevPerm => "prev_perm.csv",
        Table::Missing => "missing.csv",
        Table::SwEpisodes => "sw_episodes.csv",
        Table::DoLo => "dolo.csv",
    }
}

impl Tables {
    fn empty(year: i16) -> Tables {
        Tables {
            year,
            tables: tables_in(year).into_iter().map(|t| (t, Vec::new())).collect(),
        }
    }

    /// Rows of `table` (empty when the year has no such table).
    pub fn rows(&self, table: Table) -> &[Vec<String>] {
        self.tables.get(&table).map_or(&[], Vec::as_slice)
    }

    /// All rows in all tables.
    pub fn len(&self) -> usize {
        self.tables.values().map(Vec::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Writes one CSV file per table into `dir` (created if need be).
    pub fn write(&self, dir: &Path) -> io::Result<()> {
        std::fs::create_dir_all(dir)?;
        for (table, rows) in &self.tables {
            let mut writer = csv::Writer::from_path(dir.join(file_name(*table)))?;
            writer.write_record(table.columns())?;
            for row in rows {
                writer.write_record(row)?;
            }
            writer.flush()?;
        }
        Ok(())
    }

    /// The frames the tables give when read, without writing them.
    pub fn frames(&self) -> Vec<Frame> {
        self.tables
            .iter()
            .map(|(table, rows)| {
                let mut frame = Frame::new(*table, file_name(*table));
                for row in rows {
                    frame.push_row(row.iter().map(|f| Some(f.as_str())));
                }
                frame
            })
            .collect()
    }
}

impl Return903 {
    /// Writes this year's tables into `dir` and last year's into `dir/previous`.
    pub fn write(&self, dir: &Path) -> io::Result<()> {
        self.this.write(dir)?;
        self.previous.write(&dir.join("previous"))
    }

    /// The dataset reading the written return gives (`local_authority` not set).
    pub fn dataset(&self) -> Dataset {
        let mut dataset = Dataset::new(self.year);
        for (tables, previous_year) in [(&self.this, false), (&self.previous, true)] {
            for frame in tables.frames() {
                // Each table appears once, so adding cannot be refused.
                let _ = dataset.add(frame, previous_year);
            }
        }
        dataset.derive_columns();
        dataset
    }
}

/// A return for `children` children for the collection year ending 31 March `year`,
/// with last year's return for the same children, and `errors` of the rows wrong.
///
/// The errors are ones the DfE validator copes with: none makes one of its own
/// rules crash, so every rule can be compared (see [`generate_harsh`]).
pub fn generate(children: usize, year: i16, seed: u64, errors: ErrorRate) -> Return903 {
    generate_with(children, year, seed, errors, false)
}

/// As [`generate`], with errors that also make some of the DfE validator's own
/// rules crash: unreadable episode dates (1007), a child twice in the Header (203,
/// 204, 208), every start date of a child's episodes unreadable (the rules that
/// look for a child's first or last episode)... For checking Pathways copes with
/// anything.
pub fn generate_harsh(children: usize, year: i16, seed: u64, errors: ErrorRate) -> Return903 {
    generate_with(children, year, seed, errors, true)
}

fn generate_with(children: usize, year: i16, seed: u64, errors: ErrorRate, harsh: bool) -> Return903 {
    let mut rng = Rng::new(seed ^ u64::from(year.unsigned_abs()).wrapping_mul(0x9E37_79B9_7F4A_7C15));
    let window = Window::new(year);
    let people: Vec<Child> = (0..children).map(|i| make_child(&mut rng, &window, i)).collect();
    let ids: Vec<String> = people.iter().map(|c| c.id.clone()).collect();
    let rate = errors.0.clamp(0.0, 1.0);
    // Forked whatever the rate, so the clean return is the same at every rate.
    let (mut mistakes_rng, mut this_rng, mut previous_rng) = (rng.fork(), rng.fork(), rng.fork());
    let mistakes = draw_mistakes(&mut mistakes_rng, people.len(), year, rate);
    let mut this = build_year(&people, year, &mistakes);
    let mut previous = build_year(&people, year - 1, &mistakes);
    if rate > 0.0 {
        inject(&mut this, rate, &mut this_rng, &ids, harsh);
        inject(&mut previous, rate, &mut previous_rng, &ids, harsh);
    }
    Return903 { year, this, previous }
}

// ---------------------------------------------------------------------------------
// Random numbers

/// splitmix64: small, fast, and the same on every platform and version.
#[derive(Debug, Clone)]
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A new generator whose numbers do not depend on how many this one gives later.
    fn fork(&mut self) -> Rng {
        Rng::new(self.next())
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 { 0 } else { (self.next() % n as u64) as usize }
    }

    /// A whole number from `lo` to `hi`, both included.
    fn between(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            lo
        } else {
            lo + (self.next() % (hi - lo + 1) as u64) as i64
        }
    }

    fn chance(&mut self, p: f64) -> bool {
        ((self.next() >> 11) as f64 / (1u64 << 53) as f64) < p
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }

    fn weighted<T: Copy>(&mut self, items: &[(T, u32)]) -> T {
        let total: u32 = items.iter().map(|(_, w)| w).sum();
        let mut at = self.below(total as usize) as u32;
        for (item, weight) in items {
            if at < *weight {
                return *item;
            }
            at -= weight;
        }
        items[items.len() - 1].0
    }

    fn digits(&mut self, n: usize) -> String {
        (0..n).map(|_| char::from(b'0' + self.below(10) as u8)).collect()
    }

    fn date_between(&mut self, lo: Date, hi: Date) -> Date {
        add_days(lo, self.between(0, days_between(lo, hi).max(0)))
    }
}

// ---------------------------------------------------------------------------------
// Dates

fn add_days(d: Date, days: i64) -> Date {
    plus_days(d, days).unwrap_or(d)
}

fn add_years(d: Date, years: i16) -> Date {
    plus_years(d, years).unwrap_or(d)
}

fn add_months(d: Date, months: i32) -> Date {
    plus_months(d, months).unwrap_or(d)
}

/// `DD/MM/YYYY`, as the return writes dates.
fn dmy(d: Date) -> String {
    format!("{:02}/{:02}/{:04}", d.day(), d.month(), d.year())
}

/// The two collection years a return covers: last year's start to this year's end.
#[derive(Debug, Clone, Copy)]
struct Window {
    /// 1 April two years before `end`: the start of last year's collection.
    first: Date,
    /// 31 March of the year: the end of this year's collection.
    end: Date,
}

impl Window {
    fn new(year: i16) -> Window {
        Window {
            first: date(year - 2, 4, 1),
            end: date(year, 3, 31),
        }
    }
}

// ---------------------------------------------------------------------------------
// Code lists (from the DfE validator's rules)

const ETHNIC: &[(&str, u32)] = &[
    ("WBRI", 600),
    ("WIRI", 5),
    ("WOTH", 50),
    ("WIRT", 3),
    ("WROM", 10),
    ("MWBC", 25),
    ("MWBA", 10),
    ("MWAS", 10),
    ("MOTH", 25),
    ("AIND", 8),
    ("APKN", 12),
    ("ABAN", 8),
    ("AOTH", 15),
    ("BCRB", 10),
    ("BAFR", 30),
    ("BOTH", 10),
    ("CHNE", 2),
    ("OOTH", 30),
    ("REFU", 3),
    ("NOBT", 5),
];

const CIN: &[(&str, u32)] = &[
    ("N1", 60),
    ("N2", 3),
    ("N3", 4),
    ("N4", 8),
    ("N5", 14),
    ("N6", 3),
    ("N7", 1),
    ("N8", 7),
];

const REASON_PLACE_CHANGE: &[(&str, u32)] = &[
    ("CARPL", 20),
    ("CLOSE", 3),
    ("ALLEG", 3),
    ("STAND", 8),
    ("APPRR", 6),
    ("CREQB", 10),
    ("CREQO", 8),
    ("CHILD", 12),
    ("LAREQ", 15),
    ("PLACE", 10),
    ("OTHER", 10),
];

const SW_REASONS: &[(&str, u32)] = &[
    ("MANAGE", 20),
    ("LEFTRL", 30),
    ("ORGRST", 15),
    ("TSPROC", 15),
    ("ABSENC", 5),
    ("CHCHAN", 5),
    ("PCCHAN", 5),
    ("SWDIED", 1),
    ("OTHERS", 10),
];

const ACTIV: &[(&str, u32)] = &[
    ("F1", 20),
    ("P1", 8),
    ("F2", 20),
    ("P2", 6),
    ("F4", 8),
    ("P4", 4),
    ("F5", 4),
    ("P5", 2),
    ("G4", 12),
    ("G5", 8),
    ("G6", 8),
];

const ACCOM: &[(&str, u32)] = &[
    ("B1", 8),
    ("B2", 1),
    ("C1", 6),
    ("C2", 1),
    ("D1", 10),
    ("D2", 1),
    ("E1", 6),
    ("E2", 1),
    ("G1", 5),
    ("G2", 1),
    ("H1", 4),
    ("H2", 1),
    ("K1", 4),
    ("K2", 1),
    ("R1", 6),
    ("R2", 1),
    ("S2", 2),
    ("T1", 4),
    ("T2", 1),
    ("U1", 15),
    ("U2", 2),
    ("V1", 3),
    ("V2", 1),
    ("W1", 2),
    ("W2", 1),
    ("X2", 1),
    ("Y1", 3),
    ("Y2", 1),
    ("Z1", 6),
    ("Z2", 1),
];

/// Local authority codes (rule 633) for previous permanence orders.
const LA_PERM: &[&str] = &[
    "800", "889", "822", "301", "304", "303", "330", "825", "837", "302", "846", "370", "350", "890", "867", "380",
    "305", "801", "351", "873", "202", "908", "331", "306", "841", "830", "831", "878", "371", "935", "343", "803",
    "373", "342", "893", "356", "355", "871", "394", "334", "933", "882", "936", "861", "852", "319", "860", "808",
    "WAL", "SCO", "NIR", "NUK",
];

const TEMPORARY: &[&str] = &["T0", "T1", "T2", "T3", "T4"];

/// Placement codes that need no Ofsted URN (rule 218).
fn urn_exempt(place: &str) -> bool {
    matches!(place, "P1" | "P3" | "R1" | "R2" | "R5") || place.starts_with('T') || place.starts_with('Z')
}

/// The code a year's return uses for a placement (canonical codes are 2026's).
fn place_code(place: &'static str, year: i16) -> &'static str {
    match place {
        "Z11" | "Z12" | "Z13" | "Z14" if year <= 2025 => "Z1",
        "K3" if year <= 2024 => "H5",
        _ => place,
    }
}

// ---------------------------------------------------------------------------------
// Children and their histories

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sex {
    Male,
    Female,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Placement {
    place: &'static str,
    provider: Option<&'static str>,
    post: Option<String>,
    urn: Option<String>,
}

#[derive(Debug, Clone)]
struct Episode {
    decom: Date,
    dec: Option<Date>,
    rne: &'static str,
    ls: &'static str,
    cin: &'static str,
    placement: Placement,
    rec: Option<&'static str>,
    reason: Option<&'static str>,
}

impl Episode {
    fn respite(&self) -> bool {
        matches!(self.ls, "V3" | "V4")
    }

    fn covers(&self, day: Date) -> bool {
        self.decom <= day && self.dec.is_none_or(|d| d > day)
    }
}

#[derive(Debug, Clone)]
struct Adoption {
    date_int: Date,
    date_match: Date,
    foster_care: &'static str,
    nb: &'static str,
    sex: &'static str,
    ls: &'static str,
    /// The date of the adoption order: the episode's end.
    adopted: Date,
}

#[derive(Debug, Clone)]
struct Child {
    id: String,
    /// Seeds the values that differ each year (OC2, OC3).
    seed: u64,
    sex: Sex,
    dob: Date,
    ethnic: &'static str,
    upn: String,
    home_post: Option<String>,
    uasc: bool,
    mc_dob: Option<Date>,
    episodes: Vec<Episode>,
    reviews: Vec<(Date, &'static str)>,
    missing: Vec<(&'static str, Date, Option<Date>)>,
    placed: Vec<(Date, Option<(Date, &'static str)>)>,
    adoption: Option<Adoption>,
    prev_perm: (&'static str, Option<String>, Option<String>),
    care_leaver: bool,
    died: Option<Date>,
    sw: Vec<(String, Date, Option<Date>, &'static str)>,
    dolo: Vec<(Date, Option<Date>)>,
}

/// What the generator knows of a child while building the history.
#[derive(Debug, Clone)]
struct Base {
    dob: Date,
    home_post: Option<String>,
    uasc: bool,
}

/// How a period of care ends.
#[derive(Debug, Clone, Copy)]
enum Stop {
    /// The child leaves care for a reason that fits their age and placement.
    Leave,
    /// The child leaves care for this reason.
    Rec(&'static str),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Story {
    /// In care on 31 March this year.
    Ongoing,
    /// Left care during the two years.
    Left,
    /// Left care aged 16 or more; has a 17th–21st birthday this year.
    CareLeaver,
    /// Placed for adoption (adopted, still placed, or the decision reversed).
    Adoption,
    /// Short breaks (legal status V3 or V4).
    Respite,
    /// Unaccompanied asylum-seeking child.
    Uasc,
    /// Left care and came back.
    Returner,
}

fn postcode(rng: &mut Rng) -> String {
    const FIRST: &[char] = &['Q', 'V', 'X'];
    const SECOND: &[char] = &[
        'A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'K', 'L', 'M', 'N', 'P', 'R', 'S', 'T', 'U', 'W', 'Y',
    ];
    const INWARD: &[char] = &[
        'A', 'B', 'D', 'E', 'F', 'G', 'H', 'J', 'L', 'N', 'P', 'Q', 'R', 'S', 'T', 'U', 'W', 'X', 'Y', 'Z',
    ];
    let first = rng.pick(FIRST);
    let outward = match rng.below(4) {
        0 => format!("{first}{}", rng.between(1, 9)),
        1 => format!("{first}{}", rng.between(10, 99)),
        2 => format!("{first}{}{}", rng.pick(SECOND), rng.between(1, 9)),
        _ => format!("{first}{}{}", rng.pick(SECOND), rng.between(10, 99)),
    };
    format!(
        "{outward} {}{}{}",
        rng.between(0, 9),
        rng.pick(INWARD),
        rng.pick(INWARD)
    )
}

fn upn(rng: &mut Rng) -> String {
    const FIRST: &[char] = &[
        'A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'J', 'K', 'L', 'M', 'N', 'P', 'Q', 'R', 'T', 'U', 'V', 'W', 'X', 'Y',
        'Z',
    ];
    let first = rng.pick(FIRST);
    if rng.chance(0.2) {
        format!("{first}{}{}", rng.digits(11), rng.pick(FIRST))
    } else {
        format!("{first}{}", rng.digits(12))
    }
}

fn urn(rng: &mut Rng, place: &str) -> String {
    if place.starts_with('A') && rng.chance(0.2) {
        "XXXXXXX".to_owned()
    } else if place.starts_with('U') || place.starts_with('A') {
        format!("{}", rng.between(1_000_000, 2_999_999))
    } else {
        format!("SC{}", rng.digits(6))
    }
}

fn choose_place(rng: &mut Rng, age: i16, ls: &str) -> &'static str {
    let place = if ls == "J1" || ls == "J2" || ls == "J3" {
        rng.weighted(&[("U6", 30), ("K2", 40), ("K1", 15), ("R5", 15)])
    } else if age < 1 {
        rng.weighted(&[("U3", 15), ("U6", 55), ("U5", 10), ("U2", 5), ("R3", 5), ("P1", 10)])
    } else if age < 3 {
        rng.weighted(&[("U1", 8), ("U3", 15), ("U4", 15), ("U6", 50), ("U5", 4), ("P1", 8)])
    } else if age < 11 {
        rng.weighted(&[
            ("U1", 10),
            ("U3", 15),
            ("U4", 20),
            ("U6", 40),
            ("P1", 8),
            ("K2", 4),
            ("S1", 2),
            ("Z11", 1),
        ])
    } else if age < 16 {
        rng.weighted(&[
            ("U1", 8),
            ("U3", 10),
            ("U4", 15),
            ("U6", 30),
            ("K2", 22),
            ("K1", 1),
            ("S1", 4),
            ("R1", 2),
            ("P1", 5),
            ("R5", 1),
            ("R2", 1),
            ("Z12", 1),
            ("Z13", 1),
        ])
    } else {
        rng.weighted(&[
            ("U1", 5),
            ("U3", 7),
            ("U4", 10),
            ("U6", 18),
            ("K2", 15),
            ("K3", 30),
            ("P1", 4),
            ("R5", 2),
            ("P3", 1),
            ("R2", 2),
            ("S1", 2),
            ("Z12", 1),
            ("Z14", 3),
        ])
    };
    // Placed with parents is not possible under section 20 (rule 378).
    if place == "P1" && matches!(ls, "V2" | "L1" | "L2" | "L3") {
        "U6"
    } else {
        place
    }
}

fn provider(rng: &mut Rng, place: &str) -> Option<&'static str> {
    Some(match place {
        "P1" => "PR0",
        "R2" | "R5" => "PR3",
        "P3" => "PR4",
        "K1" => rng.weighted(&[("PR1", 50), ("PR2", 30), ("PR4", 20)]),
        "K2" => rng.weighted(&[("PR1", 20), ("PR4", 70), ("PR5", 10)]),
        "K3" => rng.weighted(&[("PR1", 20), ("PR4", 60), ("PR5", 20)]),
        "R1" => rng.weighted(&[("PR1", 20), ("PR4", 50), ("PR5", 30)]),
        "R3" => rng.weighted(&[("PR1", 50), ("PR4", 50)]),
        "S1" => rng.weighted(&[("PR3", 30), ("PR4", 50), ("PR5", 20)]),
        p if p.starts_with('U') => rng.weighted(&[("PR1", 60), ("PR4", 30), ("PR5", 10)]),
        p if p.starts_with('A') => rng.weighted(&[("PR1", 50), ("PR2", 20), ("PR4", 15), ("PR5", 15)]),
        _ => return None,
    })
}

fn placement(rng: &mut Rng, base: &Base, place: &'static str) -> Placement {
    let post = if place == "P1" {
        base.home_post.clone().or_else(|| Some(postcode(rng)))
    } else {
        Some(postcode(rng))
    };
    Placement {
        place,
        provider: provider(rng, place),
        post,
        urn: (!urn_exempt(place)).then(|| urn(rng, place)),
    }
}

/// How many days an episode under `ls` lasts before something changes.
fn episode_days(rng: &mut Rng, ls: &str) -> i64 {
    match ls {
        "L1" => rng.between(1, 3),
        "L2" => rng.between(2, 21),
        "L3" => rng.between(1, 7),
        "J2" => rng.between(1, 2),
        "C1" => rng.between(60, 300),
        _ => match rng.below(10) {
            0..=3 => rng.between(30, 180),
            4..=7 => rng.between(180, 540),
            _ => rng.between(540, 1400),
        },
    }
}

/// Why a child aged `age` leaves care from `place`.
fn leaving_rec(rng: &mut Rng, age: i16, place: &str, ls: &str, uasc: bool) -> &'static str {
    let foster = place.starts_with('U');
    if rng.chance(0.002) {
        return "E2";
    }
    if uasc && rng.chance(0.02) {
        return "E15";
    }
    if ls == "J1" && rng.chance(0.5) {
        return "E14";
    }
    if age >= 18 {
        let mut options = vec![("E5", 20), ("E6", 10), ("E4A", 8), ("E7", 3), ("E8", 8), ("E13", 5)];
        if foster {
            options.push(("E17", 40));
        }
        return rng.weighted(&options);
    }
    let mut options = vec![
        ("E4A", 35),
        ("E4B", 8),
        ("E41", 10),
        ("E47", 6),
        ("E48", 6),
        ("E13", 5),
        ("E3", 4),
        ("E8", 4),
        ("E16", 1),
    ];
    if foster {
        options.extend([("E45", 6), ("E46", 4)]);
    }
    if age >= 10 {
        options.push(("E9", 2));
    }
    if age >= 14 {
        options.extend([("E5", 6), ("E6", 3)]);
    }
    if age >= 16 {
        options.extend([("E5", 10), ("E6", 6), ("E7", 2)]);
    }
    rng.weighted(&options)
}

/// The episodes of one period of care from `start`: changes of placement and legal
/// status, a temporary placement now and then, ending at `stop` (or at the 18th
/// birthday) or still open at `horizon`.
fn care_period(
    rng: &mut Rng,
    base: &Base,
    start: Date,
    stop: Option<(Date, Stop)>,
    horizon: Date,
    first_ls: &'static str,
) -> Vec<Episode> {
    let eighteen = add_years(base.dob, 18);
    let stop = match stop {
        Some((day, how)) if day < eighteen => Some((day, how)),
        _ => Some((eighteen, Stop::Leave)),
    };
    let cin = if base.uasc { "N8" } else { rng.weighted(CIN) };
    let mut episodes = Vec::new();
    let mut t = start;
    let mut ls = first_ls;
    let place = choose_place(rng, age_on(base.dob, t), ls);
    let mut current = placement(rng, base, place);
    let mut rne = "S";
    loop {
        let next = add_days(t, episode_days(rng, ls));
        let episode = |dec, rec, reason, rne, ls, placement: &Placement| Episode {
            decom: t,
            dec,
            rne,
            ls,
            cin,
            placement: placement.clone(),
            rec,
            reason,
        };
        if let Some((day, how)) = stop
            && day <= next
        {
            let day = day.max(add_days(t, 1));
            let rec = match how {
                Stop::Rec(rec) => rec,
                Stop::Leave => leaving_rec(rng, age_on(base.dob, day), current.place, ls, base.uasc),
            };
            if day <= horizon {
                episodes.push(episode(Some(day), Some(rec), None, rne, ls, &current));
            } else {
                episodes.push(episode(None, None, None, rne, ls, &current));
            }
            break;
        }
        if next > horizon {
            episodes.push(episode(None, None, None, rne, ls, &current));
            break;
        }
        let age = age_on(base.dob, next);
        let new_ls: Option<&'static str> = match ls {
            "L1" | "L2" | "L3" => Some(rng.weighted(&[("C1", 60), ("V2", 40)])),
            "J2" | "J1" | "J3" => rng.chance(0.6).then_some("V2"),
            "C1" => rng.chance(0.6).then(|| rng.weighted(&[("C2", 85), ("V2", 15)])),
            "V2" if !base.uasc => rng.chance(0.12).then(|| rng.weighted(&[("C1", 50), ("C2", 50)])),
            "C2" if (10..17).contains(&age) => rng.chance(0.03).then_some("J1"),
            _ => None,
        };
        let placement_too = new_ls.is_none()
            || (ls.starts_with('L') && rng.chance(0.3))
            || (new_ls == Some("V2") && current.place == "P1")
            || new_ls.is_some_and(|l| l.starts_with('J'));
        let room_for_temporary = stop.is_none_or(|(day, _)| add_days(next, 10) < day) && add_days(next, 10) <= horizon;
        if new_ls.is_none() && room_for_temporary && !current.place.starts_with('P') && rng.chance(0.08) {
            // A few days in a temporary placement, then back to the usual one (rule 383).
            let back = add_days(next, rng.between(1, 7));
            episodes.push(episode(Some(next), Some("X1"), None, rne, ls, &current));
            let temporary = Placement {
                place: rng.pick(TEMPORARY),
                provider: None,
                post: Some(postcode(rng)),
                urn: None,
            };
            episodes.push(Episode {
                decom: next,
                dec: Some(back),
                rne: "P",
                ls,
                cin,
                placement: temporary,
                rec: Some("X1"),
                reason: None,
            });
            t = back;
            rne = "P";
            continue;
        }
        let reason = placement_too.then(|| {
            if age_on(base.dob, t) >= 10 && rng.chance(0.02) {
                "CUSTOD"
            } else {
                rng.weighted(REASON_PLACE_CHANGE)
            }
        });
        episodes.push(episode(Some(next), Some("X1"), reason, rne, ls, &current));
        let ls_after = new_ls.unwrap_or(ls);
        if placement_too {
            let mut place = choose_place(rng, age, ls_after);
            for _ in 0..4 {
                if place != current.place {
                    break;
                }
                place = choose_place(rng, age, ls_after);
            }
            let mut moved = placement(rng, base, place);
            if moved == current {
                moved.post = Some(postcode(rng));
            }
            current = moved;
        }
        rne = match (new_ls.is_some(), placement_too) {
            (true, true) => rng.weighted(&[("U", 80), ("B", 20)]),
            (true, false) => "L",
            _ => rng.weighted(&[("P", 85), ("T", 15)]),
        };
        ls = ls_after;
        t = next;
    }
    episodes
}

fn first_ls(rng: &mut Rng, age: i16) -> &'static str {
    let mut options = vec![("V2", 35), ("C1", 35), ("L1", 8), ("L2", 5), ("L3", 1), ("C2", 10)];
    if age >= 10 {
        options.extend([("J1", 3), ("J2", 1)]);
    }
    rng.weighted(&options)
}

/// A period start `days` before `before`, not before the child was born.
fn period_start(rng: &mut Rng, dob: Date, before: Date) -> Date {
    let days = match rng.below(10) {
        0..=2 => rng.between(2, 365),
        3..=5 => rng.between(365, 1095),
        _ => rng.between(1095, 3650),
    };
    let start = add_days(before, -days);
    if start <= dob {
        add_days(dob, rng.between(0, days_between(dob, before).clamp(0, 30)))
    } else {
        start
    }
}

fn make_child(rng: &mut Rng, window: &Window, index: usize) -> Child {
    let story = rng.weighted(&[
        (Story::Ongoing, 38),
        (Story::Left, 20),
        (Story::CareLeaver, 18),
        (Story::Adoption, 8),
        (Story::Respite, 5),
        (Story::Uasc, 6),
        (Story::Returner, 5),
    ]);
    let sex = if story == Story::Uasc {
        rng.weighted(&[(Sex::Male, 90), (Sex::Female, 10)])
    } else {
        rng.weighted(&[(Sex::Male, 56), (Sex::Female, 44)])
    };
    let end = window.end;
    let mut base = Base {
        dob: end,
        home_post: Some(postcode(rng)),
        uasc: story == Story::Uasc,
    };
    let mut episodes = Vec::new();
    let mut placed = Vec::new();
    let mut adoption = None;
    match story {
        Story::Ongoing => {
            let age = rng.weighted(&[(0, 5), (1, 4), (2, 4), (3, 4), (5, 18), (10, 20), (13, 20), (16, 22)]);
            let age = (age + rng.between(0, 2) as i16).min(17);
            base.dob = add_days(add_years(end, -age), -rng.between(1, 364));
            let start = period_start(rng, base.dob, end);
            let ls = first_ls(rng, age_on(base.dob, start));
            episodes = care_period(rng, &base, start, None, end, ls);
        }
        Story::Left | Story::Returner => {
            let leave = if story == Story::Returner {
                rng.date_between(window.first, add_days(end, -150))
            } else {
                rng.date_between(window.first, end)
            };
            let age = rng.weighted(&[(0, 10), (3, 8), (6, 15), (10, 20), (13, 20), (16, 15), (18, 12)]);
            let age = if age == 18 {
                18
            } else {
                (age + rng.between(0, 2) as i16).min(17)
            };
            base.dob = if age == 18 {
                add_years(leave, -18)
            } else {
                add_days(add_years(leave, -age), -rng.between(1, 364))
            };
            let start = period_start(rng, base.dob, add_days(leave, -2));
            let ls = first_ls(rng, age_on(base.dob, start));
            let stop = if story == Story::Returner {
                Stop::Rec(rng.weighted(&[("E4A", 60), ("E4B", 30), ("E41", 10)]))
            } else {
                Stop::Leave
            };
            episodes = care_period(rng, &base, start, Some((leave, stop)), end, ls);
            if story == Story::Returner
                && let Some(left) = episodes.last().and_then(|e| e.dec)
                && days_between(left, end) > 60
            {
                let back = add_days(left, rng.between(30, days_between(left, end) - 10));
                if age_on(base.dob, back) < 17 {
                    let ls = first_ls(rng, age_on(base.dob, back));
                    episodes.extend(care_period(rng, &base, back, None, end, ls));
                }
            }
        }
        Story::CareLeaver => {
            let age = rng.weighted(&[(17, 15), (18, 18), (19, 22), (20, 23), (21, 22)]);
            let birthday = rng.date_between(add_years(end, -1), end);
            let birthday = add_days(birthday, 1).min(end);
            base.dob = add_years(birthday, -age);
            let leave = if age <= 18 || rng.chance(0.15) {
                let sixteen = add_years(base.dob, 16);
                let before = if age <= 18 {
                    add_years(base.dob, age)
                } else {
                    add_years(base.dob, 18)
                };
                rng.date_between(sixteen, add_days(before, -1))
            } else {
                add_years(base.dob, 18)
            };
            let start = rng.date_between(add_years(base.dob, 10), add_days(add_years(base.dob, 15), 180));
            let ls = first_ls(rng, age_on(base.dob, start));
            episodes = care_period(rng, &base, start, Some((leave, Stop::Leave)), end, ls);
        }
        Story::Uasc => {
            let age = rng.weighted(&[(14, 15), (15, 35), (16, 35), (17, 15)]);
            let arrived = rng.date_between(add_years(end, -4), add_days(end, -10));
            base.dob = add_days(add_years(arrived, -age), -rng.between(1, 300));
            base.home_post = None;
            episodes = care_period(rng, &base, arrived, None, end, "V2");
        }
        Story::Respite => {
            let age = rng.between(5, 16) as i16;
            base.dob = add_days(add_years(end, -age), -rng.between(1, 364));
            base.home_post = None;
            let ls = if rng.chance(0.15) { "V3" } else { "V4" };
            let cin = rng.weighted(&[("N2", 80), ("N3", 10), ("N4", 10)]);
            let home = Base {
                home_post: None,
                ..base.clone()
            };
            let place = rng.weighted(&[("U6", 50), ("K2", 40), ("U3", 10)]);
            let unit = placement(rng, &home, place);
            // No placement postcode or URN under V3/V4 (rule 214).
            let unit = Placement {
                post: None,
                urn: None,
                ..unit
            };
            let mut t = rng.date_between(add_days(window.first, -200), add_days(window.first, 100));
            let eighteen = add_years(base.dob, 18);
            loop {
                let back = add_days(
                    t,
                    if ls == "V3" {
                        rng.between(1, 14)
                    } else {
                        rng.between(1, 4)
                    },
                );
                if back > end || back >= eighteen {
                    break;
                }
                episodes.push(Episode {
                    decom: t,
                    dec: Some(back),
                    rne: "S",
                    ls,
                    cin,
                    placement: unit.clone(),
                    rec: Some("E4A"),
                    reason: None,
                });
                t = add_days(
                    back,
                    if ls == "V3" {
                        rng.between(120, 300)
                    } else {
                        rng.between(25, 70)
                    },
                );
            }
        }
        Story::Adoption => {
            let in_placement = rng.date_between(add_days(window.first, -150), add_days(end, -20));
            let matched = add_days(in_placement, -rng.between(7, 60));
            let order = add_days(matched, -rng.between(30, 200));
            let decided = add_days(order, -rng.between(14, 120));
            let start = add_days(decided, -rng.between(30, 300));
            base.dob = add_days(start, -rng.between(0, 700));
            let reversed = rng.chance(0.15);
            if reversed {
                let ceased = add_days(decided, rng.between(60, 400));
                episodes = care_period(rng, &base, start, None, end, "C1");
                if ceased <= end {
                    placed.push((decided, Some((ceased, rng.pick(&["RD1", "RD2", "RD3", "RD4"])))));
                } else {
                    placed.push((decided, None));
                }
            } else {
                let consent = rng.chance(0.25);
                let cin = rng.weighted(CIN);
                let place = rng.weighted(&[("U6", 50), ("U5", 25), ("U3", 15), ("U2", 10)]);
                let foster = placement(rng, &base, place);
                let with_carers = rng.chance(0.3);
                let place = match (consent, with_carers) {
                    (true, true) => "A3",
                    (true, false) => "A4",
                    (false, true) => "A5",
                    (false, false) => "A6",
                };
                let mut adoptive = placement(rng, &base, place);
                if with_carers {
                    adoptive.post.clone_from(&foster.post);
                }
                let first_ls = if consent { "V2" } else { "C1" };
                let mut chain = vec![(start, "S", first_ls, foster.clone())];
                if !consent {
                    chain.push((order, "L", "E1", foster.clone()));
                }
                // With the current foster carers the reason is T (rule 217).
                let rne = if with_carers { "T" } else { "P" };
                chain.push((in_placement, rne, if consent { "V2" } else { "E1" }, adoptive));
                let outcome = rng.weighted(&[(true, 70), (false, 30)]);
                let adopted = add_days(in_placement, rng.between(70, 300));
                for (i, (decom, rne, ls, where_)) in chain.iter().enumerate() {
                    let next = chain.get(i + 1).map(|c| c.0);
                    let (dec, rec) = match next {
                        Some(next) => (Some(next), Some("X1")),
                        None if outcome && adopted <= end => {
                            (Some(adopted), Some(rng.weighted(&[("E11", 70), ("E12", 30)])))
                        }
                        None => (None, None),
                    };
                    let (dec, rec) = match dec {
                        Some(d) if d > end => (None, None),
                        _ => (dec, rec),
                    };
                    if *decom > end {
                        break;
                    }
                    let reason = (next == Some(in_placement) && dec.is_some()).then_some("CARPL");
                    episodes.push(Episode {
                        decom: *decom,
                        dec,
                        rne,
                        ls,
                        cin,
                        placement: where_.clone(),
                        rec,
                        reason,
                    });
                }
                placed.push((decided, None));
                if outcome && adopted <= end {
                    let nb = rng.weighted(&[("1", 15), ("2", 85)]);
                    let (sex, ls) = if nb == "1" {
                        (rng.pick(&["M1", "F1"]), "L0")
                    } else if rng.chance(0.8) {
                        ("MF", rng.weighted(&[("L11", 70), ("L3", 30)]))
                    } else {
                        (rng.pick(&["MM", "FF"]), rng.pick(&["L12", "L2", "L4"]))
                    };
                    adoption = Some(Adoption {
                        date_int: decided,
                        date_match: matched,
                        foster_care: if with_carers { "1" } else { "0" },
                        nb,
                        sex,
                        ls,
                        adopted,
                    });
                }
            }
        }
    }
    episodes.retain(|e| e.decom <= end);
    finish_child(rng, index, sex, base, episodes, placed, adoption)
}

/// Everything that follows from a child's episodes: reviews, missing episodes,
/// social workers, motherhood, DoLOs and whether they are a care leaver.
fn finish_child(
    rng: &mut Rng,
    index: usize,
    sex: Sex,
    base: Base,
    episodes: Vec<Episode>,
    placed: Vec<(Date, Option<(Date, &'static str)>)>,
    adoption: Option<Adoption>,
) -> Child {
    let dob = base.dob;
    let mut reviews = Vec::new();
    let mut missing = Vec::new();
    let mut sw = Vec::new();
    let mut dolo = Vec::new();
    let horizon = episodes.iter().map(|e| e.dec.unwrap_or(e.decom)).max().unwrap_or(dob);
    for (start, end) in periods(&episodes) {
        let last = end.unwrap_or(add_days(horizon, 400));
        // Reviews: within 20 days, 3 months later, then every 6 months.
        let mut review = add_days(start, rng.between(10, 20));
        let mut n = 0;
        while review < last {
            let code = if age_on(dob, review) < 4 {
                "PN0"
            } else {
                rng.weighted(&[
                    ("PN1", 50),
                    ("PN2", 10),
                    ("PN3", 10),
                    ("PN4", 8),
                    ("PN5", 8),
                    ("PN6", 6),
                    ("PN7", 8),
                ])
            };
            reviews.push((review, code));
            review = add_months(review, if n == 0 { 3 } else { 6 });
            review = add_days(review, rng.between(-10, 10));
            n += 1;
        }
        // Missing or away from placement, for older children.
        if age_on(dob, last) >= 11 && rng.chance(0.3) {
            let mut from = start.max(add_years(dob, 10));
            for _ in 0..rng.between(1, 5) {
                let gone = add_days(from, rng.between(5, 200));
                if gone >= last {
                    break;
                }
                let back = add_days(gone, rng.between(0, 6)).min(last);
                let back = end.map_or(Some(back), |e| Some(back.min(e)));
                missing.push((rng.weighted(&[("M", 75), ("A", 25)]), gone, back));
                from = back.unwrap_or(gone);
            }
        }
        // Social workers: the first from the start of care, then changes.
        let mut from = start;
        let mut reason = "FCONTA";
        loop {
            let to = add_days(from, rng.between(60, 700));
            let id = if rng.chance(0.03) {
                format!("XX{}", rng.digits(6))
            } else {
                format!("SW{}", rng.digits(7))
            };
            let ended = to < last && to <= horizon;
            let stop_here = end.is_some_and(|e| to >= e) || !ended;
            let dec = if stop_here && end.is_some() && end != Some(horizon) {
                end.filter(|e| *e > from)
            } else if ended {
                Some(to)
            } else {
                None
            };
            sw.push((id, from, dec, reason));
            if stop_here {
                break;
            }
            from = to;
            reason = rng.weighted(SW_REASONS);
        }
    }
    // The last social worker stays open (rule SW17).
    if let Some(last) = sw.last_mut() {
        last.2 = None;
    }
    for e in episodes
        .iter()
        .filter(|e| e.placement.place == "K2" && age_on(dob, e.decom) >= 10)
    {
        if rng.chance(0.3) {
            let start = add_days(e.decom, rng.between(0, 30));
            if e.dec.is_some_and(|d| start >= d) {
                continue;
            }
            let end = add_days(start, rng.between(30, 300));
            let end = match e.dec {
                Some(d) => Some(end.min(d)),
                None => Some(end),
            };
            dolo.push((start, end));
        }
    }
    let in_care: Vec<&Episode> = episodes.iter().filter(|e| !e.respite()).collect();
    let mc_dob = match (sex, in_care.first(), in_care.last()) {
        (Sex::Female, Some(first), Some(last)) if rng.chance(0.06) => {
            let from = first.decom.max(add_years(dob, 14));
            let to = last.dec.unwrap_or(horizon);
            (from < to).then(|| rng.date_between(from, to))
        }
        _ => None,
    };
    // Relevant or former relevant: left care aged 16 or over, 13 weeks in care since 14.
    let after_14: i64 = in_care
        .iter()
        .map(|e| {
            let from = e.decom.max(add_years(dob, 14));
            let to = e.dec.unwrap_or(horizon);
            days_between(from, to).max(0)
        })
        .sum();
    let last = in_care.last();
    let care_leaver = last.is_some_and(|e| {
        e.dec.is_some_and(|d| age_on(dob, d) >= 16)
            && !matches!(e.rec, Some("E2" | "E3" | "E11" | "E12" | "E15"))
            && after_14 >= 91
    });
    let died = (care_leaver && rng.chance(0.01)).then(|| add_days(last.and_then(|e| e.dec).unwrap_or(dob), 200));
    // A previous permanence order before care began (rule 632; a date with ZZ in it
    // is read as the latest it could be).
    let first_care = episodes.first().map_or(horizon, |e| e.decom);
    let code = rng.weighted(&[("Z1", 70), ("P1", 5), ("P2", 10), ("P3", 10), ("P4", 5)]);
    let prev_perm = match code {
        "Z1" => ("Z1", None, None),
        _ if days_between(dob, first_care) < 800 => ("Z1", None, None),
        code => {
            let when = rng.date_between(add_days(dob, 30), add_days(first_care, -400));
            let shown = match rng.below(10) {
                0 => format!("ZZ/{:02}/{:04}", when.month(), when.year()),
                1 => format!("ZZ/ZZ/{:04}", when.year()),
                _ => dmy(when),
            };
            (code, Some(rng.pick(LA_PERM).to_owned()), Some(shown))
        }
    };
    let age = age_on(dob, horizon);
    let upn = if base.uasc && rng.chance(0.5) {
        "UN2".to_owned()
    } else if age < 3 {
        if rng.chance(0.8) { "UN1".to_owned() } else { upn(rng) }
    } else {
        match rng.below(100) {
            0..=2 => "UN2".to_owned(),
            3..=4 => "UN3".to_owned(),
            5..=7 => "UN5".to_owned(),
            _ => upn(rng),
        }
    };
    Child {
        id: format!("{}", 100_000 + index),
        seed: rng.next(),
        sex,
        dob,
        ethnic: if base.uasc {
            rng.weighted(&[("BAFR", 40), ("AOTH", 30), ("OOTH", 30)])
        } else {
            rng.weighted(ETHNIC)
        },
        upn,
        home_post: base.home_post,
        uasc: base.uasc,
        mc_dob,
        episodes,
        reviews,
        missing,
        placed,
        adoption,
        prev_perm,
        care_leaver,
        died,
        sw,
        dolo,
    }
}

/// Each period of care (episodes joined by X1), excluding short breaks: start and end.
fn periods(episodes: &[Episode]) -> Vec<(Date, Option<Date>)> {
    let mut periods = Vec::new();
    let mut start: Option<Date> = None;
    for e in episodes.iter().filter(|e| !e.respite()) {
        let from = *start.get_or_insert(e.decom);
        if e.rec != Some("X1") {
            periods.push((from, e.dec));
            start = None;
        }
    }
    if let Some(from) = start {
        periods.push((from, None));
    }
    periods
}

// ---------------------------------------------------------------------------------
// Mistakes across tables

/// A child's rows in one year's return that do not agree with the rest: left out
/// where they belong, or there where they do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mistake {
    /// No Header row (INT01-INT09).
    NoHeader,
    /// No episodes, though other tables have rows (EPI, 1012, INT03).
    NoEpisodes,
    /// An OC3 row though not a care leaver with a birthday due (391, 1000-1016).
    Oc3Anyway,
    /// A UASC row though never unaccompanied (205A-D, 1014).
    UascAnyway,
    /// An OC2 row though not looked after for the whole year (185, 190, 198).
    Oc2Anyway,
    /// No OC2 row though looked after for the whole year (191).
    NoOc2,
    /// An AD1 row though not adopted this year (602).
    Ad1Anyway,
    /// No AD1 row though adopted this year (601).
    NoAd1,
    /// No PlacedAdoption row though placed for adoption (551, 553).
    NoPlaced,
    /// A PlacedAdoption row though never placed for adoption.
    PlacedAnyway,
    /// No PrevPerm row though care began this year (630).
    NoPrevPerm,
}

const MISTAKES: &[Mistake] = &[
    Mistake::NoHeader,
    Mistake::NoEpisodes,
    Mistake::Oc3Anyway,
    Mistake::UascAnyway,
    Mistake::Oc2Anyway,
    Mistake::NoOc2,
    Mistake::Ad1Anyway,
    Mistake::NoAd1,
    Mistake::NoPlaced,
    Mistake::PlacedAnyway,
    Mistake::NoPrevPerm,
];

/// A mistake for about a third of `rate` of the children in each year.
fn draw_mistakes(rng: &mut Rng, children: usize, year: i16, rate: f64) -> BTreeMap<(usize, i16), Mistake> {
    let mut mistakes = BTreeMap::new();
    for child in 0..children {
        for y in [year - 1, year] {
            if rng.chance(rate / 3.0) {
                mistakes.insert((child, y), rng.pick(MISTAKES));
            }
        }
    }
    mistakes
}

// ---------------------------------------------------------------------------------
// One year's return from the histories

/// Fields in a table's column order from (column, value) pairs; others blank.
fn row(table: Table, fields: &[(&str, String)]) -> Vec<String> {
    table
        .columns()
        .iter()
        .map(|column| {
            fields
                .iter()
                .find(|(c, _)| c == column)
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        })
        .collect()
}

fn opt(d: Option<Date>) -> String {
    d.map(dmy).unwrap_or_default()
}

fn build_year(children: &[Child], year: i16, mistakes: &BTreeMap<(usize, i16), Mistake>) -> Tables {
    let start = date(year - 1, 4, 1);
    let end = date(year, 3, 31);
    let mut out = Tables::empty(year);
    let mut push = |table: Table, fields: &[(&str, String)]| {
        if let Some(rows) = out.tables.get_mut(&table) {
            rows.push(row(table, fields));
        }
    };
    for (index, c) in children.iter().enumerate() {
        let mistake = mistakes.get(&(index, year)).copied();
        let episodes: Vec<&Episode> = c
            .episodes
            .iter()
            .filter(|e| e.decom <= end && e.dec.is_none_or(|d| d >= start))
            .collect();
        let oc3 = oc3_row(c, year, start, end, mistake == Some(Mistake::Oc3Anyway));
        if episodes.is_empty() && oc3.is_none() {
            continue;
        }
        let dob = dmy(c.dob);
        let in_care = episodes.iter().any(|e| !e.respite());
        let sex = match (c.sex, year <= 2024) {
            (Sex::Male, true) => "1",
            (Sex::Female, true) => "2",
            (Sex::Male, false) => "M",
            (Sex::Female, false) => "F",
        };
        let mother = (c.sex == Sex::Female && in_care).then(|| c.mc_dob.is_some_and(|d| d <= end));
        let mut push = |table: Table, fields: &[(&str, String)]| {
            let left_out = matches!(
                (mistake, table),
                (Some(Mistake::NoHeader), Table::Header)
                    | (Some(Mistake::NoEpisodes), Table::Episodes)
                    | (Some(Mistake::NoOc2), Table::Oc2)
                    | (Some(Mistake::NoAd1), Table::Ad1)
                    | (Some(Mistake::NoPlaced), Table::PlacedAdoption)
                    | (Some(Mistake::NoPrevPerm), Table::PrevPerm)
            );
            if !left_out {
                push(table, fields);
            }
        };
        push(
            Table::Header,
            &[
                ("CHILD", c.id.clone()),
                ("SEX", sex.to_owned()),
                ("DOB", dob.clone()),
                ("ETHNIC", c.ethnic.to_owned()),
                ("UPN", c.upn.clone()),
                (
                    "MOTHER",
                    mother.map(|m| if m { "1" } else { "0" }.to_owned()).unwrap_or_default(),
                ),
                (
                    "MC_DOB",
                    if mother == Some(true) {
                        opt(c.mc_dob)
                    } else {
                        String::new()
                    },
                ),
            ],
        );
        for e in &episodes {
            let known = e.dec.filter(|d| *d <= end);
            push(
                Table::Episodes,
                &[
                    ("CHILD", c.id.clone()),
                    ("DECOM", dmy(e.decom)),
                    ("RNE", e.rne.to_owned()),
                    ("LS", e.ls.to_owned()),
                    ("CIN", e.cin.to_owned()),
                    ("PLACE", place_code(e.placement.place, year).to_owned()),
                    ("PLACE_PROVIDER", e.placement.provider.unwrap_or_default().to_owned()),
                    ("DEC", opt(known)),
                    ("REC", known.and(e.rec).unwrap_or_default().to_owned()),
                    (
                        "REASON_PLACE_CHANGE",
                        known.and(e.reason).unwrap_or_default().to_owned(),
                    ),
                    (
                        "HOME_POST",
                        if e.respite() { None } else { c.home_post.clone() }.unwrap_or_default(),
                    ),
                    ("PL_POST", e.placement.post.clone().unwrap_or_default()),
                    ("URN", e.placement.urn.clone().unwrap_or_default()),
                ],
            );
        }
        if episodes
            .iter()
            .any(|e| e.rne == "S" && (start..=end).contains(&e.decom))
        {
            let (code, la, when) = &c.prev_perm;
            push(
                Table::PrevPerm,
                &[
                    ("CHILD", c.id.clone()),
                    ("DOB", dob.clone()),
                    ("PREV_PERM", (*code).to_owned()),
                    ("LA_PERM", la.clone().unwrap_or_default()),
                    ("DATE_PERM", when.clone().unwrap_or_default()),
                ],
            );
        }
        if in_care {
            for (review, code) in c.reviews.iter().filter(|(d, _)| (start..=end).contains(d)) {
                push(
                    Table::Reviews,
                    &[
                        ("CHILD", c.id.clone()),
                        ("DOB", dob.clone()),
                        ("REVIEW", dmy(*review)),
                        ("REVIEW_CODE", (*code).to_owned()),
                    ],
                );
            }
            if c.uasc || mistake == Some(Mistake::UascAnyway) {
                push(
                    Table::Uasc,
                    &[
                        ("CHILD", c.id.clone()),
                        ("SEX", sex.to_owned()),
                        ("DOB", dob.clone()),
                        ("DUC", dmy(add_years(c.dob, 18))),
                    ],
                );
            }
            if continuously_looked_after(&episodes, start, end) || mistake == Some(Mistake::Oc2Anyway) {
                push(Table::Oc2, &oc2_row(c, year, start, end));
            }
            let first = episodes.first().map_or(start, |e| e.decom);
            let made_up = Adoption {
                date_int: add_days(first, 100),
                date_match: add_days(first, 160),
                foster_care: "0",
                nb: "2",
                sex: "MF",
                ls: "L11",
                adopted: end,
            };
            let adoption = match mistake {
                Some(Mistake::Ad1Anyway) => Some(c.adoption.as_ref().unwrap_or(&made_up)),
                _ => c.adoption.as_ref().filter(|a| (start..=end).contains(&a.adopted)),
            };
            if let Some(a) = adoption {
                push(
                    Table::Ad1,
                    &[
                        ("CHILD", c.id.clone()),
                        ("DOB", dob.clone()),
                        ("DATE_INT", dmy(a.date_int)),
                        ("DATE_MATCH", dmy(a.date_match)),
                        ("FOSTER_CARE", a.foster_care.to_owned()),
                        ("NB_ADOPTR", a.nb.to_owned()),
                        ("SEX_ADOPTR", a.sex.to_owned()),
                        ("LS_ADOPTR", a.ls.to_owned()),
                    ],
                );
            }
            let never_placed = [(made_up.date_int, None)];
            let placed = if c.placed.is_empty() && mistake == Some(Mistake::PlacedAnyway) {
                &never_placed[..]
            } else {
                &c.placed[..]
            };
            for (decided, ceased) in placed {
                let ceased = ceased.filter(|(d, _)| *d <= end);
                if *decided > end || ceased.is_some_and(|(d, _)| d < start) {
                    continue;
                }
                push(
                    Table::PlacedAdoption,
                    &[
                        ("CHILD", c.id.clone()),
                        ("DOB", dob.clone()),
                        ("DATE_PLACED", dmy(*decided)),
                        ("DATE_PLACED_CEASED", opt(ceased.map(|c| c.0))),
                        (
                            "REASON_PLACED_CEASED",
                            ceased.map(|c| c.1.to_owned()).unwrap_or_default(),
                        ),
                    ],
                );
            }
            for (kind, gone, back) in &c.missing {
                if *gone > end || back.is_some_and(|b| b < start) {
                    continue;
                }
                push(
                    Table::Missing,
                    &[
                        ("CHILD", c.id.clone()),
                        ("DOB", dob.clone()),
                        ("MISSING", (*kind).to_owned()),
                        ("MIS_START", dmy(*gone)),
                        ("MIS_END", opt(back.filter(|b| *b <= end))),
                    ],
                );
            }
            for (id, from, to, reason) in &c.sw {
                if *from > end || to.is_some_and(|t| t < start) {
                    continue;
                }
                push(
                    Table::SwEpisodes,
                    &[
                        ("CHILD", c.id.clone()),
                        ("DOB", dob.clone()),
                        ("SW_ID", id.clone()),
                        ("SW_DECOM", dmy(*from)),
                        ("SW_DEC", opt(to.filter(|t| *t <= end))),
                        ("SW_REASON", (*reason).to_owned()),
                    ],
                );
            }
            for (from, to) in &c.dolo {
                if *from > end || to.is_some_and(|t| t < start) {
                    continue;
                }
                push(
                    Table::DoLo,
                    &[
                        ("CHILD", c.id.clone()),
                        ("DOB", dob.clone()),
                        ("DOLO_START", dmy(*from)),
                        ("DOLO_END", opt(to.filter(|t| *t <= end))),
                    ],
                );
            }
        }
        if let Some(fields) = oc3 {
            push(Table::Oc3, &fields);
        }
        // A UASC row for a care leaver who is not looked after this year (1014).
        if !in_care && mistake == Some(Mistake::UascAnyway) {
            push(
                Table::Uasc,
                &[
                    ("CHILD", c.id.clone()),
                    ("SEX", sex.to_owned()),
                    ("DOB", dob.clone()),
                    ("DUC", dmy(add_years(c.dob, 18))),
                ],
            );
        }
    }
    out
}

/// Looked after for the whole year, as the DfE validator works it out
/// (`add_col_to_episodes_CONTINUOUSLY_LOOKED_AFTER`).
fn continuously_looked_after(episodes: &[&Episode], start: Date, end: Date) -> bool {
    let mut during = false;
    for e in episodes {
        let dec = e.dec.filter(|d| *d <= end);
        during |= e.decom <= end && dec.is_none_or(|d| d >= start);
        let enters = e.rne == "S" && e.decom > start && e.decom <= end;
        let leaves = e.rec != Some("X1") && dec.is_some_and(|d| d >= start && d < end);
        if enters || leaves || e.respite() {
            return false;
        }
    }
    during
}

fn oc2_row(c: &Child, year: i16, start: Date, end: Date) -> Vec<(&'static str, String)> {
    let mut rng = Rng::new(c.seed ^ u64::from(year.unsigned_abs()).wrapping_mul(0x2545_F491_4F6C_DD1D));
    let age_end = age_on(c.dob, end);
    let yes_no = |rng: &mut Rng, p: f64| if rng.chance(p) { "1" } else { "0" }.to_owned();
    // An SDQ score (or the reason for none) from the year of the 4th birthday to
    // that of the 17th (rules 186, 188, 189, 197B); SDQ1 (out of age) only then.
    let due = add_years(c.dob, 4) <= end && add_years(c.dob, 17) >= start;
    let core = add_years(c.dob, 4) <= start && add_years(c.dob, 16) >= end;
    let (score, reason) = if !due {
        (String::new(), String::new())
    } else if rng.chance(0.8) {
        (rng.between(0, 40).to_string(), String::new())
    } else if core {
        (String::new(), rng.pick(&["SDQ2", "SDQ3", "SDQ4", "SDQ5"]).to_owned())
    } else {
        (String::new(), rng.pick(&["SDQ1", "SDQ1", "SDQ2", "SDQ4"]).to_owned())
    };
    let misuse = yes_no(&mut rng, 0.08);
    let (received, offered) = if misuse == "1" {
        let received = yes_no(&mut rng, 0.6);
        let offered = if received == "0" {
            yes_no(&mut rng, 0.5)
        } else {
            String::new()
        };
        (received, offered)
    } else {
        (String::new(), String::new())
    };
    vec![
        ("CHILD", c.id.clone()),
        ("DOB", dmy(c.dob)),
        ("SDQ_SCORE", score),
        ("SDQ_REASON", reason),
        (
            "CONVICTED",
            if age_end >= 10 {
                yes_no(&mut rng, 0.04)
            } else {
                String::new()
            },
        ),
        (
            "HEALTH_CHECK",
            if age_end < 5 {
                yes_no(&mut rng, 0.9)
            } else {
                String::new()
            },
        ),
        ("IMMUNISATIONS", yes_no(&mut rng, 0.85)),
        ("TEETH_CHECK", yes_no(&mut rng, 0.8)),
        ("HEALTH_ASSESSMENT", yes_no(&mut rng, 0.9)),
        ("SUBSTANCE_MISUSE", misuse),
        ("INTERVENTION_RECEIVED", received),
        ("INTERVENTION_OFFERED", offered),
    ]
}

/// The care leaver's OC3 row when they have a 17th to 21st birthday in the year
/// and were not in care on it.
/// With `anyway`, a row for anyone with a 16th to 22nd birthday in the year.
fn oc3_row(c: &Child, year: i16, start: Date, end: Date, anyway: bool) -> Option<Vec<(&'static str, String)>> {
    let ages = if anyway { 16..=22 } else { 17..=21 };
    let (age, birthday) = ages
        .map(|age| (age, add_years(c.dob, age)))
        .find(|(_, b)| (start..=end).contains(b))?;
    if !anyway {
        if !c.care_leaver || c.episodes.iter().any(|e| e.covers(birthday)) {
            return None;
        }
        // Left care before the birthday: on it, the birthday's return is not due (1016).
        if c.episodes
            .iter()
            .filter_map(|e| e.dec)
            .max()
            .is_none_or(|left| left >= birthday)
        {
            return None;
        }
    }
    let mut rng = Rng::new(c.seed ^ u64::from(year.unsigned_abs()).wrapping_mul(0xD6E8_FEB8_6659_FD93));
    let died_before = c.died.is_some_and(|d| d < add_years(birthday, -1));
    if died_before {
        return None;
    }
    let in_touch = if c.died.is_some_and(|d| d <= birthday) {
        "DIED"
    } else {
        rng.weighted(&[("YES", 82), ("NO", 6), ("REFU", 4), ("NREQ", 3), ("RHOM", 3)])
    };
    let (activ, accom) = if in_touch == "YES" {
        let mut accom = rng.weighted(ACCOM);
        // Not with former foster carers around the 17th birthday (rule 3001).
        while age == 17 && matches!(accom, "Z1" | "Z2") {
            accom = rng.weighted(ACCOM);
        }
        (rng.weighted(ACTIV), accom)
    } else {
        ("0", "0")
    };
    Some(vec![
        ("CHILD", c.id.clone()),
        ("DOB", dmy(c.dob)),
        ("IN_TOUCH", in_touch.to_owned()),
        ("ACTIV", activ.to_owned()),
        ("ACCOM", accom.to_owned()),
    ])
}

// ---------------------------------------------------------------------------------
// Errors

const DATE_COLUMNS: &[&str] = &[
    "DOB",
    "MC_DOB",
    "DECOM",
    "DEC",
    "REVIEW",
    "DUC",
    "DATE_INT",
    "DATE_MATCH",
    "DATE_PLACED",
    "DATE_PLACED_CEASED",
    "DATE_PERM",
    "MIS_START",
    "MIS_END",
    "SW_DECOM",
    "SW_DEC",
    "DOLO_START",
    "DOLO_END",
];

/// Values to put in a column instead of the right one: valid codes of this and
/// other years, and invalid ones.
fn alternatives(column: &str) -> &'static [&'static str] {
    match column {
        "SEX" => &["1", "2", "M", "F", "U", "0", "9", "X"],
        "ETHNIC" => &["WBRI", "WOTH", "REFU", "NOBT", "ZZZZ", "W BRI", "OTH", "MWBC"],
        "UPN" => &[
            "UN1",
            "UN4",
            "UN6",
            "UN5",
            "A12345678901",
            "I123456789012",
            "A1234567890123",
            "B12345678901C",
            "UNK",
        ],
        "MOTHER" => &["0", "1", "2", "Y"],
        "RNE" => &["S", "P", "L", "T", "U", "B", "X"],
        "LS" => &[
            "C1", "C2", "D1", "E1", "V2", "V3", "V4", "J1", "J2", "J3", "L1", "L2", "L3", "C3", "V1",
        ],
        "CIN" => &["N1", "N2", "N3", "N4", "N5", "N6", "N7", "N8", "N0", "N9"],
        "PLACE" => &[
            "A3", "A4", "A5", "A6", "H5", "K1", "K2", "K3", "P1", "P2", "P3", "R1", "R2", "R3", "R5", "S1", "T0", "T1",
            "T2", "T3", "T4", "U1", "U2", "U3", "U4", "U5", "U6", "Z1", "Z11", "Z12", "Z13", "Z14", "X1", "T5",
        ],
        "PLACE_PROVIDER" => &["PR0", "PR1", "PR2", "PR3", "PR4", "PR5", "PR6", "PR"],
        "REC" => &[
            "E11", "E12", "E2", "E3", "E4A", "E4B", "E13", "E41", "E45", "E46", "E47", "E48", "E5", "E6", "E7", "E8",
            "E9", "E14", "E15", "E16", "E17", "X1", "E4", "E1", "X2",
        ],
        "REASON_PLACE_CHANGE" => &[
            "CARPL", "CLOSE", "ALLEG", "STAND", "APPRR", "CREQB", "CREQO", "CHILD", "LAREQ", "PLACE", "CUSTOD",
            "OTHER", "NONE", "CARER",
        ],
        "HOME_POST" | "PL_POST" => &["XX9 9XX", "QA1 1AA", "NOT KNOWN", "XX99XX", "ZZ99 3CZ", "Q1", "V12 3AB"],
        "URN" => &["SC123456", "XXXXXXX", "1234567", "URN", "SC12345X", "XXXXXX"],
        "REVIEW_CODE" => &["PN0", "PN1", "PN2", "PN3", "PN4", "PN5", "PN6", "PN7", "PN8", "P1"],
        "SDQ_SCORE" => &["0", "12", "40", "41", "-1", "12.5", "NA"],
        "SDQ_REASON" => &["SDQ1", "SDQ2", "SDQ3", "SDQ4", "SDQ5", "SDQ6"],
        "CONVICTED"
        | "HEALTH_CHECK"
        | "IMMUNISATIONS"
        | "TEETH_CHECK"
        | "HEALTH_ASSESSMENT"
        | "SUBSTANCE_MISUSE"
        | "INTERVENTION_RECEIVED"
        | "INTERVENTION_OFFERED"
        | "FOSTER_CARE" => &["0", "1", "2", "Y", "N"],
        "IN_TOUCH" => &["YES", "NO", "DIED", "REFU", "NREQ", "RHOM", "Y", "MAYBE"],
        "ACTIV" => &[
            "F1", "P1", "F2", "P2", "F4", "P4", "F5", "P5", "G4", "G5", "G6", "0", "F3", "G7",
        ],
        "ACCOM" => &["B1", "D1", "U1", "Z1", "Z2", "0", "A1", "Z3", "X2", "S1"],
        "NB_ADOPTR" => &["1", "2", "3", "0"],
        "SEX_ADOPTR" => &["M1", "F1", "MM", "FF", "MF", "FM"],
        "LS_ADOPTR" => &["L0", "L11", "L12", "L2", "L3", "L4", "L1", "L5"],
        "REASON_PLACED_CEASED" => &["RD1", "RD2", "RD3", "RD4", "RD5"],
        "PREV_PERM" => &["P1", "P2", "P3", "P4", "Z1", "P5"],
        "LA_PERM" => &["800", "202", "WAL", "SCO", "NIR", "NUK", "999", "000", "ABC"],
        "MISSING" => &["M", "A", "X", "MA"],
        "SW_ID" => &["SW123", "XX123", "AB123", "SW", "S W123"],
        "SW_REASON" => &[
            "FCONTA", "MANAGE", "LEFTRL", "ORGRST", "TSPROC", "ABSENC", "CHCHAN", "PCCHAN", "SWDIED", "OTHERS", "OTHER",
        ],
        _ => &["0", "1", "X"],
    }
}

const JUNK: &[&str] = &["NA", "N/A", "null", "nan", "None", "?", "-", "é", "0", "1.0"];

fn bad_date(rng: &mut Rng, value: &str, year: i16) -> String {
    let parsed = super::validate::dfe_date(value);
    let d = parsed.unwrap_or(date(year - 1, 10, 1));
    match rng.below(13) {
        0 => format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day()),
        1 => format!("{:02}-{:02}-{:04}", d.day(), d.month(), d.year()),
        2 => format!("{}/{}/{:02}", d.day(), d.month(), d.year() % 100),
        3 => format!("{:02}.{:02}.{:04}", d.day(), d.month(), d.year()),
        4 => format!("{} ", dmy(d)),
        5 => format!("{}/{}/{}", d.day(), d.month(), d.year()),
        6 => format!("{} 00:00", dmy(d)),
        7 => format!("31/02/{}", d.year()),
        8 => format!("29/02/{}", year - 1 - i16::from(year % 4 == 1)),
        9 => format!("00/{:02}/{}", d.month(), d.year()),
        10 => format!("{:02}/13/{}", d.day(), d.year()),
        11 => rng
            .pick(&["01/01/1600", "01/01/1900", "01/01/2300", "31/12/2262", "22/09/1677"])
            .to_owned(),
        _ => format!("{:02}/{:02}/{:04}", d.month(), d.day(), d.year()),
    }
}

fn shifted(rng: &mut Rng, value: &str, year: i16) -> String {
    let Some(d) = super::validate::dfe_date(value) else {
        return dmy(date(year, 4, 1));
    };
    let moved = match rng.below(8) {
        0..=2 => add_days(d, rng.between(-40, 40)),
        3 => add_days(d, rng.pick(&[-1, 1])),
        4 => add_years(d, rng.pick(&[-3, -2, -1, 1, 2])),
        5 => date(year - 1, 3, 31),
        6 => date(year, 4, 1),
        _ => add_months(d, rng.pick(&[-6, 6, 12])),
    };
    dmy(moved)
}

/// A value a patch puts in a column.
#[derive(Debug, Clone, Copy)]
enum V {
    /// This text.
    L(&'static str),
    Blank,
    /// The date in another column of the row, plus days.
    Rel(&'static str, i64),
    /// The child's date of birth plus years and days.
    Dob(i16, i64),
    /// The collection year's first day plus days.
    Start(i64),
    /// The collection year's last day plus days.
    End(i64),
    /// The value of another column of the row.
    Copy(&'static str),
    /// The year's code for a boy or a girl.
    Male,
    Female,
}

use V::{Blank, Copy as Same, Dob, End, Female, L, Male, Rel, Start};

/// Mistakes that break one rule or another: each sets some columns of one row.
const PATCHES: &[(Table, &[(&str, V)])] = &[
    // Placement, provider and URN that do not go together (213, 218, 222, 242, 527-531, 550).
    (Table::Episodes, &[("PLACE", L("P1")), ("PLACE_PROVIDER", L("PR1"))]),
    (Table::Episodes, &[("PLACE", L("R2")), ("PLACE_PROVIDER", L("PR2"))]),
    (Table::Episodes, &[("PLACE", L("U6")), ("PLACE_PROVIDER", L("PR3"))]),
    (Table::Episodes, &[("PLACE", L("P1")), ("PLACE_PROVIDER", L("PR4"))]),
    (Table::Episodes, &[("PLACE", L("P1")), ("PLACE_PROVIDER", L("PR5"))]),
    (Table::Episodes, &[("PLACE", L("K2")), ("PLACE_PROVIDER", L("PR0"))]),
    (Table::Episodes, &[("PLACE", L("T1")), ("PLACE_PROVIDER", L("PR4"))]),
    (Table::Episodes, &[("PLACE", L("R1")), ("URN", L("SC123456"))]),
    (Table::Episodes, &[("PLACE", L("K2")), ("URN", Blank)]),
    (Table::Episodes, &[("PLACE", L("K2")), ("URN", L("XXXXXXX"))]),
    // Placements for older children (371-374).
    (Table::Episodes, &[("PLACE", L("K3"))]),
    (Table::Episodes, &[("PLACE", L("H5"))]),
    (
        Table::Episodes,
        &[("PLACE", L("R5")), ("PLACE_PROVIDER", L("PR3")), ("URN", Blank)],
    ),
    (Table::Episodes, &[("PLACE", L("S1"))]),
    (
        Table::Episodes,
        &[("PLACE", L("P3")), ("PLACE_PROVIDER", L("PR4")), ("URN", Blank)],
    ),
    // Legal statuses that last too long (361-364), respite (365-367, 382, 384).
    (Table::Episodes, &[("LS", L("L1")), ("DEC", Rel("DECOM", 5))]),
    (Table::Episodes, &[("LS", L("L2")), ("DEC", Rel("DECOM", 30))]),
    (Table::Episodes, &[("LS", L("L3")), ("DEC", Rel("DECOM", 10))]),
    (Table::Episodes, &[("LS", L("J2")), ("DEC", Rel("DECOM", 3))]),
    (
        Table::Episodes,
        &[
            ("LS", L("V3")),
            ("RNE", L("S")),
            ("DEC", Rel("DECOM", 20)),
            ("REC", L("E4A")),
        ],
    ),
    (Table::Episodes, &[("LS", L("V3")), ("RNE", L("P"))]),
    (
        Table::Episodes,
        &[("LS", L("V4")), ("DEC", Rel("DECOM", 80)), ("REC", L("E4A"))],
    ),
    (Table::Episodes, &[("LS", L("V4")), ("PLACE", L("T2"))]),
    (Table::Episodes, &[("LS", L("V4")), ("PLACE", L("U4"))]),
    // Temporary placements (375-383, 226).
    (Table::Episodes, &[("PLACE", L("T1")), ("DEC", Rel("DECOM", 50))]),
    (Table::Episodes, &[("PLACE", L("T2")), ("DEC", Rel("DECOM", 25))]),
    (Table::Episodes, &[("PLACE", L("T4")), ("DEC", Rel("DECOM", 9))]),
    (Table::Episodes, &[("PLACE", L("T3")), ("RNE", L("S"))]),
    (
        Table::Episodes,
        &[("PLACE", L("T0")), ("REC", L("E4A")), ("DEC", Rel("DECOM", 3))],
    ),
    (
        Table::Episodes,
        &[("PLACE", L("T2")), ("REASON_PLACE_CHANGE", L("CARPL"))],
    ),
    // Reasons episodes ceased that do not fit (386-390, 407, 437, 460, 516, 580).
    (Table::Episodes, &[("REC", L("E11")), ("DEC", Rel("DECOM", 40))]),
    (Table::Episodes, &[("REC", L("E12"))]),
    (Table::Episodes, &[("REC", L("E5")), ("DEC", Rel("DECOM", 40))]),
    (Table::Episodes, &[("REC", L("E7"))]),
    (Table::Episodes, &[("REC", L("E45"))]),
    (Table::Episodes, &[("REC", L("E48")), ("DEC", Dob(18, 20))]),
    (Table::Episodes, &[("REC", L("E17")), ("DEC", Rel("DECOM", 60))]),
    (Table::Episodes, &[("REC", L("E2"))]),
    (Table::Episodes, &[("REC", L("E15"))]),
    (Table::Episodes, &[("REC", L("E3"))]),
    (Table::Episodes, &[("REC", L("E8"))]),
    (Table::Episodes, &[("REC", L("X1")), ("DEC", Rel("DECOM", 30))]),
    (Table::Episodes, &[("REC", Blank)]),
    (Table::Episodes, &[("DEC", Blank)]),
    // Legal status and placement (358, 378, 408, 446).
    (Table::Episodes, &[("LS", L("J1"))]),
    (Table::Episodes, &[("LS", L("E1")), ("DECOM", L("01/06/2005"))]),
    (Table::Episodes, &[("PLACE", L("A6")), ("LS", L("C2"))]),
    (Table::Episodes, &[("PLACE", L("A5")), ("RNE", L("P"))]),
    (Table::Episodes, &[("PLACE", L("A3")), ("LS", L("E1"))]),
    (Table::Episodes, &[("PLACE", L("P1")), ("LS", L("V2"))]),
    // Reasons for a placement change (225, 233, 234).
    (Table::Episodes, &[("REASON_PLACE_CHANGE", Blank)]),
    (Table::Episodes, &[("REASON_PLACE_CHANGE", L("CUSTOD"))]),
    (
        Table::Episodes,
        &[("REASON_PLACE_CHANGE", L("OTHER")), ("DEC", Blank), ("REC", Blank)],
    ),
    // Postcodes (392d, 214, 398).
    (Table::Episodes, &[("PL_POST", Same("HOME_POST"))]),
    (Table::Episodes, &[("HOME_POST", Blank), ("PL_POST", Blank)]),
    // Dates of episodes (302, 352-356, 385, 501).
    (Table::Episodes, &[("DECOM", L("01/01/1990"))]),
    (Table::Episodes, &[("DEC", Rel("DECOM", -3))]),
    (Table::Episodes, &[("DEC", Rel("DECOM", 0))]),
    (Table::Episodes, &[("DEC", End(10))]),
    (Table::Episodes, &[("DECOM", End(3))]),
    (Table::Episodes, &[("DECOM", Rel("DECOM", -20))]),
    (Table::Episodes, &[("DECOM", Rel("DECOM", 2))]),
    (Table::Episodes, &[("DECOM", Dob(0, -10))]),
    (Table::Episodes, &[("DECOM", Dob(18, 10)), ("RNE", L("S"))]),
    (Table::Episodes, &[("DECOM", Start(-1))]),
    // Reasons for new episodes and continuity (357, 431-436, 502-504).
    (Table::Episodes, &[("CIN", L("N3"))]),
    (Table::Episodes, &[("RNE", L("S"))]),
    (Table::Episodes, &[("RNE", L("P"))]),
    (Table::Episodes, &[("RNE", L("L"))]),
    (Table::Episodes, &[("RNE", L("U"))]),
    (Table::Episodes, &[("RNE", L("T"))]),
    (Table::Episodes, &[("RNE", L("B"))]),
    // Motherhood, UPN, dates of birth (165, 174, 209, 210, 301, 351, 442, 611-628).
    (Table::Header, &[("SEX", Male), ("MC_DOB", Dob(16, 0))]),
    (Table::Header, &[("SEX", Male), ("MOTHER", L("1"))]),
    (Table::Header, &[("SEX", Female), ("MOTHER", L("1")), ("MC_DOB", Blank)]),
    (
        Table::Header,
        &[("SEX", Female), ("MOTHER", L("0")), ("MC_DOB", Dob(15, 0))],
    ),
    (
        Table::Header,
        &[("SEX", Female), ("MOTHER", L("1")), ("MC_DOB", Dob(9, 0))],
    ),
    (
        Table::Header,
        &[("SEX", Female), ("MOTHER", L("1")), ("MC_DOB", Dob(-1, 0))],
    ),
    (
        Table::Header,
        &[("SEX", Female), ("MOTHER", L("1")), ("MC_DOB", End(30))],
    ),
    (
        Table::Header,
        &[("SEX", Female), ("MOTHER", L("1")), ("MC_DOB", Start(-400))],
    ),
    (Table::Header, &[("SEX", Female), ("MOTHER", Blank)]),
    (Table::Header, &[("MOTHER", L("2"))]),
    (Table::Header, &[("UPN", L("UN1"))]),
    (Table::Header, &[("UPN", L("UN4"))]),
    (Table::Header, &[("UPN", Blank)]),
    (Table::Header, &[("UPN", L("A123456789012"))]),
    (Table::Header, &[("DOB", End(20))]),
    (Table::Header, &[("DOB", Start(-9500))]),
    (Table::Header, &[("SEX", L("U"))]),
    // Reviews (166, 167, 440, 441).
    (Table::Reviews, &[("REVIEW_CODE", L("PN0"))]),
    (Table::Reviews, &[("REVIEW_CODE", L("PN3"))]),
    (Table::Reviews, &[("REVIEW", Blank)]),
    (Table::Reviews, &[("REVIEW_CODE", Blank)]),
    // UASC (104, 205A-D, 303, 304, INT18, INT21).
    (Table::Uasc, &[("DUC", Start(-30))]),
    (Table::Uasc, &[("DUC", Dob(18, 40))]),
    (Table::Uasc, &[("DUC", Blank)]),
    (Table::Uasc, &[("SEX", Female)]),
    (Table::Uasc, &[("DOB", Rel("DOB", 3))]),
    // OC2 (157-159, 180-193, 197a, 542-547).
    (Table::Oc2, &[("CONVICTED", L("1"))]),
    (Table::Oc2, &[("CONVICTED", Blank)]),
    (Table::Oc2, &[("HEALTH_CHECK", L("1"))]),
    (Table::Oc2, &[("HEALTH_CHECK", Blank)]),
    (Table::Oc2, &[("SDQ_SCORE", L("20"))]),
    (Table::Oc2, &[("SDQ_SCORE", L("45"))]),
    (Table::Oc2, &[("SDQ_REASON", L("SDQ1")), ("SDQ_SCORE", Blank)]),
    (Table::Oc2, &[("SDQ_REASON", L("SDQ2")), ("SDQ_SCORE", L("12"))]),
    (Table::Oc2, &[("SDQ_REASON", Blank), ("SDQ_SCORE", Blank)]),
    (
        Table::Oc2,
        &[
            ("SUBSTANCE_MISUSE", L("1")),
            ("INTERVENTION_RECEIVED", Blank),
            ("INTERVENTION_OFFERED", Blank),
        ],
    ),
    (
        Table::Oc2,
        &[("SUBSTANCE_MISUSE", L("0")), ("INTERVENTION_OFFERED", L("1"))],
    ),
    (
        Table::Oc2,
        &[
            ("SUBSTANCE_MISUSE", L("1")),
            ("INTERVENTION_RECEIVED", L("1")),
            ("INTERVENTION_OFFERED", L("0")),
        ],
    ),
    (
        Table::Oc2,
        &[
            ("SUBSTANCE_MISUSE", L("1")),
            ("INTERVENTION_RECEIVED", L("0")),
            ("INTERVENTION_OFFERED", Blank),
        ],
    ),
    (Table::Oc2, &[("IMMUNISATIONS", Blank)]),
    (Table::Oc2, &[("TEETH_CHECK", Blank), ("HEALTH_ASSESSMENT", Blank)]),
    (Table::Oc2, &[("DOB", Rel("DOB", 1))]),
    // OC3 (153, 344, 345, 391, 3001).
    (Table::Oc3, &[("IN_TOUCH", L("DIED")), ("ACTIV", L("F2"))]),
    (
        Table::Oc3,
        &[("IN_TOUCH", L("YES")), ("ACTIV", L("0")), ("ACCOM", L("0"))],
    ),
    (Table::Oc3, &[("ACCOM", L("Z1"))]),
    (Table::Oc3, &[("ACTIV", Blank)]),
    (Table::Oc3, &[("IN_TOUCH", L("RHOM"))]),
    (Table::Oc3, &[("DOB", Start(-5800))]),
    // Adoption (151, 333-335, 511-525, 582, 601).
    (Table::Ad1, &[("NB_ADOPTR", L("2")), ("SEX_ADOPTR", L("M1"))]),
    (Table::Ad1, &[("LS_ADOPTR", L("L0")), ("SEX_ADOPTR", L("MF"))]),
    (Table::Ad1, &[("LS_ADOPTR", L("L3")), ("SEX_ADOPTR", L("MM"))]),
    (Table::Ad1, &[("LS_ADOPTR", L("L4")), ("SEX_ADOPTR", L("MF"))]),
    (Table::Ad1, &[("LS_ADOPTR", L("L2")), ("SEX_ADOPTR", L("F1"))]),
    (Table::Ad1, &[("LS_ADOPTR", L("L11")), ("SEX_ADOPTR", L("FF"))]),
    (Table::Ad1, &[("LS_ADOPTR", L("L12")), ("SEX_ADOPTR", L("MF"))]),
    (Table::Ad1, &[("FOSTER_CARE", L("1"))]),
    (Table::Ad1, &[("FOSTER_CARE", L("0"))]),
    (Table::Ad1, &[("DATE_MATCH", Rel("DATE_INT", -10))]),
    (Table::Ad1, &[("DATE_MATCH", Blank)]),
    (Table::Ad1, &[("DATE_INT", Rel("DATE_INT", 30))]),
    (Table::Ad1, &[("DATE_MATCH", Start(200))]),
    // Placed for adoption (117-119, 184, 522, 552-563, 579-584).
    (
        Table::PlacedAdoption,
        &[
            ("REASON_PLACED_CEASED", Blank),
            ("DATE_PLACED_CEASED", Rel("DATE_PLACED", 100)),
        ],
    ),
    (
        Table::PlacedAdoption,
        &[
            ("DATE_PLACED_CEASED", Rel("DATE_PLACED", -20)),
            ("REASON_PLACED_CEASED", L("RD1")),
        ],
    ),
    (
        Table::PlacedAdoption,
        &[
            ("DATE_PLACED", Blank),
            ("DATE_PLACED_CEASED", End(-30)),
            ("REASON_PLACED_CEASED", L("RD2")),
        ],
    ),
    (Table::PlacedAdoption, &[("DATE_PLACED", Dob(0, -5))]),
    (Table::PlacedAdoption, &[("DATE_PLACED", End(10))]),
    (Table::PlacedAdoption, &[("DATE_PLACED", Rel("DATE_PLACED", -200))]),
    (Table::PlacedAdoption, &[("DATE_PLACED", Rel("DATE_PLACED", 60))]),
    (
        Table::PlacedAdoption,
        &[("DATE_PLACED_CEASED", Start(-20)), ("REASON_PLACED_CEASED", L("RD3"))],
    ),
    // Previous permanence (630-635).
    (
        Table::PrevPerm,
        &[
            ("PREV_PERM", L("Z1")),
            ("LA_PERM", L("800")),
            ("DATE_PERM", L("01/01/2015")),
        ],
    ),
    (Table::PrevPerm, &[("PREV_PERM", L("P2")), ("LA_PERM", Blank)]),
    (Table::PrevPerm, &[("LA_PERM", L("123"))]),
    (Table::PrevPerm, &[("DATE_PERM", L("ZZ/13/2019"))]),
    (
        Table::PrevPerm,
        &[("PREV_PERM", L("P3")), ("LA_PERM", L("202")), ("DATE_PERM", End(0))],
    ),
    (Table::PrevPerm, &[("PREV_PERM", Blank)]),
    // Missing (564-586, 1004-1006).
    (Table::Missing, &[("MISSING", Blank)]),
    (Table::Missing, &[("MIS_START", Blank)]),
    (Table::Missing, &[("MIS_END", Rel("MIS_START", -2))]),
    (Table::Missing, &[("MIS_START", End(5))]),
    (Table::Missing, &[("MIS_END", Start(-5))]),
    (Table::Missing, &[("MIS_START", Dob(0, -30))]),
    (Table::Missing, &[("MIS_END", Blank)]),
    (Table::Missing, &[("MIS_START", Rel("MIS_START", -40))]),
    // Social workers (SW01-SW19).
    (Table::SwEpisodes, &[("SW_ID", L("AB1234567"))]),
    (Table::SwEpisodes, &[("SW_DEC", Rel("SW_DECOM", -5))]),
    (Table::SwEpisodes, &[("SW_DEC", Rel("SW_DECOM", 0))]),
    (Table::SwEpisodes, &[("SW_REASON", Blank)]),
    (Table::SwEpisodes, &[("SW_ID", Blank)]),
    (Table::SwEpisodes, &[("SW_REASON", L("FCONTA"))]),
    (Table::SwEpisodes, &[("SW_DECOM", End(5))]),
    (Table::SwEpisodes, &[("SW_DEC", Start(-400))]),
    (Table::SwEpisodes, &[("SW_DEC", End(-2))]),
    (Table::SwEpisodes, &[("SW_DEC", Blank)]),
    (Table::SwEpisodes, &[("SW_DECOM", Rel("SW_DECOM", 20))]),
    (Table::SwEpisodes, &[("SW_DECOM", Rel("SW_DECOM", -20))]),
    // DoLOs (700-708).
    (Table::DoLo, &[("DOLO_END", Rel("DOLO_START", -3))]),
    (Table::DoLo, &[("DOLO_START", End(10))]),
    (Table::DoLo, &[("DOLO_END", Start(-10))]),
    (Table::DoLo, &[("DOLO_START", Dob(0, -10))]),
    (Table::DoLo, &[("DOLO_END", Blank)]),
    (Table::DoLo, &[("DOLO_START", Rel("DOLO_START", -100))]),
    // Codes not in the lists and dates that are not dates, one per column checked.
    (Table::Header, &[("DOB", L("31/02/2010"))]),
    (
        Table::Header,
        &[("SEX", Female), ("MOTHER", L("1")), ("MC_DOB", L("2020-01-01"))],
    ),
    (Table::Header, &[("ETHNIC", L("WBR"))]),
    (Table::Header, &[("SEX", L("X"))]),
    (Table::Header, &[("UPN", L("UN9"))]),
    (Table::Episodes, &[("DECOM", L("2025-05-01"))]),
    (Table::Episodes, &[("DEC", L("31/04/2025")), ("REC", L("E4A"))]),
    (Table::Episodes, &[("RNE", L("X"))]),
    (Table::Episodes, &[("LS", L("C3"))]),
    (Table::Episodes, &[("CIN", L("N9"))]),
    (Table::Episodes, &[("PLACE", L("Z9"))]),
    (Table::Episodes, &[("REC", L("E99"))]),
    (Table::Episodes, &[("REASON_PLACE_CHANGE", L("MOVED"))]),
    (Table::Episodes, &[("PLACE_PROVIDER", L("PR9"))]),
    (Table::Episodes, &[("URN", L("12345"))]),
    (Table::Reviews, &[("REVIEW", L("1/13/2025"))]),
    (Table::Reviews, &[("REVIEW_CODE", L("PN9"))]),
    (Table::Uasc, &[("DUC", L("2025/01/01"))]),
    (Table::Oc2, &[("SDQ_REASON", L("SDQ9")), ("SDQ_SCORE", Blank)]),
    (Table::Oc2, &[("CONVICTED", L("2"))]),
    (Table::Oc3, &[("IN_TOUCH", L("MAYBE"))]),
    (Table::Oc3, &[("ACTIV", L("F3"))]),
    (Table::Oc3, &[("ACCOM", L("A1"))]),
    (Table::Ad1, &[("DATE_INT", L("31/11/2024"))]),
    (Table::Ad1, &[("DATE_MATCH", L("2024-12-01"))]),
    (Table::Ad1, &[("FOSTER_CARE", L("2"))]),
    (Table::Ad1, &[("NB_ADOPTR", L("3"))]),
    (Table::Ad1, &[("SEX_ADOPTR", L("XX"))]),
    (Table::Ad1, &[("LS_ADOPTR", L("L9"))]),
    (Table::PlacedAdoption, &[("DATE_PLACED", L("00/01/2024"))]),
    (
        Table::PlacedAdoption,
        &[
            ("DATE_PLACED_CEASED", L("32/01/2025")),
            ("REASON_PLACED_CEASED", L("RD1")),
        ],
    ),
    (
        Table::PlacedAdoption,
        &[("REASON_PLACED_CEASED", L("RD9")), ("DATE_PLACED_CEASED", End(-60))],
    ),
    (Table::PrevPerm, &[("PREV_PERM", L("P9"))]),
    (Table::Missing, &[("MIS_START", L("2025-06-01"))]),
    (Table::Missing, &[("MIS_END", L("31/06/2025"))]),
    (Table::Missing, &[("MISSING", L("X"))]),
    (Table::SwEpisodes, &[("SW_DECOM", L("31/02/2025"))]),
    (Table::SwEpisodes, &[("SW_DEC", L("2025-02-01"))]),
    (Table::SwEpisodes, &[("SW_REASON", L("OTHER"))]),
    (Table::DoLo, &[("DOLO_START", L("31/09/2026"))]),
    (Table::DoLo, &[("DOLO_END", L("2026-10-10"))]),
];

/// Columns whose unreadable dates make one of the DfE validator's own rules crash
/// (1007, 1016, 347 and SW13STG1 read them without `errors="coerce"`), so a
/// gentle return keeps them readable or blank.
fn fragile(table: Table, column: &str) -> bool {
    matches!(
        (table, column),
        (Table::Episodes, "DECOM" | "DEC") | (Table::Oc3 | Table::Header, "DOB") | (Table::SwEpisodes, "SW_DECOM")
    )
}

/// Whether the DfE validator reads `value` as a date without complaint: blank or a
/// `DD/MM/YYYY` date pandas can hold.
fn readable(value: &str) -> bool {
    value.is_empty() || super::validate::dfe_date(value).is_some()
}

/// The year's code for a sex.
fn sex_code(year: i16, male: bool) -> &'static str {
    match (year <= 2024, male) {
        (true, true) => "1",
        (true, false) => "2",
        (false, true) => "M",
        (false, false) => "F",
    }
}

/// Applies a patch to a row; `false` (and the row unchanged) when a value it needs
/// is missing or a gentle return would get an unreadable date where it must not.
fn apply_patch(
    table: Table,
    row: &mut [String],
    patch: &[(&str, V)],
    dob: Option<Date>,
    year: i16,
    harsh: bool,
) -> bool {
    let columns = table.columns();
    let at = |name: &str| columns.iter().position(|c| *c == name);
    let start = date(year - 1, 4, 1);
    let end = date(year, 3, 31);
    let mut changes = Vec::new();
    for (column, value) in patch {
        let Some(i) = at(column) else { return false };
        let new = match value {
            L(text) => (*text).to_owned(),
            Blank => String::new(),
            Rel(other, days) => {
                let Some(d) = at(other).and_then(|j| super::validate::dfe_date(&row[j])) else {
                    return false;
                };
                dmy(add_days(d, *days))
            }
            Dob(years, days) => {
                let Some(d) = dob else { return false };
                dmy(add_days(add_years(d, *years), *days))
            }
            Start(days) => dmy(add_days(start, *days)),
            End(days) => dmy(add_days(end, *days)),
            Same(other) => match at(other) {
                Some(j) => row[j].clone(),
                None => return false,
            },
            Male => sex_code(year, true).to_owned(),
            Female => sex_code(year, false).to_owned(),
        };
        if !harsh && fragile(table, column) && (!readable(&new) || (*column == "DECOM" && new.is_empty())) {
            return false;
        }
        changes.push((i, new));
    }
    for (i, new) in changes {
        row[i] = new;
    }
    true
}

/// Puts errors into about `rate` of the rows of every table (more in small tables,
/// so each gets some): half of them mistakes that break a particular rule, the
/// rest a field made blank, invalid, oddly written or copied from another row; and
/// some rows duplicated, dropped, blanked or out of order. Unless `harsh`, no error
/// makes one of the DfE validator's own rules crash.
fn inject(tables: &mut Tables, rate: f64, rng: &mut Rng, ids: &[String], harsh: bool) {
    let year = tables.year;
    let dobs: BTreeMap<String, Date> = tables
        .rows(Table::Header)
        .iter()
        .filter_map(|h| Some((h.first()?.clone(), super::validate::dfe_date(h.get(2)?)?)))
        .collect();
    for (table, rows) in tables.tables.iter_mut() {
        let table = *table;
        let columns = table.columns();
        let n = rows.len();
        let dob_column = columns.iter().position(|c| *c == "DOB");
        let patches: Vec<&[(&str, V)]> = PATCHES.iter().filter(|(t, _)| *t == table).map(|(_, p)| *p).collect();
        let p = (rate * (1.0 + 60.0 / (n as f64 + 5.0))).min(1.0);
        for r in 0..n {
            if !rng.chance(p) {
                continue;
            }
            if !patches.is_empty() && rng.chance(0.5) {
                let patch = rng.pick(&patches);
                let row = &rows[r];
                let dob = dob_column
                    .and_then(|i| super::validate::dfe_date(&row[i]))
                    .or_else(|| row.first().and_then(|child| dobs.get(child).copied()));
                if apply_patch(table, &mut rows[r], patch, dob, year, harsh) {
                    continue;
                }
            }
            mutate_field(table, rows, r, rng, ids, (year, harsh));
        }
        // Whole rows: duplicated, dropped, out of order, blank. A child twice in the
        // Header (or a blank one) makes the validator's rules 203, 204 and 208 crash.
        let whole = ((n as f64) * rate * 0.15).round() as usize + usize::from(n > 0 && rng.chance(rate));
        for _ in 0..whole {
            if rows.is_empty() {
                break;
            }
            let r = rng.below(rows.len());
            match rng.below(10) {
                0..=3 if harsh || table != Table::Header => {
                    let copy = rows[r].clone();
                    rows.insert(r + 1, copy);
                }
                4..=6 => {
                    rows.remove(r);
                }
                7..=8 if r + 1 < rows.len() => rows.swap(r, r + 1),
                9 if harsh || table != Table::Header => {
                    for field in &mut rows[r] {
                        field.clear();
                    }
                }
                _ => {}
            }
        }
    }
}

/// One field of row `r` made blank, invalid, oddly written, or copied from another row.
fn mutate_field(table: Table, rows: &mut [Vec<String>], r: usize, rng: &mut Rng, ids: &[String], how: (i16, bool)) {
    let (year, harsh) = how;
    let columns = table.columns();
    let c = if rng.chance(0.08) { 0 } else { rng.below(columns.len()) };
    let column = columns[c];
    let other = rows[rng.below(rows.len())][c].clone();
    let row = &mut rows[r];
    let value = row[c].clone();
    let gentle_date = !harsh && fragile(table, column);
    row[c] = if column == "CHILD" {
        // A second Header row for a child (or a blank one) crashes rules 203, 204, 208.
        let header = table == Table::Header && !harsh;
        match rng.below(7) {
            0..=2 if !header => ids.get(rng.below(ids.len())).cloned().unwrap_or_default(),
            4 if !header => String::new(),
            0..=4 => format!("9{}", rng.digits(6)),
            5 => format!(" {value}"),
            _ => format!("0{value}"),
        }
    } else if DATE_COLUMNS.contains(&column) {
        match rng.below(10) {
            0 if !(gentle_date && column == "DECOM") => String::new(),
            4..=6 if !gentle_date => bad_date(rng, &value, year),
            7 if !gentle_date || (readable(&other) && !other.is_empty()) => other,
            8..=9 => {
                // Swap with another date in the row.
                let dates: Vec<usize> = (0..columns.len())
                    .filter(|&i| i != c && DATE_COLUMNS.contains(&columns[i]) && columns[i] != "DOB")
                    .filter(|&i| harsh || (readable(&row[i]) && !row[i].is_empty() && readable(&value)))
                    .filter(|&i| harsh || !(fragile(table, columns[i]) && value.is_empty()))
                    .collect();
                if dates.is_empty() {
                    shifted(rng, &value, year)
                } else {
                    let j = rng.pick(&dates);
                    std::mem::replace(&mut row[j], value)
                }
            }
            _ => shifted(rng, &value, year),
        }
    } else {
        match rng.below(20) {
            0..=3 => String::new(),
            4..=11 => rng.pick(alternatives(column)).to_owned(),
            12..=13 => other,
            14 => format!(" {value}"),
            15 => format!("{value} "),
            16 => value.to_lowercase(),
            _ => rng.pick(JUNK).to_owned(),
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ssda903::validate::{rules, validate};

    #[test]
    fn the_same_seed_gives_the_same_return_and_another_seed_another() {
        let a = generate(30, 2026, 7, ErrorRate(0.1));
        assert_eq!(a, generate(30, 2026, 7, ErrorRate(0.1)));
        assert_ne!(a, generate(30, 2026, 8, ErrorRate(0.1)));
        assert!(a.this.rows(Table::Header).len() > 20);
    }

    #[test]
    fn a_clean_return_has_every_kind_of_row_in_both_years() {
        let r = generate(400, 2027, 1, ErrorRate::NONE);
        for table in tables_in(2027) {
            assert!(!r.this.rows(table).is_empty(), "no {table} rows this year");
        }
        for table in tables_in(2026) {
            assert!(!r.previous.rows(table).is_empty(), "no {table} rows last year");
        }
        assert!(!r.this.tables.contains_key(&Table::DoLo) || r.year >= 2027);
        assert!(!r.previous.tables.contains_key(&Table::DoLo));
        let sex: Vec<&str> = r.this.rows(Table::Header).iter().map(|h| h[1].as_str()).collect();
        assert!(sex.iter().all(|s| *s == "M" || *s == "F"), "{sex:?}");
        let old = generate(20, 2025, 1, ErrorRate::NONE);
        assert!(
            old.previous
                .rows(Table::Header)
                .iter()
                .all(|h| h[1] == "1" || h[1] == "2")
        );
    }

    #[test]
    fn every_row_has_every_column_and_dates_are_dfe_dates() {
        let r = generate(200, 2026, 3, ErrorRate::NONE);
        for tables in [&r.this, &r.previous] {
            for (table, rows) in &tables.tables {
                for row in rows {
                    assert_eq!(row.len(), table.columns().len(), "{table}");
                    for (column, value) in table.columns().iter().zip(row) {
                        if DATE_COLUMNS.contains(column) && !value.is_empty() && *column != "DATE_PERM" {
                            assert!(
                                super::super::validate::dfe_date(value).is_some(),
                                "{table}.{column} = {value:?}"
                            );
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn postcodes_look_real_but_begin_with_letters_no_uk_area_uses() {
        let r = generate(100, 2026, 4, ErrorRate::NONE);
        let episodes = r.this.rows(Table::Episodes);
        let columns = Table::Episodes.columns();
        let at = |name: &str| columns.iter().position(|c| *c == name).unwrap_or(usize::MAX);
        let mut seen = 0;
        for e in episodes {
            for post in [&e[at("HOME_POST")], &e[at("PL_POST")]] {
                if post.is_empty() {
                    continue;
                }
                seen += 1;
                let (outward, inward) = post.split_once(' ').unwrap_or(("", ""));
                assert!(matches!(outward.chars().next(), Some('Q' | 'V' | 'X')), "{post}");
                assert!((2..=4).contains(&outward.len()) && inward.len() == 3, "{post}");
            }
        }
        assert!(seen > 100);
    }

    #[test]
    fn errors_change_about_the_rate_of_rows() {
        let clean = generate(300, 2026, 5, ErrorRate::NONE);
        let dirty = generate(300, 2026, 5, ErrorRate(0.2));
        let rows = clean.this.rows(Table::Episodes);
        let changed = dirty
            .this
            .rows(Table::Episodes)
            .iter()
            .zip(rows)
            .filter(|(a, b)| a != b)
            .count();
        assert!(changed > rows.len() / 10, "{changed} of {}", rows.len());
    }

    /// Runs every rule of the year on its own, so a panic names the rule.
    fn no_rule_panics(dataset: &Dataset) -> Result<(), String> {
        for rule in rules::for_year(dataset.year) {
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| (rule.check)(dataset)))
                .map_err(|_| format!("rule {} panicked", rule.code))?;
        }
        Ok(())
    }

    /// Every error in the report is a row of a table the return has.
    fn rows_exist(dataset: &Dataset, report: &crate::ssda903::validate::Report) -> Result<(), String> {
        for e in &report.errors {
            let frame = Table::ALL
                .iter()
                .find_map(|t| {
                    if t.name() == e.table {
                        dataset.this(*t)
                    } else if t.last_year_name() == e.table {
                        dataset.last(*t)
                    } else {
                        None
                    }
                })
                .ok_or_else(|| format!("rule {} reports {}, which the return lacks", e.code, e.table))?;
            if e.row >= frame.len() {
                return Err(format!(
                    "rule {} reports row {} of {}, which has {} rows",
                    e.code,
                    e.row,
                    e.table,
                    frame.len()
                ));
            }
        }
        Ok(())
    }

    fn same_frames(a: &Frame, b: &Frame) -> bool {
        a.table == b.table
            && a.columns() == b.columns()
            && a.len() == b.len()
            && a.rows()
                .all(|r| a.columns().iter().all(|c| a.get(r, a.col(c)) == b.get(r, b.col(c))))
    }

    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config { cases: 48, ..Default::default() })]

        #[test]
        fn validating_any_generated_return_never_panics_nor_reports_a_row_beyond_its_table(
            year in 2023i16..=2027,
            children in 0usize..80,
            seed in proptest::prelude::any::<u64>(),
            rate in 0.0f64..0.6,
        ) {
            let mut dataset = generate_harsh(children, year, seed, ErrorRate(rate)).dataset();
            dataset.local_authority = Some("E09000027".to_owned());
            let report = validate(&dataset, None);
            let checked = if report.rules_failed.is_empty() {
                rows_exist(&dataset, &report)
            } else {
                no_rule_panics(&dataset)
            };
            if let Err(problem) = checked {
                proptest::prop_assert!(false, "{problem} (year {year}, {children} children, seed {seed}, rate {rate})");
            }
        }

        #[test]
        fn a_generated_return_written_and_read_back_gives_the_same_frames(
            year in 2023i16..=2027,
            children in 0usize..40,
            seed in proptest::prelude::any::<u64>(),
            rate in 0.0f64..0.6,
        ) {
            let generated = generate(children, year, seed, ErrorRate(rate));
            let dir = tempfile::tempdir().map_err(|e| proptest::test_runner::TestCaseError::fail(e.to_string()))?;
            generated.write(dir.path()).map_err(|e| proptest::test_runner::TestCaseError::fail(e.to_string()))?;
            let read = Dataset::read(year, dir.path(), Some(&dir.path().join("previous")))
                .map_err(|e| proptest::test_runner::TestCaseError::fail(e.to_string()))?;
            let built = generated.dataset();
            for table in Table::ALL {
                for (a, b) in [(built.this(*table), read.this(*table)), (built.last(*table), read.last(*table))] {
                    match (a, b) {
                        (None, None) => {}
                        (Some(a), Some(b)) => proptest::prop_assert!(same_frames(a, b), "{table} differs"),
                        _ => proptest::prop_assert!(false, "{table} present in only one"),
                    }
                }
            }
        }

        #[test]
        fn reading_a_folder_of_any_files_never_panics(
            files in proptest::collection::vec(
                (0usize..4, proptest::collection::vec(proptest::prelude::any::<u8>(), 0..300)),
                0..5,
            ),
            previous in proptest::prelude::any::<bool>(),
        ) {
            let dir = tempfile::tempdir().map_err(|e| proptest::test_runner::TestCaseError::fail(e.to_string()))?;
            let prev = dir.path().join("previous");
            std::fs::create_dir_all(&prev).map_err(|e| proptest::test_runner::TestCaseError::fail(e.to_string()))?;
            for (i, (header, bytes)) in files.iter().enumerate() {
                // Some files start with a real header row so the rows themselves are read.
                let mut content = match header {
                    0 => Vec::new(),
                    1 => b"CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n".to_vec(),
                    2 => Table::Episodes.columns().join(",").into_bytes(),
                    _ => b"CHILD,DOB,MISSING,MIS_START,MIS_END\r\n".to_vec(),
                };
                content.extend_from_slice(bytes);
                let folder = if previous && i % 2 == 1 { &prev } else { &dir.path().to_path_buf() };
                std::fs::write(folder.join(format!("f{i}.csv")), content)
                    .map_err(|e| proptest::test_runner::TestCaseError::fail(e.to_string()))?;
            }
            if let Ok(dataset) = Dataset::read(2026, dir.path(), previous.then_some(prev.as_path())) {
                let _ = validate(&dataset, None);
            }
        }
    }
}
