use leptos::prelude::*;

use crate::config::{site, Config};

/// The site footer: the publication's name and its one sentence about itself.
#[component]
pub fn SiteFooter() -> impl IntoView {
    let config = use_context::<Config>().unwrap_or_default();
    let description = Some(config.site_description).filter(|d| !d.is_empty());
    view! {
        <footer class="site-footer">
            <p>
                <a href=site("/") class="site-footer__name">{config.site_name}</a>
            </p>
            {description.map(|d| view! { <p class="site-footer__small">{d}</p> })}
        </footer>
    }
}
