//! Publication (公开展示承诺, plan 4.1.4): a display window of at least the
//! cycle's minimum (7 days in the plan), and who may give feedback when.

use crate::cycle::DateWindow;
use crate::messages::{Message, ValidationErrors};
use crate::validation::parse_date;
use serde::{Deserialize, Serialize};

/// The display window as typed.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct DisplayDraft {
    pub start: String,
    pub end: String,
}

impl DisplayDraft {
    /// A window of at least `min_days` days, both ends counted.
    pub fn parse(&self, min_days: i64) -> Result<DateWindow, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let mut day = |field: &str, value: &str| {
            if value.trim().is_empty() {
                errors.push(field, Message::Required);
                None
            } else {
                let parsed = parse_date(value);
                if parsed.is_none() {
                    errors.push(field, Message::InvalidDate);
                }
                parsed
            }
        };
        let start = day("start", &self.start);
        let end = day("end", &self.end);
        if let (Some(start), Some(end)) = (start, end) {
            let window = DateWindow::new(start, end);
            if end < start {
                errors.push("end", Message::DisplayEndsBeforeStart);
            } else if window.days() < min_days {
                errors.push("end", Message::DisplayTooShort { min: min_days });
            }
            return errors.into_result(|| window);
        }
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn window(start: &str, end: &str) -> DisplayDraft {
        DisplayDraft {
            start: start.into(),
            end: end.into(),
        }
    }

    #[test]
    fn seven_days_are_enough_six_are_not() {
        let seven = window("2010-10-27", "2010-11-02").parse(7).unwrap();
        assert_eq!(seven.days(), 7);
        let six = window("2010-10-27", "2010-11-01").parse(7).unwrap_err();
        assert_eq!(six.0[0].message, Message::DisplayTooShort { min: 7 });
        assert_eq!(six.0[0].field, "end");
    }

    #[test]
    fn the_window_must_be_two_dates_in_order() {
        assert_eq!(window("", "x").parse(7).unwrap_err().0.len(), 2);
        assert_eq!(
            window("2010-11-02", "2010-10-27").parse(7).unwrap_err().0[0].message,
            Message::DisplayEndsBeforeStart
        );
    }
}
