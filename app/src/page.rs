//! Every page of the app, and the only place their addresses are spelled.

use chengnuo_domain::ids::CommitmentId;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    Home,
    SignIn,
    /// A commitment: the form while it can be edited, its text afterwards.
    Commitment(CommitmentId),
    /// The review of a submitted commitment.
    Review(CommitmentId),
}

/// Route segments, for the router.
pub const SIGN_IN: &str = "sign-in";
pub const COMMITMENTS: &str = "commitments";
pub const REVIEW: &str = "review";

impl Page {
    /// The address used in links.
    pub fn path(self) -> String {
        match self {
            Page::Home => "/".to_owned(),
            Page::SignIn => format!("/{SIGN_IN}"),
            Page::Commitment(id) => format!("/{COMMITMENTS}/{id}"),
            Page::Review(id) => format!("/{REVIEW}/{id}"),
        }
    }
}
