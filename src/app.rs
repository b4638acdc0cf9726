//! The application shell: configuration, head tags, header, routes and footer.

use leptos::prelude::*;

use crate::components::footer::SiteFooter;
use crate::components::header::SiteHeader;
use crate::config::Config;
use crate::pages::article::ArticlePage;
use crate::pages::home::HomePage;
use crate::pages::not_found::NotFound;
use crate::pages::search::SearchPage;
use crate::pages::section::SectionPage;
use crate::router::{provide_location, Route};

/// The whole site. Reads its configuration from the page's meta tags unless one is given.
#[component]
pub fn App(#[prop(optional)] config: Option<Config>) -> impl IntoView {
    // Pre-rendering collects the pages' head tags with leptos_meta; the browser sets them
    // directly (components/head.rs).
    #[cfg(not(target_arch = "wasm32"))]
    leptos_meta::provide_meta_context();
    let config = config.unwrap_or_else(Config::from_document);
    let base = config.base_path.clone();
    provide_context(std::sync::Arc::new(config));
    crate::navigation::install();
    let location = provide_location();
    Effect::new(move |_| crate::navigation::entered(&location.pathname.get()));
    let route = Memo::new(move |_| Route::from_path(&location.pathname.get(), &base));
    view! {
        <SiteHeader />
        <main id="main" tabindex="-1" class="page">
            {move || match route.get() {
                Route::Home => view! { <HomePage /> }.into_any(),
                Route::Section(slug) => view! { <SectionPage slug=slug /> }.into_any(),
                Route::Article { section, slug } => {
                    view! { <ArticlePage section=section slug=slug /> }.into_any()
                }
                Route::Search => view! { <SearchPage /> }.into_any(),
                Route::NotFound => view! { <NotFound /> }.into_any(),
            }}
        </main>
        <SiteFooter />
    }
}
