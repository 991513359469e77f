//! Form handling in the GOV.UK pattern: validation errors are data returned to the
//! form (never `Err`), each linked from the error summary to its field.

use jiff::civil::Date;

/// One field's error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The id of the input the summary links to.
    pub field: &'static str,
    pub message: String,
}

/// The errors of one form submission.
#[derive(Debug, Clone, Default)]
pub struct Errors(pub Vec<FieldError>);

impl Errors {
    pub fn add(&mut self, field: &'static str, message: impl Into<String>) {
        self.0.push(FieldError {
            field,
            message: message.into(),
        });
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The message for a field, if it has one.
    pub fn get(&self, field: &str) -> Option<String> {
        self.0.iter().find(|e| e.field == field).map(|e| e.message.clone())
    }

    pub fn list(&self) -> &[FieldError] {
        &self.0
    }
}

impl From<Vec<(&'static str, String)>> for Errors {
    fn from(list: Vec<(&'static str, String)>) -> Self {
        Errors(
            list.into_iter()
                .map(|(field, message)| FieldError { field, message })
                .collect(),
        )
    }
}

/// A use case's form error as the page's errors (a conflict shown on
/// `conflict_field`), or the response for not found and failures.
pub fn form_errors(error: pathways_app::FormError, conflict_field: &'static str) -> Result<Errors, crate::WebError> {
    use pathways_app::FormError;
    match error {
        FormError::NotFound => Err(crate::WebError::NotFound),
        FormError::Store(e) => Err(crate::WebError::internal(e)),
        FormError::Invalid(list) => Ok(list.into()),
        FormError::Conflict(message) => Ok(vec![(conflict_field, message)].into()),
    }
}

/// The three boxes of a GOV.UK date input, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DateParts {
    pub day: String,
    pub month: String,
    pub year: String,
}

impl DateParts {
    pub fn is_blank(&self) -> bool {
        self.day.trim().is_empty() && self.month.trim().is_empty() && self.year.trim().is_empty()
    }

    /// Reads the date, or says what is wrong in the Design System's words.
    /// `None` when all three boxes are empty.
    pub fn parse(&self, label: &str) -> Result<Option<Date>, String> {
        if self.is_blank() {
            return Ok(None);
        }
        let missing: Vec<&str> = [("day", &self.day), ("month", &self.month), ("year", &self.year)]
            .into_iter()
            .filter(|(_, v)| v.trim().is_empty())
            .map(|(name, _)| name)
            .collect();
        if !missing.is_empty() {
            return Err(format!("{label} must include a {}", missing.join(" and ")));
        }
        let number = |v: &str| v.trim().parse::<i32>().ok();
        let (Some(day), Some(month), Some(year)) = (number(&self.day), number(&self.month), number(&self.year)) else {
            return Err(format!("{label} must be a real date"));
        };
        if self.year.trim().len() != 4 {
            return Err("Year must include 4 numbers".to_owned());
        }
        let date = (|| {
            Date::new(
                i16::try_from(year).ok()?,
                i8::try_from(month).ok()?,
                i8::try_from(day).ok()?,
            )
            .ok()
        })();
        date.map(Some).ok_or_else(|| format!("{label} must be a real date"))
    }
}

/// A form read as named values, for pages whose fields vary by kind.
pub type Values = std::collections::HashMap<String, String>;

/// One value of a form, empty when it was not sent.
pub fn value(values: &Values, key: &str) -> String {
    values.get(key).cloned().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(day: &str, month: &str, year: &str) -> DateParts {
        DateParts {
            day: day.into(),
            month: month.into(),
            year: year.into(),
        }
    }

    #[test]
    fn date_inputs_give_the_design_systems_messages() {
        assert_eq!(parts("", "", "").parse("Date of birth"), Ok(None));
        assert_eq!(
            parts("29", "2", "2008").parse("Date of birth"),
            Ok(Some(jiff::civil::date(2008, 2, 29)))
        );
        assert_eq!(
            parts("29", "2", "2009").parse("Date of birth"),
            Err("Date of birth must be a real date".into())
        );
        assert_eq!(
            parts("1", "", "").parse("Date of birth"),
            Err("Date of birth must include a month and year".into())
        );
        assert_eq!(
            parts("x", "2", "2009").parse("Date of birth"),
            Err("Date of birth must be a real date".into())
        );
        assert_eq!(
            parts("1", "2", "09").parse("Date of birth"),
            Err("Year must include 4 numbers".into())
        );
    }
}
