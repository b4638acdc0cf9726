use leptos::prelude::*;

use crate::search::marks::Part;

/// Text with some of its words marked (`<mark>`), as a search result shows what matched.
/// Every part is text: nothing of it is ever read as HTML.
#[component]
pub fn Marked(
    /// The text in order, each part marked or not (`search::marks`).
    parts: Vec<Part>,
) -> impl IntoView {
    parts
        .into_iter()
        .map(|(text, marked)| {
            if marked {
                view! { <mark>{text}</mark> }.into_any()
            } else {
                text.into_any()
            }
        })
        .collect_view()
}
