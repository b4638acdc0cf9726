//! The application shell: configuration, head tags, header, routes and footer.

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::hooks::use_location;
use leptos_router::path;

use crate::components::footer::SiteFooter;
use crate::components::header::SiteHeader;
use crate::config::Config;
use crate::pages::article::ArticlePage;
use crate::pages::home::HomePage;
use crate::pages::not_found::NotFound;
use crate::pages::section::SectionPage;

/// The whole site. Reads its configuration from the page's meta tags unless one is given.
#[component]
pub fn App(#[prop(optional)] config: Option<Config>) -> impl IntoView {
    provide_meta_context();
    let config = config.unwrap_or_else(Config::from_document);
    crate::config::set_base_path(&config.base_path);
    crate::config::set_display(&config.locale, &config.time_zone);
    let base = config.base_path.clone();
    provide_context(config);
    crate::navigation::install();
    view! {
        <Title
            text="Broadsheet"
            formatter=|text: String| {
                let title = if text.starts_with("Broadsheet") { text } else { format!("{text} — Broadsheet") };
                crate::format::document_title(title)
            }
        />
        <Router base=base>
            <SiteHeader />
            <PathTracker />
            <main id="main" tabindex="-1" class="page">
                <Routes fallback=|| view! { <NotFound /> }>
                    <Route path=path!("/") view=HomePage />
                    <Route path=path!("/:section") view=SectionPage />
                    <Route path=path!("/:section/:slug") view=ArticlePage />
                </Routes>
            </main>
            <SiteFooter />
        </Router>
    }
}

/// Keeps the scroll memory filed under the path the router is showing.
#[component]
fn PathTracker() -> impl IntoView {
    let location = use_location();
    Effect::new(move |_| crate::navigation::entered(&location.pathname.get()));
}
