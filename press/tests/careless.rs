//! press under careless and hostile input: an output folder that holds the sources, symbolic
//! links out of the content, files that are not pictures, unsafe site URLs, values the app
//! cannot read, endless lists and files built to make press slow. Each test names the
//! finding it pins (issue 17).

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use press::build::{build, marker, Failure, Options, MARKER};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// A fresh folder holding a copy of the fixture site's content as `content/`.
fn workspace(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("press-careless-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    copy(&fixtures().join("site"), &dir.join("content"));
    dir
}

fn copy(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read dir").flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("copy");
        }
    }
}

fn options(content: &Path, out: &Path) -> Options {
    let _ = any_spawner::Executor::init_futures_executor();
    Options {
        content: content.to_path_buf(),
        app: fixtures().join("app"),
        out: out.to_path_buf(),
        url: None,
        reactions: None,
        now_ms: broadsheet::model::parse_rfc3339("2026-11-28T12:00:00Z").expect("time"),
        jobs: 2,
        cache: std::env::temp_dir().join(format!("press-test-cache-{}", std::process::id())),
    }
}

fn problems(result: Result<press::build::Summary, Failure>) -> String {
    match result {
        Err(Failure::Content(problems)) => problems
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n"),
        Err(other) => panic!("expected content problems, got: {other}"),
        Ok(_) => panic!("the build passed"),
    }
}

fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("read dir")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .collect();
    names.sort();
    names
}

#[test]
fn an_output_folder_that_is_holds_or_sits_inside_the_sources_is_refused() {
    // Regression: `--content site/content --out site` deleted content/ and .git.
    let dir = workspace("out");
    std::fs::create_dir_all(dir.join(".git")).expect("mkdir");
    copy(&fixtures().join("app"), &dir.join("app"));
    let content = dir.join("content");
    for out in [
        dir.clone(),
        content.clone(),
        content.join("dist"),
        dir.join("content/../content/images/x"),
        dir.join("app"),
        dir.join("app/dist"),
    ] {
        let mut opts = options(&content, &out);
        opts.app = dir.join("app");
        match build(&opts) {
            Err(Failure::Output(message)) => {
                assert!(message.contains("folder"), "{message}");
            }
            other => panic!("--out {} was accepted: {other:?}", out.display()),
        }
    }
    assert_eq!(
        names(&dir),
        [".git", "app", "content"],
        "nothing touched or left behind"
    );
    assert!(!dir.join("app/dist").exists());
    assert!(content.join("site.yaml").is_file());
    assert!(!content.join("dist").exists());
}

#[test]
fn a_folder_press_did_not_write_is_never_replaced() {
    let dir = workspace("foreign");
    let out = dir.join("photos");
    std::fs::create_dir_all(&out).expect("mkdir");
    std::fs::write(out.join("holiday.jpg"), "mine").expect("write");
    let Err(Failure::Output(message)) = build(&options(&dir.join("content"), &out)) else {
        panic!("a folder of someone else's files was replaced");
    };
    assert!(message.contains(MARKER), "{message}");
    assert_eq!(names(&out), ["holiday.jpg"]);
    assert_eq!(names(&dir), ["content", "photos"]);

    // An empty folder, a new one, and a site press built itself are fine.
    let empty = dir.join("empty");
    std::fs::create_dir_all(&empty).expect("mkdir");
    build(&options(&dir.join("content"), &empty)).expect("an empty folder");
    let fresh = dir.join("new/deeper/site");
    build(&options(&dir.join("content"), &fresh)).expect("a new folder");
    build(&options(&dir.join("content"), &fresh)).expect("its own site, again");
    assert!(fresh.join(MARKER).is_file());

    // A copy of a site elsewhere (cp -r dist/. /var/www/x) carries the marker along, but it
    // names the folder press wrote, so the copy and what was there before are left alone.
    let copied = dir.join("www");
    copy(&fresh, &copied);
    std::fs::write(copied.join("other.html"), "someone's page").expect("write");
    let Err(Failure::Output(_)) = build(&options(&dir.join("content"), &copied)) else {
        panic!("a copied site was replaced");
    };
    assert!(copied.join("other.html").is_file());
}

#[test]
fn what_a_killed_run_left_beside_the_site_is_cleaned_up() {
    // Regression: `--out .` failed and left `.site.building-PID` behind.
    let dir = workspace("leftovers");
    let out = dir.join("dist");
    let resolved = std::fs::canonicalize(&dir).expect("resolve").join("dist");
    // A run that is gone (no such process), and one that may still be running (process 1
    // always is).
    let stale = dir.join(".dist.building-999999999");
    let running = dir.join(".dist.building-1");
    for folder in [&stale, &running] {
        std::fs::create_dir_all(folder).expect("mkdir");
        std::fs::write(folder.join(MARKER), marker(&resolved)).expect("write");
    }
    let not_ours = dir.join(".dist.building-notes");
    std::fs::create_dir_all(&not_ours).expect("mkdir");
    build(&options(&dir.join("content"), &out)).expect("build");
    let mut expected = vec![
        ".dist.building-notes".to_string(),
        "content".into(),
        "dist".into(),
    ];
    if cfg!(target_os = "linux") {
        assert!(
            !stale.exists(),
            "the leftover of a run that is gone is removed"
        );
    } else {
        expected.push(".dist.building-999999999".into());
    }
    assert!(
        running.exists(),
        "a run that may still be writing is left alone"
    );
    expected.push(
        running
            .file_name()
            .expect("name")
            .to_string_lossy()
            .to_string(),
    );
    expected.sort();
    assert_eq!(names(&dir), expected);
}

#[cfg(unix)]
#[test]
fn symbolic_links_never_publish_files_from_outside_the_content() {
    // Regression: a symlink in images/ published a key from outside content/, and a
    // symlinked article outside content/ was published.
    let dir = workspace("links");
    let content = dir.join("content");
    std::fs::write(dir.join("outside.md"), "---\ntitle: \"Outside\"\nsection: \"news\"\npublished: \"2026-11-01T00:00:00Z\"\n---\n\nFrom elsewhere.\n").expect("write");
    std::os::unix::fs::symlink(
        dir.join("outside.md"),
        content.join("articles/news/outside.md"),
    )
    .expect("link");
    std::os::unix::fs::symlink(&dir, content.join("articles/elsewhere")).expect("link");
    let all = problems(build(&options(&content, &dir.join("dist"))));
    assert!(
        all.contains("articles/news/outside.md: file: is a symbolic link"),
        "{all}"
    );
    assert!(
        all.contains("articles/elsewhere: file: is a symbolic link"),
        "{all}"
    );
    assert!(!dir.join("dist").exists());
}

#[test]
fn only_the_pictures_the_stories_use_are_published() {
    // Regression: all of content/images/ was published, so images/page.html with
    // images/evil.js ran as the site's own script.
    let dir = workspace("images");
    let images = dir.join("content/images");
    std::fs::write(
        images.join("page.html"),
        "<script src=\"evil.js\"></script>",
    )
    .expect("write");
    std::fs::write(images.join("evil.js"), "alert(document.cookie)").expect("write");
    std::fs::write(images.join("id_rsa"), "KEY").expect("write");
    std::fs::copy(images.join("lamp.svg"), images.join("unused.svg")).expect("copy");
    let out = dir.join("dist");
    build(&options(&dir.join("content"), &out)).expect("build");
    let published = names(&out.join("images"));
    // The stories' lamp.svg and the renditions of their harbour-dusk.jpg, nothing else.
    assert!(
        published
            .iter()
            .all(|n| (n.starts_with("lamp.") && n.ends_with(".svg"))
                || (n.starts_with("harbour-dusk-")
                    && (n.ends_with(".webp") || n.ends_with(".jpg")))),
        "{published:?}"
    );
    assert_eq!(
        published.iter().filter(|n| n.starts_with("lamp.")).count(),
        1
    );
}

#[test]
fn an_unsafe_site_url_is_refused_from_site_yaml_and_from_the_command_line() {
    // Regression: a folded YAML value put a newline into <base href>, robots.txt and
    // nginx.conf, and a hostile one added a _headers rule; --url was not checked at all.
    let dir = workspace("url");
    let content = dir.join("content");
    let mut opts = options(&content, &dir.join("dist"));
    opts.url = Some("https://x.example/\n/*\n  Access-Control-Allow-Origin: *".into());
    let Err(Failure::Other(message)) = build(&opts) else {
        panic!("--url with a newline was accepted");
    };
    assert!(message.starts_with("--url: "), "{message}");

    let site = std::fs::read_to_string(content.join("site.yaml")).expect("site.yaml");
    let url_line = site
        .lines()
        .position(|l| l.starts_with("url:"))
        .expect("url")
        + 1;
    let folded: String = site
        .lines()
        .map(|l| {
            if l.starts_with("url:") {
                "url: >\n  https://gazette.example/\n\n".to_string()
            } else {
                format!("{l}\n")
            }
        })
        .collect();
    std::fs::write(content.join("site.yaml"), folded).expect("write");
    let all = problems(build(&options(&content, &dir.join("dist"))));
    assert!(
        all.contains(&format!("site.yaml:{url_line}: url: ")),
        "{all}"
    );
    assert!(!dir.join("dist").exists());
}

#[test]
fn more_picks_than_recommendation_shows_are_refused() {
    // Regression: picks are rendered into every article page; 1,000 of them made 956 KB pages.
    let dir = workspace("picks");
    let content = dir.join("content");
    for i in 0..13 {
        std::fs::write(
            content.join(format!("articles/news/story-{i}.md")),
            format!("---\ntitle: \"Story {i}\"\nsection: \"news\"\npublished: \"2026-11-01T00:00:00Z\"\n---\n\nWords.\n"),
        )
        .expect("write");
    }
    let picks: String = (0..13).map(|i| format!("- \"story-{i}\"\n")).collect();
    std::fs::write(content.join("picks.yaml"), picks).expect("write");
    let all = problems(build(&options(&content, &dir.join("dist"))));
    assert!(
        all.contains("picks.yaml:13: [12]: Recommendation shows at most 12 stories"),
        "{all}"
    );
    assert_eq!(all.lines().count(), 1, "{all}");
}

#[test]
fn a_body_longer_than_the_app_reads_is_refused() {
    let dir = workspace("long");
    let content = dir.join("content");
    let body = "A paragraph.\n\n".repeat(5_001);
    std::fs::write(
        content.join("articles/news/very-long.md"),
        format!("---\ntitle: \"Long\"\nsection: \"news\"\npublished: \"2026-11-01T00:00:00Z\"\n---\n\n{body}"),
    )
    .expect("write");
    let all = problems(build(&options(&content, &dir.join("dist"))));
    assert!(
        all.contains("very-long.md:6: body: the body has 5001 blocks"),
        "{all}"
    );
}

/// Runs `work` on a thread and fails if it has not finished in `limit`. A guard against a
/// hang (quadratic work on these inputs takes many minutes), not a speed measurement:
/// `scripts/press_bench.sh` measures speed.
fn finishes_within<T: Send + 'static>(
    limit: Duration,
    work: impl FnOnce() -> T + Send + 'static,
) -> T {
    let (done, wait) = mpsc::channel();
    let worker = std::thread::spawn(move || {
        let _ = done.send(work());
    });
    match wait.recv_timeout(limit) {
        Ok(value) => value,
        Err(mpsc::RecvTimeoutError::Timeout) => {
            panic!("not finished after {limit:?}: quadratic work again?")
        }
        Err(mpsc::RecvTimeoutError::Disconnected) => match worker.join() {
            Err(panic) => std::panic::resume_unwind(panic),
            Ok(()) => unreachable!("the worker sends before it ends"),
        },
    }
}

#[test]
fn many_problems_in_one_file_are_each_found_on_their_line_in_one_pass() {
    // Regression: line numbers were found by rescanning the file per problem: 20,000 unknown
    // slugs in stats.yaml took 25 s, 40,000 duplicate picks 22 s, 50,000 site links 58 s (and
    // 50,000 bad tags in one front matter, minutes).
    const N: usize = 50_000;
    let dir = workspace("scale");
    let content = dir.join("content");
    let stats: String = (0..N)
        .map(|i| format!("ghost-{i}:\n  views: {i}\n"))
        .collect();
    std::fs::write(content.join("stats.yaml"), stats).expect("write");
    let picks: String = (0..N).map(|_| "- \"harbour-lamps-relit\"\n").collect();
    std::fs::write(content.join("picks.yaml"), picks).expect("write");
    let links: String = (0..N)
        .map(|i| format!("[link {i}](/news/nowhere-{i})\n"))
        .collect();
    std::fs::write(
        content.join("articles/news/many-links.md"),
        format!("---\ntitle: \"Links\"\nsection: \"news\"\npublished: \"2026-11-01T00:00:00Z\"\n---\n\n{links}"),
    )
    .expect("write");
    let tags: String = (0..N).map(|_| "  - \"!\"\n").collect();
    std::fs::write(
        content.join("articles/news/many-tags.md"),
        format!("---\ntitle: \"Tags\"\nsection: \"news\"\npublished: \"2026-11-01T00:00:00Z\"\ntags:\n{tags}---\n\nWords.\n"),
    )
    .expect("write");
    let out = dir.join("dist");
    let all = finishes_within(Duration::from_secs(120), move || {
        problems(build(&options(&content, &out)))
    });
    let lines: Vec<&str> = all.lines().collect();
    assert!(lines.contains(
        &format!(
            "{}:{}: ghost-{}: no article has this slug",
            dir.join("content/stats.yaml").display(),
            2 * (N - 1) + 1,
            N - 1
        )
        .as_str()
    ));
    assert!(lines.iter().any(|l| l.ends_with(&format!(
        "picks.yaml:{N}: [{}]: \"harbour-lamps-relit\" is picked twice",
        N - 1
    ))));
    // Equal problems are reported once; each was still looked up.
    assert!(lines
        .iter()
        .any(|l| l.contains("many-tags.md:5: tags: the tag \"!\" has no letters")));
    assert!(lines.iter().any(|l| l.contains(&format!(
        "many-links.md:{}: body: the link \"/news/nowhere-{}\"",
        6 + N,
        N - 1
    ))));
}

#[test]
fn a_publishers_wording_is_checked_at_its_line() {
    let dir = workspace("messages");
    let content = dir.join("content");
    std::fs::write(
        content.join("messages.yaml"),
        "reaction: \"Great read!\"\n\
         realted: \"Also read\"\n\
         views:\n  one: \"{count} reader\"\n  several: \"{count} readers\"\n\
         slide: \"{position} of {totl}\"\n\
         reaction_count:\n  one: \"one reader liked it\"\n  other: \"{count} readers liked it\"\n\
         home: 3\n\
         reading_time:\n  one: \"{count} minute\"\n",
    )
    .expect("write");
    let all = problems(build(&options(&content, &dir.join("dist"))));
    for expected in [
        "messages.yaml:2: realted: is not a message (did you mean \"related\"?)",
        "messages.yaml:3: views: \"several\" is not a plural category",
        "messages.yaml:6: slide: {totl} is not a placeholder of this message (it has {position}, {total})",
        "messages.yaml:7: reaction_count: \"one reader liked it\" must hold {count}",
        "messages.yaml:10: home: expected text",
        "messages.yaml:11: reading_time: plural forms need an `other` form",
    ] {
        assert!(all.contains(expected), "missing {expected:?} in\n{all}");
    }
    assert!(
        !all.contains("reaction:"),
        "a good message is no problem:\n{all}"
    );
}

#[test]
fn a_language_without_a_catalogue_is_built_in_english_with_a_warning() {
    let dir = workspace("french");
    let content = dir.join("content");
    let site = std::fs::read_to_string(content.join("site.yaml")).expect("site.yaml");
    std::fs::write(
        content.join("site.yaml"),
        site.replace("language: \"en-GB\"", "language: \"fr-FR\""),
    )
    .expect("write");
    std::fs::write(
        content.join("messages.yaml"),
        "home: \"Accueil\"\nreaction: \"Très bien !\"\n",
    )
    .expect("write");
    let summary = build(&options(&content, &dir.join("dist"))).unwrap_or_else(|e| panic!("{e}"));
    let warnings: Vec<String> = summary.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].contains("messages.yaml: messages: ")
            && warnings[0].contains("have no \"fr-FR\" wording and are in English")
            && !warnings[0].contains("home,"),
        "{warnings:?}"
    );
    let page = std::fs::read_to_string(dir.join("dist/news.html")).expect("page");
    assert!(
        page.contains(">Accueil<") || page.contains("\"Accueil\""),
        "the override is used"
    );
    assert!(page.contains("<html lang=\"fr-FR\" data-prerendered data-app-on-intent>"));
}

#[test]
fn the_engagement_service_is_set_from_site_yaml_and_checked() {
    let dir = workspace("reactions");
    let content = dir.join("content");
    let site = std::fs::read_to_string(content.join("site.yaml")).expect("site.yaml");
    std::fs::write(
        content.join("site.yaml"),
        format!("{site}reactions: \"https://engage.example/v1\"\n"),
    )
    .expect("write");
    build(&options(&content, &dir.join("dist"))).unwrap_or_else(|e| panic!("{e}"));
    let page = std::fs::read_to_string(dir.join("dist/news.html")).expect("page");
    assert!(page
        .contains("<meta name=\"broadsheet:reactions\" content=\"https://engage.example/v1\" />"));
    let headers = std::fs::read_to_string(dir.join("dist/_headers")).expect("_headers");
    assert!(
        headers.contains("connect-src 'self' https://engage.example"),
        "{headers}"
    );
    // The same-origin default: a path, allowed by 'self'.
    let mut opts = options(&content, &dir.join("dist"));
    opts.reactions = Some("/engage".into());
    build(&opts).unwrap_or_else(|e| panic!("{e}"));
    let page = std::fs::read_to_string(dir.join("dist/news.html")).expect("page");
    assert!(page.contains("<meta name=\"broadsheet:reactions\" content=\"/engage\" />"));
    for bad in ["//evil.example", "/a\"b", "javascript:x", "/../x"] {
        let mut opts = options(&content, &dir.join("dist"));
        opts.reactions = Some(bad.into());
        let Err(Failure::Other(message)) = build(&opts) else {
            panic!("--reactions {bad:?} was accepted");
        };
        assert!(message.starts_with("--reactions: "), "{message}");
    }
    std::fs::write(
        content.join("site.yaml"),
        format!("{site}reactions: \"ftp://x.example\"\n"),
    )
    .expect("write");
    let all = problems(build(&options(&content, &dir.join("dist"))));
    assert!(
        all.contains("site.yaml:") && all.contains(": reactions: "),
        "{all}"
    );
}
