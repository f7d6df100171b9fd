//! 调研、征求意见: before and while a unit drafts its commitment, anyone (no
//! account) may leave it a suggestion from the unit's page on the board —
//! rate limited and moderated like feedback, shown as text. The unit's
//! secretary marks each adopted, answered or not adopted, with a reply; the
//! adopted ones go into the commitment's 调研情况 (`needs_summary`, still
//! editable); once the unit's commitment is published, the public sees the
//! suggestions with their replies.

use crate::cycle::Calendar;
use crate::ids::{OrgUnitId, SuggestionId};
use crate::locale::Locale;
use crate::messages::ValidationErrors;
use crate::validation::{optional_text, required_text, MAX_NEEDS_SUMMARY};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub const MAX_SUGGESTION: usize = 500;
pub const MAX_REPLY: usize = 500;
pub const MAX_NAME: usize = 40;

/// A suggestion as typed on the board.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SuggestionDraft {
    /// Optional: a suggestion may be anonymous.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 40))]
    pub name: String,
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 500, pattern = r"\S")
    )]
    pub text: String,
}

/// What the unit did with a suggestion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum SuggestionStatus {
    /// Not answered yet.
    #[default]
    Open,
    /// 采纳: taken into the commitment.
    Adopted,
    /// 已答复: answered without a change to the commitment.
    Answered,
    /// 未采纳, with the reason in the reply.
    NotAdopted,
}

/// What an answer says of a suggestion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum AnswerStatus {
    Adopted,
    Answered,
    NotAdopted,
}

impl From<AnswerStatus> for SuggestionStatus {
    fn from(status: AnswerStatus) -> Self {
        match status {
            AnswerStatus::Adopted => SuggestionStatus::Adopted,
            AnswerStatus::Answered => SuggestionStatus::Answered,
            AnswerStatus::NotAdopted => SuggestionStatus::NotAdopted,
        }
    }
}

/// The unit's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SuggestionAnswer {
    pub status: AnswerStatus,
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 500, pattern = r"\S")
    )]
    pub reply: String,
}

/// A suggestion as the unit (and, once published, the public) sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Suggestion {
    pub id: SuggestionId,
    pub unit: OrgUnitId,
    pub name: Option<String>,
    pub text: String,
    #[serde(deserialize_with = "crate::day::de")]
    pub left_on: NaiveDate,
    pub status: SuggestionStatus,
    pub reply: Option<String>,
    /// Hidden by a moderator (the unit sees it, the public does not).
    pub hidden: bool,
}

/// Suggestions are taken from the cycle's start to the end of drafting.
pub fn open(calendar: &Calendar, today: NaiveDate) -> bool {
    today <= calendar.draft.end
}

impl SuggestionDraft {
    /// The name (optional) and the text, within their lengths.
    pub fn parse(&self) -> Result<(Option<String>, String), ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let name = optional_text(&mut errors, "name", &self.name, MAX_NAME);
        let text = required_text(&mut errors, "text", &self.text, MAX_SUGGESTION);
        if errors.is_empty() {
            Ok((name, text))
        } else {
            Err(errors)
        }
    }
}

impl SuggestionAnswer {
    /// An answer is adopted, answered or not adopted, with a reply.
    pub fn parse(&self) -> Result<(SuggestionStatus, String), ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let reply = required_text(&mut errors, "reply", &self.reply, MAX_REPLY);
        if errors.is_empty() {
            Ok((self.status.into(), reply))
        } else {
            Err(errors)
        }
    }
}

/// The 调研情况 with every adopted suggestion not in it yet added as a line
/// (cut to the field's length): what the drafting form offers to take in.
pub fn with_adopted(needs_summary: &str, adopted: &[Suggestion], locale: Locale) -> String {
    let mut text = needs_summary.trim_end().to_owned();
    for suggestion in adopted
        .iter()
        .filter(|s| s.status == SuggestionStatus::Adopted)
    {
        if text.contains(suggestion.text.trim()) {
            continue;
        }
        let line = match locale {
            Locale::Zh => format!("采纳意见：{}", suggestion.text.trim()),
            Locale::En => format!("Suggestion adopted: {}", suggestion.text.trim()),
        };
        let next = if text.is_empty() {
            line
        } else {
            format!("{text}\n{line}")
        };
        if next.chars().count() > MAX_NEEDS_SUMMARY {
            break;
        }
        text = next;
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn suggestion(text: &str, status: SuggestionStatus) -> Suggestion {
        Suggestion {
            id: SuggestionId::new(),
            unit: OrgUnitId::new(),
            name: None,
            text: text.into(),
            left_on: NaiveDate::from_ymd_opt(2026, 10, 20).unwrap(),
            status,
            reply: None,
            hidden: false,
        }
    }

    #[test]
    fn a_suggestion_needs_a_text_and_an_answer_a_status_and_a_reply() {
        let draft = SuggestionDraft {
            name: String::new(),
            text: "  ".into(),
        };
        assert_eq!(draft.parse().unwrap_err().0[0].field, "text");
        let draft = SuggestionDraft {
            name: "学生".into(),
            text: "多组织实验室开放日".into(),
        };
        assert_eq!(
            draft.parse(),
            Ok((Some("学生".into()), "多组织实验室开放日".into()))
        );
        let answer = SuggestionAnswer {
            status: AnswerStatus::NotAdopted,
            reply: " ".into(),
        };
        let fields: Vec<_> = answer
            .parse()
            .unwrap_err()
            .0
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["reply"]);
        let answer = SuggestionAnswer {
            status: AnswerStatus::Adopted,
            reply: "已写入承诺".into(),
        };
        assert_eq!(
            answer.parse(),
            Ok((SuggestionStatus::Adopted, "已写入承诺".into()))
        );
    }

    #[test]
    fn adopted_suggestions_join_the_needs_summary_once() {
        let all = [
            suggestion("多组织实验室开放日", SuggestionStatus::Adopted),
            suggestion("取消晚自习", SuggestionStatus::NotAdopted),
            suggestion("公开党费使用情况", SuggestionStatus::Adopted),
        ];
        let once = with_adopted("走访了 30 名同学。", &all, Locale::Zh);
        assert_eq!(
            once,
            "走访了 30 名同学。\n采纳意见：多组织实验室开放日\n采纳意见：公开党费使用情况"
        );
        assert_eq!(with_adopted(&once, &all, Locale::Zh), once, "not twice");
        // never past the field's length
        let long = "字".repeat(MAX_NEEDS_SUMMARY - 5);
        assert_eq!(with_adopted(&long, &all, Locale::Zh), long);
    }
}
