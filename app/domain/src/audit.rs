//! The audit trail as the API gives it (supervision reads it): every change
//! of a commitment, an account or a package, who made it and when.

use serde::{Deserialize, Serialize};

/// One recorded change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    /// Increasing: the order things happened in.
    pub id: i64,
    pub at: String,
    pub actor: Option<String>,
    pub actor_name: Option<String>,
    pub action: String,
    pub subject_type: String,
    pub subject_id: String,
    pub from_state: Option<String>,
    pub to_state: Option<String>,
    pub comment: Option<String>,
    /// What the action was, in the caller's language (`Accept-Language`):
    /// the words are the server's, so a phone carries no list of them.
    #[serde(default)]
    pub words: String,
}

impl AuditEntry {
    /// Says what the action was in `locale` (its stored name if unknown).
    pub fn worded(mut self, locale: crate::Locale) -> AuditEntry {
        self.words = AuditAction::parse(&self.action)
            .map_or_else(|| self.action.clone(), |a| a.words(locale).to_owned());
        self
    }
}

/// An action the office may filter the trail by: its name for the query,
/// its words for the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditActionName {
    pub name: String,
    pub words: String,
}

/// Every action the audit trail records, one name each: what the server
/// writes, what the office's filter offers, what a commitment's history
/// says in the person's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AuditAction {
    // A commitment's steps
    Create,
    Edit,
    Submit,
    Withdraw,
    Approve,
    Return,
    Sign,
    Publish,
    // Fulfilment
    RecordProgress,
    EditPlan,
    UploadEvidence,
    ClaimItem,
    CrossOffItem,
    RejectClaim,
    SelfCheck,
    // Evaluation
    LeaderComment,
    AssessOrganization,
    OpenRound,
    CloseRound,
    IssueBallotCodes,
    VoidBallotCodes,
    RectificationReport,
    RectificationClaim,
    RectificationClose,
    RectificationReturn,
    // The board and supervision
    HideFeedback,
    AnswerSuggestion,
    HideSuggestion,
    SubmitReport,
    PublishCircular,
    NominatePractice,
    ConsentPractice,
    DeclinePractice,
    PublishBulletin,
    // The year
    CreateCycle,
    ChangeCycle,
    MakeCycleCurrent,
    // Accounts
    ImportRoster,
    CreateAccount,
    ResetPassword,
    DisableAccount,
    EnableAccount,
    GrantRole,
    RevokeRole,
    ChangePassword,
}

impl AuditAction {
    pub const ALL: [AuditAction; 45] = [
        AuditAction::Create,
        AuditAction::Edit,
        AuditAction::Submit,
        AuditAction::Withdraw,
        AuditAction::Approve,
        AuditAction::Return,
        AuditAction::Sign,
        AuditAction::Publish,
        AuditAction::RecordProgress,
        AuditAction::EditPlan,
        AuditAction::UploadEvidence,
        AuditAction::ClaimItem,
        AuditAction::CrossOffItem,
        AuditAction::RejectClaim,
        AuditAction::SelfCheck,
        AuditAction::LeaderComment,
        AuditAction::AssessOrganization,
        AuditAction::OpenRound,
        AuditAction::CloseRound,
        AuditAction::IssueBallotCodes,
        AuditAction::VoidBallotCodes,
        AuditAction::RectificationReport,
        AuditAction::RectificationClaim,
        AuditAction::RectificationClose,
        AuditAction::RectificationReturn,
        AuditAction::HideFeedback,
        AuditAction::AnswerSuggestion,
        AuditAction::HideSuggestion,
        AuditAction::SubmitReport,
        AuditAction::PublishCircular,
        AuditAction::NominatePractice,
        AuditAction::ConsentPractice,
        AuditAction::DeclinePractice,
        AuditAction::PublishBulletin,
        AuditAction::CreateCycle,
        AuditAction::ChangeCycle,
        AuditAction::MakeCycleCurrent,
        AuditAction::ImportRoster,
        AuditAction::CreateAccount,
        AuditAction::ResetPassword,
        AuditAction::DisableAccount,
        AuditAction::EnableAccount,
        AuditAction::GrantRole,
        AuditAction::RevokeRole,
        AuditAction::ChangePassword,
    ];

    /// The name stored in the trail and used in `GET /api/audit?action=`,
    /// and its words in Chinese and English.
    fn names(self) -> (&'static str, &'static str, &'static str) {
        match self {
            AuditAction::Create => ("create", "创建", "created"),
            AuditAction::Edit => ("edit", "修改", "edited"),
            AuditAction::Submit => ("submit", "提交审核", "submitted"),
            AuditAction::Withdraw => ("withdraw", "撤回", "withdrawn"),
            AuditAction::Approve => ("approve", "审核通过", "approved"),
            AuditAction::Return => ("return", "退回修改", "returned"),
            AuditAction::Sign => ("sign", "签署", "signed"),
            AuditAction::Publish => ("publish", "公示", "published"),
            AuditAction::RecordProgress => ("record_progress", "记录进展", "progress recorded"),
            AuditAction::EditPlan => ("edit_plan", "修改实施计划", "plan changed"),
            AuditAction::UploadEvidence => ("upload_evidence", "上传佐证材料", "evidence uploaded"),
            AuditAction::ClaimItem => ("claim_item", "申请销号", "item claimed done"),
            AuditAction::CrossOffItem => ("cross_off_item", "销号", "item crossed off"),
            AuditAction::RejectClaim => ("reject_claim", "退回销号申请", "claim returned"),
            AuditAction::SelfCheck => ("self_check", "逐项对照检查", "self-check"),
            AuditAction::LeaderComment => ("leader_comment", "领导点评", "leader's comment"),
            AuditAction::AssessOrganization => {
                ("assess_organization", "组织考核", "organization's score")
            }
            AuditAction::OpenRound => ("open_round", "开启评议", "round opened"),
            AuditAction::CloseRound => ("close_round", "结束评议", "round closed"),
            AuditAction::IssueBallotCodes => {
                ("issue_ballot_codes", "生成评议码", "ballot codes issued")
            }
            AuditAction::VoidBallotCodes => {
                ("void_ballot_codes", "作废评议码", "ballot codes voided")
            }
            AuditAction::RectificationReport => (
                "rectification_report",
                "报告整改进展",
                "rectification reported",
            ),
            AuditAction::RectificationClaim => (
                "rectification_claim",
                "申请整改销号",
                "rectification claimed done",
            ),
            AuditAction::RectificationClose => {
                ("rectification_close", "整改销号", "rectification closed")
            }
            AuditAction::RectificationReturn => {
                ("rectification_return", "退回整改", "rectification returned")
            }
            AuditAction::HideFeedback => ("hide_feedback", "隐藏留言", "feedback hidden"),
            AuditAction::AnswerSuggestion => {
                ("answer_suggestion", "答复意见", "suggestion answered")
            }
            AuditAction::HideSuggestion => ("hide_suggestion", "隐藏意见", "suggestion hidden"),
            AuditAction::SubmitReport => ("submit_report", "报送材料", "report package sent"),
            AuditAction::PublishCircular => ("publish_circular", "发布通报", "circular published"),
            AuditAction::NominatePractice => (
                "nominate_practice",
                "推荐为好做法",
                "nominated as good practice",
            ),
            AuditAction::ConsentPractice => {
                ("consent_practice", "同意刊登", "agreed to publication")
            }
            AuditAction::DeclinePractice => {
                ("decline_practice", "不同意刊登", "declined publication")
            }
            AuditAction::PublishBulletin => ("publish_bulletin", "发布简报", "bulletin published"),
            AuditAction::CreateCycle => ("create_cycle", "新建年度", "year created"),
            AuditAction::ChangeCycle => ("change_cycle", "修改年度", "year changed"),
            AuditAction::MakeCycleCurrent => (
                "make_cycle_current",
                "设为当前年度",
                "made the current year",
            ),
            AuditAction::ImportRoster => ("import_roster", "导入名册", "roster imported"),
            AuditAction::CreateAccount => ("create_account", "新建账号", "account created"),
            AuditAction::ResetPassword => ("reset_password", "重置密码", "password reset"),
            AuditAction::DisableAccount => ("disable_account", "停用账号", "account disabled"),
            AuditAction::EnableAccount => ("enable_account", "启用账号", "account enabled"),
            AuditAction::GrantRole => ("grant_role", "授予角色", "role granted"),
            AuditAction::RevokeRole => ("revoke_role", "撤销角色", "role revoked"),
            AuditAction::ChangePassword => ("change_password", "修改密码", "password changed"),
        }
    }

    /// The name in the trail (`"approve"`).
    pub fn as_str(self) -> &'static str {
        self.names().0
    }

    /// What it was, in the person's language.
    pub fn words(self, locale: crate::Locale) -> &'static str {
        let (_, zh, en) = self.names();
        match locale {
            crate::Locale::Zh => zh,
            crate::Locale::En => en,
        }
    }

    /// Every action with its words in `locale`, in the order of [`Self::ALL`].
    pub fn names_in(locale: crate::Locale) -> Vec<AuditActionName> {
        AuditAction::ALL
            .iter()
            .map(|a| AuditActionName {
                name: a.as_str().to_owned(),
                words: a.words(locale).to_owned(),
            })
            .collect()
    }

    /// The action of a stored name; none for a name no version wrote.
    pub fn parse(name: &str) -> Option<AuditAction> {
        AuditAction::ALL.into_iter().find(|a| a.as_str() == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_has_one_name_that_reads_back() {
        let mut names: Vec<&str> = AuditAction::ALL.iter().map(|a| a.as_str()).collect();
        for action in AuditAction::ALL {
            assert_eq!(AuditAction::parse(action.as_str()), Some(action));
            assert!(!action.words(crate::Locale::Zh).is_empty());
        }
        names.sort();
        names.dedup();
        assert_eq!(names.len(), AuditAction::ALL.len(), "a name used twice");
        assert_eq!(
            AuditAction::parse("review"),
            None,
            "reviews are approve or return"
        );
    }
}
