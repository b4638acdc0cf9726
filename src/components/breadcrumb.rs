use leptos::prelude::*;

use crate::config::site;
use crate::model::Section;

/// "Home > {Section}": where the article sits, as a navigation landmark with the current
/// section marked.
#[component]
pub fn Breadcrumb(section: Section) -> impl IntoView {
    view! {
        <nav class="breadcrumb" aria-label="Breadcrumb">
            <ol>
                <li>
                    <a href=site("/")>"Home"</a>
                </li>
                <li>
                    <a href=site(&format!("/{}", section.slug)) aria-current="page">
                        {section.name}
                    </a>
                </li>
            </ol>
        </nav>
    }
}
