//! Identifiers. Every one is a UUID so that a phone offline can create a
//! commitment, an item or a sync operation without asking the server.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

macro_rules! id_type {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[serde(transparent)]
        pub struct $name(pub Uuid);

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                read_uuid(deserializer).map(Self)
            }
        }

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

/// Reads a UUID from a string, in any form `uuid` parses. Not uuid's own
/// serde reader: that one also reads bytes and arrays, and its error message
/// brings uuid's error formatting into the client (BENCHMARKS.md, "First
/// load"); JSON and addresses carry strings.
pub(crate) fn read_uuid<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Uuid, D::Error> {
    struct Text;
    impl serde::de::Visitor<'_> for Text {
        type Value = Uuid;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a UUID")
        }
        fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Uuid, E> {
            Uuid::parse_str(text)
                .map_err(|_| E::invalid_value(serde::de::Unexpected::Str(text), &self))
        }
    }
    deserializer.deserialize_str(Text)
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

#[cfg(test)]
mod tests {
    use super::*;

    /// An identifier reads from a string in the forms uuid parses, as it did
    /// through uuid's own reader, and from nothing else.
    #[test]
    fn identifiers_read_from_strings_only() {
        let id = CommitmentId::new();
        let text = serde_json::to_string(&id).unwrap();
        assert_eq!(serde_json::from_str::<CommitmentId>(&text).unwrap(), id);
        let simple = format!("\"{}\"", id.0.simple());
        assert_eq!(serde_json::from_str::<CommitmentId>(&simple).unwrap(), id);
        let braced = format!("\"{}\"", id.0.braced());
        assert_eq!(serde_json::from_str::<CommitmentId>(&braced).unwrap(), id);
        let refused = serde_json::from_str::<CommitmentId>("\"67e55044-10b1-426f\"")
            .unwrap_err()
            .to_string();
        assert!(refused.contains("expected a UUID"), "{refused}");
        assert!(serde_json::from_str::<CommitmentId>("42").is_err());
        assert!(serde_json::from_str::<CommitmentId>("[1, 2]").is_err());
    }
}
