//! Accounts: what a sign-in may send, and the rule for a new password. The
//! server checks these before anything is stored or hashed; the browser shows
//! the same messages as the person types.

use crate::ids::{OrgUnitId, PersonId};
use crate::messages::{Message, ValidationErrors};
use crate::org::{PersonRecord, Unit};
use crate::permission::RoleGrant;
use serde::{Deserialize, Serialize};

/// The longest login accepted.
pub const MAX_LOGIN: usize = 64;
/// The longest password accepted (hashing a longer one only costs the server).
pub const MAX_PASSWORD: usize = 1024;
/// The shortest new password.
pub const MIN_PASSWORD: usize = 10;

/// A sign-in.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Credentials {
    #[cfg_attr(feature = "openapi", schema(max_length = 64))]
    pub login: String,
    #[cfg_attr(feature = "openapi", schema(max_length = 1024))]
    pub password: String,
}

impl Credentials {
    /// Refuses a login or password longer than anyone's, before it is used.
    pub fn check(&self) -> Result<(), ValidationErrors> {
        let mut errors = ValidationErrors::default();
        if self.login.trim().chars().count() > MAX_LOGIN {
            errors.push("login", Message::TooLong { max: MAX_LOGIN });
        }
        if self.password.chars().count() > MAX_PASSWORD {
            errors.push("password", Message::TooLong { max: MAX_PASSWORD });
        }
        errors.into_result(|| ())
    }
}

/// A person changing their own password: the current one, the new one twice.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasswordChange {
    #[cfg_attr(feature = "openapi", schema(max_length = 1024))]
    pub current: String,
    #[cfg_attr(feature = "openapi", schema(min_length = 10, max_length = 1024))]
    pub new: String,
    #[cfg_attr(feature = "openapi", schema(max_length = 1024))]
    pub repeat: String,
}

/// A new password that meets the rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPassword(String);

impl NewPassword {
    /// At least `MIN_PASSWORD` characters, at most `MAX_PASSWORD`.
    pub fn parse(password: &str, field: &str) -> Result<NewPassword, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let length = password.chars().count();
        if length < MIN_PASSWORD {
            errors.push(field, Message::PasswordTooShort { min: MIN_PASSWORD });
        } else if length > MAX_PASSWORD {
            errors.push(field, Message::TooLong { max: MAX_PASSWORD });
        }
        errors.into_result(|| NewPassword(password.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl PasswordChange {
    /// The new password, if it meets the rule and was typed the same twice.
    /// (Whether the current one is right is the server's to check.)
    pub fn parse(&self) -> Result<NewPassword, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        if self.current.is_empty() {
            errors.push("current", Message::Required);
        } else if self.current.chars().count() > MAX_PASSWORD {
            errors.push("current", Message::TooLong { max: MAX_PASSWORD });
        }
        let new = NewPassword::parse(&self.new, "new");
        if let Err(refused) = &new {
            errors.0.extend(refused.0.iter().cloned());
        }
        if self.repeat != self.new {
            errors.push("repeat", Message::PasswordsDiffer);
        }
        match new {
            Ok(new) if errors.is_empty() => Ok(new),
            _ => Err(errors),
        }
    }
}

/// `GET /api/me`: who is signed in, their units, roles and scope.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Me {
    pub person: PersonRecord,
    pub login: String,
    pub branch: Option<Unit>,
    pub committee: Option<Unit>,
    pub roles: Vec<RoleGrant>,
    /// The units whose subtrees the roles reach.
    pub scope: Vec<OrgUnitId>,
    /// Signed in with a password the server made (a new account, the
    /// office's reset): asked to set their own first.
    #[serde(default)]
    pub must_change_password: bool,
}

impl Me {
    pub fn id(&self) -> PersonId {
        self.person.person.id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_password_is_long_enough_and_typed_twice_the_same() {
        let change = |new: &str, repeat: &str| PasswordChange {
            current: "chengnuo-demo".into(),
            new: new.into(),
            repeat: repeat.into(),
        };
        assert!(change("十个字的新密码是这个", "十个字的新密码是这个")
            .parse()
            .is_ok());
        let short = change("short", "short").parse().unwrap_err();
        assert_eq!(
            short.0[0].message,
            Message::PasswordTooShort { min: MIN_PASSWORD }
        );
        let differ = change("a-long-password", "a-long-passw0rd")
            .parse()
            .unwrap_err();
        assert_eq!(differ.0[0].field, "repeat");
        let long = "x".repeat(MAX_PASSWORD + 1);
        assert!(change(&long, &long).parse().is_err());
    }

    #[test]
    fn credentials_longer_than_anyones_are_refused_before_use() {
        let ok = Credentials {
            login: "member".into(),
            password: "chengnuo-demo".into(),
        };
        assert!(ok.check().is_ok());
        let huge = Credentials {
            login: "x".repeat(4 << 20),
            password: "p".repeat(MAX_PASSWORD + 1),
        };
        let refused = huge.check().unwrap_err();
        assert_eq!(refused.0.len(), 2);
    }
}
