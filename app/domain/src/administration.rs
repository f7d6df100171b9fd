//! Running the school (the campaign office): the roster file's rules and what
//! each of its lines may say, the accounts and the roles, as the office's
//! screen and the command line both see them.
//!
//! The roster is a CSV file (`type,name,parent,kind,short_name,category,
//! cadre_rank,activist,title,login,role`): units first (each after its
//! parent), then people in their branches. It is imported all or nothing;
//! every refused line is named with its number and why, in the person's
//! language ([`RosterProblem::text`]).

use crate::ids::{OrgUnitId, PersonId};
use crate::locale::Locale;
use crate::messages::{Message, ValidationErrors};
use crate::org::{OrgUnitKind, PersonRecord, Unit};
use crate::permission::{Role, RoleGrant};
use serde::{Deserialize, Serialize};

/// Why a line of the roster was refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum RosterProblem {
    /// The line could not be read as the file's columns (the reader's words).
    Unreadable(String),
    /// The first column is neither `unit` nor `person`.
    UnknownType(String),
    EmptyName,
    /// A name (or a short name, a login) longer than the office's form
    /// takes.
    NameTooLong {
        max: usize,
    },
    UnitExists(String),
    /// The unit's kind is not one of the known kinds.
    UnknownKind(String),
    /// No unit of that name is above this line.
    UnknownParent(String),
    SchoolHasParent,
    ParentMissing,
    /// This kind of unit cannot be under that one (the tree's shape).
    WrongParent {
        kind: String,
        parent: String,
    },
    /// A person's `parent` names no unit.
    UnknownBranch(String),
    /// A person's `parent` must name a branch.
    NotABranch(String),
    UnknownCategory(String),
    UnknownRank(String),
    UnknownRole(String),
    LoginTaken(String),
    /// The file holds no line besides its header.
    Empty,
}

/// A refused line: its number in the file (the header is line 1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RosterError {
    pub line: usize,
    pub problem: RosterProblem,
}

pub const KINDS: &str = "School, Committee, Teaching, AdminService, Student, Retired";
pub const CATEGORIES: &str = "Teacher, Staff, Retired, Student";
pub const RANKS: &str = "Section, Division, Bureau";
pub const ROLES: &str = "BranchSecretary, CommitteeSecretary, Leader, Office";

impl RosterProblem {
    pub fn code(&self) -> &'static str {
        match self {
            RosterProblem::Unreadable(_) => "unreadable",
            RosterProblem::UnknownType(_) => "unknown_type",
            RosterProblem::EmptyName => "empty_name",
            RosterProblem::NameTooLong { .. } => "name_too_long",
            RosterProblem::UnitExists(_) => "unit_exists",
            RosterProblem::UnknownKind(_) => "unknown_kind",
            RosterProblem::UnknownParent(_) => "unknown_parent",
            RosterProblem::SchoolHasParent => "school_has_parent",
            RosterProblem::ParentMissing => "parent_missing",
            RosterProblem::WrongParent { .. } => "wrong_parent",
            RosterProblem::UnknownBranch(_) => "unknown_branch",
            RosterProblem::NotABranch(_) => "not_a_branch",
            RosterProblem::UnknownCategory(_) => "unknown_category",
            RosterProblem::UnknownRank(_) => "unknown_rank",
            RosterProblem::UnknownRole(_) => "unknown_role",
            RosterProblem::LoginTaken(_) => "login_taken",
            RosterProblem::Empty => "empty",
        }
    }

    pub fn text(&self, locale: Locale) -> String {
        use RosterProblem::*;
        match (self, locale) {
            (Unreadable(why), Locale::Zh) => format!("无法按表头读取这一行（{why}）。"),
            (Unreadable(why), Locale::En) => format!("The line does not fit the header ({why})."),
            (UnknownType(t), Locale::Zh) => format!("类型“{t}”应为 unit 或 person。"),
            (UnknownType(t), Locale::En) => format!("The type {t:?} is neither unit nor person."),
            (EmptyName, Locale::Zh) => "名称为空。".into(),
            (EmptyName, Locale::En) => "The name is empty.".into(),
            (NameTooLong { max }, Locale::Zh) => format!("名称过长（最多 {max} 个字）。"),
            (NameTooLong { max }, Locale::En) => {
                format!("The name is too long (at most {max} characters).")
            }
            (UnitExists(n), Locale::Zh) => format!("已有名为“{n}”的单位。"),
            (UnitExists(n), Locale::En) => format!("A unit named {n:?} exists already."),
            (UnknownKind(k), Locale::Zh) => format!("单位类别“{k}”应为 {KINDS} 之一。"),
            (UnknownKind(k), Locale::En) => format!("The kind {k:?} is not one of {KINDS}."),
            (UnknownParent(p), Locale::Zh) => {
                format!("上级单位“{p}”不存在（上级须列在前面）。")
            }
            (UnknownParent(p), Locale::En) => {
                format!("No unit named {p:?} above it (list parents first).")
            }
            (SchoolHasParent, Locale::Zh) => "学校党委没有上级单位。".into(),
            (SchoolHasParent, Locale::En) => "The school has no parent.".into(),
            (ParentMissing, Locale::Zh) => "缺少上级单位。".into(),
            (ParentMissing, Locale::En) => "The parent is missing.".into(),
            (WrongParent { kind, parent }, Locale::Zh) => {
                format!("“{kind}”类单位不能设在“{parent}”之下。")
            }
            (WrongParent { kind, parent }, Locale::En) => {
                format!("A {kind} cannot be under {parent:?}.")
            }
            (UnknownBranch(p), Locale::Zh) => format!("没有名为“{p}”的党支部。"),
            (UnknownBranch(p), Locale::En) => format!("No branch is named {p:?}."),
            (NotABranch(p), Locale::Zh) => format!("“{p}”不是党支部：党员须属于一个党支部。"),
            (NotABranch(p), Locale::En) => {
                format!("{p:?} is not a branch: people belong to a branch.")
            }
            (UnknownCategory(c), Locale::Zh) => format!("党员类别“{c}”应为 {CATEGORIES} 之一。"),
            (UnknownCategory(c), Locale::En) => {
                format!("The category {c:?} is not one of {CATEGORIES}.")
            }
            (UnknownRank(r), Locale::Zh) => format!("干部级别“{r}”应为 {RANKS} 之一。"),
            (UnknownRank(r), Locale::En) => format!("The cadre rank {r:?} is not one of {RANKS}."),
            (UnknownRole(r), Locale::Zh) => format!("角色“{r}”应为 {ROLES} 之一。"),
            (UnknownRole(r), Locale::En) => format!("The role {r:?} is not one of {ROLES}."),
            (LoginTaken(l), Locale::Zh) => format!("账号“{l}”已被使用。"),
            (LoginTaken(l), Locale::En) => format!("The login {l:?} is taken."),
            (Empty, Locale::Zh) => "文件中除表头外没有任何一行。".into(),
            (Empty, Locale::En) => "The file has no line besides its header.".into(),
        }
    }
}

impl RosterError {
    /// "第 3 行：…" / "line 3: …"
    pub fn text(&self, locale: Locale) -> String {
        match locale {
            Locale::Zh => format!("第 {} 行：{}", self.line, self.problem.text(locale)),
            Locale::En => format!("line {}: {}", self.line, self.problem.text(locale)),
        }
    }
}

/// A unit of the tree with its counts, for the office's tree view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnitCount {
    pub unit: Unit,
    /// People whose branch is this unit.
    pub people: u32,
    /// Of them, with an account.
    pub accounts: u32,
}

/// What an import did: counts, and the first passwords of the new accounts
/// (shown once; each person is asked to set their own at first sign-in).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RosterImported {
    pub units: u32,
    pub people: u32,
    pub passwords: Vec<OneTimePassword>,
}

/// A password made by the server for one account, shown once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OneTimePassword {
    pub login: String,
    pub password: String,
}

/// A person as the office's account screen lists them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccountLine {
    pub person: PersonRecord,
    pub login: Option<String>,
    pub disabled: bool,
    /// Signed in with a password the server made; asked to set their own.
    pub must_change_password: bool,
    pub roles: Vec<RoleGrant>,
}

/// The office creates an account for a person of a branch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewAccount {
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 50, pattern = r"\S")
    )]
    pub name: String,
    pub branch: OrgUnitId,
    pub category: crate::org::MemberCategory,
    #[serde(default)]
    pub cadre_rank: Option<crate::org::CadreRank>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 50))]
    pub title: String,
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 40, pattern = r"^[A-Za-z0-9._-]+$")
    )]
    pub login: String,
}

/// The longest name, title and login the office may type.
pub const NAME_MAX: usize = 50;
pub const LOGIN_MAX: usize = 40;

impl NewAccount {
    /// Field by field: a name and a login (letters, digits, `.`, `_`, `-`).
    pub fn check(&self) -> Result<(), ValidationErrors> {
        let mut errors = ValidationErrors::default();
        for (field, value, max) in [
            ("name", self.name.trim(), NAME_MAX),
            ("login", self.login.trim(), LOGIN_MAX),
            ("title", self.title.trim(), NAME_MAX),
        ] {
            if value.is_empty() && field != "title" {
                errors.push(field, Message::Required);
            } else if value.chars().count() > max {
                errors.push(field, Message::TooLong { max });
            }
        }
        let login = self.login.trim();
        if !login.is_empty()
            && !login
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
        {
            errors.push("login", Message::LoginCharacters);
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

/// Whether the office may disable this account: any but its own (the
/// office does not lock itself out of the school it runs). Enabling is
/// always possible.
pub fn may_set_disabled(by: PersonId, person: PersonId, disabled: bool) -> bool {
    !(disabled && by == person)
}

/// A role given to, or taken from, a person over a unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GrantChange {
    pub person: PersonId,
    pub role: Role,
    pub unit: OrgUnitId,
}

impl GrantChange {
    /// Which units a role may be held over: secretaries over their kind of
    /// unit, leaders over committees (or the school), the office over the
    /// school, membership over a branch.
    pub fn fits(role: Role, unit: OrgUnitKind) -> bool {
        match role {
            Role::Member | Role::BranchSecretary => matches!(unit, OrgUnitKind::Branch(_)),
            Role::CommitteeSecretary => unit == OrgUnitKind::Committee,
            Role::Leader => matches!(unit, OrgUnitKind::Committee | OrgUnitKind::School),
            Role::Office => unit == OrgUnitKind::School,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_office_disables_anyone_but_itself() {
        let (office, other) = (PersonId::new(), PersonId::new());
        assert!(may_set_disabled(office, other, true));
        assert!(!may_set_disabled(office, office, true));
        assert!(may_set_disabled(office, office, false));
    }
    use crate::org::BranchKind;

    #[test]
    fn every_problem_has_a_sentence_in_both_languages_and_a_code() {
        let all = [
            RosterProblem::Unreadable("x".into()),
            RosterProblem::UnknownType("x".into()),
            RosterProblem::EmptyName,
            RosterProblem::UnitExists("x".into()),
            RosterProblem::UnknownKind("x".into()),
            RosterProblem::UnknownParent("x".into()),
            RosterProblem::SchoolHasParent,
            RosterProblem::ParentMissing,
            RosterProblem::WrongParent {
                kind: "Committee".into(),
                parent: "x".into(),
            },
            RosterProblem::UnknownBranch("x".into()),
            RosterProblem::NotABranch("x".into()),
            RosterProblem::UnknownCategory("x".into()),
            RosterProblem::UnknownRank("x".into()),
            RosterProblem::UnknownRole("x".into()),
            RosterProblem::LoginTaken("x".into()),
            RosterProblem::Empty,
        ];
        let codes: std::collections::HashSet<_> = all.iter().map(RosterProblem::code).collect();
        assert_eq!(codes.len(), all.len());
        for problem in &all {
            let zh = problem.text(Locale::Zh);
            let en = problem.text(Locale::En);
            assert!(!zh.is_empty() && !en.is_empty() && zh != en);
        }
        let error = RosterError {
            line: 3,
            problem: RosterProblem::EmptyName,
        };
        assert_eq!(error.text(Locale::Zh), "第 3 行：名称为空。");
        assert_eq!(error.text(Locale::En), "line 3: The name is empty.");
    }

    #[test]
    fn a_new_account_needs_a_name_and_a_plain_login() {
        let mut account = NewAccount {
            name: " ".into(),
            branch: OrgUnitId::new(),
            category: crate::org::MemberCategory::Teacher,
            cadre_rank: None,
            title: String::new(),
            login: "张 三".into(),
        };
        let errors = account.check().unwrap_err();
        let fields: Vec<_> = errors
            .0
            .iter()
            .map(|e| (e.field.as_str(), &e.message))
            .collect();
        assert_eq!(
            fields,
            [
                ("name", &Message::Required),
                ("login", &Message::LoginCharacters)
            ]
        );
        account.name = "张三".into();
        account.login = "zhang.san-1".into();
        assert_eq!(account.check(), Ok(()));
        account.login = "x".repeat(LOGIN_MAX + 1);
        assert_eq!(
            account.check().unwrap_err().0[0].message,
            Message::TooLong { max: LOGIN_MAX }
        );
    }

    #[test]
    fn roles_are_held_over_their_kind_of_unit() {
        let branch = OrgUnitKind::Branch(BranchKind::Student);
        assert!(GrantChange::fits(Role::BranchSecretary, branch));
        assert!(!GrantChange::fits(
            Role::BranchSecretary,
            OrgUnitKind::Committee
        ));
        assert!(GrantChange::fits(
            Role::CommitteeSecretary,
            OrgUnitKind::Committee
        ));
        assert!(GrantChange::fits(Role::Leader, OrgUnitKind::Committee));
        assert!(!GrantChange::fits(Role::Leader, branch));
        assert!(GrantChange::fits(Role::Office, OrgUnitKind::School));
        assert!(!GrantChange::fits(Role::Office, OrgUnitKind::Committee));
    }
}
