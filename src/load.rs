//! Loading a page's content as a named state. Each load owns an abortable request that is
//! cancelled when the page goes away, and a stale answer can never overwrite a newer one.

use std::rc::Rc;

use leptos::prelude::*;

use crate::api::{cached_json, fetch_json, ApiError, Endpoint, Request};
use crate::model::json::Decode;
use crate::model::Validate;

/// Where a page's content is.
#[derive(Debug, Clone, PartialEq)]
pub enum Load<T> {
    Loading,
    Ready(T),
    Failed(ApiError),
}

/// A load in progress or done: its state, and a way to try again.
#[derive(Debug)]
pub struct Loader<T: Send + Sync + 'static> {
    pub state: ReadSignal<Load<T>>,
    retry: StoredValue<Option<Rc<dyn Fn()>>, LocalStorage>,
}

impl<T: Send + Sync + 'static> Clone for Loader<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T: Send + Sync + 'static> Copy for Loader<T> {}

impl<T: Send + Sync + 'static> Loader<T> {
    /// Starts the request again (the Retry button).
    pub fn retry(&self) {
        if let Some(Some(retry)) = self.retry.try_get_value() {
            retry();
        }
    }
}

/// Loads `endpoint` for the current component. Answers already in the cache are ready at
/// once, so back and forward never show a skeleton.
pub fn load<T>(endpoint: Endpoint) -> Loader<T>
where
    T: Decode + Validate + Clone + Send + Sync + 'static,
{
    let config = crate::config::use_config();
    let (state, set_state) = signal(Load::Loading);
    let in_flight: StoredValue<Option<Rc<Request>>, LocalStorage> = StoredValue::new_local(None);
    let generation = StoredValue::new(0_u64);

    let base = match endpoint {
        Endpoint::MostRead => config.reactions_url.as_deref().unwrap_or_default(),
        _ => config.api_base.as_str(),
    };
    let Some(url) = endpoint.url(base) else {
        set_state.set(Load::Failed(ApiError::NotFound));
        return Loader {
            state,
            retry: StoredValue::new_local(None),
        };
    };
    if let Some(result) = cached_json::<T>(&url) {
        set_state.set(result.map_or_else(Load::Failed, Load::Ready));
    }

    let start = move || {
        if let Some(Some(old)) = in_flight.try_get_value() {
            old.abort();
        }
        let request = Rc::new(Request::new());
        in_flight.set_value(Some(Rc::clone(&request)));
        generation.update_value(|g| *g += 1);
        let this_generation = generation.get_value();
        set_state.set(Load::Loading);
        let url = url.clone();
        let timeout = config.timeout_ms;
        leptos::task::spawn_local(async move {
            let result = fetch_json::<T>(&request, &url, timeout).await;
            if generation.try_get_value() == Some(this_generation) {
                set_state.try_set(result.map_or_else(Load::Failed, Load::Ready));
            }
        });
    };
    // Pre-rendering has no network: what is not in the build's answers stays loading.
    if state.with_untracked(|s| matches!(s, Load::Loading)) && crate::browser::window().is_some() {
        start();
    }
    on_cleanup(move || {
        generation.try_update_value(|g| *g += 1);
        if let Some(Some(request)) = in_flight.try_get_value() {
            request.abort();
        }
    });
    Loader {
        state,
        retry: StoredValue::new_local(Some(Rc::new(start))),
    }
}
