//! The one catalogue of rule messages, in Chinese and English, read by the
//! browser (shown as the person types) and the server (in API errors), so both
//! say exactly the same thing.

use crate::locale::Locale;
use crate::permission::Denied;
use crate::workflow::CommitmentState;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Why a value was refused. The `code` is stable for programs; `text` is for people.
///
/// Written and read as one flat record (`wire`): `code` and the variant's
/// details, the JSON serde's internally tagged enum writes, at a fraction of
/// the code in the browser.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "code", rename_all = "snake_case", try_from = "wire::RawMessage")]
pub enum Message {
    Required,
    TooLong {
        max: usize,
    },
    InvalidDate,
    DeadlineOutsideFulfilment {
        #[serde(deserialize_with = "crate::day::de")]
        start: NaiveDate,
        #[serde(deserialize_with = "crate::day::de")]
        end: NaiveDate,
    },
    DeadlineInPast {
        #[serde(deserialize_with = "crate::day::de")]
        today: NaiveDate,
    },
    AreaNotForCommitter,
    UnknownStandard,
    NoItems,
    TooFewItems {
        min: usize,
    },
    TooManyItems {
        max: usize,
    },
    /// An item's implementation plan has at most this many steps.
    TooManyPlanSteps {
        max: usize,
    },
    BranchNeedsPracticalDeed,
    CriteriaIncomplete,
    GuidanceRequired,
    DisplayTooShort {
        min: i64,
    },
    DisplayEndsBeforeStart,
    ExplanationRequired,
    ScoreOutOfRange,
    #[serde(rename = "weights_must_sum_to_100")]
    WeightsMustSumTo100,
    ReasonRequired,
    /// Feedback is taken only while the commitment is on display.
    FeedbackClosed,
    /// A report package cannot go while commitments it needs are not approved.
    PackageIncomplete {
        missing: usize,
    },
    PasswordTooShort {
        min: usize,
    },
    PasswordsDiffer,
    WrongPassword,
    /// A login may hold letters, digits, `.`, `_` and `-` only.
    LoginCharacters,
    /// Another account has this login.
    LoginTaken,
    /// People belong to a branch (党支部), not to a committee or the school.
    BranchRequired,
    /// This role is not held over this kind of unit.
    RoleNotForUnit,
    /// The school's last active office account: its role stays.
    LastOffice,
    /// Suggestions are taken until drafting ends.
    SuggestionsClosed,
    /// A date outside the cycle (or the window it must fall in).
    DateOutside {
        #[serde(deserialize_with = "crate::day::de")]
        start: NaiveDate,
        #[serde(deserialize_with = "crate::day::de")]
        end: NaiveDate,
    },
    /// A date before today where the past is not allowed.
    DateBeforeToday {
        #[serde(deserialize_with = "crate::day::de")]
        today: NaiveDate,
    },
    /// A date after today where only the past is allowed (a ledger entry):
    /// today is the school's day, named so that a phone set to another zone
    /// sees why.
    DateAfterToday {
        #[serde(deserialize_with = "crate::day::de")]
        today: NaiveDate,
    },
    /// A file larger than this many MB.
    FileTooLarge {
        max: usize,
    },
    /// Not a photo (JPEG, PNG, WebP) or a PDF, by its content.
    FileKindNotTaken,
    /// The bytes are not the file named (damaged on the way).
    FileDamaged,
    TooManyFiles {
        max: usize,
    },
    /// The commitment's files would pass this many MB together.
    CommitmentFilesFull {
        max: usize,
    },
    /// An entry names a file the server has not received.
    FileNotUploaded,
    /// The device could not keep a file (storage full, or refused).
    StorageRefused,
    /// A window's end before its start.
    EndsBeforeStart,
    /// A phase starting before the one before it has ended.
    MustComeAfter {
        #[serde(deserialize_with = "crate::day::de")]
        date: NaiveDate,
    },
    /// A date before another it may equal but not precede.
    NotBefore {
        #[serde(deserialize_with = "crate::day::de")]
        date: NaiveDate,
    },
    /// Grade thresholds not descending (优秀 > 合格 > 基本合格, at most 100).
    ThresholdsOutOfOrder,
    /// Another round of the cycle is still open (close it first).
    RoundStillOpen,
    /// The cycle has had its annual round.
    AnnualRoundHeld,
    /// The round is closed, or not yet open.
    RoundNotOpen,
    /// A self-check checks every item of the commitment, each once.
    EveryItemOnce,
    /// The school has a cycle of this year already.
    YearTaken {
        year: i32,
    },
    BallotCodeUnknown,
    BallotCodeUsed,
    BallotCodeVoid,
    RectificationNotNow,
    /// A number of codes (or other count) outside what is allowed.
    CountOutOfRange {
        max: usize,
    },
    /// A value of the wrong kind or out of range (a request, not a person, sent it).
    InvalidValue,
    /// 简报: only a crossed-off item (or an entry of the ledger) is nominated.
    NotCrossedOff,
    /// 简报: the committer has not agreed to this practice being published.
    ConsentNeeded,
    /// 简报: this item or entry is nominated already.
    AlreadyNominated,
}

impl Message {
    /// The stable code, as in the API's `fields[].code`.
    pub fn code(&self) -> &'static str {
        match self {
            Message::Required => "required",
            Message::TooLong { .. } => "too_long",
            Message::InvalidDate => "invalid_date",
            Message::DeadlineOutsideFulfilment { .. } => "deadline_outside_fulfilment",
            Message::DeadlineInPast { .. } => "deadline_in_past",
            Message::AreaNotForCommitter => "area_not_for_committer",
            Message::UnknownStandard => "unknown_standard",
            Message::NoItems => "no_items",
            Message::TooFewItems { .. } => "too_few_items",
            Message::TooManyItems { .. } => "too_many_items",
            Message::TooManyPlanSteps { .. } => "too_many_plan_steps",
            Message::BranchNeedsPracticalDeed => "branch_needs_practical_deed",
            Message::CriteriaIncomplete => "criteria_incomplete",
            Message::GuidanceRequired => "guidance_required",
            Message::DisplayTooShort { .. } => "display_too_short",
            Message::DisplayEndsBeforeStart => "display_ends_before_start",
            Message::ExplanationRequired => "explanation_required",
            Message::ScoreOutOfRange => "score_out_of_range",
            Message::WeightsMustSumTo100 => "weights_must_sum_to_100",
            Message::ReasonRequired => "reason_required",
            Message::FeedbackClosed => "feedback_closed",
            Message::PackageIncomplete { .. } => "package_incomplete",
            Message::PasswordTooShort { .. } => "password_too_short",
            Message::PasswordsDiffer => "passwords_differ",
            Message::WrongPassword => "wrong_password",
            Message::LoginCharacters => "login_characters",
            Message::LoginTaken => "login_taken",
            Message::BranchRequired => "branch_required",
            Message::RoleNotForUnit => "role_not_for_unit",
            Message::LastOffice => "last_office",
            Message::SuggestionsClosed => "suggestions_closed",
            Message::DateOutside { .. } => "date_outside",
            Message::DateBeforeToday { .. } => "date_before_today",
            Message::DateAfterToday { .. } => "date_after_today",
            Message::FileTooLarge { .. } => "file_too_large",
            Message::FileKindNotTaken => "file_kind_not_taken",
            Message::FileDamaged => "file_damaged",
            Message::TooManyFiles { .. } => "too_many_files",
            Message::CommitmentFilesFull { .. } => "commitment_files_full",
            Message::FileNotUploaded => "file_not_uploaded",
            Message::StorageRefused => "storage_refused",
            Message::EndsBeforeStart => "ends_before_start",
            Message::MustComeAfter { .. } => "must_come_after",
            Message::NotBefore { .. } => "not_before",
            Message::ThresholdsOutOfOrder => "thresholds_out_of_order",
            Message::YearTaken { .. } => "year_taken",
            Message::RoundStillOpen => "round_still_open",
            Message::AnnualRoundHeld => "annual_round_held",
            Message::RoundNotOpen => "round_not_open",
            Message::EveryItemOnce => "every_item_once",
            Message::BallotCodeUnknown => "ballot_code_unknown",
            Message::BallotCodeUsed => "ballot_code_used",
            Message::BallotCodeVoid => "ballot_code_void",
            Message::RectificationNotNow => "rectification_not_now",
            Message::CountOutOfRange { .. } => "count_out_of_range",
            Message::InvalidValue => "invalid_value",
            Message::NotCrossedOff => "not_crossed_off",
            Message::ConsentNeeded => "consent_needed",
            Message::AlreadyNominated => "already_nominated",
        }
    }

    /// The message for a person, in their language.
    pub fn text(&self, locale: Locale) -> String {
        use Locale::{En, Zh};
        match (self, locale) {
            (Message::Required, Zh) => "此项必填。".into(),
            (Message::Required, En) => "This field is required.".into(),
            (Message::TooLong { max }, Zh) => format!("不能超过 {max} 个字。"),
            (Message::TooLong { max }, En) => format!("At most {max} characters."),
            (Message::InvalidDate, Zh) => "请填写有效日期（年-月-日）。".into(),
            (Message::InvalidDate, En) => "Enter a valid date (year-month-day).".into(),
            (Message::DeadlineOutsideFulfilment { start, end }, Zh) => {
                format!("完成时限须在践诺期内（{start} 至 {end}）。")
            }
            (Message::DeadlineOutsideFulfilment { start, end }, En) => {
                format!("The deadline must fall in the fulfilment period ({start} to {end}).")
            }
            (Message::DeadlineInPast { today }, Zh) => {
                format!("完成时限已过（今天是 {today}），请调整后再提交。")
            }
            (Message::DeadlineInPast { today }, En) => {
                format!("This deadline has passed (today is {today}); change it before submitting.")
            }
            (Message::AreaNotForCommitter, Zh) => "该承诺方向不适用于本承诺主体。".into(),
            (Message::AreaNotForCommitter, En) => {
                "This content area does not apply to this committer.".into()
            }
            (Message::UnknownStandard, Zh) => "未知的“五个好”“五带头”标准。".into(),
            (Message::UnknownStandard, En) => "Unknown “five goods” / “five leads” standard.".into(),
            (Message::NoItems, Zh) => "至少填写一项承诺事项。".into(),
            (Message::NoItems, En) => "Add at least one commitment item.".into(),
            (Message::TooFewItems { min }, Zh) => format!("至少需要 {min} 项承诺事项。"),
            (Message::TooFewItems { min }, En) => format!("At least {min} commitment items are needed."),
            (Message::TooManyItems { max }, Zh) => format!("承诺事项不能超过 {max} 项。"),
            (Message::TooManyItems { max }, En) => format!("At most {max} commitment items."),
            (Message::TooManyPlanSteps { max }, Zh) => format!("实施计划不能超过 {max} 步。"),
            (Message::TooManyPlanSteps { max }, En) => format!("At most {max} steps in a plan."),
            (Message::BranchNeedsPracticalDeed, Zh) => {
                "党支部承诺须至少包含一项“办实事、做好事”（B2），并写明具体措施和完成时限。".into()
            }
            (Message::BranchNeedsPracticalDeed, En) => {
                "A branch commitment needs at least one practical-deed item (B2) with measures and a deadline.".into()
            }
            (Message::CriteriaIncomplete, Zh) => "五项审核标准全部符合才能通过。".into(),
            (Message::CriteriaIncomplete, En) => "Approval needs all five review criteria ticked.".into(),
            (Message::GuidanceRequired, Zh) => "退回修改须写明指导意见。".into(),
            (Message::GuidanceRequired, En) => "Returning a commitment needs written guidance.".into(),
            (Message::DisplayTooShort { min }, Zh) => format!("公示时间不少于 {min} 天。"),
            (Message::DisplayTooShort { min }, En) => format!("Display for at least {min} days."),
            (Message::DisplayEndsBeforeStart, Zh) => "公示结束日期不能早于开始日期。".into(),
            (Message::DisplayEndsBeforeStart, En) => "The display cannot end before it starts.".into(),
            (Message::ExplanationRequired, Zh) => "未完全兑现的事项须说明落实情况。".into(),
            (Message::ExplanationRequired, En) => {
                "Explain where an item stands unless it is fulfilled.".into()
            }
            (Message::ScoreOutOfRange, Zh) => "分数须在 0 到 100 之间。".into(),
            (Message::ScoreOutOfRange, En) => "The score must be between 0 and 100.".into(),
            (Message::WeightsMustSumTo100, Zh) => "三项权重之和须为 100%。".into(),
            (Message::WeightsMustSumTo100, En) => "The three weights must add up to 100%.".into(),
            (Message::ReasonRequired, Zh) => "请写明理由。".into(),
            (Message::ReasonRequired, En) => "Give a reason.".into(),
            (Message::FeedbackClosed, Zh) => "公示期外不接受意见。".into(),
            (Message::FeedbackClosed, En) => {
                "Feedback is taken only while the commitment is on display.".into()
            }
            (Message::PackageIncomplete { missing }, Zh) => {
                format!("还有 {missing} 份承诺书未审核通过，暂不能报送。")
            }
            (Message::PackageIncomplete { missing }, En) => {
                format!("{missing} commitments are not approved yet; the package cannot be sent.")
            }
            (Message::PasswordTooShort { min }, Zh) => format!("密码至少 {min} 个字符。"),
            (Message::PasswordTooShort { min }, En) => {
                format!("A password needs at least {min} characters.")
            }
            (Message::PasswordsDiffer, Zh) => "两次输入的新密码不一致。".into(),
            (Message::PasswordsDiffer, En) => "The two new passwords differ.".into(),
            (Message::WrongPassword, Zh) => "当前密码不正确。".into(),
            (Message::WrongPassword, En) => "The current password is wrong.".into(),
            (Message::LoginCharacters, Zh) => "账号只能包含字母、数字和 . _ -。".into(),
            (Message::LoginCharacters, En) => {
                "A login holds letters, digits, '.', '_' and '-' only.".into()
            }
            (Message::LoginTaken, Zh) => "这个账号已被使用。".into(),
            (Message::LoginTaken, En) => "This login is taken.".into(),
            (Message::BranchRequired, Zh) => "请选择一个党支部：党员属于党支部。".into(),
            (Message::BranchRequired, En) => "Choose a branch: people belong to a branch.".into(),
            (Message::RoleNotForUnit, Zh) => "这一角色不能设在这类单位上。".into(),
            (Message::RoleNotForUnit, En) => "This role is not held over this kind of unit.".into(),
            (Message::LastOffice, Zh) => "这是学校唯一可用的党委办公室账号，不能撤销或停用；请先把这一角色授予另一人。".into(),
            (Message::LastOffice, En) => "This is the school's only working office account: give the role to someone else first.".into(),
            (Message::SuggestionsClosed, Zh) => "起草阶段已结束，不再征求意见。".into(),
            (Message::SuggestionsClosed, En) => "Drafting is over: suggestions are closed.".into(),
            (Message::DateOutside { start, end }, Zh) => {
                format!("日期须在 {start} 至 {end} 之间。")
            }
            (Message::DateOutside { start, end }, En) => {
                format!("The date must fall between {start} and {end}.")
            }
            (Message::DateBeforeToday { today }, Zh) => {
                format!("日期不能早于今天（{today}）。")
            }
            (Message::DateBeforeToday { today }, En) => {
                format!("The date cannot be before today ({today}).")
            }
            (Message::DateAfterToday { today }, Zh) => {
                format!("日期不能晚于今天（{today}，学校所在时区）。")
            }
            (Message::DateAfterToday { today }, En) => {
                format!("The date cannot be after today ({today}, the school's time zone).")
            }
            (Message::FileTooLarge { max }, Zh) => format!("文件不能超过 {max} MB。"),
            (Message::FileTooLarge { max }, En) => format!("A file can be at most {max} MB."),
            (Message::FileKindNotTaken, Zh) => {
                "只能添加照片（JPEG、PNG、WebP）或 PDF 文件。".into()
            }
            (Message::FileKindNotTaken, En) => {
                "Only photos (JPEG, PNG, WebP) and PDF files can be added.".into()
            }
            (Message::FileDamaged, Zh) => "文件已损坏，请重新选择。".into(),
            (Message::FileDamaged, En) => "The file is damaged; choose it again.".into(),
            (Message::TooManyFiles { max }, Zh) => format!("每条记录最多 {max} 个附件。"),
            (Message::TooManyFiles { max }, En) => format!("An entry holds at most {max} files."),
            (Message::CommitmentFilesFull { max }, Zh) => {
                format!("这份承诺书的佐证材料已达 {max} MB 上限。")
            }
            (Message::CommitmentFilesFull { max }, En) => {
                format!("This commitment's evidence has reached its {max} MB limit.")
            }
            (Message::FileNotUploaded, Zh) => "有附件尚未上传到服务器。".into(),
            (Message::FileNotUploaded, En) => "A file of this entry has not reached the server.".into(),
            (Message::StorageRefused, Zh) => {
                "本设备无法保存这个文件（存储空间不足或被浏览器拒绝），未添加；已填写的内容都还在。".into()
            }
            (Message::StorageRefused, En) => {
                "This device could not keep the file (storage full or refused); it was not added. Everything typed is still here.".into()
            }
            (Message::EndsBeforeStart, Zh) => "结束日期不能早于开始日期。".into(),
            (Message::EndsBeforeStart, En) => "The end cannot be before the start.".into(),
            (Message::MustComeAfter { date }, Zh) => format!("须晚于上一阶段的结束日期（{date}）。"),
            (Message::MustComeAfter { date }, En) => {
                format!("Must come after the previous phase ends ({date}).")
            }
            (Message::NotBefore { date }, Zh) => format!("不能早于 {date}。"),
            (Message::NotBefore { date }, En) => format!("Cannot be before {date}."),
            (Message::ThresholdsOutOfOrder, Zh) => {
                "等次分数线须依次降低：优秀 > 合格 > 基本合格，且不超过 100 分。".into()
            }
            (Message::ThresholdsOutOfOrder, En) => {
                "The grade thresholds must descend: excellent > competent > basically competent, at most 100.".into()
            }
            (Message::YearTaken { year }, Zh) => format!("{year} 年度已经建立，请修改那一年度。"),
            (Message::YearTaken { year }, En) => {
                format!("The {year} year exists already; change that one.")
            }
            (Message::RoundStillOpen, Zh) => "还有一轮考核评议尚未结束，请先结束那一轮。".into(),
            (Message::RoundStillOpen, En) => "Another round is still open; close it first.".into(),
            (Message::AnnualRoundHeld, Zh) => "本年度已经开展过年度集中考核评议。".into(),
            (Message::AnnualRoundHeld, En) => "This year has had its annual round.".into(),
            (Message::RoundNotOpen, Zh) => "这一轮考核评议已结束或尚未开始。".into(),
            (Message::RoundNotOpen, En) => "This round is closed or has not started.".into(),
            (Message::EveryItemOnce, Zh) => "请逐项检查承诺书中的每一个事项。".into(),
            (Message::EveryItemOnce, En) => "Check every item of the commitment, each once.".into(),
            (Message::BallotCodeUnknown, Zh) => "没有这个评议码，请核对后重新输入。".into(),
            (Message::BallotCodeUnknown, En) => "There is no such ballot code; check it and type it again.".into(),
            (Message::BallotCodeUsed, Zh) => "这个评议码已经投过票了，每个码只能投一次。".into(),
            (Message::BallotCodeUsed, En) => "This ballot code has been used; each code votes once.".into(),
            (Message::BallotCodeVoid, Zh) => "这个评议码已作废，请向发码的党组织另取一张。".into(),
            (Message::BallotCodeVoid, En) => "This ballot code was voided; ask the unit that issued it for another.".into(),
            (Message::RectificationNotNow, Zh) => "整改单当前不能这样操作：整改中可记录进展或申请销号，申请销号后由上级党组织验收或退回。".into(),
            (Message::RectificationNotNow, En) => "Not possible on this order now: while open, report or claim it done; once claimed, the parent unit closes or returns it.".into(),
            (Message::CountOutOfRange { max }, Zh) => format!("请填写 1 到 {max} 之间的整数。"),
            (Message::CountOutOfRange { max }, En) => format!("Enter a whole number from 1 to {max}."),
            (Message::InvalidValue, Zh) => "取值无效（类型不对或超出范围）。".into(),
            (Message::InvalidValue, En) => "This value is not valid (wrong kind or out of range).".into(),
            (Message::NotCrossedOff, Zh) => "该事项尚未销号。".into(),
            (Message::NotCrossedOff, En) => "This item is not crossed off yet.".into(),
            (Message::ConsentNeeded, Zh) => "须经承诺人同意后方可刊登。".into(),
            (Message::ConsentNeeded, En) => "The committer has not agreed to publication.".into(),
            (Message::AlreadyNominated, Zh) => "已推荐过。".into(),
            (Message::AlreadyNominated, En) => "Nominated already.".into(),
        }
    }
}

/// A refusal of one field of a form. `field` is a path such as `items[2].deadline`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldError {
    pub field: String,
    pub message: Message,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: Message) -> FieldError {
        FieldError {
            field: field.into(),
            message,
        }
    }
}

/// Every refusal of one form, all at once so that a person can fix them together.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, thiserror::Error)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[error("{} field(s) refused", .0.len())]
pub struct ValidationErrors(pub Vec<FieldError>);

impl ValidationErrors {
    pub fn push(&mut self, field: impl Into<String>, message: Message) {
        self.0.push(FieldError::new(field, message));
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The refusals of one field, for showing them beside it.
    pub fn for_field<'a>(&'a self, field: &'a str) -> impl Iterator<Item = &'a Message> + 'a {
        self.0
            .iter()
            .filter(move |e| e.field == field)
            .map(|e| &e.message)
    }

    /// The refusals as the API's error body says them, in `locale`: the
    /// server answers with these, and a screen that checked a form on the
    /// device shows them the same way.
    pub fn bodies(&self, locale: Locale) -> Vec<FieldBody> {
        self.0
            .iter()
            .map(|e| FieldBody {
                field: e.field.clone(),
                code: e.message.code().to_owned(),
                message: e.message.text(locale),
            })
            .collect()
    }

    /// `Ok(value)` when nothing was refused.
    pub fn into_result<T>(self, value: impl FnOnce() -> T) -> Result<T, ValidationErrors> {
        if self.0.is_empty() {
            Ok(value())
        } else {
            Err(self)
        }
    }
}

/// Every refusal of the API has this body (one shape for every error).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorResponse {
    pub error: ErrorBody,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    /// Stable and machine-readable, e.g. `invalid`, `not_found`, `conflict`.
    #[cfg_attr(feature = "openapi", schema(example = "invalid"))]
    pub code: String,
    /// For people, in the language of `Accept-Language`.
    pub message: String,
    /// One entry per refused field (only for `invalid`).
    #[serde(default)]
    pub fields: Vec<FieldBody>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldBody {
    /// The field's path in the request, e.g. `items[2].deadline`.
    pub field: String,
    pub code: String,
    pub message: String,
}

/// A commitment's state in words, for refusals.
pub fn state_text(state: CommitmentState, locale: Locale) -> &'static str {
    use CommitmentState::*;
    match (state, locale) {
        (Draft, Locale::Zh) => "起草中",
        (Draft, Locale::En) => "a draft",
        (Submitted, Locale::Zh) => "已提交待审核",
        (Submitted, Locale::En) => "submitted for review",
        (Returned, Locale::Zh) => "已退回修改",
        (Returned, Locale::En) => "returned for revision",
        (Approved, Locale::Zh) => "已审核通过",
        (Approved, Locale::En) => "approved",
        (Signed, Locale::Zh) => "已签署",
        (Signed, Locale::En) => "signed",
        (Published, Locale::Zh) => "已公示",
        (Published, Locale::En) => "published",
    }
}

impl Denied {
    /// Why, in a sentence for a person.
    pub fn text(&self, locale: Locale) -> String {
        match (self, locale) {
            (Denied::NotVisible, Locale::Zh) => "找不到这份承诺书，或你无权查看。".into(),
            (Denied::NotVisible, Locale::En) => {
                "This commitment does not exist or you may not see it.".into()
            }
            (Denied::NotAllowed, Locale::Zh) => "你没有权限做这一步。".into(),
            (Denied::NotAllowed, Locale::En) => "You are not allowed to take this step.".into(),
            (Denied::WrongState(state), Locale::Zh) => {
                format!(
                    "这份承诺书{}，现在不能做这一步。",
                    state_text(*state, locale)
                )
            }
            (Denied::WrongState(state), Locale::En) => format!(
                "This commitment is {}; this step is not possible now.",
                state_text(*state, locale)
            ),
            (Denied::WrongTarget, Locale::Zh) => "这一步不适用于此对象。".into(),
            (Denied::WrongTarget, Locale::En) => "This step does not apply here.".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn every_message() -> Vec<Message> {
        let day = NaiveDate::from_ymd_opt(2010, 10, 19).unwrap();
        vec![
            Message::Required,
            Message::TooLong { max: 300 },
            Message::InvalidDate,
            Message::DeadlineOutsideFulfilment {
                start: day,
                end: day,
            },
            Message::DeadlineInPast { today: day },
            Message::AreaNotForCommitter,
            Message::UnknownStandard,
            Message::NoItems,
            Message::TooFewItems { min: 3 },
            Message::TooManyItems { max: 60 },
            Message::TooManyPlanSteps { max: 10 },
            Message::BranchNeedsPracticalDeed,
            Message::CriteriaIncomplete,
            Message::GuidanceRequired,
            Message::DisplayTooShort { min: 7 },
            Message::DisplayEndsBeforeStart,
            Message::ExplanationRequired,
            Message::ScoreOutOfRange,
            Message::WeightsMustSumTo100,
            Message::ReasonRequired,
            Message::FeedbackClosed,
            Message::PackageIncomplete { missing: 2 },
            Message::PasswordTooShort { min: 10 },
            Message::PasswordsDiffer,
            Message::WrongPassword,
            Message::LoginCharacters,
            Message::LoginTaken,
            Message::BranchRequired,
            Message::RoleNotForUnit,
            Message::LastOffice,
            Message::SuggestionsClosed,
            Message::DateOutside {
                start: day,
                end: day,
            },
            Message::DateBeforeToday { today: day },
            Message::DateAfterToday { today: day },
            Message::FileTooLarge { max: 5 },
            Message::FileKindNotTaken,
            Message::FileDamaged,
            Message::TooManyFiles { max: 6 },
            Message::CommitmentFilesFull { max: 100 },
            Message::FileNotUploaded,
            Message::StorageRefused,
            Message::EndsBeforeStart,
            Message::MustComeAfter { date: day },
            Message::NotBefore { date: day },
            Message::ThresholdsOutOfOrder,
            Message::YearTaken { year: 2026 },
            Message::RoundStillOpen,
            Message::AnnualRoundHeld,
            Message::RoundNotOpen,
            Message::EveryItemOnce,
            Message::BallotCodeUnknown,
            Message::BallotCodeUsed,
            Message::BallotCodeVoid,
            Message::RectificationNotNow,
            Message::CountOutOfRange { max: 500 },
            Message::InvalidValue,
            Message::NotCrossedOff,
            Message::ConsentNeeded,
            Message::AlreadyNominated,
        ]
    }

    #[test]
    fn every_message_speaks_both_languages_and_has_a_code() {
        let all = every_message();
        for message in all.clone() {
            let zh = message.text(Locale::Zh);
            let en = message.text(Locale::En);
            assert!(!zh.is_empty() && !en.is_empty());
            assert_ne!(zh, en);
            assert!(!zh.is_ascii(), "{zh}");
            let json = serde_json::to_value(&message).unwrap();
            assert_eq!(json["code"], message.code());
            assert_eq!(serde_json::from_value::<Message>(json).unwrap(), message);
        }
        let codes: std::collections::HashSet<_> = all.iter().map(Message::code).collect();
        assert_eq!(codes.len(), all.len(), "one example of each code");
        assert!(Message::TooFewItems { min: 3 }
            .text(Locale::En)
            .contains('3'));
    }

    #[test]
    fn a_message_missing_its_detail_or_of_an_unknown_code_is_refused() {
        for json in [
            r#"{"code":"too_long"}"#,
            r#"{"code":"date_outside","start":"2026-01-01"}"#,
            r#"{"code":"too_few_items","min":-1}"#,
            r#"{"code":"no_such_code"}"#,
            r#"{"max":3}"#,
        ] {
            assert!(serde_json::from_str::<Message>(json).is_err(), "{json}");
        }
        assert_eq!(
            serde_json::from_str::<Message>(r#"{"code":"too_long","max":3,"extra":1}"#).unwrap(),
            Message::TooLong { max: 3 }
        );
    }
}

/// Reading and writing a [`Message`] through one flat record instead of
/// serde's internally tagged enum, which buffers every value first and
/// writes each variant with code of its own: the same JSON, a fraction of
/// the code in the browser's first load.
mod wire {
    use super::Message;
    use chrono::NaiveDate;
    use serde::{Deserialize, Serialize};

    impl Serialize for Message {
        fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            Record::of(self).serialize(serializer)
        }
    }

    /// What a message is written as: its code, then its details.
    #[derive(Serialize)]
    struct Record {
        code: &'static str,
        #[serde(skip_serializing_if = "Option::is_none")]
        max: Option<usize>,
        #[serde(skip_serializing_if = "Option::is_none")]
        min: Option<i64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        start: Option<NaiveDate>,
        #[serde(skip_serializing_if = "Option::is_none")]
        end: Option<NaiveDate>,
        #[serde(skip_serializing_if = "Option::is_none")]
        today: Option<NaiveDate>,
        #[serde(skip_serializing_if = "Option::is_none")]
        missing: Option<usize>,
        #[serde(skip_serializing_if = "Option::is_none")]
        date: Option<NaiveDate>,
        #[serde(skip_serializing_if = "Option::is_none")]
        year: Option<i32>,
    }

    impl Record {
        fn of(message: &Message) -> Record {
            let mut record = Record {
                code: message.code(),
                max: None,
                min: None,
                start: None,
                end: None,
                today: None,
                missing: None,
                date: None,
                year: None,
            };
            match *message {
                Message::TooLong { max }
                | Message::TooManyItems { max }
                | Message::TooManyPlanSteps { max }
                | Message::FileTooLarge { max }
                | Message::TooManyFiles { max }
                | Message::CommitmentFilesFull { max }
                | Message::CountOutOfRange { max } => record.max = Some(max),
                Message::TooFewItems { min } | Message::PasswordTooShort { min } => {
                    record.min = i64::try_from(min).ok()
                }
                Message::DisplayTooShort { min } => record.min = Some(min),
                Message::DeadlineOutsideFulfilment { start, end }
                | Message::DateOutside { start, end } => {
                    record.start = Some(start);
                    record.end = Some(end);
                }
                Message::DeadlineInPast { today }
                | Message::DateBeforeToday { today }
                | Message::DateAfterToday { today } => record.today = Some(today),
                Message::PackageIncomplete { missing } => record.missing = Some(missing),
                Message::MustComeAfter { date } | Message::NotBefore { date } => {
                    record.date = Some(date)
                }
                Message::YearTaken { year } => record.year = Some(year),
                Message::Required
                | Message::InvalidDate
                | Message::AreaNotForCommitter
                | Message::UnknownStandard
                | Message::NoItems
                | Message::BranchNeedsPracticalDeed
                | Message::CriteriaIncomplete
                | Message::GuidanceRequired
                | Message::DisplayEndsBeforeStart
                | Message::ExplanationRequired
                | Message::ScoreOutOfRange
                | Message::WeightsMustSumTo100
                | Message::ReasonRequired
                | Message::FeedbackClosed
                | Message::PasswordsDiffer
                | Message::WrongPassword
                | Message::LoginCharacters
                | Message::LoginTaken
                | Message::BranchRequired
                | Message::RoleNotForUnit
                | Message::LastOffice
                | Message::SuggestionsClosed
                | Message::FileKindNotTaken
                | Message::FileDamaged
                | Message::FileNotUploaded
                | Message::StorageRefused
                | Message::EndsBeforeStart
                | Message::ThresholdsOutOfOrder
                | Message::RoundStillOpen
                | Message::AnnualRoundHeld
                | Message::RoundNotOpen
                | Message::EveryItemOnce
                | Message::BallotCodeUnknown
                | Message::BallotCodeUsed
                | Message::BallotCodeVoid
                | Message::RectificationNotNow
                | Message::InvalidValue
                | Message::NotCrossedOff
                | Message::ConsentNeeded
                | Message::AlreadyNominated => {}
            }
            record
        }
    }

    #[derive(Deserialize)]
    pub struct RawMessage {
        code: String,
        max: Option<usize>,
        min: Option<i64>,
        #[serde(default, deserialize_with = "crate::day::de_option")]
        start: Option<NaiveDate>,
        #[serde(default, deserialize_with = "crate::day::de_option")]
        end: Option<NaiveDate>,
        #[serde(default, deserialize_with = "crate::day::de_option")]
        today: Option<NaiveDate>,
        missing: Option<usize>,
        #[serde(default, deserialize_with = "crate::day::de_option")]
        date: Option<NaiveDate>,
        year: Option<i32>,
    }

    fn need<T>(value: Option<T>, field: &str) -> Result<T, String> {
        value.ok_or_else(|| format!("missing field `{field}`"))
    }

    fn count(value: Option<i64>, field: &str) -> Result<usize, String> {
        usize::try_from(need(value, field)?).map_err(|_| format!("invalid value of `{field}`"))
    }

    impl TryFrom<RawMessage> for Message {
        type Error = String;
        fn try_from(raw: RawMessage) -> Result<Message, String> {
            Ok(match raw.code.as_str() {
                "required" => Message::Required,
                "too_long" => Message::TooLong {
                    max: need(raw.max, "max")?,
                },
                "invalid_date" => Message::InvalidDate,
                "deadline_outside_fulfilment" => Message::DeadlineOutsideFulfilment {
                    start: need(raw.start, "start")?,
                    end: need(raw.end, "end")?,
                },
                "deadline_in_past" => Message::DeadlineInPast {
                    today: need(raw.today, "today")?,
                },
                "area_not_for_committer" => Message::AreaNotForCommitter,
                "unknown_standard" => Message::UnknownStandard,
                "no_items" => Message::NoItems,
                "too_few_items" => Message::TooFewItems {
                    min: count(raw.min, "min")?,
                },
                "too_many_items" => Message::TooManyItems {
                    max: need(raw.max, "max")?,
                },
                "too_many_plan_steps" => Message::TooManyPlanSteps {
                    max: need(raw.max, "max")?,
                },
                "branch_needs_practical_deed" => Message::BranchNeedsPracticalDeed,
                "criteria_incomplete" => Message::CriteriaIncomplete,
                "guidance_required" => Message::GuidanceRequired,
                "display_too_short" => Message::DisplayTooShort {
                    min: need(raw.min, "min")?,
                },
                "display_ends_before_start" => Message::DisplayEndsBeforeStart,
                "explanation_required" => Message::ExplanationRequired,
                "score_out_of_range" => Message::ScoreOutOfRange,
                "weights_must_sum_to_100" => Message::WeightsMustSumTo100,
                "reason_required" => Message::ReasonRequired,
                "feedback_closed" => Message::FeedbackClosed,
                "package_incomplete" => Message::PackageIncomplete {
                    missing: need(raw.missing, "missing")?,
                },
                "password_too_short" => Message::PasswordTooShort {
                    min: count(raw.min, "min")?,
                },
                "passwords_differ" => Message::PasswordsDiffer,
                "wrong_password" => Message::WrongPassword,
                "login_characters" => Message::LoginCharacters,
                "login_taken" => Message::LoginTaken,
                "branch_required" => Message::BranchRequired,
                "role_not_for_unit" => Message::RoleNotForUnit,
                "last_office" => Message::LastOffice,
                "suggestions_closed" => Message::SuggestionsClosed,
                "date_outside" => Message::DateOutside {
                    start: need(raw.start, "start")?,
                    end: need(raw.end, "end")?,
                },
                "date_before_today" => Message::DateBeforeToday {
                    today: need(raw.today, "today")?,
                },
                "date_after_today" => Message::DateAfterToday {
                    today: need(raw.today, "today")?,
                },
                "file_too_large" => Message::FileTooLarge {
                    max: need(raw.max, "max")?,
                },
                "file_kind_not_taken" => Message::FileKindNotTaken,
                "file_damaged" => Message::FileDamaged,
                "too_many_files" => Message::TooManyFiles {
                    max: need(raw.max, "max")?,
                },
                "commitment_files_full" => Message::CommitmentFilesFull {
                    max: need(raw.max, "max")?,
                },
                "file_not_uploaded" => Message::FileNotUploaded,
                "storage_refused" => Message::StorageRefused,
                "ends_before_start" => Message::EndsBeforeStart,
                "must_come_after" => Message::MustComeAfter {
                    date: need(raw.date, "date")?,
                },
                "not_before" => Message::NotBefore {
                    date: need(raw.date, "date")?,
                },
                "thresholds_out_of_order" => Message::ThresholdsOutOfOrder,
                "round_still_open" => Message::RoundStillOpen,
                "annual_round_held" => Message::AnnualRoundHeld,
                "round_not_open" => Message::RoundNotOpen,
                "every_item_once" => Message::EveryItemOnce,
                "year_taken" => Message::YearTaken {
                    year: need(raw.year, "year")?,
                },
                "ballot_code_unknown" => Message::BallotCodeUnknown,
                "ballot_code_used" => Message::BallotCodeUsed,
                "ballot_code_void" => Message::BallotCodeVoid,
                "rectification_not_now" => Message::RectificationNotNow,
                "count_out_of_range" => Message::CountOutOfRange {
                    max: need(raw.max, "max")?,
                },
                "invalid_value" => Message::InvalidValue,
                "not_crossed_off" => Message::NotCrossedOff,
                "consent_needed" => Message::ConsentNeeded,
                "already_nominated" => Message::AlreadyNominated,
                other => return Err(format!("unknown variant `{other}`")),
            })
        }
    }
}
