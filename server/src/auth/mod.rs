//! Accounts and sessions: argon2 password hashes, random session tokens in an
//! HttpOnly SameSite=Strict cookie, idle and absolute expiry, and a limit on
//! failed sign-ins per account and per address.

pub mod password;
pub mod rate_limit;
pub mod session;
