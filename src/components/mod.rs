//! Reusable pieces of UI, one family per file.

pub mod body;
pub mod breadcrumb;
pub mod card;
pub mod carousel;
pub mod error_panel;
pub mod figure;
pub mod footer;
pub mod head;
pub mod header;
pub mod later;
pub mod marked;
pub mod message;
pub mod picture;
pub mod reaction;
pub mod skeleton;
pub mod story_meta;
pub mod time;
