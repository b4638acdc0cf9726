//! press end to end: the golden site, bad content, and the promise that a failed run leaves
//! the previous site alone. `UPDATE_GOLDEN=1 cargo test -p press` rewrites the golden files
//! after a deliberate change (review the diff).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use press::build::{build, marker, Failure, Options, MARKER};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("press-test-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn options(content: &str, out: &Path) -> Options {
    let _ = any_spawner::Executor::init_futures_executor();
    Options {
        content: fixtures().join(content),
        app: fixtures().join("app"),
        out: out.to_path_buf(),
        url: None,
        reactions: None,
        now_ms: broadsheet::model::parse_rfc3339("2026-11-28T12:00:00Z").expect("time"),
        jobs: 2,
        cache: std::env::temp_dir().join(format!("press-test-cache-{}", std::process::id())),
    }
}

fn files(dir: &Path) -> BTreeMap<String, String> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, String>) {
        for entry in std::fs::read_dir(dir).expect("read dir").flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let name = path
                    .strip_prefix(root)
                    .expect("under root")
                    .to_string_lossy()
                    .replace('\\', "/");
                out.insert(
                    name,
                    std::fs::read_to_string(&path).unwrap_or_else(|_| "<binary>".into()),
                );
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    // Pagefind's own library and index files change with its version; tests/search.rs
    // searches them. Our bridge and word list are compared.
    out.retain(|name, _| {
        !name.starts_with("pagefind/") || name.starts_with("pagefind/broadsheet-")
    });
    out
}

/// Builds the fixture site `content` and compares every file with `tests/{golden}/`.
fn matches_golden(content: &str, golden: &str, articles: usize) {
    let out = temp(&format!("golden-{content}")).join("dist");
    let summary = build(&options(content, &out)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(summary.articles, articles);
    let mut built = files(&out);
    // The marker names the folder it was written in, which differs from run to run.
    let resolved = std::fs::canonicalize(&out).expect("resolve");
    assert_eq!(built.remove(MARKER), Some(marker(&resolved)));
    let golden_dir = fixtures().join("..").join(golden);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        let _ = std::fs::remove_dir_all(&golden_dir);
        for (name, text) in &built {
            let path = golden_dir.join(name);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            std::fs::write(path, text).expect("write golden");
        }
    }
    let golden_files = files(&golden_dir);
    let names = |m: &BTreeMap<String, String>| m.keys().cloned().collect::<Vec<_>>();
    assert_eq!(names(&built), names(&golden_files), "the same files");
    for (name, text) in &built {
        assert!(
            golden_files.get(name) == Some(text),
            "{name} differs from tests/{golden}/{name} (UPDATE_GOLDEN=1 to accept a deliberate change)"
        );
    }
}

#[test]
fn the_fixture_site_matches_its_golden_files() {
    matches_golden("site", "golden", 3);
}

#[test]
fn the_german_fixture_site_matches_its_golden_files() {
    matches_golden("site-de", "golden-de", 2);
}

#[test]
fn the_arabic_fixture_site_matches_its_golden_files() {
    matches_golden("site-ar", "golden-ar", 2);
}

#[test]
fn a_site_in_another_language_speaks_it_in_every_file() {
    let out = temp("german").join("dist");
    let summary = build(&options("site-de", &out)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(summary.warnings, vec![], "German ships complete");
    let page = std::fs::read_to_string(out.join("politik/stadtrat-beschliesst-faehre.html"))
        .expect("page");
    for needle in [
        "<html lang=\"de-DE\" data-prerendered data-app-on-intent>",
        "<title>Stadtrat beschließt neue Fähre über den Hafen | Der Hafenbote</title>",
        "Zum Inhalt springen",
        "Veröffentlicht am <time",
        "24. November 2026 um 07:30 MEZ",
        "12.840 Aufrufe",
        "1 Min. Lesezeit",
        // The publisher's own word for the reaction (messages.yaml) ...
        "Gefällt mir!",
        // ... and the catalogue's plural form for one reader.
        "reaction__number\">1</span><span class=\"visually-hidden\"> Person fand das sehr gut",
        " und ",
        "\"name\":\"Startseite\"",
        "\"inLanguage\":\"de-DE\"",
    ] {
        assert!(page.contains(needle), "the German page lacks {needle}");
    }
    let section = std::fs::read_to_string(out.join("wissen.html")).expect("section");
    assert!(section.contains("Die neuesten Artikel aus Wissen bei Der Hafenbote."));
    let feed = std::fs::read_to_string(out.join("wissen/feed.xml")).expect("feed");
    assert!(
        feed.contains("<title>Wissen | Der Hafenbote</title>"),
        "{feed}"
    );

    let out = temp("arabic").join("dist");
    build(&options("site-ar", &out)).unwrap_or_else(|e| panic!("{e}"));
    let page = std::fs::read_to_string(out.join("akhbar/maktaba-jadida.html")).expect("page");
    for needle in [
        "<html lang=\"ar\" dir=\"rtl\" data-prerendered data-app-on-intent>",
        "انتقل إلى المحتوى الرئيسي",
        // Arabic's dual and its "few" form.
        "مشاهدتان",
        "reaction__number\">3</span><span class=\"visually-hidden\"> قرّاء قالوا رائع جدًا",
        "26 نوفمبر 2026 في 10:15 ص غرينتش+3",
    ] {
        assert!(page.contains(needle), "the Arabic page lacks {needle}");
    }
}

#[test]
fn the_site_holds_what_a_crawler_and_a_reader_without_javascript_need() {
    let out = temp("shape").join("dist");
    build(&options("site", &out)).unwrap_or_else(|e| panic!("{e}"));
    let page = std::fs::read_to_string(out.join("news/harbour-lamps-relit.html")).expect("page");
    for needle in [
        "<h1 dir=\"auto\" tabindex=\"-1\" class=\"story__title\">Harbour lamps relit after forty years</h1>",
        "The lamps along the <em>old</em> harbour wall",
        "<title>Harbour lamps relit after forty years — The Fixture Gazette</title>",
        // The masthead is the publisher's logo, its name the text alternative.
        "<a href=\"/\" class=\"masthead\"><img src=\"images/lamp.dcb1e8f7c0.svg\" alt=\"The Fixture Gazette\" width=\"160\" height=\"90\" class=\"masthead__logo\">",
        "<meta name=\"broadsheet:site-name\" content=\"The Fixture Gazette\" />",
        // The publisher's colours (their own stylesheet, after the app's) and icon.
        "--accent: #0b5d3b",
        "<link rel=\"icon\" href=\"images/lamp.dcb1e8f7c0.svg\" type=\"image/svg+xml\" />",
        "<meta name=\"description\" content=\"Volunteers restored twelve gas lamps along the harbour wall.\">",
        "<link rel=\"canonical\" href=\"https://gazette.example/news/harbour-lamps-relit\">",
        "<meta property=\"og:image\" content=\"https://gazette.example/images/lamp.dcb1e8f7c0.svg\">",
        "\"@type\":\"NewsArticle\"",
        "\"@type\":\"BreadcrumbList\"",
        "\"userInteractionCount\":1520",
        "data-broadsheet-url=\"api/articles/harbour-lamps-relit.json\"",
        "<html lang=\"en-GB\" data-prerendered data-app-on-intent>",
        "./assets/app-0123456789abcdef.js",
        "27 November 2026 at 18:00 GMT",
        // Names and roles are isolated, so a right-to-left override cannot turn the line.
        "<bdi class=\"person__name\">Ada Marsh</bdi>",
        ", <bdi class=\"person__role\">Harbour correspondent</bdi>",
    ] {
        assert!(page.contains(needle), "the article page lacks {needle}");
    }
    assert!(!page.contains("id=\"boot\""), "the placeholder is replaced");
    // Another publisher's site is theirs: our name appears nowhere a reader or crawler sees.
    for (name, text) in files(&out) {
        assert!(!text.contains("Broadsheet"), "{name} says Broadsheet");
    }
    assert!(out.join("assets/app-0123456789abcdef.js").is_file());
    assert!(!out.join("app-0123456789abcdef.js").exists());

    let hostile = std::fs::read_to_string(out.join("news/hostile-strings.html")).expect("page");
    assert!(
        !hostile.contains("<script>alert"),
        "content is never markup"
    );
    assert!(!hostile.contains("<b>Not bold</b>"));
    assert!(!hostile.contains("<img src=x"));
    assert_eq!(
        hostile.matches("</script>").count(),
        hostile.matches("<script").count()
    );

    let news_map = std::fs::read_to_string(out.join("news-sitemap.xml")).expect("news sitemap");
    assert!(
        news_map.contains("harbour-lamps-relit"),
        "published a day before now"
    );
    assert!(!news_map.contains("tide-gauge-upgrade"), "eight days old");
    let related: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(out.join("api/articles/harbour-lamps-relit.json")).expect("json"),
    )
    .expect("valid JSON");
    assert_eq!(
        related["related"][0]["slug"], "tide-gauge-upgrade",
        "shares a tag and words"
    );
    let headers = std::fs::read_to_string(out.join("_headers")).expect("_headers");
    let site_policy = headers
        .lines()
        .find(|l| l.contains("Content-Security-Policy"))
        .expect("a policy");
    assert!(site_policy.contains("'wasm-unsafe-eval'") && !site_policy.contains("unsafe-inline"));
    assert!(site_policy.contains("script-src https://gazette.example/assets/ "));
    let directive = |name: &str| {
        site_policy
            .split(';')
            .find(|d| d.trim_start().starts_with(name))
            .unwrap_or_default()
            .to_string()
    };
    assert_eq!(
        directive("script-src").matches("'sha256-").count(),
        3,
        "every inline script hashed: index.html's own, the app's loader (the not-found page) and the app's lazy loader (every other page)"
    );
    assert_eq!(
        directive("style-src").matches("'sha256-").count(),
        1,
        "the stylesheets written into the page, by hash, never 'unsafe-inline'"
    );
    // Pages start with the island and fetch the app on intent; the not-found page starts it.
    let article = std::fs::read_to_string(out.join("news/harbour-lamps-relit.html")).expect("page");
    assert!(
        article.contains("island-0123456789abcdef.js")
            && article.contains("window.__broadsheetApp")
    );
    assert!(!article.contains("await init") && !article.contains("modulepreload"));
    let missing = std::fs::read_to_string(out.join("404.html")).expect("404");
    assert!(missing.contains("await init") && !missing.contains("window.__broadsheetApp"));
}

#[test]
fn bad_content_is_reported_all_together_with_file_line_and_field() {
    let out = temp("bad").join("dist");
    std::fs::create_dir_all(&out).expect("mkdir");
    std::fs::write(out.join("index.html"), "the previous site").expect("write");
    let resolved = std::fs::canonicalize(&out).expect("resolve");
    std::fs::write(out.join(MARKER), marker(&resolved)).expect("write");
    let Err(Failure::Content(problems)) = build(&options("bad", &out)) else {
        panic!("bad content must fail the build");
    };
    let report: Vec<String> = problems
        .iter()
        .map(|p| {
            let file = p.file.strip_prefix(fixtures()).unwrap_or(&p.file);
            format!("{}:{}: {}", file.display(), p.line, p.field)
        })
        .collect();
    for expected in [
        "bad/articles/news/many-problems.md:3: section",
        "bad/articles/news/many-problems.md:4: published",
        "bad/articles/news/many-problems.md:5: image.alt",
        "bad/articles/news/many-problems.md:6: image.src",
        "bad/articles/news/many-problems.md:9: body",
        "bad/articles/news/many-problems.md:11: body",
        "bad/articles/news/many-problems.md:13: body",
        "bad/articles/news/no-front-matter.md:1: front matter",
        "bad/articles/news/typo-field.md:2: front matter",
        "bad/articles/news/Bad_Name.md:0: slug",
        "bad/articles/news/Bad_Name.md:5: updated",
        "bad/articles/news/Bad_Name.md:8: source.url",
        "bad/picks.yaml:1: [0]",
        "bad/articles/world/many-problems.md:0: slug",
        "bad/articles/news/nested-typo.md:7: front matter",
        "bad/stats.yaml:3: no-front-matter.very_good",
        "bad/stats.yaml:5: typo-field.views",
        "bad/site.yaml:4: time_zone",
        "bad/site.yaml:5: language",
        "bad/site.yaml:7: accent.light",
    ] {
        assert!(
            report.iter().any(|r| r.starts_with(expected)),
            "missing {expected:?} in\n{}",
            report.join("\n")
        );
    }
    let text: Vec<String> = problems.iter().map(ToString::to_string).collect();
    let all = text.join("\n");
    for message in [
        "no alt text",
        "does not exist",
        "unsafe or unsupported scheme",
        "HTML is never published",
        "level-1 heading",
        "leads to no page",
        "unknown field `titel`",
        "unknown section \"sport\"",
        "unknown field `rloe`",
        "9007199254740993 is more than 9007199254740991",
    ] {
        assert!(all.contains(message), "no problem says {message:?}:\n{all}");
    }
    // Regression: a story with problems of its own was also reported as missing from stats.
    assert_eq!(
        all.matches("no article has this slug").count(),
        1,
        "only ghost-story is missing:\n{all}"
    );
    assert_eq!(
        std::fs::read_to_string(out.join("index.html")).expect("still there"),
        "the previous site",
        "a failed run leaves the previous site alone"
    );
    let siblings: Vec<_> = std::fs::read_dir(out.parent().expect("parent"))
        .expect("read")
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(
        siblings.len(),
        1,
        "no temporary folder left behind: {siblings:?}"
    );
}

#[test]
fn a_duplicate_slug_names_both_files() {
    let out = temp("dup").join("dist");
    let Err(Failure::Content(problems)) = build(&options("bad", &out)) else {
        panic!("bad content must fail the build");
    };
    let dup = problems
        .iter()
        .find(|p| p.field == "slug" && p.message.contains("already used"))
        .expect("a duplicate-slug problem");
    assert!(dup.message.contains("many-problems.md"));
}

#[test]
fn a_missing_app_build_is_a_clear_error_and_the_old_site_stays() {
    let root = temp("noapp");
    let out = root.join("dist");
    std::fs::create_dir_all(&out).expect("mkdir");
    std::fs::write(out.join("index.html"), "old").expect("write");
    let resolved = std::fs::canonicalize(&out).expect("resolve");
    std::fs::write(out.join(MARKER), marker(&resolved)).expect("write");
    let mut opts = options("site", &out);
    opts.app = root.join("nothing-here");
    let Err(Failure::Other(message)) = build(&opts) else {
        panic!("must fail");
    };
    assert!(message.contains("make"), "{message}");
    assert_eq!(
        std::fs::read_to_string(out.join("index.html")).expect("old"),
        "old"
    );
}
