pub mod app_bar;
pub mod commitment_card;
pub mod conflict_merge;
pub mod device_transfer;
pub mod field_errors;
pub mod item_fields;
pub mod language_switch;
pub mod sync_status;
