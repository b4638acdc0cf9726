//! Where the reader is: the path (with the base) as a signal. The router (`router.rs`)
//! provides it and moves it; components read it, and never import the router.

use leptos::prelude::*;

/// The path (with the base) the reader is at. Provided by `router::provide_location`.
#[derive(Clone, Copy)]
pub struct Location {
    pub pathname: RwSignal<String>,
    /// The query part (`?q=tides&section=news`), or empty.
    pub search: RwSignal<String>,
}

/// The location the router provides (a fixed root one if there is none).
pub fn use_location() -> Location {
    use_context::<Location>().unwrap_or_else(|| Location {
        pathname: RwSignal::new("/".into()),
        search: RwSignal::new(String::new()),
    })
}
