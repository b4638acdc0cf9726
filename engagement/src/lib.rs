//! Broadsheet's engagement service: live "veryGood!" reactions, read counts and the most-read
//! ranking, on SQLite by default, behind one storage trait.

pub mod buffer;
pub mod config;
pub mod manifest;
pub mod service;
pub mod store;
pub mod visitors;
