//! `engagement`: Broadsheet's reactions, reads and most-read service. `engagement --help`
//! lists the options; the README's "The engagement service" section says how to run it.

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use engagement::config::{self, Command, Database, Settings};
use engagement::service::{router, Clock, Service};
use engagement::store::postgres::{self, Postgres};
use engagement::store::sqlite::{self, Sqlite};
use engagement::store::Store;

fn main() -> ExitCode {
    let command = match config::parse(std::env::args().skip(1), |name| std::env::var(name).ok()) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("engagement: {e}\n\n{}", config::HELP);
            return ExitCode::from(2);
        }
    };
    match command {
        Command::Help => {
            print!("{}", config::HELP);
            ExitCode::SUCCESS
        }
        Command::Check(settings) => {
            let database = settings.database();
            match check(&database, &settings) {
                Ok(()) => {
                    println!("engagement: {database}: ok");
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("engagement: {database}: {e}");
                    ExitCode::FAILURE
                }
            }
        }
        Command::Backup { database, to } => match Database::of(&database) {
            Database::Sqlite(path) => match sqlite::backup_file(&path, &to) {
                Ok(()) => {
                    println!("engagement: backed up {database} to {}", to.display());
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("engagement: backup: {e}");
                    ExitCode::FAILURE
                }
            },
            Database::Postgres(_) => {
                eprintln!("engagement: backup: {}", config::PG_BACKUP);
                ExitCode::FAILURE
            }
        },
        Command::Serve(settings) => {
            logging(&settings);
            match runtime().block_on(serve(*settings)) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    tracing::error!("{e}");
                    eprintln!("engagement: {e}");
                    ExitCode::FAILURE
                }
            }
        }
    }
}

/// Integrity (SQLite) and every counter against its rows (both); PostgreSQL's connection
/// with the service's connect and statement timeouts.
fn check(database: &Database, settings: &Settings) -> Result<(), String> {
    match database {
        Database::Sqlite(path) => sqlite::verify(path),
        Database::Postgres(url) => tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| e.to_string())?
            .block_on(postgres::verify(url, settings)),
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime")
}

fn logging(settings: &Settings) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("ENGAGEMENT_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    // Logs go to standard error; standard output says where the service listens.
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if settings.json_logs {
        builder.json().init();
    } else {
        builder.init();
    }
}

async fn serve(settings: Settings) -> Result<(), String> {
    let started = std::time::Instant::now();
    let database = settings.database();
    let opened = |e| format!("{database}: {e}");
    let store: Arc<dyn Store> = match &database {
        Database::Sqlite(path) => Arc::new(Sqlite::open(path, settings.readers).map_err(opened)?),
        Database::Postgres(url) => Arc::new(Postgres::open(url, &settings).map_err(opened)?),
    };
    let manifest = engagement::manifest::Live::open(&settings.site)?;
    let articles = manifest.get().cards.len();
    let listener = tokio::net::TcpListener::bind(settings.listen)
        .await
        .map_err(|e| format!("{}: {e}", settings.listen))?;
    let address = listener.local_addr().map_err(|e| e.to_string())?;
    let flush_every = Duration::from_millis(settings.flush_ms.max(10));
    let service = Service::new(Arc::clone(&store), manifest, settings, Clock::from_env());

    // Buffered reads, written every flush interval until told to stop. A flush is never cut
    // off: dropped half-way, a PostgreSQL transaction would roll back the reads it had taken.
    let (stop_flushing, mut stopping) = tokio::sync::watch::channel(false);
    let flusher = {
        let service = Arc::clone(&service);
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(flush_every);
            loop {
                tokio::select! {
                    _ = tick.tick() => {}
                    _ = stopping.changed() => return,
                }
                if let Err(e) = service.flush().await {
                    tracing::warn!(error = %e, "reads not written yet");
                }
            }
        })
    };
    // The manifest, when a new build is published; retention, hourly.
    let watcher = {
        let service = Arc::clone(&service);
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(2));
            // The first a minute after start, when the database has had time to appear.
            let mut next_prune = tokio::time::Instant::now() + Duration::from_secs(60);
            loop {
                tick.tick().await;
                match service.manifest.refresh() {
                    Ok(Some(n)) => tracing::info!(articles = n, "manifest reloaded"),
                    Ok(None) => {}
                    Err(e) => {
                        tracing::warn!(error = %e, "the new manifest is broken; the old one stays")
                    }
                }
                if tokio::time::Instant::now() >= next_prune {
                    // Hourly; a minute after a failure (a database not reached yet, say).
                    next_prune = tokio::time::Instant::now()
                        + match service.prune().await {
                            Ok(()) => Duration::from_secs(3600),
                            Err(e) => {
                                tracing::warn!(error = %e, "pruning failed");
                                Duration::from_secs(60)
                            }
                        };
                }
            }
        })
    };

    tracing::info!(
        %address,
        articles,
        %database,
        startup_ms = started.elapsed().as_millis() as u64,
        "listening"
    );
    // Printed for scripts and tests that start the service on port 0.
    println!("engagement: listening on http://{address}");

    let header_timeout = Duration::from_millis(service.settings.header_timeout_ms.max(1));
    let stop_timeout = Duration::from_millis(service.settings.stop_timeout_ms);
    accept(
        listener,
        router(Arc::clone(&service)),
        header_timeout,
        stop_timeout,
    )
    .await;

    // Nothing acknowledged is lost: the reads still in memory are written, then the writer
    // commits what is queued and stops; all of it within `stop_write_ms`, so the process
    // stops before its supervisor kills it.
    let _ = stop_flushing.send(true);
    watcher.abort();
    let _ = watcher.await;
    let until = tokio::time::Instant::now() + Duration::from_millis(service.settings.stop_write_ms);
    let written = write_the_rest(&service, flusher, until).await;
    // Closed whatever happened above: the queued reactions are committed either way.
    let closed = match tokio::time::timeout_at(until, store.close()).await {
        Ok(closed) => closed.map_err(|e| e.to_string()),
        Err(_) => Err("the store did not close in time".to_string()),
    };
    let written =
        written.map_err(|e| format!("{} buffered reads not written: {e}", service.buffered()))?;
    closed?;
    tracing::info!(reads_written = written, "stopped");
    Ok(())
}

/// Lets a flush under way finish (cut off, a PostgreSQL transaction would roll back the reads
/// it had taken), then writes the rest, trying `stop_flush_tries` times, all before `until`.
async fn write_the_rest(
    service: &Service,
    flusher: tokio::task::JoinHandle<()>,
    until: tokio::time::Instant,
) -> Result<usize, String> {
    let late = || "out of time".to_string();
    tokio::time::timeout_at(until, flusher)
        .await
        .map_err(|_| late())?
        .map_err(|e| e.to_string())?;
    let mut written = Err("not tried".to_string());
    for _ in 0..service.settings.stop_flush_tries {
        written = match tokio::time::timeout_at(until, service.flush()).await {
            Ok(flushed) => flushed.map_err(|e| e.to_string()),
            Err(_) => return Err(late()),
        };
        if written.is_ok() {
            break;
        }
        tokio::time::sleep_until(
            until.min(tokio::time::Instant::now() + Duration::from_millis(200)),
        )
        .await;
    }
    written
}

/// Serves connections until SIGTERM or Ctrl-C, then lets the requests in flight finish (for at
/// most `stop_timeout`). A client gets `header_timeout` to send its request's headers.
async fn accept(
    listener: tokio::net::TcpListener,
    app: axum::Router,
    header_timeout: Duration,
    stop_timeout: Duration,
) {
    use hyper_util::rt::{TokioIo, TokioTimer};
    use tower::ServiceExt;
    // HTTP/1.1: the service sits behind a proxy or is called by browsers for small answers.
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(header_timeout)
        .max_buf_size(64 * 1024);
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut stop = std::pin::pin!(shutdown());
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let (stream, peer) = match accepted {
                    Ok(a) => a,
                    Err(e) => {
                        // Out of file descriptors, say: wait a little rather than spin.
                        tracing::warn!(error = %e, "accept failed");
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                };
                let _ = stream.set_nodelay(true);
                let app = app.clone().map_request(move |mut request: axum::extract::Request<hyper::body::Incoming>| {
                    request.extensions_mut().insert(axum::extract::ConnectInfo(peer));
                    request.map(axum::body::Body::new)
                });
                let service = hyper_util::service::TowerToHyperService::new(app);
                let connection = builder.serve_connection(TokioIo::new(stream), service);
                let connection = graceful.watch(connection);
                tokio::spawn(async move {
                    let _ = connection.await;
                });
            }
            _ = stop.as_mut() => break,
        }
    }
    drop(listener);
    if tokio::time::timeout(stop_timeout, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!(
            stop_timeout_ms = stop_timeout.as_millis() as u64,
            "requests still running were cut off"
        );
    }
}

async fn shutdown() {
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = terminate => {}
    }
    tracing::info!("stopping: finishing requests and writes");
}
