//! Public feedback (群众意见) on a commitment on display (plan 4.1.3): anyone
//! may write, without signing in, while the display window is open; the unit
//! may hide an entry, with a reason. Feedback is plain text, never markup.

use crate::cycle::DateWindow;
use crate::ids::FeedbackId;
use crate::messages::{Message, ValidationErrors};
use crate::validation::{optional_text, required_text};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

pub const MAX_FEEDBACK: usize = 500;
pub const MAX_FEEDBACK_NAME: usize = 40;
pub const MAX_MODERATION_REASON: usize = 200;

/// Feedback as typed on the board.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct FeedbackDraft {
    /// Optional: feedback may be anonymous.
    #[cfg_attr(feature = "openapi", schema(max_length = 40))]
    pub name: String,
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 500, pattern = r"\S")
    )]
    pub text: String,
}

/// Feedback that may be stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Feedback {
    pub name: Option<String>,
    pub text: String,
}

impl FeedbackDraft {
    /// Whether feedback is taken on `today` (inside the display window).
    pub fn open(display: Option<&DateWindow>, today: NaiveDate) -> bool {
        display.is_some_and(|window| window.contains(today))
    }

    /// Accepted only on a day inside the display window.
    pub fn parse(
        &self,
        display: Option<&DateWindow>,
        today: NaiveDate,
    ) -> Result<Feedback, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        if !display.is_some_and(|window| window.contains(today)) {
            errors.push("text", Message::FeedbackClosed);
        }
        let name = optional_text(&mut errors, "name", &self.name, MAX_FEEDBACK_NAME);
        let text = required_text(&mut errors, "text", &self.text, MAX_FEEDBACK);
        if errors.is_empty() {
            Ok(Feedback { name, text })
        } else {
            Err(errors)
        }
    }
}

/// A moderator's reason for hiding an entry.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct ModerationDraft {
    pub reason: String,
}

impl ModerationDraft {
    pub fn parse(&self) -> Result<String, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let reason = self.reason.trim();
        if reason.is_empty() {
            errors.push("reason", Message::ReasonRequired);
        } else if reason.chars().count() > MAX_MODERATION_REASON {
            errors.push(
                "reason",
                Message::TooLong {
                    max: MAX_MODERATION_REASON,
                },
            );
        }
        if errors.is_empty() {
            Ok(reason.to_owned())
        } else {
            Err(errors)
        }
    }
}

/// One entry of feedback as shown; `hidden` only to those who moderate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FeedbackEntry {
    pub id: FeedbackId,
    pub name: Option<String>,
    /// Plain text, exactly as typed: clients show it as text, never as markup.
    pub text: String,
    pub created_at: String,
    pub hidden: Option<Hidden>,
}

/// Who hid an entry, when and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Hidden {
    pub at: String,
    pub by_name: Option<String>,
    pub reason: String,
}

/// At most this many entries from one sender (address) within the window.
pub const PER_SENDER: u32 = 5;
pub const SENDER_WINDOW_MINUTES: i64 = 10;

/// Whether a sender who wrote `sent` entries in the last
/// [`SENDER_WINDOW_MINUTES`] (the oldest at `oldest`) may write again at
/// `now`; if not, in how many minutes (at least 1).
pub fn sender_limit(
    sent: u32,
    oldest: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<(), i64> {
    if sent < PER_SENDER {
        return Ok(());
    }
    let free_at = oldest.unwrap_or(now) + chrono::Duration::minutes(SENDER_WINDOW_MINUTES);
    Err((free_at - now).num_minutes().max(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn window() -> DateWindow {
        DateWindow::new(day("2010-10-27"), day("2010-11-02"))
    }

    #[test]
    fn feedback_is_taken_only_during_the_display_window() {
        let draft = FeedbackDraft {
            name: String::new(),
            text: "建议把实验课时间公布出来".into(),
        };
        for open in ["2010-10-27", "2010-10-30", "2010-11-02"] {
            let feedback = draft.parse(Some(&window()), day(open)).unwrap();
            assert_eq!(feedback.name, None);
        }
        for closed in ["2010-10-26", "2010-11-03"] {
            let errors = draft.parse(Some(&window()), day(closed)).unwrap_err();
            assert_eq!(errors.0[0].message, Message::FeedbackClosed);
        }
        assert!(draft.parse(None, day("2010-10-30")).is_err());
    }

    #[test]
    fn feedback_needs_text_and_limits_lengths() {
        let today = day("2010-10-30");
        let empty = FeedbackDraft {
            name: "张三".into(),
            text: "  ".into(),
        };
        assert_eq!(
            empty.parse(Some(&window()), today).unwrap_err().0[0].field,
            "text"
        );
        let long = FeedbackDraft {
            name: "名".repeat(MAX_FEEDBACK_NAME + 1),
            text: "意".repeat(MAX_FEEDBACK + 1),
        };
        let fields: Vec<String> = long
            .parse(Some(&window()), today)
            .unwrap_err()
            .0
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["name", "text"]);
        let markup = FeedbackDraft {
            name: " 李四 ".into(),
            text: "<script>alert(1)</script>".into(),
        };
        // Kept as typed: it is shown as text, never interpreted.
        let kept = markup.parse(Some(&window()), today).unwrap();
        assert_eq!(kept.text, "<script>alert(1)</script>");
        assert_eq!(kept.name.as_deref(), Some("李四"));
    }

    #[test]
    fn hiding_needs_a_reason() {
        assert!(ModerationDraft { reason: " ".into() }.parse().is_err());
        assert_eq!(
            ModerationDraft {
                reason: "含个人隐私".into()
            }
            .parse()
            .unwrap(),
            "含个人隐私"
        );
    }
}
