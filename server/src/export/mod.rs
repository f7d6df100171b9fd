//! What the server writes for people to take away: the report package's
//! workbook (`.xlsx`) and the supervision dashboard's table. (The CSV export of a cycle is an administration
//! command, `admin.rs`.)

pub mod dashboard;
pub mod workbook;
