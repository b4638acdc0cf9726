use std::cell::RefCell;
use std::collections::VecDeque;

use wasm_bindgen::JsCast;

use super::ApiError;
use crate::model::json::{self, Decode};
use crate::model::Validate;

/// Parses and checks a JSON answer: malformed JSON and contract breaks become
/// [`ApiError::BadData`] naming the field, never a panic.
pub fn parse_json<T: Decode + Validate>(text: &str) -> Result<T, ApiError> {
    let value: T = json::from_str(text).map_err(ApiError::BadData)?;
    value
        .validate()
        .map_err(|e| ApiError::BadData(e.to_string()))?;
    Ok(value)
}

const CACHE_ENTRIES: usize = 48;
const CACHE_MILLIS: f64 = 5.0 * 60.0 * 1000.0;

thread_local! {
    /// Recently read answers (URL, when, body), so back, forward and revisits are instant.
    static CACHE: RefCell<VecDeque<(String, f64, String)>> = const { RefCell::new(VecDeque::new()) };
}

/// Milliseconds since the epoch: the browser's clock, or 0 when pre-rendering.
fn now() -> f64 {
    #[cfg(target_arch = "wasm32")]
    {
        js_sys::Date::now()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        0.0
    }
}

fn cached(url: &str, now: f64) -> Option<String> {
    #[cfg(not(target_arch = "wasm32"))]
    if let Some(body) = prerender::lookup(url) {
        return Some(body);
    }
    CACHE.with_borrow(|cache| {
        cache
            .iter()
            .find(|(u, at, _)| u == url && now - at < CACHE_MILLIS)
            .map(|(_, _, body)| body.clone())
    })
}

fn remember(url: &str, now: f64, body: String) {
    CACHE.with_borrow_mut(|cache| {
        cache.retain(|(u, _, _)| u != url);
        cache.push_front((url.to_string(), now, body));
        cache.truncate(CACHE_ENTRIES);
    });
}

/// A recent answer for `url`, parsed, if one is cached: lets a page render at once.
pub fn cached_json<T: Decode + Validate>(url: &str) -> Option<Result<T, ApiError>> {
    cached(url, now()).map(|body| parse_json(&body))
}

/// Files an answer the page already carries (a pre-rendered page embeds the JSON it was
/// rendered from), so the app starts with it instead of asking the network again.
pub fn seed_cache(url: &str, body: String) {
    remember(url, now(), body);
}

/// Pre-rendering (natively, in `press`): the content answers come from the build, not the
/// network, and every URL a page reads is recorded so the page can carry those answers.
#[cfg(not(target_arch = "wasm32"))]
pub mod prerender {
    use std::cell::RefCell;

    type Source = Box<dyn Fn(&str) -> Option<String>>;

    thread_local! {
        static SOURCE: RefCell<Option<Source>> = const { RefCell::new(None) };
        static READ: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
    }

    /// Answers every content URL from `source` on this thread from now on.
    pub fn serve_from(source: impl Fn(&str) -> Option<String> + 'static) {
        SOURCE.with_borrow_mut(|s| *s = Some(Box::new(source)));
    }

    /// The URLs read since the last call, in the order they were first read.
    pub fn take_read() -> Vec<String> {
        READ.with_borrow_mut(std::mem::take)
    }

    pub(super) fn lookup(url: &str) -> Option<String> {
        let body = SOURCE.with_borrow(|s| s.as_ref().and_then(|source| source(url)))?;
        READ.with_borrow_mut(|read| {
            if !read.iter().any(|u| u == url) {
                read.push(url.to_string());
            }
        });
        Some(body)
    }
}

/// Forgets every cached answer (tests start from a cold cache; a publisher preview could too).
pub fn clear_cache() {
    CACHE.with_borrow_mut(VecDeque::clear);
}

/// One abortable request slot. A page owns one and aborts it when the reader leaves, so a
/// late answer for a page that is gone never arrives.
pub struct Request {
    controller: Option<web_sys::AbortController>,
}

impl Default for Request {
    fn default() -> Self {
        Self::new()
    }
}

impl Request {
    pub fn new() -> Self {
        Self {
            controller: crate::browser::window().and_then(|_| web_sys::AbortController::new().ok()),
        }
    }

    /// Cancels the request if it is still in flight.
    pub fn abort(&self) {
        if let Some(c) = &self.controller {
            c.abort();
        }
    }

    fn signal(&self) -> Option<web_sys::AbortSignal> {
        self.controller.as_ref().map(|c| c.signal())
    }
}

type Pending = futures::future::Shared<futures::future::LocalBoxFuture<'static, Option<String>>>;

thread_local! {
    /// Answers being read ahead of need (see [`prefetch`]), by URL.
    static PREFETCHING: RefCell<std::collections::HashMap<String, Pending>> =
        RefCell::new(std::collections::HashMap::new());
}

/// Starts reading `url` into the cache when a reader is about to follow a link to it (a
/// pointer over a card, or focus on it), so the page then shows at once. Skipped when the
/// answer is cached or already coming, or the reader asked the browser to save data.
/// Failures are silent: the page itself asks again and reports them.
pub fn prefetch<T: Decode + Validate>(url: &str, timeout_ms: u32) {
    if crate::browser::window().is_none()
        || crate::browser::saves_data()
        || cached(url, now()).is_some()
        || PREFETCHING.with_borrow(|p| p.contains_key(url))
    {
        return;
    }
    use futures::FutureExt;
    let owned = url.to_string();
    let pending: Pending = async move {
        let request = Request::new();
        let body = send(&request, "GET", &owned, &[], timeout_ms).await.ok()?;
        parse_json::<T>(&body).ok()?;
        remember(&owned, now(), body.clone());
        Some(body)
    }
    .boxed_local()
    .shared();
    PREFETCHING.with_borrow_mut(|p| p.insert(url.to_string(), pending.clone()));
    let key = url.to_string();
    leptos::task::spawn_local(async move {
        let _ = pending.await;
        PREFETCHING.with_borrow_mut(|p| p.remove(&key));
    });
}

/// GETs `url` and parses it as `T`, giving up after `timeout_ms`. Answers are cached for a few
/// minutes, so a page the reader returns to shows at once.
pub async fn fetch_json<T: Decode + Validate>(
    request: &Request,
    url: &str,
    timeout_ms: u32,
) -> Result<T, ApiError> {
    let now = now();
    if let Some(body) = cached(url, now) {
        return parse_json(&body);
    }
    // A read ahead already under way (the reader hovered the link): wait for it instead of
    // asking twice; if it failed, ask as usual.
    let ahead = PREFETCHING.with_borrow(|p| p.get(url).cloned());
    if let Some(ahead) = ahead {
        if let Some(body) = ahead.await {
            return parse_json(&body);
        }
    }
    let body = fetch_text(request, url, timeout_ms).await?;
    let value = parse_json(&body);
    if value.is_ok() {
        remember(url, now, body);
    } else if let Err(ApiError::BadData(detail)) = &value {
        leptos::logging::error!("Broadsheet: {url} breaks the content contract: {detail}");
    }
    value
}

async fn fetch_text(request: &Request, url: &str, timeout_ms: u32) -> Result<String, ApiError> {
    if let Some(preloaded) = take_preload(url) {
        let read = async {
            let response = wasm_bindgen_futures::JsFuture::from(preloaded)
                .await
                .map_err(|_| ApiError::Network)?;
            read_body(response).await
        };
        return with_timeout(read, request, timeout_ms).await;
    }
    send(request, "GET", url, &[], timeout_ms).await
}

/// The article request that index.html's inline script started while the app was still
/// downloading, if it was for `url`. Taken once.
fn take_preload(url: &str) -> Option<js_sys::Promise> {
    let window = crate::browser::window()?;
    let key = wasm_bindgen::JsValue::from_str("__broadsheetPreload");
    let preload = js_sys::Reflect::get(&window, &key).ok()?;
    if !preload.is_object() {
        return None;
    }
    let for_url = js_sys::Reflect::get(&preload, &"url".into())
        .ok()?
        .as_string()?;
    if for_url != url {
        return None;
    }
    let _ = js_sys::Reflect::delete_property(&window, &key);
    js_sys::Reflect::get(&preload, &"response".into())
        .ok()?
        .dyn_into()
        .ok()
}

/// Sends one request with the browser's `fetch`, through `request`'s abort signal, and reads
/// the body as text, giving up (and aborting) after `timeout_ms`.
pub(crate) async fn send(
    request: &Request,
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    timeout_ms: u32,
) -> Result<String, ApiError> {
    fetch_with(request, method, url, headers, None, timeout_ms).await
}

/// [`send`] with a text body and no headers of its own: a simple request, which needs no
/// CORS preflight.
pub(crate) async fn send_body(
    request: &Request,
    method: &str,
    url: &str,
    body: Option<&str>,
    timeout_ms: u32,
) -> Result<String, ApiError> {
    fetch_with(request, method, url, &[], body, timeout_ms).await
}

async fn fetch_with(
    request: &Request,
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: Option<&str>,
    timeout_ms: u32,
) -> Result<String, ApiError> {
    let fetch = async {
        let window = crate::browser::window().ok_or(ApiError::Network)?;
        let init = web_sys::RequestInit::new();
        init.set_method(method);
        if let Some(body) = body {
            init.set_body(&body.into());
        }
        if !headers.is_empty() {
            let list = web_sys::Headers::new().map_err(|_| ApiError::Network)?;
            for (name, value) in headers {
                list.set(name, value).map_err(|_| ApiError::Network)?;
            }
            init.set_headers(&list);
        }
        init.set_signal(request.signal().as_ref());
        let response =
            wasm_bindgen_futures::JsFuture::from(window.fetch_with_str_and_init(url, &init))
                .await
                .map_err(|_| ApiError::Network)?;
        read_body(response).await
    };
    with_timeout(fetch, request, timeout_ms).await
}

/// The body of a `Response` as text; a status outside 2xx is the error it stands for.
async fn read_body(response: wasm_bindgen::JsValue) -> Result<String, ApiError> {
    let response: web_sys::Response = response.dyn_into().map_err(|_| ApiError::Network)?;
    let status = response.status();
    if !(200..300).contains(&status) {
        return Err(ApiError::from_status(status));
    }
    let text = response.text().map_err(|_| ApiError::Network)?;
    wasm_bindgen_futures::JsFuture::from(text)
        .await
        .ok()
        .and_then(|text| text.as_string())
        .ok_or(ApiError::Network)
}

async fn with_timeout(
    work: impl std::future::Future<Output = Result<String, ApiError>>,
    request: &Request,
    timeout_ms: u32,
) -> Result<String, ApiError> {
    use futures::future::{select, Either};

    let timer = crate::browser::sleep(timeout_ms);
    futures::pin_mut!(work, timer);
    match select(work, timer).await {
        Either::Left((result, _)) => result,
        Either::Right(((), _)) => {
            request.abort();
            Err(ApiError::TimedOut)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Article, Block, CardList};

    #[test]
    fn malformed_json_is_bad_data_not_a_panic() {
        let err = parse_json::<CardList>("{\"items\": [").unwrap_err();
        assert!(matches!(err, ApiError::BadData(_)), "{err:?}");
    }

    #[test]
    fn a_wrong_type_names_the_field() {
        let err = parse_json::<CardList>(r#"{"items":[{"slug":"a","title":7}]}"#).unwrap_err();
        let ApiError::BadData(detail) = err else {
            panic!("expected bad data")
        };
        assert!(detail.starts_with("items[0].title"), "{detail}");
    }

    #[test]
    fn unknown_blocks_and_fields_are_accepted() {
        let json = include_str!("../../tests/fixtures/api/articles/harbour-lights.json");
        let article: Article = parse_json(json).expect("fixture is valid");
        assert!(article.body.contains(&Block::Unknown));
        assert!(article.body.len() > 5);
    }

    #[test]
    fn a_slug_outside_the_pattern_breaks_the_contract() {
        let err = parse_json::<CardList>(
            r#"{"items":[{"slug":"../x","title":"t","section":{"slug":"news","name":"News"},"published_at":"2025-01-01T00:00:00Z"}]}"#,
        )
        .unwrap_err();
        assert_eq!(
            err,
            ApiError::BadData("items[0].slug: is not a valid slug".into())
        );
    }
}
