use crate::components::head::PageTitle;
use leptos::html::H1;
use leptos::prelude::*;

use crate::api::ApiError;
use crate::config::use_config;
use crate::messages::Msg;
use crate::navigation::use_arrival;

/// The page-level error state: what went wrong in the reader's words, and a Retry button
/// when trying again can help. Bad data is also reported in the console for the publisher.
#[component]
pub fn ErrorPanel(error: ApiError, on_retry: impl Fn() + 'static) -> impl IntoView {
    let heading = NodeRef::<H1>::new();
    use_arrival(heading);
    let kind = match &error {
        ApiError::NotFound => "not-found",
        ApiError::Network => "offline",
        ApiError::TimedOut => "timed-out",
        ApiError::Server(_) | ApiError::Http(_) => "server",
        ApiError::BadData(_) => "bad-data",
    };
    let config = use_config();
    let title = config.t(error.title()).to_string();
    let (text, code) = error.message();
    let message = config.fill(
        text,
        &[("code", &code.map(|c| c.to_string()).unwrap_or_default())],
    );
    view! {
        <PageTitle text=title.clone() />
        <section class="error-panel" role="alert" data-state=kind>
            <h1 tabindex="-1" node_ref=heading>{title}</h1>
            <p>{message}</p>
            <p class="error-panel__actions">
                {error.is_retryable().then(|| view! {
                    <button type="button" class="button" on:click=move |_| on_retry()>{config.t(Msg::Retry).to_string()}</button>
                })}
                <a href=config.href("/") class="error-panel__home">{config.t(Msg::FrontPage).to_string()}</a>
            </p>
        </section>
    }
}
