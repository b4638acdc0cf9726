//! The HTTP service: routes, the reader's identity, counting reads once, rate limits, CORS,
//! and the background work (buffered reads, pruning, the manifest).

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::{ConnectInfo, Path, Query, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::Router;
use serde_json::json;

use crate::buffer::ReadBuffer;
use crate::config::Settings;
use crate::manifest;
use crate::store::{Reaction, Read, ReaderData, ReaderKey, Store, StoreError};
use crate::visitors;

/// The most article ids one batch request may ask about.
pub const MOST_IDS: usize = 100;

/// The time, in milliseconds since 1970. Tests move it through `ENGAGEMENT_CLOCK_FILE`.
#[derive(Clone)]
pub struct Clock(Option<std::path::PathBuf>);

impl Clock {
    pub fn from_env() -> Self {
        Clock(std::env::var_os("ENGAGEMENT_CLOCK_FILE").map(Into::into))
    }

    pub fn now_ms(&self) -> i64 {
        if let Some(file) = &self.0 {
            if let Some(ms) = std::fs::read_to_string(file)
                .ok()
                .and_then(|t| t.trim().parse().ok())
            {
                return ms;
            }
        }
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as i64)
    }
}

#[derive(Default)]
pub struct Metrics {
    pub requests: Mutex<HashMap<(&'static str, u16), u64>>,
    pub reactions: AtomicU64,
    pub reads_counted: AtomicU64,
    pub reads_skipped_robot: AtomicU64,
    pub reads_skipped_prefetch: AtomicU64,
    pub reads_skipped_cap: AtomicU64,
    pub reads_dropped: AtomicU64,
    pub limited: AtomicU64,
    pub store_errors: AtomicU64,
}

impl Metrics {
    /// One more request answered `status` on `route`.
    fn count(&self, route: &'static str, status: StatusCode) {
        if let Ok(mut requests) = self.requests.lock() {
            *requests.entry((route, status.as_u16())).or_insert(0) += 1;
        }
    }
}

/// Reads counted today per (address group, article), with the day they are for.
type GroupReads = (i64, HashMap<([u8; 16], String), u32>);

struct Bucket {
    tokens: f64,
    at: Instant,
}

pub struct Service {
    pub store: Arc<dyn Store>,
    pub manifest: manifest::Live,
    pub settings: Settings,
    pub clock: Clock,
    pub metrics: Metrics,
    /// The reader secret, read from the store on first need (the database may be down at
    /// start).
    secret: tokio::sync::OnceCell<[u8; 32]>,
    salt: Mutex<(i64, [u8; 32])>,
    buffer: Mutex<ReadBuffer>,
    /// One flush at a time (each starts by taking the whole buffer).
    flushing: tokio::sync::Mutex<()>,
    /// Held while a batch of reads is written, and by forget-me while it drops the reader's
    /// reads: no read of a forgotten reader is written after forget-me deletes theirs.
    writing: tokio::sync::Mutex<()>,
    groups: Mutex<GroupReads>,
    buckets: Mutex<HashMap<Vec<u8>, Bucket>>,
    /// When full buckets were last forgotten (at most once a second).
    swept: Mutex<Instant>,
    most_read: Mutex<Option<(Instant, serde_json::Value)>>,
    /// One request per replica makes the ranking; the others wait for it, holding nothing.
    ranking: tokio::sync::Mutex<()>,
    /// Whether `/readyz` last answered ready (its changes are logged, with the reason).
    ready: std::sync::atomic::AtomicBool,
}

const DAY_MS: i64 = 86_400_000;
const HOUR_MS: i64 = 3_600_000;

impl Service {
    /// The service; it needs nothing of the database until the first request.
    pub fn new(
        store: Arc<dyn Store>,
        manifest: manifest::Live,
        settings: Settings,
        clock: Clock,
    ) -> Arc<Self> {
        let day = clock.now_ms().div_euclid(DAY_MS);
        let bound = settings.read_buffer;
        Arc::new(Self {
            store,
            manifest,
            settings,
            clock,
            metrics: Metrics::default(),
            secret: tokio::sync::OnceCell::new(),
            salt: Mutex::new((i64::MIN, [0; 32])),
            buffer: Mutex::new(ReadBuffer::new(bound)),
            flushing: tokio::sync::Mutex::new(()),
            writing: tokio::sync::Mutex::new(()),
            groups: Mutex::new((day, HashMap::new())),
            buckets: Mutex::new(HashMap::new()),
            swept: Mutex::new(Instant::now()),
            most_read: Mutex::new(None),
            ranking: tokio::sync::Mutex::new(()),
            ready: std::sync::atomic::AtomicBool::new(false),
        })
    }

    async fn secret(&self) -> Result<[u8; 32], StoreError> {
        self.secret
            .get_or_try_init(|| self.store.secret())
            .await
            .copied()
    }

    /// The stored form of a reader id.
    async fn reader_key(&self, id: &str) -> Result<ReaderKey, StoreError> {
        Ok(visitors::reader_key(&self.secret().await?, id))
    }

    /// Today's salt (made when the day turns; the store deletes those older than yesterday).
    async fn salt(&self, day: i64) -> Result<[u8; 32], StoreError> {
        let known = self.salt.lock().map(|s| *s).unwrap_or((i64::MIN, [0; 32]));
        if known.0 == day {
            return Ok(known.1);
        }
        let salt = self.store.salt(day).await?;
        if let Ok(mut s) = self.salt.lock() {
            *s = (day, salt);
        }
        Ok(salt)
    }

    /// Writes the buffered reads, in the store's batches; returns how many counted. A batch
    /// that fails goes back to the buffer with those after it (as many as fit); those before
    /// it stay written.
    pub async fn flush(&self) -> Result<usize, StoreError> {
        let _one = self.flushing.lock().await;
        let reads = self.buffer.lock().map(|mut b| b.take()).unwrap_or_default();
        let size = self.store.read_batch().max(1);
        let mut counted = 0;
        for (i, batch) in reads.chunks(size).enumerate() {
            let _writing = self.writing.lock().await;
            let batch = match self.buffer.lock() {
                Ok(b) => b.still_wanted(batch),
                Err(_) => batch.to_vec(),
            };
            if batch.is_empty() {
                continue;
            }
            match self.store.add_reads(batch).await {
                Ok(n) => {
                    self.metrics
                        .reads_counted
                        .fetch_add(n as u64, Ordering::Relaxed);
                    counted += n;
                }
                Err(e) => {
                    let dropped = self
                        .buffer
                        .lock()
                        .map(|mut b| b.put_back(&reads[i * size..]))
                        .unwrap_or(0);
                    self.metrics
                        .reads_dropped
                        .fetch_add(dropped as u64, Ordering::Relaxed);
                    self.metrics.store_errors.fetch_add(1, Ordering::Relaxed);
                    return Err(e);
                }
            }
        }
        Ok(counted)
    }

    pub fn buffered(&self) -> usize {
        self.buffer.lock().map(|b| b.len()).unwrap_or(0)
    }

    /// Deletes everything `reader` gave. A batch being written is waited for (then deleted
    /// with the rest); the reader's reads still in memory, or in a flush's hands, are dropped.
    pub async fn forget(&self, reader: ReaderKey) -> Result<ReaderData, StoreError> {
        {
            let _writing = self.writing.lock().await;
            if let Ok(mut buffer) = self.buffer.lock() {
                buffer.forget(reader);
            }
        }
        self.store.forget(reader).await
    }

    /// Deletes what the retention settings no longer keep, in chunks.
    pub async fn prune(&self) -> Result<(), StoreError> {
        let now = self.clock.now_ms();
        let hour = now.div_euclid(HOUR_MS) - self.settings.retention_hours;
        let day = now.div_euclid(DAY_MS) - 1;
        while self
            .store
            .prune(hour, day, self.settings.prune_chunk)
            .await?
        {}
        Ok(())
    }

    /// The most-read list kept from the last `most_read_refresh_ms`, if any.
    fn ranking_kept(&self) -> Option<serde_json::Value> {
        let refresh = Duration::from_millis(self.settings.most_read_refresh_ms);
        let kept = self.most_read.lock().ok().and_then(|m| m.clone())?;
        (kept.0.elapsed() < refresh).then_some(kept.1)
    }

    /// The most read stories as a `CardList`, made by one request at a time: the others wait
    /// for it (with no database connection) and answer what it made.
    pub async fn ranking(&self) -> Result<serde_json::Value, StoreError> {
        if let Some(body) = self.ranking_kept() {
            return Ok(body);
        }
        let _one = self.ranking.lock().await;
        if let Some(body) = self.ranking_kept() {
            return Ok(body);
        }
        let now = self.clock.now_ms();
        let since = now.div_euclid(HOUR_MS) - self.settings.most_read_hours + 1;
        let size = self.settings.most_read_size;
        let rows = self.store.most_read(since, size * 2).await?;
        let manifest = self.manifest.get();
        let items: Vec<serde_json::Value> = rows
            .into_iter()
            .filter_map(|(id, _)| manifest.cards.get(&id).cloned())
            .take(size)
            .collect();
        let mut body = json!({ "items": items });
        if let Some(title) = &manifest.most_read_title {
            body["title"] = json!(title);
        }
        if let Ok(mut m) = self.most_read.lock() {
            *m = Some((Instant::now(), body.clone()));
        }
        Ok(body)
    }

    /// Notes whether the service is ready, logging only the changes (with the reason, which
    /// `/readyz` does not tell the public).
    fn readiness(&self, reason: Option<&str>) {
        let ready = reason.is_none();
        if self.ready.swap(ready, Ordering::Relaxed) != ready {
            match reason {
                None => tracing::info!("ready"),
                Some(reason) => tracing::warn!(%reason, "not ready"),
            }
        }
    }

    /// Takes a token from the bucket of this address group; false when it is empty.
    fn allow(&self, ip: IpAddr) -> bool {
        let Ok(mut buckets) = self.buckets.lock() else {
            return true;
        };
        let now = Instant::now();
        if buckets.len() > 100_000
            && self.swept.lock().is_ok_and(|mut at| {
                let due = at.elapsed() >= Duration::from_secs(1);
                if due {
                    *at = now;
                }
                due
            })
        {
            // Forget full buckets, the ones nobody is draining.
            let burst = self.settings.rate_burst;
            let rate = self.settings.rate_per_second;
            buckets.retain(|_, b| b.tokens + now.duration_since(b.at).as_secs_f64() * rate < burst);
        }
        let bucket = buckets.entry(visitors::ip_group(ip)).or_insert(Bucket {
            tokens: self.settings.rate_burst,
            at: now,
        });
        let refill = now.duration_since(bucket.at).as_secs_f64() * self.settings.rate_per_second;
        bucket.tokens = (bucket.tokens + refill).min(self.settings.rate_burst);
        bucket.at = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            true
        } else {
            false
        }
    }

    /// The client's address: the peer, or, behind a trusted proxy, the right-most address of
    /// `X-Forwarded-For` that is not one of the trusted proxies.
    fn client(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        client_address(peer, headers, &self.settings.trusted_proxies)
    }
}

/// The client's address: the peer, or, behind a trusted proxy, the right-most address of
/// `X-Forwarded-For` that is not one of the trusted proxies.
pub fn client_address(peer: IpAddr, headers: &HeaderMap, trusted: &[IpAddr]) -> IpAddr {
    let is_trusted = |ip: &IpAddr| trusted.contains(&ip.to_canonical());
    let peer = peer.to_canonical();
    if !is_trusted(&peer) {
        return peer;
    }
    let hops: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect();
    // From the right: the first hop a trusted proxy did not add is the client. A hop that
    // is not a plain address (`ip:port`, `unknown`) ends the walk there: whatever is to
    // its left was written by the client and proves nothing.
    let mut client = peer;
    for hop in hops.into_iter().rev() {
        let Ok(ip) = hop.parse::<IpAddr>().map(|ip| ip.to_canonical()) else {
            break;
        };
        client = ip;
        if !is_trusted(&ip) {
            break;
        }
    }
    client
}

/// An answer with a JSON body.
fn answer(status: StatusCode, body: serde_json::Value, cache: &'static str) -> Response {
    let mut r = (status, axum::Json(body)).into_response();
    let headers = r.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    // One URL answers differently with and without a reader id: a cache must keep them apart
    // (without this a browser served a reader's reload the anonymous answer it kept).
    headers.append(header::VARY, HeaderValue::from_static("x-reader-id"));
    r
}

/// A refusal with its reason, never cached.
fn refuse(status: StatusCode, error: &str) -> Response {
    answer(status, json!({ "error": error }), "no-store")
}

fn store_failed(e: StoreError) -> Response {
    match e {
        StoreError::DailyCap => {
            let mut r = refuse(
                StatusCode::TOO_MANY_REQUESTS,
                "daily reaction limit reached",
            );
            r.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("3600"));
            r
        }
        StoreError::Busy => retry_soon(refuse(StatusCode::SERVICE_UNAVAILABLE, "busy, try again")),
        // Logged by the store when the database goes and comes back, not once per request.
        StoreError::Unavailable(_) => retry_soon(refuse(
            StatusCode::SERVICE_UNAVAILABLE,
            "storage unavailable",
        )),
        StoreError::Database(e) => {
            tracing::error!(error = %e, "database");
            retry_soon(refuse(
                StatusCode::SERVICE_UNAVAILABLE,
                "storage unavailable",
            ))
        }
    }
}

fn retry_soon(mut r: Response) -> Response {
    r.headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
    r
}

/// An article id as the contract allows: 1 to 128 letters, digits, `-` and `_`.
pub fn is_valid_article_id(id: &str) -> bool {
    (1..=128).contains(&id.len())
        && id
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_')
}

/// Checks the id and that the article exists.
fn known(service: &Service, id: &str) -> Result<(), Refusal> {
    if !is_valid_article_id(id) {
        return Err(Refusal(StatusCode::BAD_REQUEST, "bad article id"));
    }
    if !service.manifest.get().knows(id) {
        return Err(Refusal(StatusCode::NOT_FOUND, "unknown article"));
    }
    Ok(())
}

/// A request refused, with its reason.
struct Refusal(StatusCode, &'static str);

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        refuse(self.0, self.1)
    }
}

/// The reader id of the request: absent, or valid, or a refusal.
fn reader_id(headers: &HeaderMap) -> Result<Option<&str>, Refusal> {
    match headers.get("x-reader-id") {
        None => Ok(None),
        Some(v) => match v.to_str() {
            Ok(id) if visitors::is_valid_reader_id(id) => Ok(Some(id)),
            _ => Err(Refusal(StatusCode::BAD_REQUEST, "bad reader id")),
        },
    }
}

/// The request's reader as stored: `None` without an id; a refusal for a malformed id, or
/// when the secret cannot be read.
async fn reader_of(service: &Service, headers: &HeaderMap) -> Result<Option<ReaderKey>, Response> {
    match reader_id(headers) {
        Ok(Some(id)) => service.reader_key(id).await.map(Some).map_err(store_failed),
        Ok(None) => Ok(None),
        Err(r) => Err(r.into_response()),
    }
}

fn reaction_body(counts: crate::store::Reacted) -> serde_json::Value {
    json!({
        "counts": { "very_good": counts.counts.very_good },
        "views": counts.counts.views,
        "mine": if counts.mine { vec!["very_good"] } else { vec![] },
    })
}

async fn get_reactions(
    State(service): State<Arc<Service>>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    if let Err(r) = known(&service, &id) {
        return r.into_response();
    }
    let reader = match reader_of(&service, &headers).await {
        Ok(reader) => reader,
        Err(r) => return r,
    };
    match service.store.counts(id, reader).await {
        Ok(c) => answer(
            StatusCode::OK,
            reaction_body(c),
            if reader.is_some() {
                "private, no-store"
            } else {
                "public, max-age=5"
            },
        ),
        Err(e) => store_failed(e),
    }
}

async fn change_reaction(
    service: Arc<Service>,
    id: String,
    headers: HeaderMap,
    add: bool,
) -> Response {
    if let Err(r) = known(&service, &id) {
        return r.into_response();
    }
    let reader = match reader_of(&service, &headers).await {
        Ok(Some(key)) => key,
        Ok(None) => return refuse(StatusCode::BAD_REQUEST, "a reaction needs X-Reader-Id"),
        Err(r) => return r,
    };
    let reaction = Reaction {
        article: id,
        reader,
        add,
        day: service.clock.now_ms().div_euclid(DAY_MS),
        daily_cap: service.settings.reactions_per_day,
    };
    match service.store.react(reaction).await {
        Ok(c) => {
            service.metrics.reactions.fetch_add(1, Ordering::Relaxed);
            answer(StatusCode::OK, reaction_body(c), "private, no-store")
        }
        Err(e) => store_failed(e),
    }
}

async fn put_reaction(
    State(service): State<Arc<Service>>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    change_reaction(service, id, headers, true).await
}

async fn delete_reaction(
    State(service): State<Arc<Service>>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    change_reaction(service, id, headers, false).await
}

/// Counts one read, unless it is a robot, a prefetch, or this visitor read it today. Always
/// 204 for a known article: a robot learns nothing from the answer.
async fn post_view(
    State(service): State<Arc<Service>>,
    Path(id): Path<String>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Err(r) = known(&service, &id) {
        return r.into_response();
    }
    let no_content = || {
        let mut r = StatusCode::NO_CONTENT.into_response();
        r.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        r
    };
    // The reader id comes as a header (a request that may be preflighted) or as the whole
    // text body (a simple request, no preflight).
    let from_body = std::str::from_utf8(&body)
        .ok()
        .map(str::trim)
        .filter(|b| !b.is_empty());
    let reader = match (reader_id(&headers), from_body) {
        (Err(r), _) => return r.into_response(),
        (Ok(Some(id)), _) => Some(id.to_string()),
        (Ok(None), Some(id)) if visitors::is_valid_reader_id(id) => Some(id.to_string()),
        (Ok(None), Some(_)) => return refuse(StatusCode::BAD_REQUEST, "bad reader id"),
        (Ok(None), None) => None,
    };
    if visitors::is_speculative(&headers) {
        service
            .metrics
            .reads_skipped_prefetch
            .fetch_add(1, Ordering::Relaxed);
        return no_content();
    }
    let agent = headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if visitors::is_robot(agent) {
        service
            .metrics
            .reads_skipped_robot
            .fetch_add(1, Ordering::Relaxed);
        return no_content();
    }
    let now = service.clock.now_ms();
    let (day, hour) = (now.div_euclid(DAY_MS), now.div_euclid(HOUR_MS));
    let salt = match service.salt(day).await {
        Ok(s) => s,
        Err(e) => return store_failed(e),
    };
    // Before the cap: a read refused for want of the secret does not spend it.
    let secret = match service.secret().await {
        Ok(s) => s,
        Err(e) => return store_failed(e),
    };
    let ip = service.client(peer.ip(), &headers);
    // At most so many counted reads of one article from one address group a day: a robot
    // minting fresh ids or agents cannot inflate a story.
    {
        let group = visitors::group_key(&salt, ip);
        let Ok(mut groups) = service.groups.lock() else {
            return no_content();
        };
        if groups.0 != day {
            *groups = (day, HashMap::new());
        }
        let n = groups.1.entry((group, id.clone())).or_insert(0);
        if *n >= service.settings.reads_per_group {
            service
                .metrics
                .reads_skipped_cap
                .fetch_add(1, Ordering::Relaxed);
            return no_content();
        }
        *n += 1;
    }
    let visitor = visitors::visitor(&secret, &salt, reader.as_deref(), ip, agent);
    let read = Read {
        seen: visitors::seen_key(&salt, &visitor, &id),
        reader: reader.as_deref().map(|r| visitors::reader_key(&secret, r)),
        article: id,
        day,
        hour,
    };
    if !service.buffer.lock().is_ok_and(|mut b| b.push(read)) {
        service
            .metrics
            .reads_dropped
            .fetch_add(1, Ordering::Relaxed);
    }
    no_content()
}

#[derive(serde::Deserialize)]
struct Ids {
    ids: Option<String>,
}

fn ids_of(service: &Service, query: &Ids) -> Result<Vec<String>, Refusal> {
    let ids: Vec<String> = query
        .ids
        .as_deref()
        .unwrap_or_default()
        .split(',')
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect();
    if ids.is_empty() {
        return Err(Refusal(StatusCode::BAD_REQUEST, "ids=a,b,c is needed"));
    }
    if ids.len() > MOST_IDS {
        return Err(Refusal(StatusCode::BAD_REQUEST, "at most 100 ids"));
    }
    if ids.iter().any(|id| !is_valid_article_id(id)) {
        return Err(Refusal(StatusCode::BAD_REQUEST, "bad article id"));
    }
    let manifest = service.manifest.get();
    let mut ids: Vec<String> = ids.into_iter().filter(|id| manifest.knows(id)).collect();
    ids.sort();
    ids.dedup();
    Ok(ids)
}

/// Counts of many articles, for cards: no reader header, so a simple request a CDN may keep
/// for a few seconds. Unknown ids are left out.
async fn get_counts(State(service): State<Arc<Service>>, Query(query): Query<Ids>) -> Response {
    let ids = match ids_of(&service, &query) {
        Ok(ids) => ids,
        Err(r) => return r.into_response(),
    };
    match service.store.batch(ids.clone()).await {
        Ok(counts) => {
            let map: serde_json::Map<String, serde_json::Value> = ids
                .into_iter()
                .zip(counts)
                .map(|(id, c)| (id, json!({ "very_good": c.very_good, "views": c.views })))
                .collect();
            answer(
                StatusCode::OK,
                json!({ "counts": map }),
                "public, max-age=10",
            )
        }
        Err(e) => store_failed(e),
    }
}

/// This reader's own reactions among many articles.
async fn get_mine(
    State(service): State<Arc<Service>>,
    Query(query): Query<Ids>,
    headers: HeaderMap,
) -> Response {
    let reader = match reader_of(&service, &headers).await {
        Ok(Some(key)) => key,
        Ok(None) => return refuse(StatusCode::BAD_REQUEST, "X-Reader-Id is needed"),
        Err(r) => return r,
    };
    let ids = match ids_of(&service, &query) {
        Ok(ids) => ids,
        Err(r) => return r.into_response(),
    };
    match service.store.mine(reader, ids.clone()).await {
        Ok(mine) => {
            let map: serde_json::Map<String, serde_json::Value> = ids
                .into_iter()
                .zip(mine)
                .filter(|(_, m)| *m)
                .map(|(id, _)| (id, json!(["very_good"])))
                .collect();
            answer(StatusCode::OK, json!({ "mine": map }), "private, no-store")
        }
        Err(e) => store_failed(e),
    }
}

/// The most read stories of the last `most_read_hours`, as the contract's `CardList`,
/// computed at most once a `most_read_refresh_ms` (a minute).
async fn get_most_read(State(service): State<Arc<Service>>) -> Response {
    match service.ranking().await {
        Ok(body) => answer(StatusCode::OK, body, "public, max-age=60"),
        Err(e) => store_failed(e),
    }
}

/// Everything this reader id gave (GET), or all of it deleted with the counters corrected
/// (DELETE).
async fn reader_data(
    State(service): State<Arc<Service>>,
    method: Method,
    headers: HeaderMap,
) -> Response {
    let reader = match reader_of(&service, &headers).await {
        Ok(Some(key)) => key,
        Ok(None) => return refuse(StatusCode::BAD_REQUEST, "X-Reader-Id is needed"),
        Err(r) => return r,
    };
    let result = if method == Method::DELETE {
        service.forget(reader).await
    } else {
        service.store.export(reader).await
    };
    match result {
        Ok(data) => answer(
            StatusCode::OK,
            json!({
                "reactions": data.reactions.iter().map(|(a, k, d)| json!({ "article": a, "kind": k, "day": day_text(*d) })).collect::<Vec<_>>(),
                "reads": data.reads.iter().map(|(a, d)| json!({ "article": a, "day": day_text(*d) })).collect::<Vec<_>>(),
                "deleted": method == Method::DELETE,
            }),
            "private, no-store",
        ),
        Err(e) => store_failed(e),
    }
}

/// A day number as `YYYY-MM-DD`.
fn day_text(day: i64) -> String {
    // Civil from days (Howard Hinnant's algorithm).
    let z = day + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

async fn healthz() -> &'static str {
    "ok\n"
}

/// Ready or not, with a reason for the public that tells nothing of the database (the log
/// has the detail).
async fn readyz(State(service): State<Arc<Service>>) -> Response {
    let (status, said) = match service.store.ready().await {
        Ok(()) if service.manifest.get().cards.is_empty() => {
            let said = "no articles in the manifest";
            service.readiness(Some(said));
            (StatusCode::SERVICE_UNAVAILABLE, said)
        }
        Ok(()) => {
            service.readiness(None);
            (StatusCode::OK, "ready")
        }
        Err(e) => {
            service.readiness(Some(&e.to_string()));
            (StatusCode::SERVICE_UNAVAILABLE, "storage not ready")
        }
    };
    (status, format!("{said}\n")).into_response()
}

async fn metrics(State(service): State<Arc<Service>>) -> Response {
    use std::fmt::Write;
    let m = &service.metrics;
    let mut out = String::new();
    let _ = writeln!(out, "# HELP engagement_requests_total Requests answered, by route and status.\n# TYPE engagement_requests_total counter");
    if let Ok(requests) = m.requests.lock() {
        let mut rows: Vec<_> = requests.iter().collect();
        rows.sort();
        for ((route, status), n) in rows {
            let _ = writeln!(
                out,
                "engagement_requests_total{{route=\"{route}\",status=\"{status}\"}} {n}"
            );
        }
    }
    for (name, help, value) in [
        (
            "engagement_reactions_total",
            "Reaction changes committed.",
            &m.reactions,
        ),
        (
            "engagement_reads_counted_total",
            "Reads counted (once per visitor, article and day).",
            &m.reads_counted,
        ),
        (
            "engagement_reads_robot_total",
            "Reads not counted: robots and odd user agents.",
            &m.reads_skipped_robot,
        ),
        (
            "engagement_reads_prefetch_total",
            "Reads not counted: prefetch and prerender.",
            &m.reads_skipped_prefetch,
        ),
        (
            "engagement_reads_capped_total",
            "Reads not counted: over the per-address cap.",
            &m.reads_skipped_cap,
        ),
        (
            "engagement_reads_dropped_total",
            "Reads dropped: the buffer was full.",
            &m.reads_dropped,
        ),
        (
            "engagement_rate_limited_total",
            "Requests refused by the rate limit.",
            &m.limited,
        ),
        (
            "engagement_store_errors_total",
            "Storage calls that failed.",
            &m.store_errors,
        ),
    ] {
        let _ = writeln!(
            out,
            "# HELP {name} {help}\n# TYPE {name} counter\n{name} {}",
            value.load(Ordering::Relaxed)
        );
    }
    let _ = writeln!(
        out,
        "# HELP engagement_reads_buffered Reads waiting to be written.\n# TYPE engagement_reads_buffered gauge\nengagement_reads_buffered {}",
        service.buffered()
    );
    for (name, help, value) in service.store.gauges() {
        let _ = writeln!(
            out,
            "# HELP {name} {help}\n# TYPE {name} gauge\n{name} {value}"
        );
    }
    let _ = writeln!(
        out,
        "# HELP engagement_articles Articles in the manifest.\n# TYPE engagement_articles gauge\nengagement_articles {}",
        service.manifest.get().cards.len()
    );
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], out).into_response()
}

/// Rate limit per address group, and the request count by route for the metrics.
async fn guard(
    State(service): State<Arc<Service>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    request: Request,
    next: Next,
) -> Response {
    let route = route_name(request.uri().path());
    let exempt = matches!(route, "healthz" | "readyz" | "metrics");
    let ip = service.client(peer.ip(), request.headers());
    let response = if !exempt && !service.allow(ip) {
        service.metrics.limited.fetch_add(1, Ordering::Relaxed);
        let mut r = refuse(StatusCode::TOO_MANY_REQUESTS, "too many requests");
        r.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        r
    } else {
        next.run(request).await
    };
    service.metrics.count(route, response.status());
    response
}

/// A request that takes longer than `request_timeout_ms` is answered 503: what a request
/// waits on is the database (or its turn among `max_in_flight`).
async fn deadline(State(service): State<Arc<Service>>, request: Request, next: Next) -> Response {
    let route = route_name(request.uri().path());
    let limit = Duration::from_millis(service.settings.request_timeout_ms);
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => {
            service
                .metrics
                .count(route, StatusCode::SERVICE_UNAVAILABLE);
            retry_soon(refuse(
                StatusCode::SERVICE_UNAVAILABLE,
                "timed out, try again",
            ))
        }
    }
}

fn route_name(path: &str) -> &'static str {
    let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
    match parts.as_slice() {
        ["articles", _, "reactions"] => "reactions",
        ["articles", _, "reactions", _] => "reaction",
        ["articles", _, "views"] => "views",
        ["counts"] => "counts",
        ["mine"] => "mine",
        ["most-read"] => "most_read",
        ["readers", "me"] => "reader",
        ["healthz"] => "healthz",
        ["readyz"] => "readyz",
        ["metrics"] => "metrics",
        _ => "other",
    }
}

async fn not_found() -> Response {
    refuse(StatusCode::NOT_FOUND, "no such endpoint")
}

/// The whole service.
pub fn router(service: Arc<Service>) -> Router {
    use tower_http::cors::{AllowOrigin, CorsLayer};
    let origins: Vec<HeaderValue> = service
        .settings
        .allowed_origins
        .iter()
        .filter_map(|o| o.parse().ok())
        .collect();
    let cors = CorsLayer::new()
        .allow_origin(AllowOrigin::list(origins))
        .allow_methods([Method::GET, Method::PUT, Method::DELETE, Method::POST])
        .allow_headers([header::HeaderName::from_static("x-reader-id")])
        .max_age(Duration::from_secs(86_400));
    Router::new()
        .route("/articles/{id}/reactions", get(get_reactions))
        .route(
            "/articles/{id}/reactions/very_good",
            put(put_reaction).delete(delete_reaction),
        )
        .route("/articles/{id}/views", post(post_view))
        .route("/counts", get(get_counts))
        .route("/mine", get(get_mine))
        .route("/most-read", get(get_most_read))
        .route("/readers/me", get(reader_data).delete(reader_data))
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
        .fallback(not_found)
        .layer(axum::middleware::from_fn_with_state(
            Arc::clone(&service),
            guard,
        ))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(1024))
        .layer(tower::limit::ConcurrencyLimitLayer::new(
            service.settings.max_in_flight.max(1),
        ))
        .layer(axum::middleware::from_fn_with_state(
            Arc::clone(&service),
            deadline,
        ))
        .layer(cors)
        .with_state(service)
}

#[cfg(test)]
mod tests {
    #[test]
    fn days_are_written_as_dates() {
        assert_eq!(super::day_text(0), "1970-01-01");
        assert_eq!(super::day_text(20_424), "2025-12-02");
        assert_eq!(super::day_text(-1), "1969-12-31");
    }

    #[test]
    fn the_client_is_the_first_hop_no_trusted_proxy_added() {
        use std::net::IpAddr;
        let proxy: IpAddr = "10.0.0.1".parse().unwrap();
        let trusted = [proxy];
        let headers = |xff: &str| {
            let mut h = axum::http::HeaderMap::new();
            h.insert("x-forwarded-for", xff.parse().unwrap());
            h
        };
        let client: IpAddr = "203.0.113.5".parse().unwrap();
        let at = |peer: &str, xff: &str| {
            super::client_address(peer.parse().unwrap(), &headers(xff), &trusted)
        };
        // Behind the proxy: the right-most hop it did not add.
        assert_eq!(at("10.0.0.1", "198.51.100.9, 203.0.113.5"), client);
        assert_eq!(at("10.0.0.1", "203.0.113.5, 10.0.0.1"), client);
        // Not through the proxy: the header is the client's own words.
        assert_eq!(at("203.0.113.5", "1.2.3.4"), client);
        // A hop that is no plain address stops the walk: what is left of it proves nothing.
        assert_eq!(at("10.0.0.1", "1.2.3.4, 203.0.113.5:5123"), proxy);
        // An IPv4 proxy seen on an IPv6 socket is still the proxy.
        assert_eq!(at("::ffff:10.0.0.1", "203.0.113.5"), client);
    }

    #[test]
    fn article_ids_are_checked() {
        assert!(super::is_valid_article_id("bs-0013"));
        for bad in ["", "a b", "../x", "é", &"a".repeat(129)] {
            assert!(!super::is_valid_article_id(bad), "{bad:?}");
        }
    }
}
