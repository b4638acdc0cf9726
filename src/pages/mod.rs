//! One route per file, plus the loading state they share.

pub mod article;
pub mod home;
pub mod not_found;
pub mod search;
pub mod section;
