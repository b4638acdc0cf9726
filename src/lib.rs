//! Broadsheet: a fast, accessible news front end. See README.md for the manual and
//! `../shared/api.md` for the content contract this app reads.

pub mod api;
pub mod app;
pub mod browser;
pub mod components;
pub mod config;
pub mod format;
pub mod links;
pub mod load;
pub mod location;
pub mod messages;
pub mod model;
pub mod navigation;
pub mod pages;
pub mod pictures;
pub mod router;
pub mod search;
pub mod takeover;

pub use app::App;
