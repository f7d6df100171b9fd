//! What the server writes for people to take away: the report package's
//! workbook (`.xlsx`). (The CSV export of a cycle is an administration
//! command, `admin.rs`.)

pub mod workbook;
