use leptos::prelude::*;

use crate::config::site;
use crate::model::Section;

/// "Home > {Section}": where the article sits, as a navigation landmark. The last item is
/// marked `aria-current="location"`: the reader is inside that section, not on its front.
#[component]
pub fn Breadcrumb(section: Section) -> impl IntoView {
    view! {
        <nav class="breadcrumb" aria-label="Breadcrumb">
            <ol>
                <li>
                    <a href=site("/")>"Home"</a>
                </li>
                <li>
                    <a href=site(&format!("/{}", section.slug)) aria-current="location">
                        {section.name}
                    </a>
                </li>
            </ol>
        </nav>
    }
}
