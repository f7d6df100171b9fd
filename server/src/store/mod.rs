//! The database behind the domain: each module reads and writes one kind of
//! record and converts between rows and the domain's types.

pub mod audit;
pub mod commitments;
pub mod cycles;
pub mod directory;
pub mod evaluation;
pub mod feedback;
pub mod ledger;
pub mod reports;
pub mod workbook;

/// An enum stored as its serde name (`"Committee"`, `"Teaching"`...).
pub fn enum_text<T: serde::Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(text)) => text,
        other => panic!("not a unit enum: {other:?}"),
    }
}

/// The enum back from its serde name.
pub fn enum_from_text<T: serde::de::DeserializeOwned>(
    text: &str,
) -> Result<T, crate::error::ApiError> {
    serde_json::from_value(serde_json::Value::String(text.to_owned()))
        .map_err(|e| crate::error::ApiError::Internal(format!("stored value {text:?}: {e}")))
}

pub fn parse_id<T: std::str::FromStr>(text: &str) -> Result<T, crate::error::ApiError> {
    text.parse()
        .map_err(|_| crate::error::ApiError::Internal(format!("stored id {text:?} is not a UUID")))
}

/// A day stored as `YYYY-MM-DD`.
pub fn parse_day(text: &str) -> Result<chrono::NaiveDate, crate::error::ApiError> {
    text.parse()
        .map_err(|_| crate::error::ApiError::Internal(format!("stored day {text:?} is not a date")))
}
