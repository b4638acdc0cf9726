use leptos::prelude::*;

use crate::config::use_config;
use crate::messages::Msg;
use crate::model::Section;

/// "Home > {Section}": where the article sits, as a navigation landmark. The last item is
/// marked `aria-current="location"`: the reader is inside that section, not on its front.
#[component]
pub fn Breadcrumb(section: Section) -> impl IntoView {
    let config = use_config();
    view! {
        <nav class="breadcrumb" aria-label=config.t(Msg::Breadcrumb).to_string()>
            <ol>
                <li>
                    <a href=config.href("/")>{config.t(Msg::Home).to_string()}</a>
                </li>
                <li>
                    <a href=config.href(&format!("/{}", section.slug)) aria-current="location">
                        {section.name}
                    </a>
                </li>
            </ol>
        </nav>
    }
}
