//! Every page of the app, and the only place their addresses are spelled.

use chengnuo_domain::ids::{CommitmentId, OrgUnitId};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    Home,
    SignIn,
    /// A commitment: the form while it can be edited, its text afterwards.
    Commitment(CommitmentId),
    /// The printable 公开承诺书 of a signed commitment.
    Print(CommitmentId),
    /// The review of a submitted commitment.
    Review(CommitmentId),
    /// What reviewers said about the person's own commitments.
    Inbox,
    /// The public board: no sign-in needed.
    Board,
    BoardEntry(CommitmentId),
    /// Report packages: a committee's checklist, the office's overview.
    Reports,
    /// Every form of a committee's package, to print as one document.
    PackageForms(OrgUnitId),
    /// The signed-in person's account (their password).
    Account,
    /// Items claimed done, waiting for the person's unit to decide.
    Claims,
    /// 年度设置: the school's years (the campaign office).
    Years,
    /// 群众评议码: a unit's one-time ballot codes (its secretary, the office).
    BallotCodes,
    /// The ballot a code opens: no sign-in.
    Ballot,
    /// 情况通报 addressed to the person.
    Circulars,
    /// One progress notice (printable; public when on the board).
    Circular(chengnuo_domain::ids::CircularId),
    /// The next progress notice of a unit, to edit and publish.
    CircularDraft(OrgUnitId),
    /// 简报: one bulletin of good practice (printable, public). It shares the
    /// notices' screens (their part of the app), told apart by `?bulletin`.
    Bulletin(chengnuo_domain::ids::BulletinId),
    /// The office composes the next bulletin.
    BulletinDraft,
    /// 管理: the roster, accounts and roles, the audit trail (the office).
    Admin,
    /// 督查: a unit's supervision dashboard (the person's highest unit when none).
    Dashboard(Option<OrgUnitId>),
}

/// Route segments: the addresses below and [`Route::of`] read them.
pub const SIGN_IN: &str = "sign-in";
pub const COMMITMENTS: &str = "commitments";
pub const PRINT: &str = "print";
pub const REVIEW: &str = "review";
pub const INBOX: &str = "inbox";
pub const BOARD: &str = "board";
pub const REPORTS: &str = "reports";
pub const FORMS: &str = "forms";
pub const ACCOUNT: &str = "account";
pub const CLAIMS: &str = "claims";
pub const YEARS: &str = "years";
pub const BALLOT_CODES: &str = "ballot-codes";
pub const BALLOT: &str = "ballot";
pub const DASHBOARD: &str = "dashboard";
pub const ADMIN: &str = "admin";
pub const CIRCULARS: &str = "circulars";
pub const CIRCULAR_DRAFT: &str = "circular-draft";

impl Page {
    /// The address used in links.
    pub fn path(self) -> String {
        match self {
            Page::Home => "/".to_owned(),
            Page::SignIn => format!("/{SIGN_IN}"),
            Page::Commitment(id) => format!("/{COMMITMENTS}/{id}"),
            Page::Print(id) => format!("/{COMMITMENTS}/{id}/{PRINT}"),
            Page::Review(id) => format!("/{REVIEW}/{id}"),
            Page::Inbox => format!("/{INBOX}"),
            Page::Board => format!("/{BOARD}"),
            Page::BoardEntry(id) => format!("/{BOARD}/{id}"),
            Page::Reports => format!("/{REPORTS}"),
            Page::PackageForms(committee) => format!("/{REPORTS}/{committee}/{FORMS}"),
            Page::Account => format!("/{ACCOUNT}"),
            Page::Claims => format!("/{CLAIMS}"),
            Page::Years => format!("/{YEARS}"),
            Page::BallotCodes => format!("/{BALLOT_CODES}"),
            Page::Ballot => format!("/{BALLOT}"),
            Page::Admin => format!("/{ADMIN}"),
            Page::Circulars => format!("/{CIRCULARS}"),
            Page::Circular(id) => format!("/{CIRCULARS}/{id}"),
            Page::CircularDraft(unit) => format!("/{CIRCULAR_DRAFT}?unit={unit}"),
            Page::Bulletin(id) => format!("/{CIRCULARS}/{id}?bulletin"),
            Page::BulletinDraft => format!("/{CIRCULAR_DRAFT}?bulletin"),
            Page::Dashboard(None) => format!("/{DASHBOARD}"),
            Page::Dashboard(Some(unit)) => format!("/{DASHBOARD}?unit={unit}"),
        }
    }
}

/// Which screen an address shows (its id segment, if any, is read by the
/// screen itself through [`crate::router::use_params_map`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    Home,
    SignIn,
    Commitment,
    Print,
    Review,
    Inbox,
    Account,
    Claims,
    Board,
    BoardEntry,
    Reports,
    PackageForms,
    Years,
    BallotCodes,
    Ballot,
    Dashboard,
    Admin,
    Circulars,
    Circular,
    CircularDraft,
    NotFound,
}

impl Route {
    /// The screen of `path` (the query is not part of it) and the path's id
    /// segment, e.g. `/commitments/{id}/print` → `(Print, Some(id))`.
    pub fn of(path: &str) -> (Route, Option<&str>) {
        let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        match segments.as_slice() {
            [] => (Route::Home, None),
            [SIGN_IN] => (Route::SignIn, None),
            [COMMITMENTS, id] => (Route::Commitment, Some(id)),
            [COMMITMENTS, id, PRINT] => (Route::Print, Some(id)),
            [REVIEW, id] => (Route::Review, Some(id)),
            [INBOX] => (Route::Inbox, None),
            [ACCOUNT] => (Route::Account, None),
            [CLAIMS] => (Route::Claims, None),
            [BOARD] => (Route::Board, None),
            [BOARD, id] => (Route::BoardEntry, Some(id)),
            [REPORTS] => (Route::Reports, None),
            [REPORTS, id, FORMS] => (Route::PackageForms, Some(id)),
            [YEARS] => (Route::Years, None),
            [BALLOT_CODES] => (Route::BallotCodes, None),
            [BALLOT] => (Route::Ballot, None),
            [DASHBOARD] => (Route::Dashboard, None),
            [ADMIN] => (Route::Admin, None),
            [CIRCULARS] => (Route::Circulars, None),
            [CIRCULARS, id] => (Route::Circular, Some(id)),
            [CIRCULAR_DRAFT] => (Route::CircularDraft, None),
            _ => (Route::NotFound, None),
        }
    }
}
