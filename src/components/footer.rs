use leptos::prelude::*;

use crate::config::use_config;

/// The site footer: the publication's name and its one sentence about itself.
#[component]
pub fn SiteFooter() -> impl IntoView {
    let config = use_config();
    let description = Some(config.site_description.clone()).filter(|d| !d.is_empty());
    view! {
        <footer class="site-footer">
            <p>
                <a href=config.href("/") class="site-footer__name">{config.site_name.clone()}</a>
            </p>
            {description.map(|d| view! { <p class="site-footer__small">{d}</p> })}
        </footer>
    }
}
