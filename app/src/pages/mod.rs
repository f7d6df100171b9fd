pub mod commitment;
pub mod home;
pub mod not_found;
pub mod review;
pub mod sign_in;
