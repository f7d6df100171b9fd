//! What the server writes for people to take away: the report package's
//! workbook (`.xlsx`) and the supervision dashboard's table. (The CSV export of a cycle is an administration
//! command, `admin.rs`.)

pub mod dashboard;
pub mod workbook;

/// The most characters an Excel cell holds.
const CELL_MAX: usize = 32_767;

/// A text as a cell can hold it: stored data never makes a workbook fail,
/// an overlong text is cut with a mark. Every text cell of every workbook
/// goes through it.
pub fn cell(text: &str) -> std::borrow::Cow<'_, str> {
    if text.chars().count() <= CELL_MAX {
        return text.into();
    }
    let mut cut: String = text.chars().take(CELL_MAX - 1).collect();
    cut.push('…');
    cut.into()
}
