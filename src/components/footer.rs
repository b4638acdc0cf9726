use leptos::prelude::*;

use crate::config::site;

/// The site footer.
#[component]
pub fn SiteFooter() -> impl IntoView {
    view! {
        <footer class="site-footer">
            <p>
                <a href=site("/") class="site-footer__name">"Broadsheet"</a>
                " — independent news, fast and readable."
            </p>
            <p class="site-footer__small">"Sample content: every story here is fictional."</p>
        </footer>
    }
}
