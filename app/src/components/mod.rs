pub mod app_bar;
pub mod language_switch;
