//! # Chengnuo domain: the public commitment and its assessment (公开承诺和考核评议)
//!
//! One code for the browser and the server: the types of the forms, their
//! validation, the workflow and its permission table, and the scoring. The
//! server is the authority; the browser runs the very same rules so that a
//! member drafting offline sees exactly what the server will decide.
//!
//! Nothing here reads the clock: every rule that depends on time takes
//! "today" or "now" as an argument.

pub mod locale;

pub use locale::Locale;
