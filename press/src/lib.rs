//! press: Broadsheet's publishing build. Markdown articles in `content/`, a CDN-ready site
//! out: the JSON API, pre-rendered pages, feeds, sitemaps and host configuration.
//! See README.md, "Publishing".

pub mod api;
pub mod build;
pub mod content;
pub mod deploy;
pub mod feeds;
pub mod first_view;
pub mod markdown;
pub mod pictures;
pub mod related;
pub mod render;
pub mod report;
pub mod search;
