//! # Chengnuo domain: the public commitment and its assessment (公开承诺和考核评议)
//!
//! One code for the browser and the server: the types of the forms, their
//! validation, the workflow and its permission table, and the scoring. The
//! server is the authority; the browser runs the very same rules so that a
//! member drafting offline sees exactly what the server will decide.
//!
//! Nothing here reads the clock: every rule that depends on time takes
//! "today" or "now" as an argument, so a test can walk through a whole cycle.
//!
//! | module | the plan's words |
//! |---|---|
//! | [`org`] | 学校党委 / 分党委（党总支）/ 党支部 / 党员 |
//! | [`cycle`] | the yearly campaign and its calendar (调研、审核、签署、公示、报送、践诺、考评) |
//! | [`commitment`] | 公开承诺书: items 承诺事项, measures 具体措施, deadlines 完成时限 |
//! | [`validation`] | the rules a commitment must meet |
//! | [`messages`] | what a refusal says, in Chinese and English |

pub mod commitment;
pub mod cycle;
pub mod ids;
pub mod locale;
pub mod messages;
pub mod org;
pub mod validation;

pub use locale::Locale;
