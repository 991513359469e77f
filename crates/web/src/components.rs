//! Typed GOV.UK Design System components that pages build in Rust and the
//! macros in `templates/components.html` render, so no page writes `govuk-*`
//! table or tag markup by hand.

/// A GOV.UK tag: words and a colour together, never colour alone.
#[derive(Debug, Clone)]
pub struct Tag {
    pub text: String,
    pub colour: &'static str,
}

impl Tag {
    pub fn new(text: impl Into<String>, colour: &'static str) -> Self {
        Tag {
            text: text.into(),
            colour,
        }
    }
}

/// One table cell.
#[derive(Debug, Clone)]
pub enum Cell {
    Text(String),
    Numeric(String),
    Link {
        href: String,
        text: String,
    },
    Tags(Vec<Tag>),
    /// Tags, then words: "Overdue  Visit, 2 December 2026".
    TagsThenText(Vec<Tag>, String),
    /// A button posting a small form; `hidden` finishes the label for screen readers.
    PostButton {
        action: String,
        csrf_token: String,
        label: &'static str,
        hidden: String,
    },
}

/// A column heading.
#[derive(Debug, Clone)]
pub struct Heading {
    pub text: &'static str,
    pub numeric: bool,
    /// A link that sorts the table by this column, and whether it is sorted by it now.
    pub sort: Option<(String, bool)>,
}

/// A GOV.UK table with a caption, scrolling sideways on narrow screens.
#[derive(Debug, Clone)]
pub struct Table {
    pub caption: String,
    /// `s`, `m` or `l`.
    pub caption_size: &'static str,
    pub headings: Vec<Heading>,
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    pub fn new(caption: impl Into<String>, headings: &[&'static str]) -> Self {
        Table {
            caption: caption.into(),
            caption_size: "s",
            headings: headings
                .iter()
                .map(|text| Heading {
                    text,
                    numeric: false,
                    sort: None,
                })
                .collect(),
            rows: Vec::new(),
        }
    }

    /// Marks a column as numeric (right-aligned).
    pub fn numeric(mut self, column: usize) -> Self {
        if let Some(heading) = self.headings.get_mut(column) {
            heading.numeric = true;
        }
        self
    }

    /// Makes a column's heading a link that sorts by it; `current` marks the column
    /// the table is sorted by now (announced with `aria-sort`).
    pub fn sortable(mut self, column: usize, href: String, current: bool) -> Self {
        if let Some(heading) = self.headings.get_mut(column) {
            heading.sort = Some((href, current));
        }
        self
    }

    pub fn caption_size(mut self, size: &'static str) -> Self {
        self.caption_size = size;
        self
    }

    pub fn row(&mut self, cells: Vec<Cell>) {
        self.rows.push(cells);
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
}

/// One radio button.
#[derive(Debug, Clone)]
pub struct RadioOption {
    pub id: String,
    pub value: String,
    pub label: String,
    pub hint: String,
    pub checked: bool,
}

impl RadioOption {
    /// Radio buttons from (value, label) pairs; the first takes the field's id, so
    /// the error summary can link to it.
    pub fn list(name: &str, choices: Vec<(String, String)>, chosen: &str) -> Vec<RadioOption> {
        choices
            .into_iter()
            .enumerate()
            .map(|(n, (value, label))| RadioOption {
                id: if n == 0 {
                    name.to_owned()
                } else {
                    format!("{name}-{}", n + 1)
                },
                checked: value == chosen,
                value,
                label,
                hint: String::new(),
            })
            .collect()
    }
}
