//! Chengnuo's server: the authority over every commitment. It serves the built
//! client and the JSON API from one process and checks every rule again, with
//! the very same domain code the browser runs.

pub mod admin;
pub mod auth;
pub mod client_address;
pub mod config;
pub mod context;
pub mod dashboard;
pub mod db;
pub mod demo;
pub mod error;
pub mod export;
pub mod openapi;
pub mod operations;
pub mod roster;
pub mod round_results;
pub mod routes;
pub mod security;
pub mod startup;
pub mod static_files;
pub mod store;
