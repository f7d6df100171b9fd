//! Identifiers. Every one is a UUID so that a phone offline can create a
//! commitment, an item or a sync operation without asking the server.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

macro_rules! id_type {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[serde(transparent)]
        pub struct $name(pub Uuid);

        impl $name {
            /// A fresh random identifier.
            pub fn new() -> Self {
                Self(Uuid::new_v4())
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }

        impl std::str::FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self)
            }
        }
    )*};
}

id_type! {
    /// An organization unit: the school committee, a committee, a branch.
    OrgUnitId;
    /// A person: a party member, an activist, or staff with an account.
    PersonId;
    /// A yearly campaign (`Cycle`).
    CycleId;
    /// A public commitment (公开承诺书).
    CommitmentId;
    /// One item (承诺事项) of a commitment; stable across edits, so the ledger,
    /// the self-check and a merge after a conflict can refer to it.
    ItemId;
    /// One change queued by a client for the server (see `sync`).
    OperationId;
    /// An evaluation round (考核评议).
    RoundId;
    /// A rectification order (限期整改).
    RectificationId;
    /// One entry of public feedback on a commitment on display.
    FeedbackId;
    /// One dated line of the ledger (台帐).
    ProgressId;
    /// A progress notice (情况通报).
    CircularId;
    /// A suggestion left for a unit before it drafts (征求意见).
    SuggestionId;
    /// A practice nominated for a bulletin (简报).
    NominationId;
    /// A bulletin of good practice (简报 / 经验交流).
    BulletinId;
}
