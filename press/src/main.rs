//! `press`: builds the site. Run by `make site`; `press --help` lists the options.

use std::path::PathBuf;
use std::process::ExitCode;

use press::build::{build, Options};

const HELP: &str = "press: builds a Broadsheet site from Markdown content

usage: press [--content DIR] [--app DIR] [--out DIR] [--url URL] [--reactions URL]
             [--now RFC3339] [--jobs N] [--cache DIR]

  --content DIR   the content folder (default: content)
  --app DIR       the release app built by trunk (default: target/app)
  --out DIR       where the site goes (default: dist); replaced only if the build succeeds
  --url URL       publish under this URL instead of site.yaml's url
  --reactions URL the engagement service for live counts (/engage, or https://...),
                  instead of site.yaml's reactions
  --now TIME      the time the news sitemap counts back from (default: the clock)
  --jobs N        threads rendering pages and making pictures (default: the number of
                  cores)
  --cache DIR     where pictures' sizes are kept between runs, so only new or changed
                  pictures are encoded (default: .press-cache; delete it at any time)
";

fn main() -> ExitCode {
    let _ = any_spawner::Executor::init_futures_executor();
    let mut options = Options {
        content: "content".into(),
        app: "target/app".into(),
        out: "dist".into(),
        url: None,
        reactions: None,
        now_ms: chrono::Utc::now().timestamp_millis(),
        jobs: std::thread::available_parallelism().map_or(2, |n| n.get()),
        cache: ".press-cache".into(),
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or_else(|| format!("{name} needs a value"));
        let result: Result<(), String> = match arg.as_str() {
            "--content" => value("--content").map(|v| options.content = PathBuf::from(v)),
            "--app" => value("--app").map(|v| options.app = PathBuf::from(v)),
            "--out" => value("--out").map(|v| options.out = PathBuf::from(v)),
            "--url" => value("--url").map(|v| options.url = Some(v)),
            "--reactions" => value("--reactions").map(|v| options.reactions = Some(v)),
            "--cache" => value("--cache").map(|v| options.cache = PathBuf::from(v)),
            "--now" => value("--now").and_then(|v| {
                broadsheet::model::parse_rfc3339(&v)
                    .map(|ms| options.now_ms = ms)
                    .ok_or_else(|| format!("--now {v:?} is not an RFC 3339 time"))
            }),
            "--jobs" => value("--jobs").and_then(|v| {
                v.parse()
                    .map(|n| options.jobs = n)
                    .map_err(|_| format!("--jobs {v:?} is not a number"))
            }),
            "-h" | "--help" => {
                print!("{HELP}");
                return ExitCode::SUCCESS;
            }
            other => Err(format!("unknown argument {other:?}")),
        };
        if let Err(message) = result {
            eprintln!("press: {message}\n\n{HELP}");
            return ExitCode::from(2);
        }
    }
    match build(&options) {
        Ok(summary) => {
            for warning in &summary.warnings {
                eprintln!("press: warning: {warning}");
            }
            println!(
                "press: {} articles, {} pages, {} API files, {} pictures made and {} from the cache, into {} in {} ms (read and pictures {} ms, related {} ms, read back {} ms, render {} ms, search index {} ms)",
                summary.articles,
                summary.pages,
                summary.api_files,
                summary.pictures_encoded,
                summary.pictures_reused,
                options.out.display(),
                summary.total_ms,
                summary.read_ms,
                summary.related_ms,
                summary.check_ms,
                summary.render_ms,
                summary.search_ms
            );
            ExitCode::SUCCESS
        }
        Err(failure) => {
            eprintln!("{failure}");
            ExitCode::FAILURE
        }
    }
}
