//! The document title of a page: "Headline — Broadsheet".

use leptos::prelude::*;
use leptos_meta::Title;

/// Sets the document title to `text` followed by the site name (unless it starts with it).
///
/// Each page sets its whole title itself. A site-wide `<Title formatter>` would have to be
/// registered before every page's title, and leptos_meta registers titles in the order the
/// browser mounts them, which is not the order they appear in the view.
#[component]
pub fn PageTitle(#[prop(into)] text: String) -> impl IntoView {
    view! { <Title text=document_title(&text) /> }
}

/// `text` as the full title. In the browser it is set as text; when pre-rendering it is
/// written into `<title>` as HTML, which leptos_meta does not escape, so a headline such as
/// `</title><script>` is escaped here.
pub fn document_title(text: &str) -> String {
    let title = if text.starts_with("Broadsheet") {
        text.to_string()
    } else {
        format!("{text} — Broadsheet")
    };
    if cfg!(target_arch = "wasm32") {
        return title;
    }
    title
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}
