//! Search: what the reader asked for (`query.rs`, kept in the address), the words to mark in
//! results (`marks.rs`), corrections of mistyped words (`typo.rs`), and the index press built
//! with Pagefind (`index.rs`, loaded only when a search starts). The page is
//! `pages/search.rs`.

pub mod index;
pub mod marks;
pub mod query;
pub mod typo;
