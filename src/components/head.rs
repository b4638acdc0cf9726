//! What a page puts in the document's `<head>`: its title ("Headline — Site") and its
//! `<meta name=...>` tags (description, robots).
//!
//! In the browser these are a few DOM calls: leptos_meta, which does the same with a
//! registry of tags, was 10 KB of the wasm. When pre-rendering (natively), leptos_meta
//! collects them into the page's `<head>`, which press writes.

use leptos::prelude::*;

/// Sets the document title to `text` written by the site's title pattern (the site's name
/// alone, for the front page, as it is).
///
/// Each page sets its whole title itself, when it is built. When the page goes (the reader
/// moved on and the next page is loading), the title falls back to the site name.
#[component]
pub fn PageTitle(
    /// The page's own title, e.g. the headline.
    #[prop(into)]
    text: String,
) -> impl IntoView {
    let config = crate::config::use_config();
    title(
        document_title(&config.title(&text)),
        config.site_name.clone(),
    )
}

/// A `<meta name=name content=content>` in the document's head while the page is shown.
#[component]
pub fn PageMeta(
    /// The meta tag's name: "description" or "robots".
    name: &'static str,
    /// Its content, as text.
    #[prop(into)]
    content: String,
) -> impl IntoView {
    meta(name, content)
}

#[cfg(target_arch = "wasm32")]
fn title(text: String, site_name: String) {
    let Some(document) = crate::browser::window().and_then(|w| w.document()) else {
        return;
    };
    document.set_title(&text);
    let document = send_wrapper::SendWrapper::new(document);
    on_cleanup(move || {
        // Unless a newer page has set its own already.
        if document.title() == text {
            document.set_title(&site_name);
        }
    });
}

#[cfg(target_arch = "wasm32")]
fn meta(name: &'static str, content: String) {
    // The tag is this page's own: it is removed with the page, and a page that replaces
    // this one adds its own, so the two never fight over one element.
    let tag = crate::browser::window()
        .and_then(|w| w.document())
        .and_then(|document| {
            let tag = document.create_element("meta").ok()?;
            tag.set_attribute("name", name).ok()?;
            tag.set_attribute("content", &content).ok()?;
            document.head()?.append_child(&tag).ok()?;
            Some(send_wrapper::SendWrapper::new(tag))
        });
    on_cleanup(move || {
        if let Some(tag) = tag {
            tag.remove();
        }
    });
}

#[cfg(not(target_arch = "wasm32"))]
fn title(text: String, _site_name: String) -> impl IntoView {
    view! { <leptos_meta::Title text=text /> }
}

#[cfg(not(target_arch = "wasm32"))]
fn meta(name: &'static str, content: String) -> impl IntoView {
    view! { <leptos_meta::Meta name=name content=content /> }
}

/// `title` as the document's title. In the browser it is set as text; when pre-rendering it
/// is written into `<title>` as HTML, which leptos_meta does not escape, so a headline such
/// as `</title><script>` is escaped here.
pub fn document_title(title: &str) -> String {
    let title = title.to_string();
    if cfg!(target_arch = "wasm32") {
        return title;
    }
    title
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}
