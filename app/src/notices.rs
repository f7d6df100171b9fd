//! What the reviews of a person's own commitments tell them: the inbox lists
//! these notices, the app bar counts the unread ones.

use crate::state::Workspace;
use chengnuo_domain::ids::CommitmentId;
use chengnuo_domain::review::Review;

/// One review of one of the person's commitments.
#[derive(Debug, Clone, PartialEq)]
pub struct Notice {
    pub commitment: CommitmentId,
    pub committer_name: String,
    pub review: Review,
    pub unread: bool,
}

/// The person's notices about this cycle's commitments, newest first.
pub fn notices(workspace: &Workspace) -> Vec<Notice> {
    let cycle = workspace.cycle.as_ref().map(|c| c.id);
    let mut out = Vec::new();
    for local in &workspace.replica.commitments {
        if !workspace.is_author(local.committer) || cycle.is_some_and(|c| c != local.cycle) {
            continue;
        }
        let Some(server) = &local.server else {
            continue;
        };
        let seen = workspace.seen_reviews.get(&local.id).copied().unwrap_or(0);
        for (index, review) in server.reviews.iter().enumerate() {
            out.push(Notice {
                commitment: local.id,
                committer_name: local.committer_name.clone(),
                review: review.clone(),
                unread: index >= seen,
            });
        }
    }
    chengnuo_domain::sorting::sort_by_key(&mut out, |n| std::cmp::Reverse(n.review.at));
    out
}

pub fn unread(workspace: &Workspace) -> usize {
    notices(workspace).iter().filter(|n| n.unread).count()
}
