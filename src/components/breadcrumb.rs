use leptos::prelude::*;

use crate::model::Section;

/// "Home > {Section}": where the article sits, as a navigation landmark with the current
/// section marked.
#[component]
pub fn Breadcrumb(section: Section) -> impl IntoView {
    view! {
        <nav class="breadcrumb" aria-label="Breadcrumb">
            <ol>
                <li>
                    <a href="/">"Home"</a>
                </li>
                <li>
                    <a href=format!("/{}", section.slug) aria-current="page">
                        {section.name}
                    </a>
                </li>
            </ol>
        </nav>
    }
}
